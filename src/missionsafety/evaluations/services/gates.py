"""The phase gate: its latest evaluation, waivers, status, guard and recording."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change, snapshot
from missionsafety.core.exceptions import NotAllowed, ValidationError
from missionsafety.deployments.models import Deployment, Party, Phase
from missionsafety.evaluations.gate import checklist_both_languages, compute_checklist
from missionsafety.evaluations.models import Evaluation, EvaluationTemplate, GateWaiver
from missionsafety.evaluations.services.common import E
from missionsafety.evaluations.services.lifecycle import (
    evaluation_create,
    evaluation_hold,
)
from missionsafety.evaluations.services.signing import accountable_party, commander_of
from missionsafety.organisations.models import Membership
from missionsafety.organisations.scope import require_writer


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
