"""Moving to deployed months before the start asks for confirmation and
records the reason."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from missionsafety.audit.models import ChangeRecord
from missionsafety.deployments import services
from missionsafety.deployments.models import Deployment, Party, Phase
from missionsafety.testing import walk

pytestmark = pytest.mark.django_db


def _ready(world: Any, starts_in: int) -> Deployment:
    deployment = services.deployment_create(
        actor=world.bde13_safety,
        name="UNIFIL rotatie 1",
        code="UNIFIL-R1",
        theatre="Libanon",
        start_date=world.today + datetime.timedelta(days=starts_in),
        end_date=world.today + datetime.timedelta(days=starts_in + 180),
        parties=[
            (world.jfc, Party.PartyRole.OPERATIONAL_COMMAND),
            (world.bde13, Party.PartyRole.PARENT_BRIGADE),
        ],
    )
    deployment = walk(deployment, world.bde13_safety, Phase.READINESS)
    from missionsafety.evaluations.services import gate_pass_for_walk

    gate_pass_for_walk(deployment, world.bde13_safety)
    return Deployment.objects.get(pk=deployment.pk)


def test_months_early_the_page_asks_for_the_reason_and_keeps_the_form(
    world: Any, client_for: Any
) -> None:
    deployment = _ready(world, starts_in=90)
    client = client_for(world.bde13_safety)
    url = reverse("deployments:phase", args=[deployment.pk])
    response = client.post(
        url, {"to_phase": "deployed", "note": "Kwartiermakers vooruit", "version": ""}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "90 dagen" in page
    assert "Kwartiermakers vooruit" in page  # nothing typed is lost
    assert Deployment.objects.get(pk=deployment.pk).phase == Phase.READINESS

    response = client.post(
        url,
        {
            "to_phase": "deployed",
            "note": "Kwartiermakers vooruit",
            "early_reason": "Kwartiermakers vertrekken drie maanden eerder.",
        },
    )
    assert response.status_code == 302
    assert Deployment.objects.get(pk=deployment.pk).phase == Phase.DEPLOYED
    record = ChangeRecord.objects.get(action="deployed_early")
    assert record.after is not None
    assert record.after["reason"] == "Kwartiermakers vertrekken drie maanden eerder."
    assert record.after["days_before_start"] == 90
    assert record.actor_id == world.bde13_safety.pk


def test_the_api_answers_422_on_early_reason_without_one(
    world: Any, api_for: Any
) -> None:
    deployment = _ready(world, starts_in=60)
    response = api_for(world.bde13_safety).post(
        f"/api/v1/deployments/{deployment.pk}/phase",
        {"to_phase": "deployed"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "early_reason"]
    response = api_for(world.bde13_safety).post(
        f"/api/v1/deployments/{deployment.pk}/phase",
        {"to_phase": "deployed", "early_reason": "Vooruitgeschoven detachement"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["phase"] == "deployed"


def test_within_a_month_of_the_start_no_reason_is_asked(world: Any) -> None:
    deployment = _ready(world, starts_in=30)
    moved = services.deployment_move_phase(
        actor=world.bde13_safety, deployment=deployment, to_phase=Phase.DEPLOYED
    )
    assert moved.phase == Phase.DEPLOYED
    assert not ChangeRecord.objects.filter(action="deployed_early").exists()
