"""Long lists: counted up to a cap, read in time order, private rows stay private."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from missionsafety.occurrences import selectors
from missionsafety.occurrences.tests.factories import bulk_occurrences

pytestmark = pytest.mark.django_db


def test_count_stops_at_the_cap(world: Any, client_for: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(selectors.CappedPaginator, "cap", 20)
    bulk_occurrences(world.dep, world.coy, 30, category=1)
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
    bulk_occurrences(world.dep, world.coy, 60, "Eigen", spacing=2)
    bulk_occurrences(world.other, world.bn43, 60, "Vreemd", spacing=2, offset=1)
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


def test_deep_pages_show_the_same_rows(
    world: Any, client_for: Any, monkeypatch: Any, django_assert_num_queries: Any
) -> None:
    """Deep pages read ids first, then the rows: same rows, one query more."""
    bulk_occurrences(world.dep, world.coy, 120, category=1)
    client = client_for(world.bde13_safety)
    url = reverse("occurrences:list", args=[world.dep.pk])
    shallow = client.get(url, {"page": "2"}).content.decode()
    monkeypatch.setattr(selectors, "DEEP_OFFSET", 0)
    client.get(url, {"page": "2"})
    with django_assert_num_queries(10):
        deep = client.get(url, {"page": "2"}).content.decode()
    assert "Voorval 50<" in deep and "Voorval 99<" in deep
    assert "Voorval 49<" not in deep and "Voorval 100<" not in deep
    rows = [line for line in shallow.splitlines() if "Voorval " in line]
    assert rows == [line for line in deep.splitlines() if "Voorval " in line]
