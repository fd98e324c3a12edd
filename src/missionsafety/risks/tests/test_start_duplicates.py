"""Starting a register warns of risks already there and lets the user skip them."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from missionsafety.deployments import services as dep_services
from missionsafety.deployments.models import Party
from missionsafety.risks.models import Hazard, Risk
from missionsafety.risks.tests.factories import make_risk

pytestmark = pytest.mark.django_db


def _next_rotation(world: Any) -> Any:
    return dep_services.deployment_create(
        actor=world.bde13_safety,
        name="eFP Litouwen R13",
        code="EFP-R13",
        theatre="Litouwen",
        start_date=world.today,
        end_date=world.today.replace(year=world.today.year + 1),
        parties=[
            (world.bde13, Party.PartyRole.PARENT_BRIGADE),
            (world.bn, Party.PartyRole.DEPLOYED_UNIT),
        ],
    )


def test_copy_skips_risks_already_there(world: Any, client_for: Any) -> None:
    make_risk(world, title="Munitieopslag bij hoge temperaturen")
    make_risk(world, title="Konvooi over de E67")
    r13 = _next_rotation(world)
    party = r13.parties.get(organisation=world.bn)
    make_risk(
        world,
        deployment=r13,
        owner_party=party,
        title="Munitieopslag bij hoge temperatuur",
    )
    client = client_for(world.bde13_safety)
    url = reverse("risks:start", kwargs={"deployment_pk": r13.pk})
    page = client.get(url + "").content.decode()
    assert "skip_existing" in page
    response = client.post(
        url,
        {
            "mode": "copy",
            "source": world.dep.pk,
            "owner_party": party.pk,
            "skip_existing": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    titles = sorted(Risk.objects.filter(deployment=r13).values_list("title", flat=True))
    assert titles == ["Konvooi over de E67", "Munitieopslag bij hoge temperatuur"]
    assert "R-001 Munitieopslag bij hoge temperaturen" in response.content.decode()


def test_copy_without_skipping_copies_everything(world: Any, client_for: Any) -> None:
    make_risk(world, title="Munitieopslag bij hoge temperaturen")
    r13 = _next_rotation(world)
    party = r13.parties.get(organisation=world.bn)
    make_risk(
        world,
        deployment=r13,
        owner_party=party,
        title="Munitieopslag bij hoge temperaturen",
    )
    client_for(world.bde13_safety).post(
        reverse("risks:start", kwargs={"deployment_pk": r13.pk}),
        {"mode": "copy", "source": world.dep.pk, "owner_party": party.pk},
    )
    assert Risk.objects.filter(deployment=r13).count() == 2


def test_library_warns_of_a_similar_title(world: Any, client_for: Any) -> None:
    hazard = Hazard.objects.filter(active=True).first()
    assert hazard is not None
    make_risk(world, title=hazard.name_nl.upper() + ".")
    page = client_for(world.bde13_safety).get(
        reverse("risks:start", kwargs={"deployment_pk": world.dep.pk})
    )
    text = page.content.decode()
    assert "R-001" in text.split(hazard.name_nl)[1].split("</li>")[0]
