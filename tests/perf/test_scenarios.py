"""The benchmark's writes act on rows of their own and succeed on generated data."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse

from missionsafety.organisations.models import User
from missionsafety.perf import bench
from missionsafety.perf.scenarios import SCENARIOS, Scenario

WRITES = [s for s in SCENARIOS if s.method != "GET"]
CONCURRENCY = 16


def targets_for_writes() -> dict[str, Any]:
    return {
        "deployment": 7,
        "unit": 3,
        "risk": 1,
        "assessment": 1,
        "write_risks": [[1000 + n, 5000 + n] for n in range(bench.WRITE_RISKS)],
    }


def what_it_locks(item: Scenario, targets: dict[str, Any], i: int) -> Any:
    """The row a request changes: its risk, or its occurrence's monthly count."""
    mine, url = item.for_request(targets, i)
    if item.url_name == "api:create_occurrence":
        body = item.body(mine, i) if item.body else {}
        return url, body["kind"], body["occurred_at"][:7]
    return url


@pytest.mark.parametrize("item", WRITES, ids=[s.name for s in WRITES])
@pytest.mark.parametrize("first", [1, 190, 100_001])
def test_concurrent_writes_change_different_rows(item: Scenario, first: int) -> None:
    targets = targets_for_writes()
    # Requests in flight together have nearby numbers (warm-up ones from 100,001).
    window = range(first, first + 2 * CONCURRENCY)
    locked = [what_it_locks(item, targets, i) for i in window]
    assert len(set(locked)) == len(locked)


def test_a_write_round_comes_back_to_the_first_risk() -> None:
    decision = next(s for s in WRITES if s.name == "write: decision")
    targets = targets_for_writes()
    first, _url = decision.for_request(targets, 0)
    again, _url = decision.for_request(targets, bench.WRITE_RISKS)
    assert first["risk"] == again["risk"] == 1000
    assert first["assessment"] == 5000


def post(client: Client, item: Scenario, url: str, body: dict[str, Any]) -> Any:
    if item.is_api:
        return client.post(url, json.dumps(body), content_type="application/json")
    return client.post(url, body)


@pytest.fixture
def targets(db: Any) -> dict[str, Any]:
    call_command("generate", "--scale", "0.005", stdout=StringIO())
    return bench.probe_targets()


def client_of(targets: dict[str, Any], item: Scenario) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=targets["personas"][item.persona]))
    return client


def test_every_page_answers_on_a_generated_data_set(targets: dict[str, Any]) -> None:
    for item in SCENARIOS:
        if item.method != "GET":
            continue
        try:
            url = item.url(targets)
        except NoReverseMatch:
            continue
        response = client_of(targets, item).get(url)
        assert response.status_code in item.expect, (item.name, url)


def test_every_write_succeeds_on_a_generated_data_set(
    targets: dict[str, Any],
) -> None:
    assert len(targets["write_risks"]) >= CONCURRENCY
    for item in WRITES:
        client = client_of(targets, item)
        for i in (1, 2, 3, 1 + len(targets["write_risks"])):
            mine, url = item.for_request(targets, i)
            if item.setup is not None:
                name, kwargs, payload = item.setup(mine, i)
                prepared = post(client, item, reverse(name, kwargs=kwargs), payload)
                assert prepared.status_code == 201, prepared.content
                mine = {**mine, "setup": prepared.json()}
            body = item.body(mine, i) if item.body else {}
            response = post(client, item, url, body)
            assert response.status_code in item.expect, (item.name, response.content)
