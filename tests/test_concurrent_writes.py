"""Thread replies, occurrence reports and risk edits in one deployment, from
several connections at once, all land: no deadlock, no lost write.

Before the locks were narrowed (docs/locking.md), a reply locked the deployment
row through its join while a report, holding the audit head, needed that row
for its foreign-key check at COMMIT: PostgreSQL broke the cycle with
DeadlockDetected, about half of such requests answered 500.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from missionsafety.core.exceptions import ConflictError
from missionsafety.feedback.models import Message
from missionsafety.feedback.services import thread_open, thread_reply
from missionsafety.occurrences.models import Occurrence
from missionsafety.occurrences.services import occurrence_report
from missionsafety.risks import services as risk_services
from missionsafety.risks.models import Risk
from missionsafety.risks.tests.factories import make_risk

WORKERS_PER_KIND = 4
WRITES_PER_WORKER = 6


def _run_together(jobs: list[Callable[[], None]]) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(jobs))

    def run(job: Callable[[], None]) -> None:
        try:
            barrier.wait()
            job()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks and deadlocks exist on PostgreSQL; SQLite has one writer",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_replies_reports_and_risk_edits_in_one_deployment_all_land(
    world: Any,
) -> None:
    w = world
    thread = thread_open(
        actor=w.jfc_safety,
        deployment=w.dep,
        to_party=w.party_bde13,
        subject=w.dep,
        title="Munitieopslag",
        body="Hoe warm wordt het in de containers?",
    )
    risk = make_risk(w)

    def replies(n: int) -> Callable[[], None]:
        def job() -> None:
            for i in range(WRITES_PER_WORKER):
                actor = w.bde13_safety if (n + i) % 2 else w.jfc_safety
                thread_reply(actor=actor, thread=thread, body=f"antwoord {n}.{i}")

        return job

    def reports(n: int) -> Callable[[], None]:
        def job() -> None:
            for i in range(WRITES_PER_WORKER):
                occurrence_report(
                    actor=w.bde13_safety,
                    deployment=w.dep,
                    occurred_at=timezone.now(),
                    place="Rukla",
                    unit=w.coy,
                    kind="incident",
                    title=f"voorval {n}.{i}",
                    actual_category=1,
                    # Every other one is serious: it marks the linked risk.
                    potential_category=3 if i % 2 else 1,
                    risks=[risk],
                )

        return job

    def risk_edits(n: int) -> Callable[[], None]:
        def job() -> None:
            for i in range(WRITES_PER_WORKER):
                while True:  # an editor who meets a conflict reloads and saves again
                    fresh = Risk.objects.get(pk=risk.pk)
                    try:
                        risk_services.risk_update(
                            actor=w.bde13_safety,
                            risk=fresh,
                            version=fresh.version,
                            cause=f"oorzaak {n}.{i}",
                        )
                        break
                    except ConflictError:
                        continue

        return job

    jobs = [
        make(n)
        for make in (replies, reports, risk_edits)
        for n in range(WORKERS_PER_KIND)
    ]
    errors = _run_together(jobs)

    assert errors == []
    bodies = set(Message.objects.filter(thread=thread).values_list("body", flat=True))
    assert {
        f"antwoord {n}.{i}"
        for n in range(WORKERS_PER_KIND)
        for i in range(WRITES_PER_WORKER)
    } <= bodies
    titles = list(
        Occurrence.objects.filter(deployment=w.dep).values_list("title", flat=True)
    )
    assert sorted(titles) == sorted(
        f"voorval {n}.{i}"
        for n in range(WORKERS_PER_KIND)
        for i in range(WRITES_PER_WORKER)
    )
    risk = Risk.objects.get(pk=risk.pk)
    assert risk.reassessment_required
    assert risk.version == 1 + WORKERS_PER_KIND * WRITES_PER_WORKER
