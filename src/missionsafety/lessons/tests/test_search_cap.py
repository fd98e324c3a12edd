"""Large result sets: at most CAP results are counted, faceted and paged; the
page says "more than" honestly, and hidden rows never fill the capped set."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from missionsafety.lessons import search, services
from missionsafety.lessons.search import Filters, run_search


@pytest.fixture
def many(loop: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Three more visible munitie observations on the current deployment, with
    a cap of 2 results."""
    w = loop.w
    for n in range(3):
        services.observation_submit(
            actor=w.coy_leader,
            deployment=w.dep,
            title=f"Munitie nat geworden {n}",
            observation="Munitiekisten stonden buiten in de regen.",
            source="aar",
        )
    monkeypatch.setattr(search.queries, "CAP", 2)
    return loop


def test_more_than_the_cap_is_said_not_counted(many: Any) -> None:
    results = run_search(user=many.w.jfc_safety, q="munitie", per_page=1)
    assert results.more is True
    assert results.total == 2
    assert sum(f.count for f in results.facets["type"]) == 2
    assert results.has_next  # page 2 of the 2 counted
    second = run_search(user=many.w.jfc_safety, q="munitie", per_page=1, page=2)
    assert not second.has_next
    assert {second.hits[0].id} != {results.hits[0].id}


def test_under_the_cap_counts_are_exact(many: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(search.queries, "CAP", 1000)
    results = run_search(user=many.w.jfc_safety, q="munitie")
    assert results.more is False
    assert results.total == 6
    assert sum(f.count for f in results.facets["type"]) == 6


def test_hidden_rows_never_fill_the_capped_set(many: Any) -> None:
    # bde43 sees only the fuze observation (all of defence): one result, no
    # "more", even though six rows match the word and the cap is two.
    w = many.w
    results = run_search(user=w.bde43_safety, q="munitie")
    assert results.more is False
    assert [h.title for h in results.hits] == [many.fuzes.title]
    assert results.total == 1


def test_the_page_says_more_than(many: Any, client_for: Any) -> None:
    page = client_for(many.w.jfc_safety).get(
        reverse("lessons:search"), {"q": "munitie"}
    )
    text = page.content.decode()
    assert "More than 2 results" in text or "Meer dan 2 resultaten" in text


def test_the_api_says_more(many: Any, api_for: Any) -> None:
    body = api_for(many.w.jfc_safety).get("/api/v1/search", {"q": "munitie"}).json()
    assert body["more"] is True
    assert body["total"] == 2
    assert len(body["items"]) == 2


def test_without_words_the_newest_are_capped(many: Any) -> None:
    results = run_search(user=many.w.jfc_safety, q="", filters=Filters())
    assert results.more is True
    assert results.total == 2
    dates = [h.date for h in results.hits]
    assert dates == sorted(dates, reverse=True)


def test_pages_beyond_the_cap_show_the_last_page(many: Any) -> None:
    results = run_search(user=many.w.jfc_safety, q="munitie", per_page=1, page=40)
    assert results.page == 2
    assert len(results.hits) == 1


def test_suggestions_boost_the_same_category_among_the_best(loop: Any) -> None:
    w = loop.w
    hits = search.suggestions(
        user=w.jfc_safety,
        text="munitie hitte",
        categories=["climate"],
        theatre_key="",
        exclude_deployment_id=w.dep.pk,
    )
    # All three Mali observations match; only the fuze one is "climate".
    assert hits[0].title == loop.fuzes.title
    assert loop.secret.title in {h.title for h in hits}  # jfc is a party
    outsider = search.suggestions(
        user=w.bde43_safety,
        text="munitie hitte",
        categories=["climate"],
        theatre_key="",
        exclude_deployment_id=w.dep.pk,
    )
    assert [h.title for h in outsider] == [loop.fuzes.title]
