"""Reactions to domain events: who gets which notification.

Subscribed in ``FeedbackConfig.ready()``; each runs after the publishing
transaction commits (see ``core/events.py`` for the payloads).
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

from missionsafety.core.events import Handler
from missionsafety.deployments.models import Party
from missionsafety.feedback.models import NotificationKind as K
from missionsafety.feedback.recipients import (
    deciding_commanders,
    deployment_safety_officers,
    members,
    party_people,
    risk_owner_and_acceptor,
)
from missionsafety.feedback.services import notify


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _risk_url(risk: Any) -> str:
    return _url("risks:detail", risk.pk) or _url(
        "deployments:detail", risk.deployment_id
    )


def _risk_params(risk: Any, **extra: Any) -> dict[str, Any]:
    return {
        "ref": risk.reference,
        "title": risk.title,
        "deployment": risk.deployment.code,
        "level": risk.residual_level or "—",
        **extra,
    }


def on_decision_requested(*, risk: Any, actor: Any = None, **_: Any) -> None:
    """A risk awaits a decision: the commanders at the right level hear of it."""
    notify(
        recipients=deciding_commanders(risk),
        kind=K.DECISION_AWAITING,
        subject=risk,
        params=_risk_params(risk),
        url=_risk_url(risk),
        deployment=risk.deployment,
        exclude=actor,
    )


def on_stop_flagged(*, risk: Any, actor: Any = None, **_: Any) -> None:
    """Residual rose above the accepted level: a new decision is needed."""
    on_decision_requested(risk=risk, actor=actor)


def on_escalated(*, risk: Any, decision: Any, actor: Any = None, **_: Any) -> None:
    """Escalated: the commanders of the organisation it was escalated to."""
    target = decision.escalated_to
    recipients = (
        members([target.pk], ("commander",)) if target else deciding_commanders(risk)
    )
    notify(
        recipients=recipients,
        kind=K.RISK_ESCALATED,
        subject=risk,
        params=_risk_params(risk, org=str(target or "—")),
        url=_risk_url(risk),
        deployment=risk.deployment,
        exclude=actor,
    )


def on_reassessment_required(
    *, risk: Any, reason: str = "", actor: Any = None, source: Any = None, **_: Any
) -> None:
    """Owner and accepting commander hear that the risk needs a new assessment."""
    from missionsafety.occurrences.models import Occurrence

    people = risk_owner_and_acceptor(risk)
    if isinstance(source, Occurrence):
        # Same notification as the serious-occurrence one: deduplicated.
        notify(
            recipients=people,
            kind=K.SERIOUS_OCCURRENCE,
            subject=source,
            params=_occurrence_params(source),
            url=_url("occurrences:detail", source.pk),
            deployment=source.deployment,
        )
        return
    notify(
        recipients=people,
        kind=K.REASSESSMENT,
        subject=risk,
        params=_risk_params(risk, reason=reason[:200]),
        url=_risk_url(risk),
        deployment=risk.deployment,
        exclude=actor,
    )


def _occurrence_params(occurrence: Any) -> dict[str, Any]:
    # No names, no medical details: only what any party may read.
    return {
        "ref": occurrence.reference,
        "title": occurrence.title,
        "deployment": occurrence.deployment.code,
        "category": f"{occurrence.actual_category}/{occurrence.potential_category}",
    }


# Every report reaches these parties at once (DESIGN §2a, report from the field).
REPORT_PARTY_ROLES = (
    Party.PartyRole.PARENT_BRIGADE,
    Party.PartyRole.OPERATIONAL_COMMAND,
)


def on_occurrence_reported(*, occurrence: Any, actor: Any = None, **_: Any) -> None:
    """The safety officers of the parent brigade and of NLD JFC hear of every
    report, not the reporter. A serious one arrives as the serious-occurrence
    notification, so that nobody gets two for the same report."""
    notify(
        recipients=deployment_safety_officers(
            occurrence.deployment, REPORT_PARTY_ROLES
        ),
        kind=K.SERIOUS_OCCURRENCE if occurrence.is_serious else K.OCCURRENCE_REPORTED,
        subject=occurrence,
        params=_occurrence_params(occurrence),
        url=_url("occurrences:detail", occurrence.pk),
        deployment=occurrence.deployment,
        exclude=actor,
    )


def on_serious_occurrence(*, occurrence: Any, actor: Any = None, **_: Any) -> None:
    """The deployment's safety officers, and owners and acceptors of linked risks."""
    people = deployment_safety_officers(occurrence.deployment)
    for risk in occurrence.risks.select_related(
        "owner", "accepted_decision__decided_by", "deployment"
    ):
        people += risk_owner_and_acceptor(risk)
    notify(
        recipients=people,
        kind=K.SERIOUS_OCCURRENCE,
        subject=occurrence,
        params=_occurrence_params(occurrence),
        url=_url("occurrences:detail", occurrence.pk),
        deployment=occurrence.deployment,
    )


def _thread_params(thread: Any, **extra: Any) -> dict[str, Any]:
    return {
        "from": thread.from_party.organisation.short_name,
        "to": thread.to_party.organisation.short_name,
        "deployment": thread.deployment.code,
        "title": thread.title,
        **extra,
    }


def on_thread_opened(*, thread: Any, actor: Any = None, **_: Any) -> None:
    """The asked party's safety officers, commanders and point of contact."""
    notify(
        recipients=party_people(thread.to_party),
        kind=K.THREAD_TO_PARTY,
        subject=thread,
        params=_thread_params(thread),
        url=_url("feedback:thread", thread.pk),
        deployment=thread.deployment,
        exclude=actor,
    )


def on_thread_answered(
    *, thread: Any, message: Any = None, actor: Any = None, **_: Any
) -> None:
    """The person who asked hears of the answer."""
    notify(
        recipients=[thread.opened_by],
        kind=K.THREAD_ANSWER,
        subject=thread,
        params=_thread_params(thread, party=thread.to_party.organisation.short_name),
        url=_url("feedback:thread", thread.pk),
        deployment=thread.deployment,
        exclude=actor,
    )


def on_consultation_requested(
    *, risk: Any, consultation: Any, actor: Any = None, **_: Any
) -> None:
    """The consulted party's commanders and safety officers: one answers."""
    party = consultation.party
    notify(
        recipients=members([party.organisation_id], ("safety_officer", "commander")),
        kind=K.CONSULTATION_REQUESTED,
        subject=consultation,
        params=_risk_params(
            risk,
            party=party.organisation.short_name,
            **{"from": _requester_org(risk, actor)},
        ),
        url=_url("risks:consultation", consultation.pk) or _risk_url(risk),
        deployment=risk.deployment,
        exclude=actor,
    )


def _control_params(control: Any, **extra: Any) -> dict[str, Any]:
    return {
        "ref": control.risk.reference,
        "deployment": control.deployment.code,
        "party": control.owner_party.organisation.short_name,
        "control": control.description[:120],
        **extra,
    }


def on_control_assigned(*, control: Any, actor: Any = None, **_: Any) -> None:
    """The party a control is now assigned to hears of it (not the one who did it)."""
    notify(
        recipients=party_people(control.owner_party),
        kind=K.CONTROL_ASSIGNED,
        subject=control,
        params=_control_params(control),
        url=_risk_url(control.risk),
        deployment=control.deployment,
        exclude=actor,
    )


def _requester_org(risk: Any, actor: Any) -> str:
    from missionsafety.deployments.visibility import acting_parties

    if actor is None:
        return "—"
    parties = acting_parties(actor, risk.deployment)
    return parties[0].organisation.short_name if parties else str(actor)


def on_consultation_answered(
    *, risk: Any, consultation: Any, actor: Any = None, **_: Any
) -> None:
    """Who asked hears of the answer."""
    notify(
        recipients=[consultation.requested_by] if consultation.requested_by else [],
        kind=K.CONSULTATION_ANSWERED,
        subject=consultation,
        params=_risk_params(
            risk,
            party=consultation.party.organisation.short_name,
            variant=f"consultation_{consultation.answer}",
        ),
        url=_risk_url(risk),
        deployment=risk.deployment,
        exclude=actor,
    )


def on_agreement_submitted(
    *, agreement: Any, signatories: Any, actor: Any = None, **_: Any
) -> None:
    """Each party's signatories get an inbox item (and e-mail) that opens the
    version with its sign button: two clicks to sign."""
    deployment = agreement.deployment
    url = _url("evaluations:agreement_version", deployment.pk, agreement.number)
    for party, people in signatories:
        notify(
            recipients=people,
            kind=K.SIGNATURE_REQUESTED,
            subject=agreement,
            params={
                "n": agreement.number,
                "deployment": deployment.code,
                "party": party.organisation.short_name,
            },
            url=f"{url}#sign" if url else "",
            deployment=deployment,
        )


SUBSCRIPTIONS: dict[str, Handler] = {
    "agreement.submitted": on_agreement_submitted,
    "control.assigned": on_control_assigned,
    "risk.decision_requested": on_decision_requested,
    "risk.stop_flagged": on_stop_flagged,
    "risk.escalated": on_escalated,
    "risk.reassessment_required": on_reassessment_required,
    "occurrence.reported": on_occurrence_reported,
    "occurrence.serious": on_serious_occurrence,
    "thread.opened": on_thread_opened,
    "thread.answered": on_thread_answered,
    "risk.consultation_requested": on_consultation_requested,
    "risk.consultation_answered": on_consultation_answered,
}
