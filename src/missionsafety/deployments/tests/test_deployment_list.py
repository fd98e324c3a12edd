"""My deployments: filters, pages, the empty state and what one may see."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from missionsafety.deployments.tests.factories import make_deployments

pytestmark = pytest.mark.django_db
URL = reverse("deployments:list")


def english(client: Client) -> Client:
    client.cookies.load({"missionsafety_language": "en"})
    return client


def test_lists_only_visible_deployments(world: Any, client_for: Any) -> None:
    html = client_for(world.coy_commander).get(URL).content.decode()
    assert world.dep.code in html
    assert world.other.code not in html
    outsider = client_for(world.bde43_safety).get(URL).content.decode()
    assert world.other.code in outsider
    assert world.dep.code not in outsider


def test_filters_by_phase_and_text(world: Any, client_for: Any) -> None:
    make_deployments(world, 2)
    client = client_for(world.bde13_safety)
    deployed = client.get(URL, {"phase": "deployed"}).content.decode()
    assert world.dep.code in deployed
    assert "EX-000" not in deployed
    planning = client.get(URL, {"phase": "planning"}).content.decode()
    assert "EX-000" in planning
    assert world.dep.code not in planning
    found = client.get(URL, {"q": "litouwen"}).content.decode()
    assert world.dep.code in found
    assert "EX-001" not in found
    # A nonsense phase is ignored rather than an error.
    assert client.get(URL, {"phase": "bogus"}).status_code == 200


def test_htmx_request_gets_only_the_results(world: Any, client_for: Any) -> None:
    response = client_for(world.bde13_safety).get(
        URL, {"q": "EFP"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert world.dep.code in html
    assert "<html" not in html


def test_empty_states_say_what_to_do(world: Any, client_for: Any) -> None:
    client = english(client_for(world.bde13_safety))
    html = client.get(URL, {"q": "no such thing"}).content.decode()
    assert "No deployments match these filters." in html
    loner = english(client_for(world.inspector))
    assert "EFP" in loner.get(URL).content.decode()  # auditors see all


def test_empty_state_for_a_unit_without_deployments(
    world: Any, client_for: Any
) -> None:
    from missionsafety.testing import make_user

    lonely = make_user("ivd.clerk", world.ivd, "contributor")
    html = english(client_for(lonely)).get(URL).content.decode()
    assert "Your organisation is not a party to any deployment yet." in html


def test_pagination_keeps_the_filters(world: Any, client_for: Any) -> None:
    make_deployments(world, 55)
    client = client_for(world.bde13_safety)
    first = client.get(URL, {"phase": "planning"}).content.decode()
    assert "EX-054" in first  # newest first
    assert "EX-000" not in first
    assert "?page=2&amp;phase=planning" in first
    second = client.get(URL, {"phase": "planning", "page": 2}).content.decode()
    assert "EX-000" in second
    assert "EX-054" not in second


@pytest.mark.parametrize("count", [3, 30])
def test_query_count_does_not_grow_with_the_rows(
    world: Any, client_for: Any, django_assert_num_queries: Any, count: int
) -> None:
    make_deployments(world, count)
    client = client_for(world.bde13_safety)
    client.get(URL)  # warm the session and content types
    with django_assert_num_queries(QUERIES):
        response = client.get(URL)
    assert response.content.decode().count("EX-0") == count


# session, user, memberships, scope echelons, count, rows, parties, the
# deployments the user is out on (the report buttons at the top), and the
# unread count of the inbox in the header — pinned:
QUERIES = 9
