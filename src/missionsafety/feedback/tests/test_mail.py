"""A mail server that is down loses nothing: the inbox keeps it, mail retries."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import override_settings

from missionsafety.feedback.models import Notification
from missionsafety.feedback.services import notify

pytestmark = pytest.mark.django_db


class DownBackend(BaseEmailBackend):
    """An SMTP server that refuses every connection."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("mail server down")


def _notify(world: Any) -> None:
    notify(
        recipients=[world.bde13_safety, world.jfc_commander],
        kind="decision_awaiting",
        subject=world.dep,
        params={
            "ref": "R-001",
            "title": "Konvooi",
            "deployment": "EFP-R12",
            "level": "H",
        },
        url="/deployments/1/",
        deployment=world.dep,
    )


def test_failed_mail_stays_in_the_inbox_and_is_retried(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        override_settings(
            EMAIL_BACKEND="missionsafety.feedback.tests.test_mail.DownBackend"
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _notify(world)
    notes = Notification.objects.order_by("recipient_id")
    assert notes.count() == 2
    for note in notes:
        assert note.mail_status == Notification.MailStatus.FAILED
        assert note.mail_attempts == 1
        assert "mail server down" in note.mail_error
    assert mail.outbox == []

    # The server is back: the daily run retries.
    call_command("remind")
    for note in Notification.objects.all():
        assert note.mail_status == Notification.MailStatus.SENT
        assert note.mail_attempts == 2
    assert len(mail.outbox) == 2
    assert "R-001" in mail.outbox[0].subject

    # Nothing is sent twice.
    call_command("remind")
    assert len(mail.outbox) == 2


def test_mail_goes_out_through_the_task(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _notify(world)
    assert {m.to[0] for m in mail.outbox} == {
        "bde13.safety@mil.example",
        "jfc.commander@mil.example",
    }
    assert "Openen: http" in mail.outbox[0].body


def test_worker_command_wraps_the_database_worker(monkeypatch: Any) -> None:
    calls: list[tuple[str, dict[str, Any]]] = []

    def fake_call(name: str, **options: Any) -> None:
        calls.append((name, options))

    monkeypatch.setattr(
        "missionsafety.feedback.management.commands.worker.call_command", fake_call
    )
    call_command("worker", "--batch")
    assert calls[0][0] == "db_worker"
    assert calls[0][1]["batch"] is True


def test_one_change_queues_one_task_for_all_its_mail(
    world: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    """A change that notifies several people puts one row in the queue, not
    one per recipient (each was a write of its own in the request)."""
    from missionsafety.feedback import tasks

    queued: list[list[int]] = []

    class Queue:
        def enqueue(self, ids: list[int]) -> None:
            queued.append(ids)

    monkeypatch.setattr(tasks, "send_notification_mails", Queue())
    with django_capture_on_commit_callbacks(execute=True):
        _notify(world)
    assert len(queued) == 1
    assert sorted(queued[0]) == sorted(
        Notification.objects.values_list("pk", flat=True)
    )
    assert len(queued[0]) == 2
