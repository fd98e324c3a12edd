"""Controls due before departure can be dated, within sane bounds; the
readiness gate keeps checking them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from missionsafety.core.exceptions import ValidationError
from missionsafety.deployments.models import Deployment
from missionsafety.evaluations.gate import compute_checklist
from missionsafety.risks import services
from missionsafety.risks.models import Control
from missionsafety.risks.tests.factories import make_risk

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _add(world: Any, risk: Any, due: datetime.date) -> Control:
    return services.control_add(
        actor=world.bde43_safety,
        risk=risk,
        description="Hitteprotocol trainen",
        kind="administrate",
        owner_party=world.other_party,
        due_date=due,
    )


def test_a_control_due_a_month_before_the_start_is_accepted(
    world: Any, client_for: Any
) -> None:
    # KFOR-1 was created today and starts in 90 days.
    risk = make_risk(
        world,
        actor=world.bde43_safety,
        deployment=world.other,
        owner_party=world.other_party,
    )
    due = world.other.start_date - datetime.timedelta(days=30)
    response = client_for(world.bde43_safety).post(
        reverse("risks:control_add", args=[risk.pk]),
        {
            "description": "Hitteprotocol trainen",
            "kind": "administrate",
            "owner_party": world.other_party.pk,
            "implementer": "",
            "due_date": due.isoformat(),
        },
    )
    assert response.status_code == 302
    assert Control.objects.get(risk=risk).due_date == due


def test_the_gate_still_lists_controls_due_before_departure(world: Any) -> None:
    risk = make_risk(
        world,
        actor=world.bde43_safety,
        deployment=world.other,
        owner_party=world.other_party,
    )
    _add(world, risk, world.other.start_date - datetime.timedelta(days=30))
    item = next(i for i in compute_checklist(world.other).items if i.key == "controls")
    assert item.is_open
    assert "Hitteprotocol trainen" in item.rows[0]


def test_a_due_date_before_the_deployment_was_created_is_refused(world: Any) -> None:
    risk = make_risk(
        world,
        actor=world.bde43_safety,
        deployment=world.other,
        owner_party=world.other_party,
    )
    with pytest.raises(ValidationError) as exc:
        _add(world, risk, world.today - DAY)
    assert "due_date" in exc.value.error_dict
    assert not Control.objects.filter(risk=risk).exists()


def test_never_more_than_two_years_before_the_start(world: Any) -> None:
    Deployment.objects.filter(pk=world.other.pk).update(
        created_at=world.other.created_at - datetime.timedelta(days=1500)
    )
    world.other.refresh_from_db()
    risk = make_risk(
        world,
        actor=world.bde43_safety,
        deployment=world.other,
        owner_party=world.other_party,
    )
    two_years = world.other.start_date - datetime.timedelta(days=730)
    with pytest.raises(ValidationError):
        _add(world, risk, two_years - DAY)
    assert _add(world, risk, two_years).due_date == two_years


def test_never_later_than_two_years_after_the_end(world: Any, api_for: Any) -> None:
    risk = make_risk(
        world,
        actor=world.bde43_safety,
        deployment=world.other,
        owner_party=world.other_party,
    )
    last = world.other.end_date + datetime.timedelta(days=730)
    response = api_for(world.bde43_safety).post(
        f"/api/v1/risks/{risk.pk}/controls",
        {
            "description": "Nazorg",
            "kind": "administrate",
            "owner_party_id": world.other_party.pk,
            "due_date": (last + DAY).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "due_date"]
    assert _add(world, risk, last).due_date == last
