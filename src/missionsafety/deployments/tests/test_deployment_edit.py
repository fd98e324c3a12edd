"""Editing a deployment; a stale edit shows the conflict and keeps the input."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def edit_data(world: Any, **changes: Any) -> dict[str, Any]:
    dep = world.dep
    return {
        "code": dep.code,
        "name": dep.name,
        "theatre": dep.theatre,
        "start_date": dep.start_date.isoformat(),
        "end_date": dep.end_date.isoformat(),
        "predecessor": "",
        "description": dep.description,
        "version": dep.version,
        **changes,
    }


def test_edit_saves_and_bumps_the_version(world: Any, client_for: Any) -> None:
    url = reverse("deployments:edit", args=[world.dep.pk])
    response = client_for(world.bde13_safety).post(
        url, edit_data(world, name="eFP Litouwen R12 (verlengd)")
    )
    assert response.status_code == 302
    before = world.dep.version
    world.dep.refresh_from_db()
    assert world.dep.name == "eFP Litouwen R12 (verlengd)"
    assert world.dep.version == before + 1


def test_second_browser_sees_the_conflict_and_keeps_its_input(
    world: Any, client_for: Any
) -> None:
    url = reverse("deployments:edit", args=[world.dep.pk])
    first = client_for(world.bde13_safety)
    second = client_for(world.jfc_safety)
    second.cookies.load({"missionsafety_language": "en"})
    # Both open the form at the same version.
    assert f'value="{world.dep.version}"' in first.get(url).content.decode()
    second.get(url)
    first.post(url, edit_data(world, name="Eerste wijziging"))
    response = second.post(url, edit_data(world, theatre="Litouwen en Letland"))
    html = response.content.decode()
    assert response.status_code == 422
    assert "Someone else saved this item while you were editing it" in html
    assert 'value="Litouwen en Letland"' in html
    # Per changed field: the other user's value beside this user's own.
    rows = {row["name"]: row for row in response.context["form"].conflicts}
    assert set(rows) == {"name", "theatre"}
    assert (rows["name"]["theirs"], rows["name"]["yours"]) == (
        "Eerste wijziging",
        world.dep.name,
    )
    assert (rows["theatre"]["theirs"], rows["theatre"]["yours"]) == (
        "Litouwen",
        "Litouwen en Letland",
    )
    world.dep.refresh_from_db()
    assert world.dep.name == "Eerste wijziging"
    assert world.dep.theatre == "Litouwen"
    # The form now carries the current version: saving again applies the change.
    again = second.post(
        url, edit_data(world, name="Eerste wijziging", theatre="Litouwen en Letland")
    )
    assert again.status_code == 302


def test_an_edit_without_a_version_is_refused(world: Any, client_for: Any) -> None:
    url = reverse("deployments:edit", args=[world.dep.pk])
    data = edit_data(world, name="Zonder versie")
    del data["version"]
    response = client_for(world.bde13_safety).post(url, data)
    assert response.status_code == 422
    world.dep.refresh_from_db()
    assert world.dep.name != "Zonder versie"


@pytest.mark.parametrize("who", ["viewer", "inspector", "coy_leader"])
def test_readers_cannot_edit(world: Any, client_for: Any, who: str) -> None:
    url = reverse("deployments:edit", args=[world.dep.pk])
    response = client_for(getattr(world, who)).post(
        url, edit_data(world, name="Niet toegestaan")
    )
    assert response.status_code == 422
    world.dep.refresh_from_db()
    assert world.dep.name == "eFP Litouwen R12"
