"""Daily reminders (``missionsafety remind``): safe to run twice a day.

Each reminder is a notification keyed on (recipient, kind, object, day), so a
second run on the same day adds nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from missionsafety.feedback.models import NotificationKind as K
from missionsafety.feedback.models import Thread
from missionsafety.feedback.recipients import party_people, risk_owner_and_acceptor
from missionsafety.feedback.services import notify
from missionsafety.feedback.tasks import retry_mail

EXPIRY_WARNING_DAYS = 14
# How far back a run looks for controls that turned overdue (missed runs).
CATCH_UP_DAYS = 7


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def remind_expiring_acceptances(today: datetime.date) -> int:
    """Accepted risks whose acceptance expires within 14 days or has expired."""
    from missionsafety.risks.models import Risk

    count = 0
    risks = (
        Risk.objects.filter(
            accepted_decision__isnull=False,
            acceptance_expires_on__isnull=False,
            acceptance_expires_on__lte=today + datetime.timedelta(EXPIRY_WARNING_DAYS),
        )
        .exclude(status=Risk.Status.CLOSED)
        .exclude(deployment__phase="closed")
        .select_related("deployment", "owner", "accepted_decision__decided_by")
    )
    for risk in risks:
        assert risk.acceptance_expires_on is not None  # filtered on it above
        expired = risk.acceptance_expires_on < today
        count += len(
            notify(
                recipients=risk_owner_and_acceptor(risk),
                kind=K.ACCEPTANCE_EXPIRING,
                subject=risk,
                params={
                    "variant": "acceptance_expired"
                    if expired
                    else "acceptance_expiring",
                    "ref": risk.reference,
                    "title": risk.title,
                    "deployment": risk.deployment.code,
                    "date": risk.acceptance_expires_on.isoformat(),
                },
                url=_url("risks:detail", risk.pk)
                or _url("deployments:detail", risk.deployment_id),
                deployment=risk.deployment,
                day=today,
            )
        )
    return count


def remind_overdue_controls(today: datetime.date) -> int:
    """The owning party hears once of each control that turned overdue.

    The notification is keyed on the day the control turned overdue, so a
    second run, that day or later, adds nothing; a run missed for a few days
    still catches up on what turned overdue in the last week.
    """
    from missionsafety.risks.models import Control

    controls = (
        Control.objects.filter(
            status__in=Control.OPEN_STATUSES,
            due_date__lt=today,
            due_date__gte=today - datetime.timedelta(days=CATCH_UP_DAYS),
        )
        .exclude(deployment__phase="closed")
        .select_related(
            "risk",
            "deployment",
            "owner_party__organisation",
            "owner_party__point_of_contact",
        )
    )
    count = 0
    for control in controls:
        assert control.due_date is not None  # filtered on it above
        count += len(
            notify(
                recipients=party_people(control.owner_party),
                kind=K.CONTROL_OVERDUE,
                subject=control,
                params={
                    "variant": "control_turned_overdue",
                    "ref": control.risk.reference,
                    "party": control.owner_party.organisation.short_name,
                    "deployment": control.deployment.code,
                    "control": control.description[:120],
                    "date": control.due_date.isoformat(),
                },
                url=_url("risks:detail", control.risk_id),
                deployment=control.deployment,
                day=control.due_date + datetime.timedelta(days=1),
            )
        )
    return count


def remind_overdue_threads(today: datetime.date) -> int:
    """The asked party hears again each day a thread is overdue."""
    count = 0
    threads = Thread.objects.overdue(today).select_related(
        "deployment",
        "from_party__organisation",
        "to_party__organisation",
        "to_party__point_of_contact",
    )
    for thread in threads:
        count += len(
            notify(
                recipients=party_people(thread.to_party),
                kind=K.THREAD_TO_PARTY,
                subject=thread,
                params={
                    "variant": "thread_overdue",
                    "from": thread.from_party.organisation.short_name,
                    "to": thread.to_party.organisation.short_name,
                    "deployment": thread.deployment.code,
                    "title": thread.title,
                    "date": thread.due_date.isoformat() if thread.due_date else "",
                },
                url=_url("feedback:thread", thread.pk),
                deployment=thread.deployment,
                day=today,
            )
        )
    return count


def remind(today: datetime.date | None = None) -> dict[str, Any]:
    """Run every daily reminder, then retry e-mail that failed."""
    today = today or timezone.localdate()
    result: dict[str, Any] = defaultdict(int)
    result["acceptances"] = remind_expiring_acceptances(today)
    result["controls"] = remind_overdue_controls(today)
    result["threads"] = remind_overdue_threads(today)
    result["mail"] = retry_mail()
    return dict(result)
