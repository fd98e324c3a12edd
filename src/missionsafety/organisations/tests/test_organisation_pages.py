"""The organisation tree and one organisation's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from missionsafety.organisations import services

pytestmark = pytest.mark.django_db


def test_tree_lists_organisations_parents_before_children(
    world: Any, client_for: Any
) -> None:
    page = client_for(world.viewer).get(reverse("organisations:tree"))
    html = page.content.decode()
    assert page.status_code == 200
    positions = [
        html.index(f"<strong>{name}</strong>")
        for name in ("DS", "Staf CLAS", "13 LBR", "42 BLJ", "B-CIE 42")
    ]
    assert positions == sorted(positions)
    assert 'class="depth-3"' in html  # 42 BLJ sits three levels down
    assert "style=" not in html  # indentation by class: the CSP forbids inline style


def test_archived_organisations_only_on_request(world: Any, client_for: Any) -> None:
    services.organisation_archive(actor=None, organisation=world.bn43, version=None)
    client = client_for(world.viewer)
    assert (
        "45 PAINFBAT" not in client.get(reverse("organisations:tree")).content.decode()
    )
    shown = client.get(
        reverse("organisations:tree"), {"archived": "1"}
    ).content.decode()
    assert "45 PAINFBAT" in shown


def test_detail_shows_people_children_and_visible_deployments(
    world: Any, client_for: Any
) -> None:
    url = reverse("organisations:detail", args=[world.bde13.pk])
    html = client_for(world.bde13_safety).get(url).content.decode()
    assert world.bde13_commander.display_name in html
    assert "42 BLJ" in html  # a subordinate unit
    assert world.dep.code in html
    # An outsider sees the organisation but not the deployments it takes part in.
    outsider = client_for(world.bde43_safety).get(url).content.decode()
    assert "13 LBR" in outsider
    assert world.dep.code not in outsider


def test_unknown_organisation_is_not_found(world: Any, client_for: Any) -> None:
    url = reverse("organisations:detail", args=[999999])
    assert client_for(world.viewer).get(url).status_code == 404
