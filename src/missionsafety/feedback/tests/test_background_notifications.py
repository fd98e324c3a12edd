"""Notifications are worked out by the worker, not in the reporter's request:
the task is written with the change, and only a committed change has one."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from missionsafety.core.events import from_refs, run_queued, to_refs
from missionsafety.feedback.models import Notification
from missionsafety.occurrences.access import make_occurrence
from missionsafety.occurrences.models import Occurrence
from missionsafety.occurrences.tests.factories import make_risk

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
SUBSCRIBERS = "missionsafety.core.tasks.run_subscribers"


def _inboxes(occurrence: Any) -> Counter[str]:
    return Counter(
        Notification.objects.filter(subject_id=occurrence.pk).values_list(
            "recipient__username", flat=True
        )
    )


def test_the_report_is_saved_first_and_the_worker_tells_the_chain(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    risk = make_risk(world, accepted_by=world.jfc_commander, owner=world.bde13_safety)
    with (
        override_settings(TASKS=DATABASE_QUEUE),
        django_capture_on_commit_callbacks(execute=True),
    ):
        occurrence = make_occurrence(
            world,
            actual_category=3,
            potential_category=4,
            kind="accident",
            risks=[risk],
        )
        # Saved; nobody has been told yet: the telling is queued.
        assert occurrence.is_serious
        assert _inboxes(occurrence) == Counter()
        queued = list(
            DBTaskResult.objects.filter(task_path=SUBSCRIBERS).values_list(
                "args_kwargs", flat=True
            )
        )
        events = sorted(row["args"][0] for row in queued)
        assert events == [
            "occurrence.reported",
            "occurrence.serious",
            "risk.reassessment_required",
        ]

        _work()

    inboxes = _inboxes(occurrence)
    assert {"bde13.safety", "jfc.safety", "clas.safety", "jfc.commander"} <= set(
        inboxes
    )
    assert set(inboxes.values()) == {1}  # each told once
    assert world.coy_commander.username not in inboxes  # not the reporter
    kinds = set(
        Notification.objects.filter(subject_id=occurrence.pk).values_list(
            "kind", flat=True
        )
    )
    assert kinds == {"serious_occurrence"}  # the serious one; not both
    # The mail of those notifications, queued when the worker's work was
    # committed, is its next round.
    with override_settings(TASKS=DATABASE_QUEUE):
        _work()
    assert {a for m in mail.outbox for a in m.to} >= {
        "bde13.safety@mil.example",
        "jfc.safety@mil.example",
    }
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def _work() -> None:
    """What ``missionsafety worker`` does, in this test's transaction (the real
    worker closes the connection between tasks): run the queued tasks, oldest
    first, with the tasks they queue, until none is left."""
    while True:
        row = (
            DBTaskResult.objects.filter(status="READY").order_by("enqueued_at").first()
        )
        if row is None:
            return
        task = import_string(row.task_path)
        task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        DBTaskResult.objects.filter(pk=row.pk).update(status="SUCCESSFUL")


def test_a_change_that_is_rolled_back_leaves_nothing_to_tell(world: Any) -> None:
    with override_settings(TASKS=DATABASE_QUEUE):
        with pytest.raises(RuntimeError), transaction.atomic():
            make_occurrence(world, title="Teruggedraaid")
            raise RuntimeError("the request failed after the report")
        assert not Occurrence.objects.filter(title="Teruggedraaid").exists()
        assert not DBTaskResult.objects.filter(task_path=SUBSCRIBERS).exists()


def test_an_object_gone_before_the_worker_runs_is_skipped(world: Any) -> None:
    refs = to_refs({"occurrence": world.dep, "actor": None})
    refs["occurrence"] = {"$model": "occurrences.Occurrence", "pk": 987654}
    assert run_queued("occurrence.reported", ["x.y"], refs) == ["skipped"]
    assert not Notification.objects.exists()


def test_payloads_go_as_references_and_come_back_as_rows(world: Any) -> None:
    refs = to_refs(
        {
            "deployment": world.dep,
            "pairs": [(world.coy, [world.coy_commander])],
            "reason": "serieus voorval",
            "n": 3,
        }
    )
    assert refs["deployment"] == {
        "$model": "deployments.Deployment",
        "pk": world.dep.pk,
    }
    back = from_refs(refs)
    assert back["deployment"] == world.dep
    assert back["pairs"] == [[world.coy, [world.coy_commander]]]
    assert back["reason"] == "serieus voorval" and back["n"] == 3
    # What a queue cannot carry is refused when published, not lost later.
    with pytest.raises(TypeError, match="date"):
        to_refs({"when": world.today})
