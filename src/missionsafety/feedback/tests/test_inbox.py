"""The inbox: unread count in the header, mark read, preferences, constant queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from missionsafety.feedback.models import EmailPreference, Notification
from missionsafety.feedback.selectors import unread_count
from missionsafety.feedback.services import notify

pytestmark = pytest.mark.django_db


def _notes(world: Any, n: int, user: Any = None) -> None:
    from missionsafety.occurrences.access import make_occurrence

    for i in range(n):
        occurrence = make_occurrence(world, title=f"Voorval {i}")
        notify(
            recipients=[user or world.bde13_safety],
            kind="serious_occurrence",
            subject=occurrence,
            params={
                "ref": occurrence.reference,
                "title": occurrence.title,
                "deployment": "EFP-R12",
                "category": "3/3",
            },
            url=reverse("occurrences:detail", args=[occurrence.pk]),
            deployment=world.dep,
        )


def test_unread_count_in_the_header_and_marking_read(
    world: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    _notes(world, 3)
    with django_assert_num_queries(1):
        assert unread_count(user=world.bde13_safety) == 3
    client = client_for(world.bde13_safety)
    page = client.get(reverse("feedback:inbox")).content.decode()
    assert '<span class="count">3</span>' in page
    assert "Ernstig voorval" in page
    first = Notification.objects.filter(recipient=world.bde13_safety).first()
    assert first is not None
    response = client.get(reverse("feedback:open", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == first.url
    assert unread_count(user=world.bde13_safety) == 2
    client.post(reverse("feedback:read_all"))
    assert unread_count(user=world.bde13_safety) == 0
    assert (
        '<span class="count">'
        not in client.get(reverse("feedback:inbox")).content.decode()
    )


def test_nobody_reads_another_persons_notifications(
    world: Any, client_for: Any, api_for: Any
) -> None:
    _notes(world, 1)
    note = Notification.objects.get()
    other = client_for(world.jfc_safety)
    assert other.get(reverse("feedback:open", args=[note.pk])).status_code == 404
    assert other.post(reverse("feedback:read", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None
    assert api_for(world.jfc_safety).get("/api/v1/notifications").json()["count"] == 0


@pytest.mark.parametrize("rows", [2, 30])
def test_inbox_queries_are_constant(
    world: Any, client_for: Any, django_assert_num_queries: Any, rows: int
) -> None:
    _notes(world, rows)
    client = client_for(world.bde13_safety)
    client.get(reverse("feedback:inbox"))
    # session, user, memberships, the page's and the header's counts in one,
    # page rows
    with django_assert_num_queries(5):
        page = client.get(reverse("feedback:inbox")).content.decode()
    unread = Notification.objects.filter(
        recipient=world.bde13_safety, read_at__isnull=True
    ).count()
    assert unread
    assert f'<span class="count">{unread}</span>' in page
    assert page.count("/read/") == rows  # each unread row's "mark read"


def test_email_preferences_per_kind(world: Any, client_for: Any) -> None:
    client = client_for(world.bde13_safety)
    page = client.get(reverse("feedback:preferences")).content.decode()
    assert "een ernstig voorval bij mijn inzet" in page
    assert "een gemeld voorval bij mijn inzet" in page
    client.post(reverse("feedback:preferences"), {"kinds": ["thread_to_party"]})
    assert (
        EmailPreference.objects.get(
            user=world.bde13_safety, kind="serious_occurrence"
        ).email
        is False
    )
    from django.core import mail
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        _notes(world, 1)
    # The report itself also reached bde13.safety (occurrence reported); neither
    # notification is mailed to them.
    notes = Notification.objects.filter(recipient=world.bde13_safety)
    assert {n.kind for n in notes} == {"serious_occurrence", "occurrence_reported"}
    assert {n.mail_status for n in notes} == {Notification.MailStatus.NONE}
    assert not any("bde13.safety@mil.example" in m.to for m in mail.outbox)
