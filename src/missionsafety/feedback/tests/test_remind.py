"""Daily reminders find what needs attention and never send anything twice."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from missionsafety.feedback.models import Notification, Thread
from missionsafety.feedback.reminders import remind
from missionsafety.feedback.services import thread_open
from missionsafety.occurrences.tests.factories import make_risk
from missionsafety.risks.models import Control

pytestmark = pytest.mark.django_db


def test_remind_is_safe_to_run_twice(world: Any) -> None:
    soon = make_risk(
        world,
        title="Kou-letsel",
        accepted_by=world.jfc_commander,
        owner=world.bn_commander,
        expires_on=world.today + datetime.timedelta(days=5),
    )
    make_risk(
        world,
        title="Later",
        accepted_by=world.jfc_commander,
        expires_on=world.today + datetime.timedelta(days=60),
    )
    Control.objects.create(
        risk=soon,
        deployment=world.dep,
        description="Winteruitrusting uitgeven",
        kind="protect",
        owner_party=world.party_clas,
        due_date=world.today - datetime.timedelta(days=2),
    )
    thread = thread_open(
        actor=world.jfc_safety,
        deployment=world.dep,
        to_party=world.party_clas,
        subject=world.dep,
        title="Rotatie Role 1",
        body="?",
    )
    Thread.objects.filter(pk=thread.pk).update(
        due_date=world.today - datetime.timedelta(days=1)
    )
    Notification.objects.all().delete()

    call_command("remind")
    kinds = set(Notification.objects.values_list("recipient__username", "kind"))
    assert ("jfc.commander", "acceptance_expiring") in kinds
    assert ("bn.commander", "acceptance_expiring") in kinds
    assert ("clas.safety", "control_overdue") in kinds
    assert ("clas.safety", "thread_to_party") in kinds
    assert not any(kind for user, kind in kinds if user == "bde43.safety")
    titles = [n.title for n in Notification.objects.filter(kind="acceptance_expiring")]
    assert all("Kou-letsel" in t for t in titles)  # not the one 60 days out
    count, mails = Notification.objects.count(), len(mail.outbox)

    call_command("remind")
    assert Notification.objects.count() == count
    assert len(mail.outbox) == mails


def test_expired_acceptance_is_worded_as_expired(world: Any) -> None:
    make_risk(
        world,
        title="Verlopen",
        accepted_by=world.jfc_commander,
        expires_on=world.today - datetime.timedelta(days=1),
    )
    call_command("remind")
    note = Notification.objects.get(recipient=world.jfc_commander)
    assert "verlopen" in note.title


def test_an_overdue_control_is_told_to_its_party_once(world: Any) -> None:
    risk = make_risk(world, title="Hitte")
    Control.objects.create(
        risk=risk,
        deployment=world.dep,
        description="Koelcontainers leveren",
        kind="engineer",
        owner_party=world.party_clas,
        due_date=world.today - datetime.timedelta(days=1),
    )
    Control.objects.create(
        risk=risk,
        deployment=world.dep,
        description="Nog niet te laat",
        kind="engineer",
        owner_party=world.party_clas,
        due_date=world.today,
    )
    Notification.objects.all().delete()

    call_command("remind")
    notes = Notification.objects.filter(kind="control_overdue")
    assert {n.recipient.username for n in notes} == {"clas.safety", "clas.commander"}
    assert all("Koelcontainers leveren" in n.title for n in notes)

    call_command("remind")
    assert Notification.objects.filter(kind="control_overdue").count() == 2

    remind(world.today + datetime.timedelta(days=1))  # the next day
    titles = [n.title for n in Notification.objects.filter(kind="control_overdue")]
    assert sum("Koelcontainers leveren" in t for t in titles) == 2  # not again
    assert sum("Nog niet te laat" in t for t in titles) == 2  # turned overdue
