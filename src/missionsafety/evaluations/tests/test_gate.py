"""The readiness safety gate: live checklist, go / no-go, the phase guard, waivers."""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from missionsafety.core.exceptions import NotAllowed, ValidationError
from missionsafety.deployments import services as dep_services
from missionsafety.evaluations import services
from missionsafety.evaluations.gate import compute_checklist
from missionsafety.evaluations.models import GateWaiver
from missionsafety.evaluations.tests.helpers import (
    accept,
    agreement_in_force,
    high_risk,
    party,
    readiness_deployment,
)


def _items(dep: Any) -> dict[str, Any]:
    return {i.key: i for i in compute_checklist(dep).items}


def _move(world: Any, dep: Any, actor: Any = None, **options: Any) -> Any:
    return dep_services.deployment_move_phase(
        actor=actor or world.jfc_safety, deployment=dep, to_phase="deployed", **options
    )


def test_no_move_to_deployed_without_a_held_gate(world: Any) -> None:
    dep = readiness_deployment(world)
    with pytest.raises(ValidationError) as exc:
        _move(world, dep, waiver_rationale="We gaan toch")
    assert "Hold the pre-departure safety gate first" in str(exc.value)
    dep.refresh_from_db()
    assert dep.phase == "readiness"


def test_gate_blocks_an_unaccepted_high_risk_and_allows_it_once_accepted(
    world: Any,
) -> None:
    dep = readiness_deployment(world)
    agreement_in_force(world, dep)
    risk = high_risk(world, dep)
    items = _items(dep)
    assert items["agreement"].status == "ok"
    assert items["acceptance"].is_open
    assert "R-001 [H]" in items["acceptance"].rows[0]
    services.gate_record(
        actor=world.jfc_safety, deployment=dep, decision="go", rationale="Go"
    )
    with pytest.raises(ValidationError) as exc:
        _move(world, dep)
    assert "waiver of the accountable commander" in str(exc.value)
    accept(world, risk)
    assert _items(dep)["acceptance"].status == "ok"
    dep = _move(world, dep)
    assert dep.phase == "deployed"
    assert not GateWaiver.objects.filter(deployment=dep).exists()


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"decided_for": "bn"}, "needs brigade commander"),
        ({"consulted": []}, "not consulted: Staf CLAS"),
        ({"valid_days": -1}, "expired on"),
    ],
)
def test_acceptance_at_the_wrong_level_unconsulted_or_expired_stays_open(
    world: Any, kwargs: dict[str, Any], problem: str
) -> None:
    dep = readiness_deployment(world)
    risk = high_risk(world, dep)
    if kwargs.get("decided_for") == "bn":
        kwargs["decided_for"] = world.bn
    accept(world, risk, **kwargs)
    item = _items(dep)["acceptance"]
    assert item.is_open
    assert problem in item.rows[0]


def test_stop_flag_unassessed_risks_and_open_controls(world: Any) -> None:
    from missionsafety.risks.models import Control, Risk

    dep = readiness_deployment(world)
    risk = high_risk(world, dep)
    accept(world, risk)
    Risk.objects.filter(pk=risk.pk).update(stop_flag=True)
    Risk.objects.create(
        deployment=dep,
        number=2,
        title="Koude",
        hazard="Bevriezing",
        owner_party=party(dep, world.bn),
    )
    Control.objects.create(
        risk=risk,
        deployment=dep,
        description="Kogelvanger plaatsen",
        kind="engineer",
        owner_party=party(dep, world.clas),
        due_date=dep.start_date,
    )
    items = _items(dep)
    assert items["stop"].is_open and items["assessed"].is_open
    assert items["controls"].is_open
    assert "Staf CLAS" in items["controls"].rows[0]


def test_lessons_item_uses_the_lessons_selector_when_there_is_one(
    world: Any, monkeypatch: Any
) -> None:
    dep = readiness_deployment(world)
    assert _items(dep)["lessons"].status == "ok"  # nothing relevant to review yet
    module = types.ModuleType("missionsafety.lessons.selectors")
    module.earlier_lessons_review = lambda d: {"reviewed": 2, "relevant": 5}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "missionsafety.lessons.selectors", module)
    item = _items(dep)["lessons"]
    assert item.is_open and "2 of 5" in item.detail


def test_no_go_needs_the_accountable_commanders_waiver(world: Any) -> None:
    dep = readiness_deployment(world)
    agreement_in_force(world, dep)
    services.gate_record(
        actor=world.jfc_safety,
        deployment=dep,
        decision="no_go",
        rationale="Medische dekking onvoldoende",
    )
    with pytest.raises(ValidationError) as exc:
        _move(world, dep)
    assert "no-go" in str(exc.value)
    # The brigade commander is not accountable for deciding on risk here.
    with pytest.raises(NotAllowed):
        _move(world, dep, actor=world.bde13_commander, waiver_rationale="Toch gaan")
    assert not GateWaiver.objects.filter(deployment=dep).exists()
    dep = _move(
        world, dep, actor=world.jfc_commander, waiver_rationale="Dekking via partner"
    )
    assert dep.phase == "deployed"
    waiver = GateWaiver.objects.get(deployment=dep)
    assert waiver.waived_by == world.jfc_commander
    assert waiver.open_items[0]["key"] == "no_go"


def test_the_gate_needs_go_or_no_go_with_a_rationale(world: Any) -> None:
    dep = readiness_deployment(world)
    with pytest.raises(ValidationError) as exc:
        services.gate_record(
            actor=world.jfc_safety, deployment=dep, decision="", rationale=""
        )
    assert {"gate_decision", "gate_rationale"} <= set(exc.value.message_dict)
