"""Every write to agreements, evaluations, findings, actions, the gate and
calendar links."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from missionsafety.audit.services import record_change, snapshot
from missionsafety.audit.versioning import update_versioned
from missionsafety.core.events import publish
from missionsafety.core.exceptions import ConflictError, NotAllowed, ValidationError
from missionsafety.core.i18n import pick
from missionsafety.core.services import check_version
from missionsafety.deployments.models import PHASE_ORDER, Deployment, Party, Phase
from missionsafety.deployments.visibility import require
from missionsafety.evaluations import defaults
from missionsafety.evaluations.gate import checklist_both_languages, compute_checklist
from missionsafety.evaluations.models import (
    Action,
    Agreement,
    AgreementAssignment,
    AgreementSignature,
    CalendarToken,
    Evaluation,
    EvaluationParticipant,
    EvaluationTemplate,
    Finding,
    GateWaiver,
    ProcessStep,
)
from missionsafety.organisations.models import Membership, hash_token
from missionsafety.organisations.scope import (
    current_memberships,
    require_writer,
    user_scope_ids,
)

AGREEMENT_ROLES = ("safety_officer",)
EVALUATION_ROLES = ("safety_officer", "commander", "lessons_officer")
S = Agreement.Status
E = Evaluation.Status


# -- the cooperation agreement ------------------------------------------------


def _steps() -> list[ProcessStep]:
    return list(ProcessStep.objects.filter(active=True).order_by("order", "code"))


def default_cells(
    parties: list[Party], steps: list[ProcessStep]
) -> dict[tuple[int, int], tuple[str, str]]:
    """The default matrix for these parties: (step id, party id) → (raci, tasks)."""
    cells: dict[tuple[int, int], tuple[str, str]] = {}
    for step in steps:
        spec = defaults.DEFAULT_MATRIX.get(step.code, {})
        seen_a = False
        for party in parties:
            raci, nl, en = spec.get(party.role, ("", "", ""))
            if raci == "A":
                if seen_a:  # a second party of the same role
                    raci = "R"
                seen_a = True
            cells[(step.pk, party.pk)] = (raci, pick({"nl": nl, "en": en}))
        if not seen_a:
            for role in defaults.ACCOUNTABLE_FALLBACK:
                alt = next((p for p in parties if p.role == role), None)
                if alt is not None:
                    cells[(step.pk, alt.pk)] = ("A", cells[(step.pk, alt.pk)][1])
                    break
        if parties and not any(cells[(step.pk, p.pk)][0] == "R" for p in parties):
            for role in defaults.RESPONSIBLE_FALLBACK:
                alt = next(
                    (
                        p
                        for p in parties
                        if p.role == role and cells[(step.pk, p.pk)][0] != "A"
                    ),
                    None,
                )
                if alt is not None:
                    cells[(step.pk, alt.pk)] = ("R", cells[(step.pk, alt.pk)][1])
                    break
    return cells


def validate_cells(
    cells: dict[tuple[int, int], tuple[str, str]],
    steps: list[ProcessStep],
    parties: list[Party],
) -> None:
    """Exactly one Accountable and at least one Responsible per step."""
    errors: list[str] = []
    for step in steps:
        letters = [cells.get((step.pk, p.pk), ("", ""))[0] for p in parties]
        accountable = letters.count("A")
        if accountable != 1:
            errors.append(
                _("%(step)s: exactly one party must be Accountable (now %(n)s).")
                % {"step": step.name, "n": accountable}
            )
        if "R" not in letters:
            errors.append(
                _("%(step)s: at least one party must be Responsible.")
                % {"step": step.name}
            )
    for (_step, _party), (raci, tasks) in cells.items():
        if raci not in AgreementAssignment.Raci.values:
            errors.append(_("“%(value)s” is not R, A, C or I.") % {"value": raci})
        if len(tasks) > 500:
            errors.append(_("A tasks text is longer than 500 characters."))
    if errors:
        raise ValidationError({"assignments": errors})


def _write_cells(
    agreement: Agreement, cells: dict[tuple[int, int], tuple[str, str]]
) -> None:
    AgreementAssignment.objects.bulk_create(
        [
            AgreementAssignment(
                agreement=agreement,
                step_id=step,
                party_id=party,
                raci=raci,
                tasks=tasks,
            )
            for (step, party), (raci, tasks) in sorted(cells.items())
        ]
    )


def agreement_cells(agreement: Agreement) -> dict[tuple[int, int], tuple[str, str]]:
    return {
        (a.step_id, a.party_id): (a.raci, a.tasks) for a in agreement.assignments.all()
    }


def current_agreement(deployment: Deployment) -> Agreement | None:
    """The newest version that is not superseded."""
    return (
        Agreement.objects.filter(deployment=deployment)
        .exclude(status=S.SUPERSEDED)
        .order_by("-number")
        .first()
    )


@transaction.atomic
def agreement_setup(*, actor: Any, deployment: Deployment) -> Agreement:
    """Start the deployment's agreement, pre-filled from the default per party role."""
    require(actor, deployment, *AGREEMENT_ROLES)
    Deployment.objects.select_for_update(no_key=True).get(pk=deployment.pk)
    if Agreement.objects.filter(deployment=deployment).exists():
        raise ValidationError(
            {"__all__": _("This deployment already has an agreement; edit it.")}
        )
    parties = list(deployment.parties.select_related("organisation"))
    if not parties:
        raise ValidationError({"__all__": _("Add the parties first.")})
    steps = _steps()
    cells = default_cells(parties, steps)
    validate_cells(cells, steps, parties)
    agreement = Agreement.objects.create(
        deployment=deployment, number=1, created_by=actor
    )
    _write_cells(agreement, cells)
    record_change(
        actor=actor, obj=agreement, action="create", after=_agreement_json(agreement)
    )
    evaluations_schedule(actor=actor, deployment=deployment)
    return agreement


def _agreement_json(agreement: Agreement) -> dict[str, Any]:
    return {
        "number": agreement.number,
        "status": agreement.status,
        # One row per cell: step and party by number (the history names them in
        # the reader's language; see audit.presentation.register_rows), role, tasks.
        "cells": [
            [a.step_id, a.party_id, a.raci, a.tasks]
            for a in agreement.assignments.order_by("step_id", "party_id")
        ],
    }


@transaction.atomic
def agreement_update(
    *,
    actor: Any,
    agreement: Agreement,
    version: int | None,
    cells: dict[tuple[int, int], tuple[str, str]],
    note: str = "",
) -> Agreement:
    """Change the matrix. A draft changes in place; any other version makes a new
    draft version that needs signing again (the old one stays readable)."""
    deployment = agreement.deployment
    require(actor, deployment, *AGREEMENT_ROLES)
    Deployment.objects.select_for_update(no_key=True).get(pk=deployment.pk)
    agreement = Agreement.objects.get(pk=agreement.pk)
    if version is not None and version != agreement.number:
        raise ConflictError(
            _(
                "You edited version %(yours)s; the agreement is now at version "
                "%(current)s. Reload and apply your change again."
            )
            % {"yours": version, "current": agreement.number},
            current_version=agreement.number,
        )
    newest = Agreement.objects.filter(deployment=deployment).order_by("-number").first()
    assert newest is not None  # the agreement being edited is one of them
    if agreement.status == S.SUPERSEDED or newest.number != agreement.number:
        raise ConflictError(
            _(
                "Version %(yours)s is not the current version (now %(current)s); "
                "edit the current one."
            )
            % {"yours": agreement.number, "current": newest.number},
            current_version=newest.number,
        )
    parties = list(deployment.parties.select_related("organisation"))
    steps = _steps()
    old = agreement_cells(agreement)
    party_ids = {p.pk for p in parties}
    step_ids = {s.pk for s in steps}
    for step_id, party_id in cells:
        if step_id not in step_ids or party_id not in party_ids:
            raise ValidationError(
                {
                    "assignments": _(
                        "A cell names a step or party that is not in the agreement."
                    )
                }
            )
    merged = {
        (s.pk, p.pk): cells.get((s.pk, p.pk), old.get((s.pk, p.pk), ("", "")))
        for s in steps
        for p in parties
    }
    merged = {k: (v[0], v[1].strip()) for k, v in merged.items()}
    validate_cells(merged, steps, parties)
    if merged == old:
        return agreement
    if agreement.status == S.DRAFT:
        before = _agreement_json(agreement)
        agreement.assignments.all().delete()
        _write_cells(agreement, merged)
        if note:
            agreement.note = note
            agreement.save(update_fields=["note", "updated_at"])
        record_change(
            actor=actor,
            obj=agreement,
            action="update",
            before=before,
            after=_agreement_json(agreement),
        )
        return agreement
    new = Agreement.objects.create(
        deployment=deployment,
        number=agreement.number + 1,
        created_by=actor,
        note=note,
    )
    _write_cells(new, merged)
    if agreement.status == S.IN_SIGNATURE:
        _supersede(actor, agreement)
    record_change(
        actor=actor,
        obj=new,
        action="new_version",
        before={"from_version": agreement.number},
        after=_agreement_json(new),
    )
    return new


def _supersede(actor: Any, agreement: Agreement) -> None:
    before = agreement.status
    agreement.status = S.SUPERSEDED
    agreement.superseded_at = timezone.now()
    agreement.save(update_fields=["status", "superseded_at", "updated_at"])
    record_change(
        actor=actor,
        obj=agreement,
        action="supersede",
        before={"status": before},
        after={"status": agreement.status},
    )


def agreement_parties(agreement: Agreement) -> list[Party]:
    ids = set(agreement.assignments.values_list("party_id", flat=True))
    return list(
        Party.objects.filter(pk__in=ids)
        .select_related("organisation", "point_of_contact")
        .order_by("role", "organisation__short_name")
    )


@transaction.atomic
def agreement_submit(*, actor: Any, agreement: Agreement) -> Agreement:
    """Send a draft for signature once every party has a named point of contact."""
    require(actor, agreement.deployment, *AGREEMENT_ROLES)
    agreement = Agreement.objects.select_for_update(no_key=True).get(pk=agreement.pk)
    if agreement.status != S.DRAFT:
        raise ValidationError({"__all__": _("Only a draft can be sent for signature.")})
    missing = [p for p in agreement_parties(agreement) if p.point_of_contact_id is None]
    if missing:
        raise ValidationError(
            {
                "__all__": _(
                    "Name a point of contact for every party first (missing: "
                    "%(parties)s)."
                )
                % {"parties": ", ".join(p.organisation.short_name for p in missing)}
            }
        )
    current_parties = set(agreement.deployment.parties.values_list("pk", flat=True))
    if {p.pk for p in agreement_parties(agreement)} != current_parties:
        raise ValidationError(
            {
                "__all__": _(
                    "The parties changed; edit the matrix so it covers them all."
                )
            }
        )
    agreement.status = S.IN_SIGNATURE
    agreement.submitted_at = timezone.now()
    agreement.save(update_fields=["status", "submitted_at", "updated_at"])
    record_change(
        actor=actor,
        obj=agreement,
        action="submit",
        before={"status": S.DRAFT},
        after={"status": agreement.status},
    )
    publish(
        "agreement.submitted",
        agreement=agreement,
        signatories=signatories(agreement),
        actor=actor,
    )
    return agreement


def signatories(agreement: Agreement) -> list[tuple[Party, list[Any]]]:
    """Per party of the agreement, the commanders who sign for it today."""
    parties = agreement_parties(agreement)
    by_org: dict[int, list[Any]] = {p.organisation_id: [] for p in parties}
    for membership in (
        Membership.objects.current()
        .filter(organisation_id__in=by_org, role="commander", user__is_active=True)
        .select_related("user")
    ):
        by_org[membership.organisation_id].append(membership.user)
    return [(p, by_org[p.organisation_id]) for p in parties]


def commander_of(user: Any, party: Party) -> Membership | None:
    """The user's current commander membership of the party's own organisation."""
    for membership in current_memberships(user):
        if (
            membership.role == "commander"
            and membership.organisation_id == party.organisation_id
        ):
            return membership
    return None


def signable_parties(user: Any, agreement: Agreement) -> list[Party]:
    """Parties the user may sign for now (their commander, not yet signed)."""
    if agreement.status != S.IN_SIGNATURE:
        return []
    signed = set(agreement.signatures.values_list("party_id", flat=True))
    return [
        p
        for p in agreement_parties(agreement)
        if p.pk not in signed and commander_of(user, p) is not None
    ]


@transaction.atomic
def agreement_sign(*, actor: Any, agreement: Agreement, party: Party) -> Agreement:
    """Sign for one party as its commander; in force once every party signed."""
    require_writer(actor)
    agreement = Agreement.objects.select_for_update(no_key=True).get(pk=agreement.pk)
    if agreement.status == S.SUPERSEDED:
        raise ValidationError(
            {
                "__all__": _("Version %(n)s is superseded; sign the current version.")
                % {"n": agreement.number}
            }
        )
    if agreement.status != S.IN_SIGNATURE:
        raise ValidationError(
            {
                "__all__": _("Version %(n)s is not in signature.")
                % {"n": agreement.number}
            }
        )
    parties = agreement_parties(agreement)
    if party.pk not in {p.pk for p in parties}:
        raise ValidationError({"party": _("This party is not in the agreement.")})
    membership = commander_of(actor, party)
    if membership is None:
        raise NotAllowed(
            _("Only the commander of %(org)s signs for that party.")
            % {"org": party.organisation.short_name},
            party=party.pk,
        )
    if agreement.signatures.filter(party=party).exists():
        raise ValidationError(
            {
                "party": _("%(org)s has already signed.")
                % {"org": party.organisation.short_name}
            }
        )
    signature = AgreementSignature.objects.create(
        agreement=agreement,
        party=party,
        signed_by=actor,
        signed_as=(membership.title or str(membership))[:200],
    )
    record_change(
        actor=actor,
        obj=agreement,
        action="sign",
        after={
            "party": party.pk,
            "signed_by": actor.pk,
            "signed_as": signature.signed_as,
        },
    )
    if agreement.signatures.count() == len(parties):
        for old in Agreement.objects.filter(
            deployment_id=agreement.deployment_id, status=S.IN_FORCE
        ):
            _supersede(actor, old)
        agreement.status = S.IN_FORCE
        agreement.in_force_at = timezone.now()
        agreement.save(update_fields=["status", "in_force_at", "updated_at"])
        record_change(
            actor=actor,
            obj=agreement,
            action="in_force",
            before={"status": S.IN_SIGNATURE},
            after={"status": S.IN_FORCE},
        )
    return agreement


def accountable_party(deployment: Deployment) -> Party | None:
    """The party Accountable for deciding on risk, or the operational command."""
    agreement = Agreement.objects.filter(
        deployment=deployment, status=S.IN_FORCE
    ).first() or current_agreement(deployment)
    if agreement is not None:
        cell = (
            agreement.assignments.filter(step__code="decide", raci="A")
            .select_related("party__organisation")
            .first()
        )
        if cell is not None:
            return cell.party
    return (
        deployment.parties.select_related("organisation")
        .filter(role=Party.PartyRole.OPERATIONAL_COMMAND)
        .first()
    )


# -- scheduling ---------------------------------------------------------------


def _phase_start(deployment: Deployment, phase: str) -> datetime.date | None:
    if phase == Phase.PLANNING:
        return timezone.localdate(deployment.created_at)
    change = (
        deployment.phase_changes.filter(to_phase=phase).order_by("changed_at").first()
    )
    return timezone.localdate(change.changed_at) if change else None


def planned_moments(
    deployment: Deployment, templates: Iterable[EvaluationTemplate]
) -> dict[tuple[int, int], tuple[EvaluationTemplate, datetime.date, str]]:
    """(template id, slot) → (template, due date, title) for date and periodic moments.

    A periodic moment of a phase is planned only before the first moment of a
    later phase (and before that phase began, if it did): no monthly review
    of the deployed phase after the end-of-tour AAR of the redeployment.
    """
    start, end = deployment.start_date, deployment.end_date
    anchors: dict[str, datetime.date] = {
        EvaluationTemplate.Anchor.DEPLOYMENT_START: start,
        EvaluationTemplate.Anchor.DEPLOYMENT_END: end,
        EvaluationTemplate.Anchor.DEPLOYMENT_MID: start + (end - start) / 2,
    }
    planned = {}
    templates = list(templates)
    for template in templates:
        if template.trigger != EvaluationTemplate.Trigger.DATE:
            continue
        if template.anchor == EvaluationTemplate.Anchor.PHASE_START:
            anchor = _phase_start(deployment, template.phase)
        else:
            anchor = anchors[template.anchor]
        if anchor is None:
            continue
        due = anchor + datetime.timedelta(days=template.offset_days)
        planned[(template.pk, 1)] = (template, due, template.name)
    for template in templates:
        if template.trigger != EvaluationTemplate.Trigger.PERIODIC:
            continue
        until = _next_phase_begins(deployment, template.phase, planned.values())
        step = datetime.timedelta(days=max(template.interval_days, 1))
        due, slot = start + step, 1
        while due <= end and (until is None or due < until):
            planned[(template.pk, slot)] = (template, due, f"{template.name} {slot}")
            due, slot = due + step, slot + 1
    return planned


def _next_phase_begins(
    deployment: Deployment,
    phase: str,
    dated: Iterable[tuple[EvaluationTemplate, datetime.date, str]],
) -> datetime.date | None:
    """The first day of a phase after ``phase``: its first planned moment, or
    the day the deployment entered it."""
    later = set(PHASE_ORDER[PHASE_ORDER.index(phase) + 1 :])
    days = [due for template, due, _title in dated if template.phase in later]
    days += [
        timezone.localdate(c.changed_at)
        for c in deployment.phase_changes.filter(to_phase__in=later)
    ]
    return min(days) if days else None


@transaction.atomic
def evaluations_schedule(*, actor: Any, deployment: Deployment) -> dict[str, int]:
    """Create, move or drop the deployment's scheduled moments to fit its dates.

    Held, reported, closed and skipped moments are never changed.
    """
    if deployment.phase == Phase.CLOSED:
        return {"created": 0, "moved": 0, "dropped": 0}
    templates = list(
        EvaluationTemplate.objects.filter(
            active=True,
            trigger__in=[
                EvaluationTemplate.Trigger.DATE,
                EvaluationTemplate.Trigger.PERIODIC,
            ],
        )
    )
    planned = planned_moments(deployment, templates)
    existing = {
        (e.template_id, e.slot): e
        for e in Evaluation.objects.filter(deployment=deployment, slot__isnull=False)
    }
    created, moved, dropped = [], [], []
    for key, (template, due, title) in planned.items():
        evaluation = existing.get(key)
        if evaluation is None:
            created.append(
                Evaluation(
                    deployment=deployment,
                    template=template,
                    slot=key[1],
                    title=title,
                    phase=template.phase,
                    due_date=due,
                )
            )
        elif evaluation.status == E.SCHEDULED and evaluation.due_date != due:
            evaluation.due_date = due
            moved.append(evaluation)
    for existing_key, evaluation in existing.items():
        if existing_key not in planned and evaluation.status == E.SCHEDULED:
            dropped.append(evaluation)
    Evaluation.objects.bulk_create(created)
    Evaluation.objects.bulk_update(moved, ["due_date"])
    Evaluation.objects.filter(pk__in=[e.pk for e in dropped]).delete()
    result = {"created": len(created), "moved": len(moved), "dropped": len(dropped)}
    if created or moved or dropped:
        record_change(
            actor=actor,
            obj=deployment,
            action="schedule_evaluations",
            after={
                **result,
                "moved_to": {str(e.pk): e.due_date.isoformat() for e in moved},
                "dropped": [e.title for e in dropped],
            },
        )
        for evaluation in created:
            publish("evaluation.scheduled", evaluation=evaluation, actor=actor)
    return result


CLOSED_BEFORE_HELD = gettext_lazy(
    "The deployment was closed before this moment was held."
)


def shipped_texts() -> list[tuple[str, str]]:
    """Reasons the services write, in Dutch and English (``shipped_text``)."""
    pairs = []
    for text in (CLOSED_BEFORE_HELD,):
        with translation.override("nl"):
            nl = str(text)
        with translation.override("en"):
            en = str(text)
        pairs.append((nl, en))
    return pairs


def on_phase_changed(*, deployment: Deployment, from_phase: str, actor: Any) -> None:
    """Phase listener: (re)schedule the moments once a phase is entered; on
    closing, what was never held is recorded as skipped."""
    if deployment.phase != Phase.CLOSED:
        evaluations_schedule(actor=actor, deployment=deployment)
        return
    reason = str(CLOSED_BEFORE_HELD)
    for evaluation in Evaluation.objects.filter(
        deployment=deployment, status=E.SCHEDULED
    ):
        evaluation_skip(
            actor=actor,
            evaluation=evaluation,
            version=evaluation.version,
            reason=reason,
        )


def on_deployment_updated(*, deployment: Deployment, actor: Any, **_kw: Any) -> None:
    """Dates changed: move the scheduled moments with them."""
    evaluations_schedule(
        actor=actor, deployment=Deployment.objects.get(pk=deployment.pk)
    )


def on_serious_occurrence(*, occurrence: Any, actor: Any, **_kw: Any) -> None:
    """A serious occurrence calls for a hot wash within the template's window."""
    deployment_id = getattr(occurrence, "deployment_id", None)
    if deployment_id is None:
        return
    deployment = Deployment.objects.filter(pk=deployment_id).first()
    template = EvaluationTemplate.objects.filter(
        active=True, trigger=EvaluationTemplate.Trigger.OCCURRENCE
    ).first()
    if deployment is None or template is None or deployment.phase == Phase.CLOSED:
        return
    ref = f"occurrences.occurrence:{occurrence.pk}"
    if Evaluation.objects.filter(deployment=deployment, trigger_ref=ref).exists():
        return
    evaluation_create(
        actor=actor,
        deployment=deployment,
        template=template,
        trigger_ref=ref,
        title=f"{template.name}: {str(getattr(occurrence, 'title', '') or occurrence)[:120]}",
        check_roles=False,
    )


@transaction.atomic
def evaluation_create(
    *,
    actor: Any,
    deployment: Deployment,
    template: EvaluationTemplate,
    title: str = "",
    due_date: datetime.date | None = None,
    trigger_ref: str = "",
    check_roles: bool = True,
) -> Evaluation:
    """Plan a moment that is not on the schedule (an AAR after an exercise, a hot wash)."""
    if check_roles:
        require(actor, deployment, *EVALUATION_ROLES)
    if deployment.phase == Phase.CLOSED:
        raise ValidationError({"__all__": _("The deployment is closed.")})
    if not template.active:
        raise ValidationError({"template": _("This moment is no longer in use.")})
    today = timezone.localdate()
    evaluation = Evaluation(
        deployment=deployment,
        template=template,
        title=(title or template.name).strip()[:200],
        phase=deployment.phase,
        due_date=due_date or today + datetime.timedelta(days=template.due_within_days),
        trigger_ref=trigger_ref,
    )
    evaluation.full_clean()
    evaluation.save()
    record_change(
        actor=actor, obj=evaluation, action="create", after=snapshot(evaluation)
    )
    publish("evaluation.scheduled", evaluation=evaluation, actor=actor)
    return evaluation


# -- holding an evaluation ----------------------------------------------------


def _transition(evaluation: Evaluation, to: str) -> None:
    if to not in Evaluation.TRANSITIONS[evaluation.status]:
        raise ValidationError(
            {
                "status": _(
                    "An evaluation that is %(current)s cannot become %(target)s."
                )
                % {
                    "current": evaluation.get_status_display(),
                    "target": E(to).label,
                }
            }
        )


def hold_problems(
    *,
    template: EvaluationTemplate,
    party_list: list[Party],
    held_on: datetime.date | None,
    participants: dict[int, str],
    answers: dict[str, str],
    gate_decision: str = "",
    gate_rationale: str = "",
) -> dict[str, list[str]]:
    """Everything wrong with a record of a held moment, per field, at once."""
    errors: dict[str, list[str]] = {}
    if held_on is not None and held_on > timezone.localdate():
        errors.setdefault("held_on", []).append(
            _("A moment cannot be held in the future.")
        )
    parties = {p.pk: p for p in party_list}
    unknown = set(participants) - set(parties)
    if unknown:
        errors.setdefault("participants", []).append(
            _("A participant is not a party to the deployment.")
        )
    present_roles = {parties[pk].role for pk in participants if pk in parties}
    needed = [
        r
        for r in template.participant_roles
        if r not in present_roles and any(p.role == r for p in parties.values())
    ]
    if needed:
        errors.setdefault("participants", []).append(
            _("This method needs these parties to take part: %(roles)s.")
            % {"roles": ", ".join(str(Party.PartyRole(r).label) for r in needed)}
        )
    if not participants:
        errors.setdefault("participants", []).append(_("Record who took part."))
    for question in template.questions:
        value = str(answers.get(question["key"], "") or "").strip()
        if question["required"] and not value:
            errors.setdefault(f"answer_{question['key']}", []).append(
                _("“%(question)s” needs an answer.") % {"question": question["text"]}
            )
    if template.is_gate:
        if gate_decision not in Evaluation.GateDecision.values:
            errors.setdefault("gate_decision", []).append(
                _("The board records go or no-go.")
            )
        if not gate_rationale.strip():
            errors.setdefault("gate_rationale", []).append(
                _("Give the board's rationale.")
            )
    return errors


@transaction.atomic
def evaluation_hold(
    *,
    actor: Any,
    evaluation: Evaluation,
    version: int | None,
    held_on: datetime.date,
    participants: dict[int, str],
    answers: dict[str, str],
    findings: list[str] | None = None,
    gate_decision: str = "",
    gate_rationale: str = "",
) -> Evaluation:
    """Record that the moment was held: who took part, the answers, the findings;
    for the gate also go / no-go with the board's rationale."""
    deployment = evaluation.deployment
    require(actor, deployment, *EVALUATION_ROLES)
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",), no_key=True)
        .select_related("template")
        .get(pk=evaluation.pk)
    )
    check_version(evaluation, version)
    _transition(evaluation, E.HELD)
    template = evaluation.template
    errors = hold_problems(
        template=template,
        party_list=list(deployment.parties.select_related("organisation")),
        held_on=held_on,
        participants=participants,
        answers=answers,
        gate_decision=gate_decision,
        gate_rationale=gate_rationale,
    )
    clean_answers = {
        q["key"]: str(answers.get(q["key"], "") or "").strip()
        for q in template.questions
    }
    if errors:
        raise ValidationError(errors)
    before = snapshot(evaluation)
    evaluation.status = E.HELD
    evaluation.held_on = held_on
    evaluation.held_by = actor
    evaluation.answers = clean_answers
    if template.is_gate:
        evaluation.gate_decision = gate_decision
        evaluation.gate_rationale = gate_rationale.strip()
        evaluation.gate_checklist = checklist_both_languages(deployment)
    evaluation.version += 1
    evaluation.save()
    EvaluationParticipant.objects.bulk_create(
        [
            EvaluationParticipant(evaluation=evaluation, party_id=pk, names=names[:300])
            for pk, names in sorted(participants.items())
        ]
    )
    for text in findings or []:
        _finding_add(evaluation, text)
    record_change(
        actor=actor,
        obj=evaluation,
        action="hold",
        before=before,
        after={
            **snapshot(evaluation),
            "participants": {str(k): v for k, v in participants.items()},
            "findings": [t for t in findings or [] if t.strip()],
        },
    )
    publish("evaluation.held", evaluation=evaluation, actor=actor)
    return evaluation


def _finding_add(evaluation: Evaluation, text: str) -> Finding | None:
    text = text.strip()
    if not text:
        return None
    number = evaluation.findings.count() + 1
    return Finding.objects.create(
        evaluation=evaluation,
        deployment_id=evaluation.deployment_id,
        number=number,
        text=text,
    )


@transaction.atomic
def finding_add(*, actor: Any, evaluation: Evaluation, text: str) -> Finding:
    """Add a finding to a held evaluation."""
    require(actor, evaluation.deployment, *EVALUATION_ROLES)
    if not evaluation.is_done or evaluation.status == E.CLOSED:
        raise ValidationError(
            {"text": _("Findings are added to a held evaluation that is not closed.")}
        )
    finding = _finding_add(evaluation, text)
    if finding is None:
        raise ValidationError({"text": _("Describe the finding.")})
    record_change(actor=actor, obj=finding, action="create", after=snapshot(finding))
    return finding


@transaction.atomic
def evaluation_report(
    *, actor: Any, evaluation: Evaluation, version: int | None, report: str
) -> Evaluation:
    """Record the report of a held evaluation."""
    require(actor, evaluation.deployment, *EVALUATION_ROLES)
    _transition(evaluation, E.REPORTED)
    if not report.strip():
        raise ValidationError({"report": _("Write the report.")})
    return update_versioned(
        obj=evaluation,
        actor=actor,
        version=version,
        changes={
            "status": E.REPORTED,
            "report": report.strip(),
            "reported_at": timezone.now(),
        },
        action="report",
    )


@transaction.atomic
def evaluation_close(
    *, actor: Any, evaluation: Evaluation, version: int | None
) -> Evaluation:
    """Close a reported evaluation."""
    require(actor, evaluation.deployment, *EVALUATION_ROLES)
    _transition(evaluation, E.CLOSED)
    return update_versioned(
        obj=evaluation,
        actor=actor,
        version=version,
        changes={"status": E.CLOSED, "closed_at": timezone.now()},
        action="close",
    )


@transaction.atomic
def evaluation_skip(
    *, actor: Any, evaluation: Evaluation, version: int | None, reason: str
) -> Evaluation:
    """Skip a scheduled moment, with the reason (shows in compliance)."""
    require(actor, evaluation.deployment, *EVALUATION_ROLES)
    _transition(evaluation, E.SKIPPED)
    if not reason.strip():
        raise ValidationError({"skipped_reason": _("Give the reason for skipping.")})
    return update_versioned(
        obj=evaluation,
        actor=actor,
        version=version,
        changes={"status": E.SKIPPED, "skipped_reason": reason.strip()},
        action="skip",
    )


@transaction.atomic
def evaluation_reschedule(
    *, actor: Any, evaluation: Evaluation, version: int | None, due_date: datetime.date
) -> Evaluation:
    """Move the due date of a moment that is still scheduled."""
    require(actor, evaluation.deployment, *EVALUATION_ROLES)
    if evaluation.status != E.SCHEDULED:
        raise ValidationError({"due_date": _("Only a scheduled moment can be moved.")})
    return update_versioned(
        obj=evaluation,
        actor=actor,
        version=version,
        changes={"due_date": due_date},
        action="reschedule",
    )


def _member_of(user: Any, party: Party) -> bool:
    org = party.organisation
    return (
        Membership.objects.current()
        .filter(user=user, organisation__path__startswith=org.path)
        .exists()
    )


@transaction.atomic
def action_create(
    *,
    actor: Any,
    finding: Finding,
    description: str,
    owner_party: Party,
    owner: Any,
    due_date: datetime.date,
) -> Action:
    """Turn a finding into an action with an owner party, an owner and a due date."""
    require(actor, finding.evaluation.deployment, *EVALUATION_ROLES)
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = _("Describe the action.")
    if owner_party.deployment_id != finding.deployment_id:
        errors["owner_party"] = _("The owner party must be a party to this deployment.")
    elif owner is None or not _member_of(owner, owner_party):
        errors["owner"] = _(
            "The owner must belong to %(org)s (or a unit below it)."
        ) % {"org": owner_party.organisation.short_name}
    if due_date < timezone.localdate():
        errors["due_date"] = _("The due date lies in the past.")
    if errors:
        raise ValidationError(errors)
    action = Action.objects.create(
        deployment_id=finding.deployment_id,
        finding=finding,
        description=description.strip(),
        owner_party=owner_party,
        owner=owner,
        due_date=due_date,
        created_by=actor,
    )
    record_change(actor=actor, obj=action, action="create", after=snapshot(action))
    return action


@transaction.atomic
def action_set_status(
    *, actor: Any, action: Action, version: int | None, status: str
) -> Action:
    """Mark an action done (or open again)."""
    require(actor, action.owner_party.deployment, *EVALUATION_ROLES)
    if status not in Action.TRANSITIONS.get(action.status, set()):
        raise ValidationError({"status": _("That status change is not possible.")})
    return update_versioned(
        obj=action, actor=actor, version=version, changes={"status": status}
    )


# -- the readiness gate -------------------------------------------------------


def latest_gate(deployment: Deployment) -> Evaluation | None:
    """The most recently held gate, or else the next scheduled one."""
    held = (
        Evaluation.objects.filter(
            deployment=deployment, template__is_gate=True, status__in=Evaluation.DONE
        )
        .order_by("-held_on", "-id")
        .first()
    )
    if held is not None:
        return held
    return (
        Evaluation.objects.filter(
            deployment=deployment, template__is_gate=True, status=E.SCHEDULED
        )
        .order_by("due_date")
        .first()
    )


def may_waive(user: Any, deployment: Deployment) -> Party | None:
    """The accountable party, if the user is its commander."""
    party = accountable_party(deployment)
    if party is not None and commander_of(user, party) is not None:
        return party
    return None


@transaction.atomic
def gate_waive(*, actor: Any, deployment: Deployment, rationale: str) -> GateWaiver:
    """The accountable commander waives the open gate items, with a rationale."""
    require_writer(actor)
    gate = latest_gate(deployment)
    if gate is None or not gate.is_done:
        raise ValidationError(
            {"waiver_rationale": _("Hold the pre-departure safety gate first.")}
        )
    party = may_waive(actor, deployment)
    if party is None:
        accountable = accountable_party(deployment)
        raise NotAllowed(
            _(
                "Only the commander of the party accountable for deciding on risk "
                "(%(org)s) can waive the gate."
            )
            % {"org": accountable.organisation.short_name if accountable else "—"},
        )
    if not rationale.strip():
        raise ValidationError(
            {"waiver_rationale": _("Give the rationale for the waiver.")}
        )
    # In both languages, so that the waiver reads in each reader's language.
    open_items = [
        i for i in checklist_both_languages(deployment) if i["status"] == "open"
    ]
    if gate.gate_decision == Evaluation.GateDecision.NO_GO:
        no_go = {}
        for language in ("nl", "en"):
            with translation.override(language):
                no_go[language] = str(_("The board decided no-go"))
        open_items.insert(0, {"key": "no_go", "label": no_go, "status": "open"})
    waiver = GateWaiver.objects.create(
        deployment=deployment,
        evaluation=gate,
        waived_by=actor,
        waived_for=party,
        rationale=rationale.strip(),
        open_items=open_items,
    )
    record_change(actor=actor, obj=waiver, action="waive", after=snapshot(waiver))
    return waiver


def gate_status(deployment: Deployment) -> dict[str, Any]:
    """Whether the deployment may move to deployed now, and why not."""
    gate = latest_gate(deployment)
    checklist = compute_checklist(deployment)
    held = gate is not None and gate.is_done
    waiver = (
        GateWaiver.objects.filter(deployment=deployment, evaluation=gate)
        .select_related("waived_by", "waived_for__organisation")
        .first()
        if held
        else None
    )
    go = held and gate is not None and gate.gate_decision == Evaluation.GateDecision.GO
    passes = held and ((go and checklist.clear) or waiver is not None)
    return {
        "gate": gate,
        "held": held,
        "go": go,
        "checklist": checklist,
        "waiver": waiver,
        "passes": passes,
        "needs_waiver": held and not passes,
        "accountable": accountable_party(deployment),
    }


def gate_guard(
    *,
    deployment: Deployment,
    to_phase: str,
    actor: Any,
    waiver_rationale: str = "",
    **_kw: Any,
) -> None:
    """Phase guard: readiness → deployed needs a held gate with go and nothing
    open, or the accountable commander's waiver."""
    if deployment.phase != Phase.READINESS or to_phase != Phase.DEPLOYED:
        return
    status = gate_status(deployment)
    if not status["held"]:
        raise ValidationError(
            {
                "phase": _(
                    "Hold the pre-departure safety gate first: moving to deployed "
                    "needs the board's go."
                )
            }
        )
    if status["passes"]:
        return
    if waiver_rationale.strip():
        gate_waive(actor=actor, deployment=deployment, rationale=waiver_rationale)
        return
    reasons = [i.label for i in status["checklist"].open_items]
    if not status["go"]:
        reasons.insert(0, _("the board decided no-go"))
    raise ValidationError(
        {
            "phase": _(
                "The safety gate is not clear (%(reasons)s). Moving on needs the "
                "waiver of the accountable commander, with a rationale."
            )
            % {"reasons": "; ".join(reasons)}
        }
    )


@transaction.atomic
def gate_record(
    *,
    actor: Any,
    deployment: Deployment,
    decision: str,
    rationale: str,
    participants: dict[int, str] | None = None,
    answers: dict[str, str] | None = None,
    held_on: datetime.date | None = None,
) -> Evaluation:
    """Hold the pre-departure gate: the scheduled one, or a new one if none is."""
    gate = (
        Evaluation.objects.filter(
            deployment=deployment, template__is_gate=True, status=E.SCHEDULED
        )
        .order_by("due_date")
        .first()
    )
    if gate is None:
        template = EvaluationTemplate.objects.filter(is_gate=True, active=True).first()
        if template is None:
            raise ValidationError({"__all__": _("No gate template is configured.")})
        gate = evaluation_create(actor=actor, deployment=deployment, template=template)
    if participants is None:
        participants = {p.pk: "" for p in deployment.parties.all()}
    if answers is None:
        answers = {q["key"]: rationale for q in gate.template.questions}
    return evaluation_hold(
        actor=actor,
        evaluation=gate,
        version=gate.version,
        held_on=held_on or timezone.localdate(),
        participants=participants,
        answers=answers,
        gate_decision=decision,
        gate_rationale=rationale,
    )


def gate_pass_for_walk(deployment: Deployment, actor: Any) -> dict[str, Any]:
    """For tests and demo data walking a deployment to deployed: hold a go gate
    and, if items are open, have the accountable commander waive them.

    Returns the options to pass to the phase move (none are needed here)."""
    status = gate_status(deployment)
    if status["passes"]:
        return {}
    if not status["held"]:
        scheduled = status["gate"]
        today = timezone.localdate()
        gate_record(
            actor=actor,
            deployment=deployment,
            decision=Evaluation.GateDecision.GO,
            rationale="Go: board held before departure.",
            held_on=min(today, scheduled.due_date) if scheduled else today,
        )
        status = gate_status(deployment)
    if not status["passes"]:
        party = status["accountable"]
        commander = (
            Membership.objects.current()
            .filter(organisation_id=party.organisation_id, role="commander")
            .select_related("user")
            .first()
            if party
            else None
        )
        if commander is None:
            raise ValidationError(
                {"phase": _("No accountable commander to waive the gate.")}
            )
        gate_waive(
            actor=commander.user,
            deployment=deployment,
            rationale="Open items accepted for departure; follow-up in theatre.",
        )
    return {}


# -- calendar links -----------------------------------------------------------


@transaction.atomic
def calendar_token_create(*, actor: Any, party: Party) -> str:
    """Issue a calendar link for one of the user's parties; only its hash is kept."""
    if party.organisation_id not in user_scope_ids(actor):
        raise NotAllowed(_("You can only subscribe to the moments of your own party."))
    raw = CalendarToken.PREFIX + secrets.token_urlsafe(24)
    token = CalendarToken.objects.create(
        user=actor, party=party, key_hash=hash_token(raw), hint=raw[:10]
    )
    record_change(
        actor=actor,
        obj=token,
        action="create",
        after={"party": party.pk, "hint": token.hint},
        deployment_id=party.deployment_id,
    )
    return raw


@transaction.atomic
def calendar_token_revoke(*, actor: Any, token: CalendarToken) -> CalendarToken:
    """Revoke a calendar link: calendar clients that use it get nothing more."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_change(
            actor=actor,
            obj=token,
            action="revoke",
            after={"revoked": True},
            deployment_id=token.party.deployment_id,
        )
    return token
