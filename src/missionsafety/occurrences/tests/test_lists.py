"""Occurrence lists: filters, pagination, constant queries, trend panels."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from missionsafety.occurrences.access import make_occurrence
from missionsafety.occurrences.models import Occurrence

pytestmark = pytest.mark.django_db


def _bulk(world: Any, n: int, **extra: Any) -> None:
    now = timezone.now()
    Occurrence.objects.bulk_create(
        Occurrence(
            deployment=world.dep,
            occurred_at=now - datetime.timedelta(hours=i + 1),
            place="Rukla",
            unit=world.coy,
            kind=["unsafe_situation", "near_miss", "incident", "accident"][i % 4],
            title=f"Voorval {i}",
            actual_category=i % 5,
            potential_category=i % 5,
            ammunition_involved=i % 3 == 0,
            **extra,
        )
        for i in range(n)
    )


def test_filters_narrow_the_list(world: Any, client_for: Any) -> None:
    make_occurrence(
        world,
        kind="accident",
        title="Ongeval munitieopslag",
        actual_category=3,
        potential_category=4,
        ammunition_involved=True,
    )
    make_occurrence(world, kind="near_miss", title="Bijna-ongeval poort")
    client = client_for(world.bde13_safety)
    url = reverse("occurrences:list", args=[world.dep.pk])
    body = client.get(url, {"kind": "accident"}).content.decode()
    assert "Ongeval munitieopslag" in body and "Bijna-ongeval poort" not in body
    body = client.get(url, {"category": "3"}).content.decode()
    assert "Ongeval munitieopslag" in body and "Bijna-ongeval poort" not in body
    body = client.get(url, {"ammunition": "yes"}).content.decode()
    assert "Ongeval munitieopslag" in body and "Bijna-ongeval poort" not in body
    body = client.get(url, {"status": "closed"}).content.decode()
    assert "Geen voorvallen die aan deze filters voldoen" in body
    tomorrow = (world.today + datetime.timedelta(days=1)).isoformat()
    body = client.get(url, {"date_from": tomorrow}).content.decode()
    assert "Ongeval munitieopslag" not in body
    body = client.get(
        url, {"date_to": world.today.isoformat(), "category": "9"}
    ).content.decode()
    assert "Ongeval munitieopslag" in body  # a category off the scale is ignored


def test_mine_spans_every_visible_deployment(world: Any, client_for: Any) -> None:
    make_occurrence(world, title="Voorval R12")
    make_occurrence(
        world,
        actor=world.bde43_safety,
        deployment=world.other,
        unit=world.bn43,
        title="Voorval KFOR",
    )
    body = client_for(world.inspector).get(reverse("occurrences:mine")).content.decode()
    assert "Voorval R12" in body and "Voorval KFOR" in body
    body = (
        client_for(world.bde13_safety).get(reverse("occurrences:mine")).content.decode()
    )
    assert "Voorval R12" in body and "Voorval KFOR" not in body


@pytest.mark.parametrize("rows", [8, 60])
def test_list_queries_are_constant(
    world: Any, client_for: Any, django_assert_num_queries: Any, rows: int
) -> None:
    _bulk(world, rows)
    client = client_for(world.bde13_safety)
    url = reverse("occurrences:list", args=[world.dep.pk])
    client.get(url)  # warm caches (content types, session)
    # session, user, memberships, scope echelons, deployment, its parties,
    # count, inbox count in the header, the page of rows
    with django_assert_num_queries(9):
        response = client.get(url, {"kind": "near_miss", "category": "1"})
    assert response.status_code == 200
    with django_assert_num_queries(7):
        client.get(reverse("occurrences:mine"), {"ammunition": "yes"})


def test_pagination(world: Any, client_for: Any) -> None:
    _bulk(world, 55)
    client = client_for(world.bde13_safety)
    url = reverse("occurrences:list", args=[world.dep.pk])
    first = client.get(url).content.decode()
    assert "Voorval 0<" in first and "Voorval 54<" not in first
    second = client.get(url, {"page": 2}).content.decode()
    assert "Voorval 54<" in second


def test_api_list_queries_are_constant(
    world: Any, api_for: Any, django_assert_num_queries: Any
) -> None:
    _bulk(world, 30)
    client = api_for(world.bde13_safety)
    url = f"/api/v1/deployments/{world.dep.pk}/occurrences"
    client.get(url)
    with django_assert_num_queries(7):
        response = client.get(url, {"kind": "incident", "limit": 20})
    assert response.json()["count"] == 7


def test_trend_panel_on_deployment_and_dashboard(world: Any, client_for: Any) -> None:
    make_occurrence(world, kind="accident", actual_category=3, potential_category=3)
    page = client_for(world.bde13_safety).get(
        reverse("deployments:detail", args=[world.dep.pk])
    )
    body = page.content.decode()
    assert "Verloop van voorvallen" in body
    assert reverse("occurrences:report", args=[world.dep.pk]) in body
    from django.test import RequestFactory

    from missionsafety.core.panels import panels_for

    request = RequestFactory().get("/")
    request.user = world.jfc_safety
    panels = panels_for("dashboard", request, None)
    trend = next(p for p in panels if p["template"] == "occurrences/_trend_panel.html")
    assert trend["context"]["trend"]["total"] == 1
    assert trend["context"]["trend"]["serious"] == 1
