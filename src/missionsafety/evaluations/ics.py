"""The calendar feed of a party's evaluation moments (iCalendar)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from missionsafety.evaluations.models import CalendarToken, Evaluation
from missionsafety.evaluations.selectors import party_moments
from missionsafety.organisations.models import hash_token
from missionsafety.organisations.scope import user_scope_ids


def token_party(raw: str) -> CalendarToken | None:
    """The active calendar link behind a raw token, if its user still acts for the party."""
    if not raw or not raw.startswith(CalendarToken.PREFIX) or len(raw) > 200:
        return None
    token = (
        CalendarToken.objects.active()
        .select_related("user", "party__organisation", "party__deployment")
        .filter(key_hash=hash_token(raw))
        .first()
    )
    if token is None or token.party.organisation_id not in user_scope_ids(token.user):
        return None
    return token


def _description(evaluation: Evaluation) -> str:
    method = evaluation.template.method
    if evaluation.is_done:
        held_on = evaluation.held_on or evaluation.due_date
        note = _("Held on %(date)s.") % {"date": held_on.isoformat()}
        return f"{note}\n{method}" if method else note
    if evaluation.status == Evaluation.Status.SKIPPED:
        note = _("Skipped.")
        return f"{note}\n{method}" if method else note
    return method


def party_calendar(raw: str) -> bytes | None:
    token = token_party(raw)
    if token is None:
        return None
    party = token.party
    deployment = party.deployment
    calendar = Calendar()
    calendar.add("prodid", "-//Mission Safety//evaluations//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{deployment.code} — {party.organisation.short_name}")
    stamp = timezone.now()
    host = (settings.ALLOWED_HOSTS or ["missionsafety"])[0]
    for evaluation in party_moments(party, with_skipped=True):
        event = Event()
        event.add("uid", f"evaluation-{evaluation.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", evaluation.due_date)
        event.add("dtend", evaluation.due_date + datetime.timedelta(days=1))
        event.add("summary", f"{deployment.code}: {evaluation.title}")
        event.add("description", _description(evaluation))
        # Scheduled and held moments took or take place; only a skipped one
        # is cancelled.
        skipped = evaluation.status == Evaluation.Status.SKIPPED
        event.add("status", "CANCELLED" if skipped else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
