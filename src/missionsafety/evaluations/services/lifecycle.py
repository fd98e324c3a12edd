"""An evaluation's life: creating, holding, reporting, closing, skipping and its findings."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change, snapshot
from missionsafety.audit.versioning import update_versioned
from missionsafety.core.events import publish
from missionsafety.core.exceptions import ValidationError
from missionsafety.core.services import check_version
from missionsafety.deployments.models import Deployment, Party, Phase
from missionsafety.deployments.visibility import require
from missionsafety.evaluations.gate import checklist_both_languages
from missionsafety.evaluations.models import (
    Evaluation,
    EvaluationParticipant,
    EvaluationTemplate,
    Finding,
)
from missionsafety.evaluations.services.common import EVALUATION_ROLES, E


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
