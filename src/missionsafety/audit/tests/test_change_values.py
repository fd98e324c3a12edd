"""Change records hold every changed field's value before and after, structured."""

from __future__ import annotations

from typing import Any

import pytest

from missionsafety.audit.models import ChangeRecord
from missionsafety.evaluations import services as evaluation_services
from missionsafety.evaluations.models import ProcessStep
from missionsafety.risks import services
from missionsafety.risks.tests.factories import assess, fresh, make_risk

pytestmark = pytest.mark.django_db


def last(obj: Any, action: str) -> ChangeRecord:
    record = ChangeRecord.objects.for_object(obj).filter(action=action).last()
    assert record is not None
    return record


def both_sides(record: ChangeRecord) -> None:
    """Every key that has a value before has one after, and none is empty."""
    before, after = record.before or {}, record.after or {}
    for key in before:
        assert key in after, f"{record.action}: no value after for {key}"
        assert after[key] not in (None, ""), f"{record.action}: empty after for {key}"


def test_an_assessment_records_levels_and_status_before_and_after(world: Any) -> None:
    risk = make_risk(world)
    assess(world, risk)  # H
    assess(world, fresh(risk), residual=("D", "III"))  # L
    record = last(risk, "assess")
    both_sides(record)
    assert (record.before or {})["residual_level"] == "H"
    assert (record.after or {})["residual_level"] == "L"


def test_an_acceptance_records_the_status_after(world: Any) -> None:
    risk = make_risk(world)
    assessment = assess(world, risk, residual=("D", "III"))  # L
    services.decision_accept(
        actor=world.coy_commander, risk=fresh(risk), assessment=assessment
    )
    record = last(risk, "accept")
    both_sides(record)
    assert (record.before or {})["status"] == "awaiting_decision"
    assert (record.after or {})["status"] == "accepted"


def test_agreement_cells_are_stored_as_step_party_rows(world: Any) -> None:
    agreement = evaluation_services.agreement_setup(
        actor=world.jfc_safety, deployment=world.dep
    )
    step = ProcessStep.objects.get(code="evaluate")
    evaluation_services.agreement_update(
        actor=world.jfc_safety,
        agreement=agreement,
        version=None,
        cells={(step.pk, world.party_clas.pk): ("R", "Evaluatie leiden")},
    )
    record = last(agreement, "update")
    cell = [step.pk, world.party_clas.pk, "R", "Evaluatie leiden"]
    assert cell in (record.after or {})["cells"]
    assert cell not in (record.before or {})["cells"]
    assert all(len(c) == 4 for c in (record.before or {})["cells"])


def test_an_escalation_records_target_and_echelon_on_both_sides(world: Any) -> None:
    risk = make_risk(world)
    assessment = assess(world, risk, residual=("C", "III"))  # M: battalion
    services.decision_escalate(
        actor=world.bn_commander, risk=fresh(risk), assessment=assessment
    )
    record = last(risk, "escalate")
    assert record.before == {"escalated_to": None, "escalation_echelon": None}
    after = record.after or {}
    assert (after["escalated_to"], after["escalation_echelon"]) == (str(world.jfc), 80)
