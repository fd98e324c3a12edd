"""Decisions at the right level: chains, escalation, stop flag, expiry, events."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from missionsafety.core.events import subscribe
from missionsafety.core.exceptions import ValidationError
from missionsafety.deployments.models import Phase
from missionsafety.organisations import services as org_services
from missionsafety.risks import authority, services
from missionsafety.risks.models import Risk
from missionsafety.risks.tests.factories import assess, consult, fresh, make_risk
from missionsafety.testing import walk


def test_chain_follows_the_phase(world: Any) -> None:
    assert authority.chain_for(world.dep) == "operational"
    assert authority.chain_for(world.other) == "army"
    world.other.phase = Phase.CLOSED
    assert authority.chain_for(world.other) == "army"


def test_level_comes_from_the_matrix(world: Any) -> None:
    matrix = world.dep.matrix
    assert matrix.level_for("A", "I") == "EH"
    assert matrix.level_for("E", "IV") == "L"
    assert matrix.rank("EH") > matrix.rank("H")


def test_brigade_commander_accepts_high_in_preparation(world: Any) -> None:
    dep = world.dep
    dep.phase = Phase.READINESS
    dep.save()
    risk = make_risk(world, deployment=dep)
    assessment = assess(world, risk)  # H, army chain
    consult(world, risk)
    decision = services.decision_accept(
        actor=world.bde13_commander,
        risk=fresh(risk),
        assessment=assessment,
    )
    assert decision.decided_for == world.bde13


def test_acting_commander_counts_only_in_the_window(world: Any) -> None:
    today = world.today
    org_services.membership_create(
        actor=None,
        user=world.coy_leader,
        organisation=world.coy,
        role="commander",
        valid_from=today + datetime.timedelta(days=3),
        valid_until=today + datetime.timedelta(days=9),
    )
    risk = make_risk(world)
    assess(world, risk, residual=("D", "III"))
    requirement = authority.requirement_for(fresh(risk))
    assert requirement is not None
    assert (
        authority.deciding_organisation(world.coy_leader, requirement, world.dep)
        is None
    )
    assert authority.deciding_organisation(world.coy_commander, requirement, world.dep)


def test_other_brigade_commander_holds_no_authority(world: Any) -> None:
    risk = make_risk(world)
    assess(world, risk, residual=("D", "III"))
    requirement = authority.requirement_for(fresh(risk))
    assert requirement is not None
    assert (
        authority.deciding_organisation(world.bde43_commander, requirement, world.dep)
        is None
    )


def test_escalation_by_the_holder_goes_one_level_up(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    seen: list[Any] = []
    subscribe("risk.escalated", lambda **kw: seen.append(kw["decision"]))
    risk = make_risk(world)
    assessment = assess(world, risk, residual=("C", "III"))  # M: battalion
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.decision_escalate(
            actor=world.bn_commander, risk=fresh(risk), assessment=assessment
        )
    assert decision.escalated_to == world.jfc
    assert seen and seen[0].pk == decision.pk
    assert fresh(risk).escalation_echelon == 80
    # The battalion can no longer accept; NLD JFC can.
    requirement = authority.requirement_for(fresh(risk))
    assert requirement is not None
    assert (
        authority.deciding_organisation(world.bn_commander, requirement, world.dep)
        is None
    )


def test_reassessment_above_the_accepted_level_flags_stop(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    flagged: list[Any] = []
    subscribe("risk.stop_flagged", lambda **kw: flagged.append(kw["risk"].pk))
    risk = make_risk(world)
    assessment = assess(world, risk, residual=("D", "III"))  # L
    services.decision_accept(
        actor=world.coy_commander, risk=fresh(risk), assessment=assessment
    )
    with django_capture_on_commit_callbacks(execute=True):
        assess(world, fresh(risk), residual=("C", "III"), reason="occurrence")
    risk = fresh(risk)
    assert risk.stop_flag and risk.status == Risk.Status.AWAITING_DECISION
    assert flagged == [risk.pk]


def test_new_assessment_at_the_same_level_needs_a_new_decision(world: Any) -> None:
    risk = make_risk(world)
    assessment = assess(world, risk, residual=("D", "III"))
    services.decision_accept(
        actor=world.coy_commander, risk=fresh(risk), assessment=assessment
    )
    assess(world, fresh(risk), residual=("D", "III"), reason="periodic")
    risk = fresh(risk)
    assert risk.status == Risk.Status.AWAITING_DECISION and not risk.stop_flag


def test_reject_sends_back_for_rework(world: Any) -> None:
    risk = make_risk(world)
    assessment = assess(world, risk)
    services.decision_reject(
        actor=world.coy_commander,
        risk=fresh(risk),
        assessment=assessment,
        rationale="Meer maatregelen nodig.",
    )
    assert fresh(risk).status == Risk.Status.REJECTED


def test_awaiting_page_lists_what_the_commander_must_decide(
    world: Any, client_for: Any
) -> None:
    high = make_risk(world, title="Hoog risico")
    assess(world, high)
    low = make_risk(world, title="Laag risico")
    assess(world, low, residual=("D", "III"))
    jfc = (
        client_for(world.jfc_commander).get(reverse("risks:awaiting")).content.decode()
    )
    coy = (
        client_for(world.coy_commander).get(reverse("risks:awaiting")).content.decode()
    )
    assert "Hoog risico" in jfc and "Laag risico" in jfc
    assert "Laag risico" in coy and "Hoog risico" not in coy


def test_expired_acceptance_shows_for_review(world: Any, client_for: Any) -> None:
    risk = make_risk(world, title="Verlopen aanvaarding")
    assessment = assess(world, risk, residual=("D", "III"))
    services.decision_accept(
        actor=world.coy_commander, risk=fresh(risk), assessment=assessment
    )
    Risk.objects.filter(pk=risk.pk).update(
        acceptance_expires_on=world.today - datetime.timedelta(days=1)
    )
    page = client_for(world.coy_commander).get(reverse("risks:awaiting"))
    assert "Verlopen aanvaarding" in page.content.decode()
    with translation.override("nl"):
        expired_on = date_format(world.today - datetime.timedelta(days=1), "j M Y")
    assert expired_on in page.content.decode()
    api = client_for(world.bde13_safety).get(f"/api/v1/risks/{risk.pk}").json()
    assert api["acceptance_expired"] is True


def test_an_earlier_acceptance_counts_its_validity_from_its_day(world: Any) -> None:
    risk = make_risk(world, title="Eerder aanvaard")
    assessment = assess(world, risk, residual=("D", "III"))  # L: 180 days
    long_ago = timezone.now() - datetime.timedelta(days=200)
    with pytest.raises(ValidationError) as refused:
        services.decision_accept(
            actor=world.coy_commander,
            risk=fresh(risk),
            assessment=assessment,
            decided_at=long_ago,
            valid_until=world.today,
        )
    assert "valid_until" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        services.decision_accept(
            actor=world.coy_commander,
            risk=fresh(risk),
            assessment=assessment,
            decided_at=timezone.now() + datetime.timedelta(days=1),
        )
    assert "decided_at" in refused.value.error_dict
    decision = services.decision_accept(
        actor=world.coy_commander,
        risk=fresh(risk),
        assessment=assessment,
        decided_at=long_ago,
    )
    assert decision.decided_at == long_ago
    assert fresh(risk).acceptance_expires_on == timezone.localdate(
        long_ago
    ) + datetime.timedelta(days=180)


def test_deployment_phase_change_moves_the_chain(world: Any) -> None:
    risk = make_risk(world)
    assess(world, risk)
    dep = walk(world.dep, world.jfc_safety, Phase.POST_DEPLOYMENT)
    requirement = authority.requirement_for(
        Risk.objects.select_related("deployment").get(pk=risk.pk)
    )
    assert requirement is not None
    assert requirement.chain == "army" and requirement.echelon == 50
    assert dep.phase == Phase.POST_DEPLOYMENT
