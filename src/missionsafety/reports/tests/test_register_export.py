"""The register as a workbook: risks with their assessment, controls, decisions."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from missionsafety.risks.tests.factories import assess, make_risk

pytestmark = pytest.mark.django_db


def _workbook(client: Any, dep: Any) -> Any:
    url = reverse("reports:register_xlsx", kwargs={"deployment_pk": dep.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert "register.xlsx" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def test_register_export_has_risks_controls_and_decisions(
    world: Any, client_for: Any
) -> None:
    risk = make_risk(
        world,
        controls=[
            {
                "description": "Koelcontainers",
                "kind": "engineer",
                "owner_party": world.party_bn,
            }
        ],
    )
    assess(world, risk)
    client = client_for(world.inspector)
    client.cookies.load({"missionsafety_language": "en"})
    risks, controls, decisions = _workbook(client, world.dep).worksheets
    assert [c.value for c in risks[1]][:3] == ["reference", "title", "hazard"]
    assert risks["A2"].value == "R-001"
    # The library's title, in the reader's language (docs/languages.md).
    assert risks["B2"].value == "Ammunition storage in heat"
    assert risks["N2"].value == "H"  # residual level of the current assessment
    assert controls["B2"].value == "Koelcontainers"
    assert decisions.max_row == 1  # no decisions yet: only the header


def test_export_costs_the_same_queries_for_more_risks(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.bde13_safety)
    for n in range(3):
        assess(world, make_risk(world, title=f"Risico {n}"))
    url = reverse("reports:register_xlsx", kwargs={"deployment_pk": world.dep.pk})
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(5):
        assess(world, make_risk(world, title=f"Nog een risico {n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
