"""Register, risk page, heat map and list endpoints: constant query counts."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from missionsafety.risks.tests.factories import assess, make_risk


def _grow(world: Any, n: int) -> Any:
    risk = None
    for i in range(n):
        risk = make_risk(
            world,
            title=f"Risico {i}",
            controls=[
                {
                    "description": "Maatregel",
                    "kind": "engineer",
                    "owner_party": world.party_clas,
                    "due_date": world.dep.start_date + datetime.timedelta(days=1),
                },
                {
                    "description": "Tweede",
                    "kind": "protect",
                    "owner_party": world.party_bn,
                },
            ],
        )
        assess(world, risk, residual=("D", "III"))
    return risk


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_counts_do_not_grow_with_the_register(
    world: Any, client_for: Any, api_for: Any
) -> None:
    page = client_for(world.bde13_safety)
    api = api_for(world.bde13_safety)
    dep = world.dep.pk
    urls = [
        reverse("risks:register", args=[dep]),
        reverse("risks:register", args=[dep]) + "?overdue=1&phase=deployed&sort=owner",
        f"/api/v1/deployments/{dep}/risks",
        f"/api/v1/deployments/{dep}/heatmap",
        reverse("deployments:detail", args=[dep]),
        reverse("reports:dashboard"),
        reverse("risks:awaiting"),
    ]
    risk = _grow(world, 2)
    for url in urls:  # warm up: token last-used stamp, sessions
        (api if "/api/" in url else page).get(url)
    page.get(reverse("risks:detail", args=[risk.pk]))  # and the content types
    small = {u: _count(api if "/api/" in u else page, u) for u in urls}
    small_risk = _count(page, reverse("risks:detail", args=[risk.pk]))
    small_api = _count(api, f"/api/v1/risks/{risk.pk}")
    risk = _grow(world, 6)
    for url in urls:
        # The deployment changed: its trend history is derived again, once.
        (api if "/api/" in url else page).get(url)
        assert _count(api if "/api/" in url else page, url) == small[url], url
    assert _count(page, reverse("risks:detail", args=[risk.pk])) == small_risk
    assert _count(api, f"/api/v1/risks/{risk.pk}") == small_api


def test_register_page_pins_its_query_count(
    world: Any, client_for: Any, api_for: Any, django_assert_num_queries: Any
) -> None:
    """Session, user, memberships and scope (4), the deployment and its parties
    (2), count and page (2), control counts of the page (1), the summary's
    counts and cells (2), overdue controls and stop flags (2), categories (1),
    the header's inbox count (1)."""
    _grow(world, 5)
    client = client_for(world.bde13_safety)
    url = reverse("risks:register", args=[world.dep.pk])
    client.get(url)
    with django_assert_num_queries(15):
        client.get(url)
    api = api_for(world.bde13_safety)
    api.get(f"/api/v1/deployments/{world.dep.pk}/heatmap")
    with django_assert_num_queries(7):
        api.get(f"/api/v1/deployments/{world.dep.pk}/heatmap")


def test_awaiting_and_overview_pin_their_query_counts(
    world: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    _grow(world, 3)
    commander = client_for(world.jfc_commander)
    commander.get(reverse("risks:awaiting"))
    with django_assert_num_queries(13):
        commander.get(reverse("risks:awaiting"))
    safety = client_for(world.jfc_safety)
    safety.get(reverse("reports:dashboard"))
    # 14, three for the trend charts (the versions of the deployments in
    # view, their kept histories, the owning organisations' names), one for
    # the occurrences per month and category.
    with django_assert_num_queries(18):
        safety.get(reverse("reports:dashboard"))
