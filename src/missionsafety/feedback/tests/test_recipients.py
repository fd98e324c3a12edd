"""Risk events reach the right commanders: the level the acceptance rule asks."""

from __future__ import annotations

from typing import Any

import pytest

from missionsafety.core.events import publish
from missionsafety.feedback.models import Notification
from missionsafety.feedback.recipients import deciding_commanders
from missionsafety.occurrences.tests.factories import make_risk
from missionsafety.risks.models import Decision

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("level", "who"),
    [
        # operational L: company level, on the line below the deployed 42 BLJ
        ("L", "coy_commander"),
        ("M", "bn_commander"),
        ("H", "jfc_commander"),
        ("EH", "cds"),  # no party high enough: the Chief of Defence above them
    ],
)
def test_deployed_phase_uses_the_operational_chain(
    world: Any, level: str, who: str
) -> None:
    risk = make_risk(world, level=level)
    assert deciding_commanders(risk) == [getattr(world, who)]


def test_preparation_phase_uses_the_army_chain(world: Any) -> None:
    from missionsafety.deployments.models import Phase
    from missionsafety.deployments.services import party_add
    from missionsafety.testing import walk

    party_add(
        actor=world.bde43_safety,
        deployment=world.other,
        organisation=world.clas,
        role="force_provider",
    )
    walk(world.other, world.bde43_safety, Phase.PREPARATION)
    world.other.refresh_from_db()
    high = make_risk(world, deployment=world.other, level="H")
    assert deciding_commanders(high) == [world.bde43_commander]
    extreme = make_risk(world, deployment=world.other, level="EH")
    assert deciding_commanders(extreme) == [world.clas_commander]


def test_decision_requested_reaches_the_deciding_commander(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    risk = make_risk(world, level="H")
    with django_capture_on_commit_callbacks(execute=True):
        publish(
            "risk.decision_requested",
            risk=risk,
            assessment=risk.current_assessment,
            actor=world.bde13_safety,
        )
    note = Notification.objects.get()
    assert note.recipient == world.jfc_commander
    assert note.kind == "decision_awaiting"
    assert risk.reference in note.title


def test_escalation_reaches_the_commander_it_was_escalated_to(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    risk = make_risk(world, level="M")
    assert risk.current_assessment is not None
    decision = Decision.objects.create(
        risk=risk,
        assessment=risk.current_assessment,
        deployment=world.dep,
        outcome=Decision.Outcome.ESCALATE,
        decided_by=world.bn_commander,
        level="M",
        escalated_to=world.bde13,
        rationale="Te veel impact op de brigade.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish(
            "risk.escalated", risk=risk, decision=decision, actor=world.bn_commander
        )
    notes = Notification.objects.filter(kind="risk_escalated")
    assert [n.recipient for n in notes] == [world.bde13_commander]


def test_reassessment_for_other_reasons_reaches_owner_and_acceptor(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from missionsafety.risks.services import risk_require_reassessment

    risk = make_risk(world, accepted_by=world.jfc_commander, owner=world.bn_commander)
    with django_capture_on_commit_callbacks(execute=True):
        risk_require_reassessment(
            risk=risk, actor=world.bde13_safety, reason="Nieuwe dreigingsanalyse"
        )
    recipients = set(
        Notification.objects.filter(kind="reassessment_required").values_list(
            "recipient__username", flat=True
        )
    )
    assert recipients == {"jfc.commander", "bn.commander"}


def test_stop_flag_asks_for_a_new_decision(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    risk = make_risk(world, level="M", accepted_by=world.bn_commander)
    with django_capture_on_commit_callbacks(execute=True):
        publish(
            "risk.stop_flagged",
            risk=risk,
            assessment=risk.current_assessment,
            actor=world.bde13_safety,
        )
    assert Notification.objects.filter(
        recipient=world.bn_commander, kind="decision_awaiting"
    ).exists()
