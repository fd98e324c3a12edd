"""Awaiting my decision stays short and cheap however many risks await."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from missionsafety.deployments.models import Deployment, Phase
from missionsafety.risks import selectors
from missionsafety.risks.tests.factories import assess, make_risk


def _awaiting(world: Any, n: int) -> None:
    for i in range(n):
        assess(world, make_risk(world, title=f"Wacht op besluit {i}"))


def _count(client: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("risks:awaiting")).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_risks(world: Any, client_for: Any) -> None:
    client = client_for(world.jfc_commander)
    _awaiting(world, 1)
    client.get(reverse("risks:awaiting"))
    few = _count(client)
    _awaiting(world, 5)
    assert _count(client) == few


def test_a_long_list_is_cut_with_a_notice(
    world: Any, client_for: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(selectors.awaiting, "AWAITING_SHOWN", 2)
    _awaiting(world, 3)
    page = client_for(world.jfc_commander).get(reverse("risks:awaiting"))
    html = page.content.decode()
    assert html.count("Wacht op besluit") == 2
    assert 'class="notice"' in html


def test_a_closed_deployment_awaits_no_decision(world: Any, client_for: Any) -> None:
    _awaiting(world, 1)
    client = client_for(world.jfc_commander)
    assert (
        "Wacht op besluit 0" in client.get(reverse("risks:awaiting")).content.decode()
    )
    Deployment.objects.filter(pk=world.dep.pk).update(phase=Phase.CLOSED)
    assert (
        "Wacht op besluit 0"
        not in client.get(reverse("risks:awaiting")).content.decode()
    )
