"""Long lists: counted up to a cap, read in time order, private rows stay private."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from missionsafety.occurrences import selectors
from missionsafety.occurrences.models import Occurrence

pytestmark = pytest.mark.django_db


def _bulk(deployment: Any, unit: Any, n: int, label: str, start: int = 0) -> None:
    now = timezone.now()
    Occurrence.objects.bulk_create(
        Occurrence(
            deployment=deployment,
            occurred_at=now - datetime.timedelta(hours=2 * i + start + 1),
            place="Rukla",
            unit=unit,
            kind="near_miss",
            title=f"{label} {i}",
            actual_category=1,
            potential_category=1,
        )
        for i in range(n)
    )


def test_count_stops_at_the_cap(world: Any, client_for: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(selectors.CappedPaginator, "cap", 20)
    _bulk(world.dep, world.coy, 30, "Voorval")
    client = client_for(world.bde13_safety)
    url = reverse("occurrences:list", args=[world.dep.pk])
    body = client.get(url).content.decode()
    assert "meer dan 20 voorvallen" in body
    # Pages stop at the cap: the last page ends with the 20th occurrence.
    body = client.get(url, {"page": "9"}).content.decode()
    assert "Voorval 19<" in body and "Voorval 20<" not in body
    # A filter that leaves fewer rows gets the exact count again.
    body = client.get(url, {"kind": "accident"}).content.decode()
    assert "meer dan" not in body


@pytest.mark.parametrize("sort_limit", [0, 10_000])
def test_mine_in_time_order_shows_only_visible_rows(
    world: Any,
    client_for: Any,
    monkeypatch: Any,
    django_assert_num_queries: Any,
    sort_limit: int,
) -> None:
    """Both ways of reading the cross-deployment list give the same rows."""
    monkeypatch.setattr(selectors, "SORT_LIMIT", sort_limit)
    _bulk(world.dep, world.coy, 60, "Eigen", start=0)
    _bulk(world.other, world.bn43, 60, "Vreemd", start=1)
    client = client_for(world.bde13_safety)
    url = reverse("occurrences:mine")
    client.get(url)
    # session, user, memberships, scope echelons, count, inbox count, page
    with django_assert_num_queries(7):
        body = client.get(url, {"page": "2"}).content.decode()
    assert "Vreemd" not in body
    assert "Eigen 50<" in body and "Eigen 49<" not in body
    body = client_for(world.bde43_safety).get(url).content.decode()
    assert "Vreemd 0<" in body and "Eigen" not in body
    body = client_for(world.inspector).get(url).content.decode()
    assert "Eigen 0<" in body and "Vreemd 0<" in body
