"""Odd but well-formed input answers 4xx with the field named, never 500."""

from __future__ import annotations

from typing import Any

import pytest

from missionsafety.lessons import services as lesson_services
from missionsafety.risks.tests.factories import make_risk

pytestmark = pytest.mark.django_db

BEYOND_64_BITS = 2**63


def _list_urls(client: Any, ids: dict[str, int]) -> list[str]:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    urls = []
    for path, methods in paths.items():
        params = methods.get("get", {}).get("parameters", [])
        if any(p["name"] == "offset" for p in params):
            urls.append(path.format(**ids))
    return urls


def test_an_offset_beyond_64_bits_is_refused_on_every_list(
    world: Any, api_for: Any
) -> None:
    risk = make_risk(world)
    api = api_for(world.bde13_safety)
    urls = _list_urls(
        api, {"deployment_id": world.dep.pk, "risk_id": risk.pk, "org_id": 1}
    )
    assert len(urls) >= 8
    for url in urls:
        response = api.get(url, {"offset": BEYOND_64_BITS})
        assert response.status_code == 422, url
        assert "offset" in response.content.decode(), url
        assert api.get(url, {"offset": 0}).status_code == 200, url


def test_a_deployment_description_of_null_is_refused_by_name(
    world: Any, api_for: Any
) -> None:
    response = api_for(world.jfc_safety).patch(
        f"/api/v1/deployments/{world.dep.pk}",
        {"version": world.dep.version, "description": None},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "description" in response.content.decode()
    world.dep.refresh_from_db()
    assert world.dep.description is not None


def test_an_organisation_id_beyond_64_bits_is_refused(world: Any, api_for: Any) -> None:
    obs = lesson_services.observation_submit(
        actor=world.coy_leader,
        deployment=world.dep,
        title="Radio viel uit",
        observation="De radio viel uit bij -20 graden.",
        source="hot_wash",
    )
    response = api_for(world.coy_leader).patch(
        f"/api/v1/observations/{obs.pk}",
        {
            "version": obs.version,
            "releasability": "organisations",
            "released_to": [BEYOND_64_BITS],
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "released_to" in response.content.decode()


def test_a_moment_before_the_first_year_is_refused_by_name(
    world: Any, api_for: Any
) -> None:
    response = api_for(world.coy_commander).post(
        f"/api/v1/deployments/{world.dep.pk}/occurrences",
        {
            "occurred_at": "0001-01-01T00:30:00+01:00",
            "place": "Rukla",
            "unit_id": world.coy.pk,
            "kind": "incident",
            "title": "Voertuig in de greppel",
            "actual_category": 1,
            "potential_category": 1,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "occurred_at" in response.content.decode()


@pytest.mark.parametrize("character", ["\x0b", "\x00", "\x1b"])
def test_a_control_character_in_an_api_text_is_refused_by_name(
    world: Any, api_for: Any, character: str
) -> None:
    risk = make_risk(world)
    response = api_for(world.bde13_safety).patch(
        f"/api/v1/risks/{risk.pk}",
        {"version": risk.version, "title": f"Munitie{character}opslag"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "title" in response.content.decode()
    risk.refresh_from_db()
    assert risk.title == "Munitieopslag bij hoge temperaturen"


def test_a_control_character_in_a_query_is_refused_by_name(
    world: Any, api_for: Any
) -> None:
    response = api_for(world.bde13_safety).get("/api/v1/search", {"q": "munitie\x00"})
    assert response.status_code == 422
    assert '"q"' in response.content.decode()


def test_a_control_character_in_a_form_is_a_field_error_and_the_rest_is_kept(
    world: Any, client_for: Any
) -> None:
    from django.urls import reverse

    risk = make_risk(world)
    response = client_for(world.bde13_safety).post(
        reverse("risks:edit", args=[risk.pk]),
        {
            "title": "Munitie\x0bopslag",
            "hazard": "Munitie warmt op tot boven 60 °C.",
            "owner_party": world.party_bn.pk,
            "version": risk.version,
        },
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert "title" in form.errors
    assert "Munitie warmt op tot boven 60 °C." in response.content.decode()
    risk.refresh_from_db()
    assert risk.title == "Munitieopslag bij hoge temperaturen"


def test_tab_and_newlines_stay_allowed(world: Any, api_for: Any) -> None:
    risk = make_risk(world)
    response = api_for(world.bde13_safety).patch(
        f"/api/v1/risks/{risk.pk}",
        {"version": risk.version, "cause": "Eerste regel\r\n\tTweede regel"},
        content_type="application/json",
    )
    assert response.status_code == 200


def test_an_organisation_id_beyond_64_bits_in_a_form_is_a_field_error(
    world: Any, client_for: Any
) -> None:
    from django.urls import reverse

    obs = lesson_services.observation_submit(
        actor=world.coy_leader,
        deployment=world.dep,
        title="Radio viel uit",
        observation="De radio viel uit bij -20 graden.",
        source="hot_wash",
    )
    response = client_for(world.coy_leader).post(
        reverse("lessons:observation_edit", args=[obs.pk]),
        {
            "title": obs.title,
            "source": obs.source,
            "kind": obs.kind,
            "observation": obs.observation,
            "releasability": "organisations",
            "released_to": [str(BEYOND_64_BITS)],
            "version": obs.version,
        },
    )
    assert response.status_code == 422
    assert "released_to" in response.context["form"].errors
