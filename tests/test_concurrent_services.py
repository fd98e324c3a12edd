"""Services that lock rows, run from several connections at once on PostgreSQL:
no lost write, no server error, and a clear conflict where one must lose.

Consultation answers against a reassessment and against each other, the last
two signatures of an agreement, and bulk edits of the register racing single
edits of the same risks (docs/locking.md).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections, transaction

from missionsafety.audit.models import ChangeRecord
from missionsafety.core.exceptions import ConflictError
from missionsafety.evaluations import services as evaluation_services
from missionsafety.evaluations.models import Agreement
from missionsafety.evaluations.tests.helpers import (
    party,
    readiness_deployment,
    set_contacts,
)
from missionsafety.risks import services as risk_services
from missionsafety.risks.models import Consultation, Risk
from missionsafety.risks.tests.factories import assess, fresh, make_risk

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and deadlocks exist on PostgreSQL; SQLite has one writer",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

H = ("C", "II")


def _run_together(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run the jobs on connections of their own at once; each one's result or
    the exception it raised."""
    results: list[Any] = [None] * len(jobs)
    barrier = threading.Barrier(len(jobs))

    def run(n: int) -> None:
        try:
            barrier.wait()
            results[n] = jobs[n]()
        except BaseException as exc:
            results[n] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def _hold_open_then(
    first: Callable[[], Any],
    then: Callable[[], Any],
    finish: Callable[[Any], Any] | None = None,
) -> tuple[Any, Any]:
    """Run ``first`` in a transaction left open until ``then``, started on a
    connection of its own, waits for a lock (or is done); then ``finish`` the
    first transaction with what ``first`` returned, and commit it. Each one's
    result or the exception it raised."""
    holding, release = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def hold() -> None:
        try:
            with transaction.atomic():
                outcome["first"] = first()
                holding.set()
                release.wait(timeout=120)
                if finish is not None:
                    outcome["first"] = finish(outcome["first"])
        except BaseException as exc:
            outcome["first"] = exc
        finally:
            holding.set()
            connections.close_all()

    def run_then() -> None:
        try:
            outcome["then"] = then()
        except BaseException as exc:
            outcome["then"] = exc
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(timeout=120)
    follower = threading.Thread(target=run_then)
    follower.start()
    for _ in range(1200):
        if not follower.is_alive() or _waiting_for_a_lock():
            break
        time.sleep(0.05)
    time.sleep(0.2)  # let it reach the lock it waits for
    release.set()
    holder.join()
    follower.join()
    return outcome["first"], outcome["then"]


def _high_risk_with_consultations(w: Any) -> Risk:
    """An H risk awaiting decision, with Staf CLAS and 13 LBR consulted."""
    risk = make_risk(
        w,
        controls=[
            {"description": "Koeling", "kind": "engineer", "owner_party": w.party_clas}
        ],
    )
    assess(w, risk, residual=H)
    risk_services.consultation_request(actor=w.bde13_safety, risk=fresh(risk))
    return fresh(risk)


def test_an_answer_during_a_reassessment_waits_and_is_refused_as_stale(
    world: Any,
) -> None:
    w = world
    risk = _high_risk_with_consultations(w)
    clas = risk.consultations.get(party=w.party_clas)

    def answer() -> Consultation:
        return risk_services.consultation_answer(
            actor=w.clas_safety,
            consultation=Consultation.objects.get(pk=clas.pk),
            answer="agree",
        )

    # The answer comes while the reassessment has not committed yet.
    _reassessed, answered = _hold_open_then(
        lambda: assess(w, fresh(risk), residual=("D", "II")), answer
    )

    assert isinstance(answered, ConflictError), answered
    clas.refresh_from_db()
    assert not clas.is_answered
    assert clas.is_stale  # refused because the assessment it asked about is gone
    assert not ChangeRecord.objects.for_object(risk).filter(
        action="consultation_answer"
    )


def test_two_answers_at_once_one_lands_and_the_other_is_told(world: Any) -> None:
    w = world
    risk = _high_risk_with_consultations(w)
    clas = risk.consultations.get(party=w.party_clas)

    def answer(actor: Any, value: str, text: str) -> Callable[[], Consultation]:
        def job() -> Consultation:
            return risk_services.consultation_answer(
                actor=actor,
                consultation=Consultation.objects.get(pk=clas.pk),
                answer=value,
                text=text,
            )

        return job

    results = _run_together(
        [
            answer(w.clas_safety, "agree", ""),
            answer(w.clas_commander, "object", "Koeling volstaat niet"),
        ]
    )

    landed = [r for r in results if isinstance(r, Consultation)]
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert len(landed) == 1 and len(refused) == 1, results
    clas.refresh_from_db()
    assert (clas.answer, clas.answered_by) == (
        landed[0].answer,
        landed[0].answered_by,
    )
    records = ChangeRecord.objects.for_object(risk).filter(action="consultation_answer")
    assert [r.after["answer"] for r in records] == [clas.answer]


def test_the_last_two_signatures_at_once_both_land_and_it_is_in_force_once(
    world: Any,
) -> None:
    w = world
    dep = readiness_deployment(w)
    set_contacts(w, dep)
    agreement = evaluation_services.agreement_setup(actor=w.jfc_safety, deployment=dep)
    agreement = evaluation_services.agreement_submit(
        actor=w.jfc_safety, agreement=agreement
    )
    for org, commander in [(w.jfc, w.jfc_commander), (w.clas, w.clas_commander)]:
        agreement = evaluation_services.agreement_sign(
            actor=commander, agreement=agreement, party=party(dep, org)
        )

    def sign(commander: Any, org: Any) -> Callable[[], Agreement]:
        def job() -> Agreement:
            return evaluation_services.agreement_sign(
                actor=commander,
                agreement=Agreement.objects.get(pk=agreement.pk),
                party=party(dep, org),
            )

        return job

    results = _run_together(
        [sign(w.bde13_commander, w.bde13), sign(w.bn_commander, w.bn)]
    )

    assert all(isinstance(r, Agreement) for r in results), results
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.IN_FORCE
    assert agreement.signatures.count() == 4
    records = ChangeRecord.objects.for_object(agreement)
    assert records.filter(action="sign").count() == 4
    assert records.filter(action="in_force").count() == 1


ROUNDS = 6


def test_bulk_edits_racing_single_edits_of_the_same_risks_all_land(
    world: Any,
) -> None:
    w = world
    risks = [make_risk(w, title=f"Risico {n}") for n in range(4)]
    owners = [w.party_clas, w.party_bde13]
    versions = {r.pk: r.version for r in risks}

    def bulk() -> None:
        for i in range(ROUNDS):
            risk_services.risks_bulk_edit(
                actor=w.bde13_safety,
                deployment=w.dep,
                # As the register page hands them over: loaded before the edit.
                risks=list(Risk.objects.filter(pk__in=[r.pk for r in risks])),
                action="owner_party",
                owner_party=owners[i % 2],
            )

    def single(risk: Risk) -> Callable[[], None]:
        def job() -> None:
            for i in range(ROUNDS):
                while True:  # an editor who meets a conflict reloads and saves
                    current = Risk.objects.get(pk=risk.pk)
                    try:
                        risk_services.risk_update(
                            actor=w.bde13_safety,
                            risk=current,
                            version=current.version,
                            cause=f"oorzaak {i}",
                        )
                        break
                    except ConflictError:
                        continue

        return job

    results = _run_together([bulk, *(single(r) for r in risks)])

    assert [r for r in results if r is not None] == []
    for risk in Risk.objects.filter(pk__in=[r.pk for r in risks]):
        # The bulk edit's last owner and every single edit's cause, both kept.
        assert risk.owner_party_id == owners[(ROUNDS - 1) % 2].pk
        assert risk.cause == f"oorzaak {ROUNDS - 1}"
        assert risk.version == versions[risk.pk] + 2 * ROUNDS
        records = ChangeRecord.objects.for_object(risk).filter(action="update")
        assert records.count() == 2 * ROUNDS
