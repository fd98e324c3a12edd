"""More services that lock rows, run from several connections at once on
PostgreSQL: phase moves, party and agreement edits, holding an evaluation and
applying a register import (docs/locking.md, section 3).

Each race must end as a user would expect: no server error or deadlock, the
loser told clearly why (or both writes landed), one change record per landed
write, and an audit chain that still verifies.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from openpyxl import Workbook

from missionsafety.audit.models import ChangeRecord
from missionsafety.audit.services import verify_chain
from missionsafety.core.exceptions import ConflictError, ValidationError
from missionsafety.deployments import services as dep_services
from missionsafety.deployments.models import Deployment, Party, Phase
from missionsafety.evaluations import services as evaluation_services
from missionsafety.evaluations.models import Agreement, Evaluation
from missionsafety.evaluations.tests.helpers import (
    party,
    readiness_deployment,
    set_contacts,
)
from missionsafety.occurrences.models import Occurrence
from missionsafety.occurrences.services import occurrence_report
from missionsafety.risks import services as risk_services
from missionsafety.risks.models import RegisterImport, Risk
from missionsafety.risks.services.common import locked_risk
from missionsafety.risks.tests.factories import make_risk
from tests.test_concurrent_services import _hold_open_then, _run_together

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and deadlocks exist on PostgreSQL; SQLite has one writer",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

R = Party.PartyRole
REFUSALS = (ConflictError, ValidationError)


def _no_server_errors(results: list[Any]) -> None:
    """Every job either returned or was refused with a message for the user."""
    unexpected = [r for r in results if isinstance(r, BaseException)]
    unexpected = [r for r in unexpected if not isinstance(r, REFUSALS)]
    assert unexpected == [], unexpected


def _chain_verifies() -> None:
    result = verify_chain()
    assert result.ok, result.problem


def _edit_until_saved(w: Any, risk: Risk, **changes: Any) -> Risk:
    """Edit the risk as an editor who meets a conflict reloads and saves again."""
    while True:
        current = Risk.objects.get(pk=risk.pk)
        try:
            return risk_services.risk_update(
                actor=w.bde13_safety, risk=current, version=current.version, **changes
            )
        except ConflictError:
            continue


def _planning_deployment(w: Any) -> Deployment:
    return dep_services.deployment_create(
        actor=w.jfc_safety,
        name="eFP Litouwen R14",
        code="EFP-R14",
        theatre="Litouwen",
        start_date=w.today + datetime.timedelta(days=60),
        end_date=w.today + datetime.timedelta(days=240),
        parties=[
            (w.jfc, R.OPERATIONAL_COMMAND),
            (w.clas, R.FORCE_PROVIDER),
            (w.bde13, R.PARENT_BRIGADE),
            (w.bn, R.DEPLOYED_UNIT),
        ],
    )


def _move(w: Any, dep: Deployment, to: str, version: int | None) -> Callable[[], Any]:
    def job() -> Deployment:
        return dep_services.deployment_move_phase(
            actor=w.jfc_safety,
            deployment=Deployment.objects.get(pk=dep.pk),
            to_phase=to,
            version=version,
        )

    return job


# -- phase moves ---------------------------------------------------------------


@pytest.mark.parametrize("with_version", [True, False], ids=["form", "api"])
def test_two_moves_to_the_next_phase_at_once_one_lands(
    world: Any, with_version: bool
) -> None:
    w = world
    dep = _planning_deployment(w)
    version = dep.version if with_version else None

    results = _run_together(
        [_move(w, dep, Phase.PREPARATION, version) for _ in range(2)]
    )

    _no_server_errors(results)
    landed = [r for r in results if isinstance(r, Deployment)]
    refused = [r for r in results if isinstance(r, REFUSALS)]
    assert len(landed) == 1 and len(refused) == 1, results
    dep.refresh_from_db()
    assert dep.phase == Phase.PREPARATION
    assert dep.phase_changes.count() == 1
    moves = ChangeRecord.objects.for_object(dep).filter(action="move_phase")
    assert moves.count() == 1
    _chain_verifies()


def test_phase_moves_racing_risk_writes_in_the_deployment_all_land(
    world: Any,
) -> None:
    w = world
    dep = _planning_deployment(w)
    risk = make_risk(w, deployment=dep, owner_party=party(dep, w.bn))
    rounds = 4

    def moves() -> None:
        for to in (Phase.PREPARATION, Phase.READINESS):
            _move(w, dep, to, None)()

    def creates() -> None:
        for i in range(rounds):
            make_risk(
                w, deployment=dep, owner_party=party(dep, w.bn), title=f"Nieuw {i}"
            )

    def edits() -> None:
        for i in range(rounds):
            _edit_until_saved(w, risk, cause=f"oorzaak {i}")

    results = _run_together([moves, creates, edits])

    assert [r for r in results if r is not None] == []
    dep.refresh_from_db()
    assert dep.phase == Phase.READINESS
    assert ChangeRecord.objects.for_object(dep).filter(action="move_phase").count() == 2
    titles = set(Risk.objects.filter(deployment=dep).values_list("title", flat=True))
    assert {f"Nieuw {i}" for i in range(rounds)} <= titles
    numbers = list(Risk.objects.filter(deployment=dep).values_list("number", flat=True))
    assert sorted(numbers) == list(range(1, rounds + 2))  # no number given twice
    risk.refresh_from_db()
    assert risk.cause == f"oorzaak {rounds - 1}"
    assert ChangeRecord.objects.for_object(risk).filter(action="update").count() == (
        rounds
    )
    _chain_verifies()


# -- parties and the agreement --------------------------------------------------


def _draft_agreement(w: Any) -> tuple[Deployment, Agreement]:
    dep = readiness_deployment(w)
    set_contacts(w, dep)
    agreement = evaluation_services.agreement_setup(actor=w.jfc_safety, deployment=dep)
    return dep, agreement


def _cells_changed(agreement: Agreement, tasks: str) -> dict[Any, tuple[str, str]]:
    cells = evaluation_services.agreement_cells(agreement)
    return {key: (raci, tasks) for key, (raci, _t) in cells.items() if raci}


def _edit(w: Any, agreement: Agreement, tasks: str) -> Callable[[], Agreement]:
    def job() -> Agreement:
        current = Agreement.objects.get(pk=agreement.pk)
        return evaluation_services.agreement_update(
            actor=w.jfc_safety,
            agreement=current,
            version=current.number,
            cells=_cells_changed(current, tasks),
        )

    return job


def _submit(w: Any, agreement: Agreement) -> Callable[[], Agreement]:
    def job() -> Agreement:
        return evaluation_services.agreement_submit(
            actor=w.jfc_safety, agreement=Agreement.objects.get(pk=agreement.pk)
        )

    return job


def test_a_party_edit_racing_an_agreement_edit_both_land(world: Any) -> None:
    w = world
    dep, agreement = _draft_agreement(w)
    bn = party(dep, w.bn)

    def party_edit() -> Party:
        return dep_services.party_update(
            actor=w.jfc_safety,
            party=Party.objects.get(pk=bn.pk),
            contact_note="Bereikbaar via de OPS-room",
        )

    results = _run_together([party_edit, _edit(w, agreement, "Toetst het plan")])

    assert [r for r in results if isinstance(r, BaseException)] == []
    bn.refresh_from_db()
    assert bn.contact_note == "Bereikbaar via de OPS-room"
    assert ChangeRecord.objects.for_object(bn).filter(action="update").count() == 2
    cells = evaluation_services.agreement_cells(Agreement.objects.get(pk=agreement.pk))
    assert {tasks for raci, tasks in cells.values() if raci} == {"Toetst het plan"}
    records = ChangeRecord.objects.for_object(agreement)
    assert records.filter(action="update").count() == 1
    _chain_verifies()


def test_two_party_edits_of_different_fields_at_once_both_kept(world: Any) -> None:
    w = world
    dep, _agreement = _draft_agreement(w)
    jfc = party(dep, w.jfc)

    def edit(**changes: Any) -> Callable[[], Party]:
        def job() -> Party:
            return dep_services.party_update(
                actor=w.jfc_safety, party=Party.objects.get(pk=jfc.pk), **changes
            )

        return job

    results = _run_together(
        [
            edit(contact_note="Bereikbaar via de OPS-room"),
            edit(point_of_contact=w.jfc_lessons),
        ]
    )

    assert [r for r in results if isinstance(r, BaseException)] == []
    jfc.refresh_from_db()
    assert jfc.contact_note == "Bereikbaar via de OPS-room"
    assert jfc.point_of_contact == w.jfc_lessons
    assert ChangeRecord.objects.for_object(jfc).filter(action="update").count() == 3
    _chain_verifies()


def test_two_set_ups_of_one_agreement_at_once_one_lands(world: Any) -> None:
    w = world
    dep = readiness_deployment(w)

    def setup() -> Agreement:
        return evaluation_services.agreement_setup(
            actor=w.jfc_safety, deployment=Deployment.objects.get(pk=dep.pk)
        )

    results = _run_together([setup, setup])

    _no_server_errors(results)
    landed = [r for r in results if isinstance(r, Agreement)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(landed) == 1 and len(refused) == 1, results
    assert "heeft al samenwerkingsafspraken" in " ".join(refused[0].messages)
    [agreement] = Agreement.objects.filter(deployment=dep)
    assert (
        ChangeRecord.objects.for_object(agreement).filter(action="create").count() == 1
    )
    _chain_verifies()


def test_a_submit_racing_an_edit_never_changes_what_is_in_signature(
    world: Any,
) -> None:
    w = world
    dep, agreement = _draft_agreement(w)
    submitted_cells: dict[Any, Any] = {}

    results = _run_together([_submit(w, agreement), _edit(w, agreement, "Adviseert")])

    _no_server_errors(results)
    assert all(isinstance(r, Agreement) for r in results), results
    first = Agreement.objects.get(pk=agreement.pk)
    records = list(ChangeRecord.objects.for_object(first).order_by("seq"))
    actions = [r.action for r in records]
    assert actions.count("submit") == 1
    # What was sent for signature is what the parties sign: no change to the
    # matrix after its submission, only a new version beside it.
    assert "update" not in actions[actions.index("submit") :], actions
    submitted_cells = evaluation_services.agreement_cells(first)
    versions = list(Agreement.objects.filter(deployment=dep).order_by("number"))
    if len(versions) == 1:  # the edit came first and was sent for signature
        assert first.status == Agreement.Status.IN_SIGNATURE
        assert {t for r, t in submitted_cells.values() if r} == {"Adviseert"}
    else:  # the submission came first: the edit made version 2, to be signed again
        new = versions[1]
        assert first.status == Agreement.Status.SUPERSEDED
        assert new.status == Agreement.Status.DRAFT
        cells = evaluation_services.agreement_cells(new)
        assert {t for r, t in cells.values() if r} == {"Adviseert"}
        assert {t for r, t in submitted_cells.values() if r} != {"Adviseert"}
        assert (
            ChangeRecord.objects.for_object(new).filter(action="new_version").count()
            == 1
        )
    _chain_verifies()


def test_two_submissions_at_once_one_lands(world: Any) -> None:
    w = world
    _dep, agreement = _draft_agreement(w)

    results = _run_together([_submit(w, agreement), _submit(w, agreement)])

    _no_server_errors(results)
    landed = [r for r in results if isinstance(r, Agreement)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(landed) == 1 and len(refused) == 1, results
    records = ChangeRecord.objects.for_object(agreement).filter(action="submit")
    assert records.count() == 1
    _chain_verifies()


# -- holding an evaluation -------------------------------------------------------


ANSWERS = {"reassessment": "Verkeer herbeoordeeld", "trends": "Twee bijna-ongevallen"}


def _review(w: Any) -> Evaluation:
    return Evaluation.objects.get(
        deployment=w.dep, template__code="periodic_review", slot=1
    )


def _hold(w: Any, review: Evaluation, finding: str) -> Callable[[], Evaluation]:
    def job() -> Evaluation:
        return evaluation_services.evaluation_hold(
            actor=w.jfc_safety,
            evaluation=Evaluation.objects.get(pk=review.pk),
            version=review.version,
            held_on=w.today,
            participants={w.party_jfc.pk: "MAJ Bakker", w.party_bn.pk: "AOO"},
            answers=ANSWERS,
            findings=[finding],
        )

    return job


def test_two_holds_of_one_moment_and_a_serious_report_at_once(world: Any) -> None:
    w = world
    review = _review(w)
    risk = make_risk(w)

    def report() -> Occurrence:
        occurrence, _created = occurrence_report(
            actor=w.bde13_safety,
            deployment=w.dep,
            occurred_at=timezone.now(),
            place="Rukla",
            unit=w.coy,
            kind="incident",
            title="Voertuig gekanteld",
            actual_category=1,
            potential_category=3,  # serious: a hot wash and a reassessment
            risks=[risk],
        )
        return occurrence

    results = _run_together(
        [_hold(w, review, "Eerste verslag"), _hold(w, review, "Tweede"), report]
    )

    _no_server_errors(results)
    held = [r for r in results if isinstance(r, Evaluation)]
    refused = [r for r in results if isinstance(r, REFUSALS)]
    assert len(held) == 1 and len(refused) == 1, results
    assert isinstance(results[2], Occurrence)
    review.refresh_from_db()
    assert review.status == Evaluation.Status.HELD
    assert [f.text for f in review.findings.all()] == [held[0].findings.get().text]
    assert review.participants.count() == 2
    assert ChangeRecord.objects.for_object(review).filter(action="hold").count() == 1
    assert Occurrence.objects.filter(title="Voertuig gekanteld").count() == 1
    hot_wash = Evaluation.objects.filter(
        deployment=w.dep, trigger_ref=f"occurrences.occurrence:{results[2].pk}"
    )
    assert hot_wash.count() == 1
    _chain_verifies()


# -- applying a register import --------------------------------------------------


def _workbook(rows: list[list[str]]) -> bytes:
    wb = Workbook()
    wb.active.append(["reference", "title", "hazard", "owner party"])
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _retitling_import(w: Any, n: int) -> tuple[list[Risk], RegisterImport]:
    """``n`` risks and a previewed import that gives each a new title."""
    risks = [make_risk(w, title=f"Risico {i}") for i in range(n)]
    rows = [
        [r.reference, f"Nieuw {i}", r.hazard, "42 BLJ"] for i, r in enumerate(risks)
    ]
    pending = risk_services.register_import_preview(
        actor=w.bde13_safety, deployment=w.dep, data=_workbook(rows)
    )
    assert pending.count("update") == n
    return risks, pending


def _apply(w: Any, pending: RegisterImport) -> Callable[[], dict[str, int]]:
    def job() -> dict[str, int]:
        return risk_services.register_import_apply(
            actor=w.bde13_safety, pending=RegisterImport.objects.get(pk=pending.pk)
        )

    return job


def test_an_import_racing_single_edits_of_its_rows_lands_whole_or_not_at_all(
    world: Any,
) -> None:
    w = world
    risks, pending = _retitling_import(w, 4)

    # The import's rows in reverse order of the single edits, to cross locks.
    results = _run_together(
        [
            _apply(w, pending),
            *(
                lambda r=r: _edit_until_saved(w, r, cause="Hitte")
                for r in reversed(risks)
            ),
        ]
    )

    _no_server_errors(results)
    assert all(isinstance(r, Risk) for r in results[1:]), results
    current = list(Risk.objects.filter(pk__in=[r.pk for r in risks]).order_by("pk"))
    assert all(r.cause == "Hitte" for r in current)  # every single edit kept
    applied = ChangeRecord.objects.for_object(pending).filter(action="import_apply")
    if isinstance(results[0], dict):
        assert results[0]["updated"] == len(risks)
        assert [r.title for r in current] == [f"Nieuw {n}" for n in range(4)]
        assert applied.count() == 1
        expected_updates = 2
    else:  # refused whole: someone changed a row since the preview
        assert isinstance(results[0], ConflictError), results[0]
        assert [r.title for r in current] == [f"Risico {n}" for n in range(4)]
        assert applied.count() == 0
        expected_updates = 1
    for risk in current:
        records = ChangeRecord.objects.for_object(risk).filter(action="update")
        assert records.count() == expected_updates
    _chain_verifies()


def test_an_edit_while_the_draft_is_being_submitted_makes_a_new_version(
    world: Any,
) -> None:
    w = world
    _dep, agreement = _draft_agreement(w)

    submitted, edited = _hold_open_then(
        _submit(w, agreement), _edit(w, agreement, "Adviseert")
    )

    assert isinstance(submitted, Agreement), submitted
    assert isinstance(edited, Agreement), edited
    first = Agreement.objects.get(pk=agreement.pk)
    # The edit did not change the matrix the parties were asked to sign.
    assert edited.pk != first.pk and edited.number == 2
    assert first.status == Agreement.Status.SUPERSEDED
    assert ChangeRecord.objects.for_object(first).filter(action="update").count() == 0
    cells = evaluation_services.agreement_cells(first)
    assert {t for r, t in cells.values() if r} != {"Adviseert"}
    _chain_verifies()


def test_an_import_meeting_an_edit_between_its_lock_and_its_record_is_refused(
    world: Any,
) -> None:
    w = world
    risks, pending = _retitling_import(w, 3)
    last = risks[-1]

    def edit(current: Risk) -> Risk:
        return risk_services.risk_update(
            actor=w.bde13_safety, risk=current, version=current.version, cause="Hitte"
        )

    # A single edit that holds the last row and has not yet written its record.
    single, imported = _hold_open_then(
        lambda: locked_risk(last), _apply(w, pending), edit
    )

    assert isinstance(single, Risk), single
    assert isinstance(imported, ConflictError), imported
    current = list(Risk.objects.filter(pk__in=[r.pk for r in risks]).order_by("pk"))
    assert [r.title for r in current] == [f"Risico {n}" for n in range(3)]
    assert current[-1].cause == "Hitte"
    assert not ChangeRecord.objects.for_object(pending).filter(action="import_apply")
    _chain_verifies()


def test_two_resolutions_of_one_field_conflict_at_once_one_lands(
    world: Any,
) -> None:
    """Two safety officers keep different sides of the same conflict at the
    same moment: one choice lands, the other is told it was resolved."""
    from django.core.exceptions import ValidationError as FormError

    from missionsafety.field.models import Conflict
    from missionsafety.field.services import bundle_apply, conflict_resolve
    from missionsafety.field.tests.helpers import (
        export,
        forge,
        register,
        risk_change,
    )

    w = world
    risks = register(w)
    _data, package = export(w)
    risk = Risk.objects.get(pk=risks["edited"].pk)
    risk_services.risk_update(
        actor=w.bde13_safety, risk=risk, version=risk.version, title="Thuis"
    )
    change = risk_change(
        package, "Munitieopslag", field="title", old="Munitieopslag", new="Veld"
    )
    bundle_apply(data=forge(package, [change]))
    conflict = Conflict.objects.get()

    def keep(choice: str) -> Callable[[], Any]:
        return lambda: conflict_resolve(
            actor=w.bde13_safety, conflict=conflict, choice=choice
        )

    first, then = _hold_open_then(keep("local"), keep("remote"))

    assert isinstance(first, Conflict), first
    assert isinstance(then, FormError), then
    assert "already resolved" in str(then) or "al opgelost" in str(then)
    conflict.refresh_from_db()
    assert conflict.status != Conflict.Status.OPEN
    assert Risk.objects.get(pk=risk.pk).title == "Thuis"  # the local side kept
    _chain_verifies()
