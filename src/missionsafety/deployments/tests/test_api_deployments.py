"""The deployments API: lists, one deployment, edits, phase moves and errors."""

from __future__ import annotations

from typing import Any

import pytest

from missionsafety.deployments.models import Deployment
from missionsafety.deployments.tests.factories import make_deployments

pytestmark = pytest.mark.django_db
JSON = "application/json"


def url(dep: Any, suffix: str = "") -> str:
    return f"/api/v1/deployments/{dep.pk}{suffix}"


def test_list_is_paginated_with_limit_offset_and_count(
    world: Any, api_for: Any
) -> None:
    make_deployments(world, 4)
    client = api_for(world.bde13_safety)
    first = client.get("/api/v1/deployments", {"limit": 2}).json()
    assert first["count"] == 5
    assert [d["code"] for d in first["items"]] == ["EX-003", "EX-002"]
    rest = client.get("/api/v1/deployments", {"limit": 2, "offset": 4}).json()
    assert [d["code"] for d in rest["items"]] == [world.dep.code]
    filtered = client.get("/api/v1/deployments", {"phase": "deployed"}).json()
    assert filtered["count"] == 1


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_is_constant(
    world: Any, api_for: Any, django_assert_num_queries: Any, count: int
) -> None:
    make_deployments(world, count)
    client = api_for(world.bde13_safety)
    # token, its last use, memberships, scope echelons, count, rows, parties
    with django_assert_num_queries(7):
        response = client.get("/api/v1/deployments", {"limit": 100})
    assert len(response.json()["items"]) == count + 1


def test_get_one_with_parties_and_allowed_phases(world: Any, api_for: Any) -> None:
    body = api_for(world.coy_commander).get(url(world.dep)).json()
    assert body["code"] == world.dep.code
    assert body["phase"] == "deployed"
    assert body["allowed_phases"] == ["redeployment"]
    assert {p["organisation"] for p in body["parties"]} == {
        "NLD JFC",
        "Staf CLAS",
        "13 LBR",
        "42 BLJ",
    }


def test_patch_with_the_current_version(world: Any, api_for: Any) -> None:
    response = api_for(world.bde13_safety).patch(
        url(world.dep), {"version": world.dep.version, "theatre": "Litouwen"}, JSON
    )
    assert response.status_code == 200
    response = api_for(world.bde13_safety).patch(
        url(world.dep), {"version": world.dep.version, "name": "eFP R12 verlengd"}, JSON
    )
    assert response.status_code == 200
    assert response.json()["name"] == "eFP R12 verlengd"
    assert response.json()["version"] == world.dep.version + 1


def test_patch_with_a_stale_version_answers_409(world: Any, api_for: Any) -> None:
    client = api_for(world.bde13_safety)
    stale = world.dep.version
    client.patch(url(world.dep), {"version": stale, "name": "Eerste"}, JSON)
    response = client.patch(url(world.dep), {"version": stale, "name": "Tweede"}, JSON)
    assert response.status_code == 409
    assert response.json()["current_version"] == stale + 1
    assert Deployment.objects.get(pk=world.dep.pk).name == "Eerste"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"start_date": "gisteren"}, "start_date"),
        ({"end_date": "2000-01-01"}, "__all__"),
        ({"code": "KFOR-1"}, "code"),
        ({}, "version"),
    ],
)
def test_invalid_input_answers_422_with_the_field(
    world: Any, api_for: Any, body: dict[str, Any], field: str
) -> None:
    data = {"version": world.dep.version, **body}
    if field == "version":
        data = {"name": "zonder versie"}
    response = api_for(world.bde13_safety).patch(url(world.dep), data, JSON)
    assert response.status_code == 422
    locs = [error["loc"][-1] for error in response.json()["detail"]]
    assert field in locs


def test_phase_move_and_refusal(world: Any, api_for: Any) -> None:
    client = api_for(world.bde13_safety)
    refused = client.post(url(world.dep, "/phase"), {"to_phase": "closed"}, JSON)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "phase"]
    moved = client.post(url(world.dep, "/phase"), {"to_phase": "redeployment"}, JSON)
    assert moved.status_code == 200
    assert moved.json()["phase"] == "redeployment"


def test_readers_get_403_with_the_roles_needed(world: Any, api_for: Any) -> None:
    response = api_for(world.inspector).post(
        url(world.dep, "/phase"), {"to_phase": "redeployment"}, JSON
    )
    assert response.status_code == 403
    assert set(response.json()["roles"]) == {"safety_officer", "commander"}


def test_outsider_gets_404(world: Any, api_for: Any) -> None:
    client = api_for(world.bde43_safety)
    assert client.get(url(world.dep)).status_code == 404
    patch = client.patch(url(world.dep), {"version": 1, "name": "x"}, JSON)
    assert patch.status_code == 404
    assert client.get("/api/v1/deployments/999999").status_code == 404


def test_unauthenticated_gets_401(world: Any, client: Any) -> None:
    assert client.get(url(world.dep)).status_code == 401


def test_party_with_unknown_organisation_is_invalid_input(
    world: Any, api_for: Any
) -> None:
    response = api_for(world.bde13_safety).post(
        url(world.dep, "/parties"),
        {"organisation_id": 999999, "role": "supporting"},
        JSON,
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "organisation_id"]


def test_create_with_unknown_party_writes_nothing(world: Any, api_for: Any) -> None:
    response = api_for(world.bde13_safety).post(
        "/api/v1/deployments",
        {
            "code": "NEW-1",
            "name": "Nieuw",
            "theatre": "Mali",
            "start_date": "2027-01-01",
            "end_date": "2027-06-01",
            "parties": [{"organisation_id": 999999, "role": "supporting"}],
        },
        JSON,
    )
    assert response.status_code == 422
    assert not Deployment.objects.filter(code="NEW-1").exists()
