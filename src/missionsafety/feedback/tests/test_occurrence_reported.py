"""Every report from the field reaches the brigade and NLD JFC at once."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from missionsafety.feedback.models import EmailPreference, Notification
from missionsafety.occurrences.access import make_occurrence
from missionsafety.occurrences.tests.factories import make_risk

pytestmark = pytest.mark.django_db


def _inboxes(occurrence: Any) -> Counter[str]:
    return Counter(
        Notification.objects.filter(subject_id=occurrence.pk)
        .filter(kind__in=["occurrence_reported", "serious_occurrence"])
        .values_list("recipient__username", flat=True)
    )


def test_a_near_miss_reaches_brigade_and_jfc_safety_but_not_the_reporter(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        occurrence = make_occurrence(world, actor=world.coy_commander)
    assert not occurrence.is_serious
    assert _inboxes(occurrence) == {"bde13.safety": 1, "jfc.safety": 1}
    assert set(
        Notification.objects.filter(subject_id=occurrence.pk).values_list(
            "kind", flat=True
        )
    ) == {"occurrence_reported"}
    to = {address for message in mail.outbox for address in message.to}
    assert to == {"bde13.safety@mil.example", "jfc.safety@mil.example"}

    inbox = client_for(world.jfc_safety).get(reverse("feedback:inbox"))
    body = inbox.content.decode()
    assert occurrence.reference in body
    assert f"Voorval {occurrence.reference} gemeld bij EFP-R12" in body


def test_the_reporter_is_not_told_of_their_own_report(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        occurrence = make_occurrence(world, actor=world.bde13_safety)
    assert _inboxes(occurrence) == {"jfc.safety": 1}


def test_who_refused_this_email_only_gets_it_in_the_inbox(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    EmailPreference.objects.create(
        user=world.jfc_safety, kind="occurrence_reported", email=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        make_occurrence(world)
    to = {address for message in mail.outbox for address in message.to}
    assert to == {"bde13.safety@mil.example"}
    assert Notification.objects.filter(
        recipient=world.jfc_safety, kind="occurrence_reported"
    ).exists()


def test_a_serious_report_gives_each_person_one_notification(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    risk = make_risk(world, accepted_by=world.jfc_commander, owner=world.bde13_safety)
    with django_capture_on_commit_callbacks(execute=True):
        occurrence = make_occurrence(
            world,
            kind="accident",
            actual_category=3,
            potential_category=4,
            risks=[risk],
        )
    assert occurrence.is_serious
    inboxes = _inboxes(occurrence)
    assert {"bde13.safety", "jfc.safety", "clas.safety", "jfc.commander"} <= set(
        inboxes
    )
    assert set(inboxes.values()) == {1}
    assert not Notification.objects.filter(kind="occurrence_reported").exists()
    assert "coy.commander" not in inboxes


@pytest.mark.parametrize("extra_officers", [0, 6])
def test_telling_them_costs_the_same_queries_for_many_recipients(
    world: Any, django_assert_num_queries: Any, extra_officers: int
) -> None:
    from missionsafety.feedback.handlers import on_occurrence_reported
    from missionsafety.occurrences.models import Occurrence
    from missionsafety.testing import make_user

    for i in range(extra_officers):
        make_user(f"jfc.safety{i}", world.jfc, "safety_officer")
    occurrence = Occurrence.objects.select_related("deployment").get(
        pk=make_occurrence(world).pk
    )
    # parties, their safety officers, already notified, e-mail preferences,
    # insert, read back, and the savepoint around it (2)
    with django_assert_num_queries(8):
        on_occurrence_reported(occurrence=occurrence, actor=world.coy_commander)
    assert Notification.objects.filter(kind="occurrence_reported").count() == (
        2 + extra_officers
    )
