"""Foundation list pages and endpoints cost the same queries for 2 or 12 rows."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from missionsafety.deployments import services as dep_services
from missionsafety.deployments.models import Party

R = Party.PartyRole

# url name, kwargs (from the world), who asks, pinned number of queries (pages
# include one for the inbox count in the header; the organisation page carries
# the panels of risks, lessons and threads). History pages add one query per kind
# of object their records are about or refer to, to name them in the reader's
# language (the deployment's: its matrix and people; its own name is known);
# the chain page's newest records refer to more kinds in the world than after
# ten new deployments, so it is pinned before and after: (few, many).
LISTS = [
    # One query more than the list itself: the deployments the user is out on
    # (the report buttons at the top).
    ("home", lambda w: {}, "bde13_safety", 9),
    ("deployments:list", lambda w: {}, "jfc_safety", 9),
    ("api:list_deployments", lambda w: {}, "jfc_safety", 7),
    ("organisations:tree", lambda w: {}, "bde13_safety", 5),
    ("api:list_organisations", lambda w: {}, "bde13_safety", 4),
    ("organisations:detail", lambda w: {"pk": w.bde13.pk}, "bde13_safety", 13),
    (
        "audit:history",
        lambda w: {"model": "deployments.deployment", "pk": w.dep.pk},
        "bde13_safety",
        10,
    ),
    ("audit:chain", lambda w: {}, "inspector", (15, 11)),
]


def add_deployments(w: Any, n: int) -> None:
    """More deployments of 13 LBR, each with its parties and some history."""
    for i in range(n):
        dep = dep_services.deployment_create(
            actor=w.bde13_safety,
            name=f"Oefening {i}",
            code=f"EX-{i}",
            theatre="Duitsland",
            start_date=w.today + datetime.timedelta(days=30 + i),
            end_date=w.today + datetime.timedelta(days=60 + i),
            parties=[
                (w.bde13, R.PARENT_BRIGADE),
                (w.bn, R.DEPLOYED_UNIT),
                (w.jfc, R.OPERATIONAL_COMMAND),
            ],
        )
        dep_services.deployment_update(
            actor=w.bde13_safety, deployment=dep, version=dep.version, name=f"Oef {i}"
        )


def count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "kwargs", "who", "pinned"), LISTS, ids=[x[0] for x in LISTS]
)
def test_query_count_is_constant_in_the_number_of_rows(
    world: Any,
    client_for: Any,
    name: str,
    kwargs: Any,
    who: str,
    pinned: int | tuple[int, int],
) -> None:
    client = client_for(getattr(world, who))
    url = reverse(name, kwargs=kwargs(world))
    few = count(client, url)
    add_deployments(world, 10)
    many = count(client, url)
    assert (few, many) == (pinned if isinstance(pinned, tuple) else (pinned, pinned))
