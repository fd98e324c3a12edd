"""The cooperation agreement: default matrix, validation, signing, versions."""

from __future__ import annotations

from typing import Any

import pytest

from missionsafety.core.exceptions import ConflictError, NotAllowed, ValidationError
from missionsafety.evaluations import services
from missionsafety.evaluations.models import Agreement, AgreementAssignment, ProcessStep
from missionsafety.evaluations.tests.helpers import (
    agreement_in_force,
    party,
    set_contacts,
)

S = Agreement.Status


def _step(code: str) -> int:
    return ProcessStep.objects.get(code=code).pk


def test_default_matrix_has_one_accountable_and_a_responsible_per_step(
    world: Any,
) -> None:
    agreement = services.agreement_setup(actor=world.jfc_safety, deployment=world.dep)
    steps = ProcessStep.objects.filter(active=True)
    assert steps.count() == 10
    for step in steps:
        letters = list(
            agreement.assignments.filter(step=step).values_list("raci", flat=True)
        )
        assert letters.count("A") == 1, step.code
        assert "R" in letters, step.code
    decide_a = agreement.assignments.get(step__code="decide", raci="A")
    assert decide_a.party == world.party_jfc  # operational command decides
    assert (
        agreement.assignments.get(step__code="identify", party=world.party_bn).raci
        == "R"
    )
    assert agreement.status == S.DRAFT


def test_missing_roles_fall_back_to_a_valid_matrix(world: Any) -> None:
    # KFOR-1 has only a brigade and a battalion: no operational command.
    agreement = services.agreement_setup(
        actor=world.bde43_safety, deployment=world.other
    )
    for step in ProcessStep.objects.all():
        letters = list(
            agreement.assignments.filter(step=step).values_list("raci", flat=True)
        )
        assert letters.count("A") == 1 and "R" in letters


def test_two_accountables_or_none_are_refused_and_nothing_changes(world: Any) -> None:
    agreement = services.agreement_setup(actor=world.jfc_safety, deployment=world.dep)
    decide = _step("decide")
    with pytest.raises(ValidationError) as exc:
        services.agreement_update(
            actor=world.jfc_safety,
            agreement=agreement,
            version=1,
            cells={(decide, world.party_bde13.pk): ("A", "Ook A")},
        )
    assert "exactly one party must be Accountable (now 2)" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.agreement_update(
            actor=world.jfc_safety,
            agreement=agreement,
            version=1,
            cells={(decide, world.party_jfc.pk): ("C", "")},
        )
    assert "(now 0)" in str(exc.value)
    assert (
        AgreementAssignment.objects.get(
            agreement=agreement, step_id=decide, party=world.party_jfc
        ).raci
        == "A"
    )
    assert Agreement.objects.filter(deployment=world.dep).count() == 1


def test_sending_for_signature_needs_every_point_of_contact(world: Any) -> None:
    agreement = services.agreement_setup(actor=world.jfc_safety, deployment=world.dep)
    with pytest.raises(ValidationError) as exc:
        services.agreement_submit(actor=world.jfc_safety, agreement=agreement)
    assert "point of contact" in str(exc.value)
    agreement.refresh_from_db()
    assert agreement.status == S.DRAFT


def test_only_safety_officers_edit(world: Any) -> None:
    with pytest.raises(NotAllowed):
        services.agreement_setup(actor=world.bn_commander, deployment=world.dep)
    with pytest.raises(NotAllowed):
        services.agreement_setup(actor=world.inspector, deployment=world.dep)


def test_commanders_sign_for_their_own_party_only(world: Any) -> None:
    set_contacts(world, world.dep)
    agreement = services.agreement_setup(actor=world.jfc_safety, deployment=world.dep)
    agreement = services.agreement_submit(actor=world.jfc_safety, agreement=agreement)
    with pytest.raises(NotAllowed):  # a safety officer is not a commander
        services.agreement_sign(
            actor=world.jfc_safety, agreement=agreement, party=world.party_jfc
        )
    with pytest.raises(NotAllowed):  # a commander, but of another party
        services.agreement_sign(
            actor=world.bde13_commander, agreement=agreement, party=world.party_jfc
        )
    with pytest.raises(NotAllowed):  # the company commander is not 42 BLJ's
        services.agreement_sign(
            actor=world.coy_commander, agreement=agreement, party=world.party_bn
        )
    assert agreement.signatures.count() == 0
    services.agreement_sign(
        actor=world.jfc_commander, agreement=agreement, party=world.party_jfc
    )
    with pytest.raises(ValidationError):
        services.agreement_sign(
            actor=world.jfc_commander, agreement=agreement, party=world.party_jfc
        )
    agreement.refresh_from_db()
    assert agreement.status == S.IN_SIGNATURE


def test_in_force_when_all_signed_and_a_change_makes_a_new_version(world: Any) -> None:
    v1 = agreement_in_force(world, world.dep)
    assert v1.status == S.IN_FORCE
    v2 = services.agreement_update(
        actor=world.jfc_safety,
        agreement=v1,
        version=1,
        cells={(_step("evaluate"), world.party_clas.pk): ("R", "Leidt de evaluatie")},
        note="Staf CLAS verantwoordelijk voor evaluatie",
    )
    assert v2.number == 2 and v2.status == S.DRAFT
    v1.refresh_from_db()
    assert v1.status == S.IN_FORCE  # stays in force until v2 is signed
    assert v1.assignments.get(step__code="evaluate", party=world.party_clas).raci == "C"
    v2 = services.agreement_submit(actor=world.jfc_safety, agreement=v2)
    for commander, org in [
        (world.jfc_commander, world.jfc),
        (world.clas_commander, world.clas),
        (world.bde13_commander, world.bde13),
        (world.bn_commander, world.bn),
    ]:
        v2 = services.agreement_sign(
            actor=commander, agreement=v2, party=party(world.dep, org)
        )
    v1.refresh_from_db()
    assert (v1.status, v2.status) == (S.SUPERSEDED, S.IN_FORCE)
    with pytest.raises(ValidationError) as exc:
        services.agreement_sign(
            actor=world.jfc_commander, agreement=v1, party=world.party_jfc
        )
    assert "superseded" in str(exc.value)


def test_stale_version_is_a_conflict(world: Any) -> None:
    v1 = agreement_in_force(world, world.dep)
    services.agreement_update(
        actor=world.jfc_safety,
        agreement=v1,
        version=1,
        cells={(_step("evaluate"), world.party_clas.pk): ("R", "x")},
    )
    with pytest.raises(ConflictError):  # v1 is no longer the one to edit
        services.agreement_update(
            actor=world.jfc_safety,
            agreement=v1,
            version=1,
            cells={(_step("evaluate"), world.party_clas.pk): ("I", "y")},
        )
    v2 = services.current_agreement(world.dep)
    assert v2 is not None
    with pytest.raises(ConflictError):
        services.agreement_update(
            actor=world.jfc_safety,
            agreement=v2,
            version=1,
            cells={(_step("evaluate"), world.party_clas.pk): ("I", "y")},
        )
