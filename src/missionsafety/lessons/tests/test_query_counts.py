"""List pages and endpoints cost the same number of queries for 3 or 30 rows."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from missionsafety.lessons import services

from .conftest import full_odcr


def _more(w: Any, n: int) -> None:
    for i in range(n):
        obs = services.observation_submit(
            actor=w.coy_leader,
            deployment=w.dep,
            title=f"Munitie waarneming {i}",
            observation="Munitie in de hitte.",
            source="aar",
            **full_odcr(),
        )
        obs = services.observation_transition(
            actor=w.jfc_safety, observation=obs, to_status="verified"
        )
        services.lesson_create(
            actor=w.jfc_lessons, title=f"Les {i}", observations=[obs]
        )


def _count(client: Any, url: str, params: dict[str, Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_lists_are_constant(loop: Any, client_for: Any) -> None:
    w = loop.w
    client = client_for(w.jfc_safety)
    pages = [
        (reverse("lessons:observation_list"), {}),
        (reverse("lessons:lesson_list"), {}),
        (reverse("lessons:search"), {"q": "munitie"}),
        (reverse("lessons:search"), {}),
        ("/api/v1/observations", {}),
        ("/api/v1/lessons", {}),
        ("/api/v1/search", {"q": "munitie hitte"}),
    ]
    _more(w, 2)
    before = [_count(client, url, params) for url, params in pages]
    _more(w, 12)
    after = [_count(client, url, params) for url, params in pages]
    assert before == after


def test_search_page_queries(
    loop: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    client = client_for(loop.w.jfc_safety)
    client.get(reverse("lessons:search"), {"q": "munitie"})
    # session, user, memberships, scope, the best matches (facets counted from
    # them), categories, the page's hits with snippets, and the inbox count in
    # the header
    with django_assert_num_queries(8):
        client.get(reverse("lessons:search"), {"q": "munitie"})
