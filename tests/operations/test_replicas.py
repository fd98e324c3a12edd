"""Two application servers on a PostgreSQL primary with a streaming replica.

Starts its own primary and replica (``pg_basebackup -R``) on ports 55440-55449
and two gunicorn servers on 127.0.0.1, fills the primary with a small
generated data set, and checks what a user of several servers would notice:
a write through one server is read through the other, reads reach the replica,
reads fall back to the primary when the replica stops, and log-in lock-outs
hold on both servers. Run with ``make replica`` (``pytest -m replica``).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.urls import reverse

from missionsafety.core.replicas import PRIMARY_COOKIE
from missionsafety.perf import bench, cluster
from missionsafety.perf.generate import GENERATED_PASSWORD

pytestmark = [
    pytest.mark.replica,
    pytest.mark.skipif(
        cluster.pg_bin() is None,
        reason="PostgreSQL binaries (/usr/lib/postgresql/*/bin) are not installed",
    ),
]
DATABASE = "ms_replica"


class Topology:
    def __init__(self, work: Path, stack: ExitStack) -> None:
        import psycopg

        self.primary = cluster.start_primary()
        stack.callback(self.primary.remove)
        with psycopg.connect(self.primary.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
        env = bench.base_env(work, self.primary.url(DATABASE))
        bench.manage(["migrate", "--noinput", "-v0"], env)
        bench.manage(["generate", "--scale", "0.01", "--seed", "3"], env)
        bench.manage(["collectstatic", "--noinput", "-v0"], env)
        self.targets: dict[str, Any] = json.loads(
            bench.manage(["bench", "--probe"], env)
        )
        self.replica = cluster.start_replica(self.primary)
        stack.callback(self.replica.remove)
        cluster.wait_for_replay(self.primary, self.replica)
        env.update(
            {
                "DATABASE_REPLICA_URLS": self.replica.url(DATABASE),
                # A new connection per request: the replica's statistics count
                # each request when its connection closes.
                "DATABASE_CONN_MAX_AGE": "0",
                "DATABASE_REPLICA_CHECK_SECONDS": "0.5",
                "MISSIONSAFETY_SERVER_TIMING": "0",
            }
        )
        self.a = stack.enter_context(bench.gunicorn(env, 1, lambda line: None))
        self.b = stack.enter_context(bench.gunicorn(env, 1, lambda line: None))

    def replica_transactions(self) -> int:
        import psycopg

        with psycopg.connect(self.replica.url(), autocommit=True) as conn:
            row = conn.execute(
                "SELECT xact_commit FROM pg_stat_database WHERE datname = %s",
                [DATABASE],
            ).fetchone()
        return int(row[0]) if row else 0


@pytest.fixture(scope="module")
def topology(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Topology]:
    with ExitStack() as stack:
        yield Topology(tmp_path_factory.mktemp("replica"), stack)


def _client(base: str, cookies: dict[str, str]) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    for name, value in cookies.items():
        if name != PRIMARY_COOKIE:
            client.cookies.set(name, value)
    return client


def _persona(topology: Topology, name: str = "brigade") -> str:
    return str(topology.targets["personas"][name])


def test_a_write_through_one_server_is_read_through_the_other(
    topology: Topology,
) -> None:
    risk = topology.targets["risk"]
    cookies = bench.login(topology.a, _persona(topology))
    with _client(topology.a, cookies) as a:
        created = a.post(
            reverse("api:create_assessment", kwargs={"risk_id": risk}),
            headers={"X-CSRFToken": cookies["csrftoken"]},
            json={
                "inherent_probability": "B",
                "inherent_severity": "II",
                "residual_probability": "D",
                "residual_severity": "III",
                "controls_considered": "Tweede server leest dit",
                "reason": "periodic",
            },
        )
    assert created.status_code == 201, created.text
    written = {**cookies, PRIMARY_COOKIE: created.cookies.get(PRIMARY_COOKIE, "")}
    assert written[PRIMARY_COOKIE]  # this browser reads its own writes
    with httpx.Client(base_url=topology.b, timeout=30, cookies=written) as b:
        detail = b.get(reverse("api:get_risk", kwargs={"risk_id": risk}))
    assert detail.status_code == 200
    assert detail.json()["current_assessment_id"] == created.json()["id"]
    # Anyone else reads it from the replica once it has been replayed there.
    cluster.wait_for_replay(topology.primary, topology.replica)
    with _client(topology.b, written) as other:
        later = other.get(reverse("api:get_risk", kwargs={"risk_id": risk}))
    assert later.json()["current_assessment_id"] == created.json()["id"]


def test_reads_reach_the_replica(topology: Topology) -> None:
    cookies = bench.login(topology.b, _persona(topology))
    before = topology.replica_transactions()
    pages = 0
    with _client(topology.a, cookies) as a, _client(topology.b, cookies) as b:
        for client in (a, b) * 5:
            assert client.get("/").status_code == 200
            pages += 1
    deadline = time.monotonic() + 20
    while topology.replica_transactions() - before < pages:
        assert time.monotonic() < deadline, "the replica served no reads"
        time.sleep(0.5)


def test_reads_fall_back_to_the_primary_when_the_replica_stops(
    topology: Topology,
) -> None:
    cookies = bench.login(topology.a, _persona(topology))
    topology.replica.stop()
    try:
        with _client(topology.a, cookies) as a, _client(topology.b, cookies) as b:
            for client in (a, b) * 5:
                # 200, not a redirect to the log-in page: the session was read too.
                assert client.get("/").status_code == 200
    finally:
        topology.replica.start()
        cluster.wait_for_replay(topology.primary, topology.replica)


def _log_in(base: str, username: str, password: str) -> httpx.Response:
    with httpx.Client(base_url=base, timeout=30) as client:
        page = client.get("/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token
        return client.post(
            "/login/",
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": token.group(1),
            },
        )


def test_a_lock_out_holds_on_both_servers(topology: Topology) -> None:
    username = _persona(topology, "auditor")
    for attempt in range(5):
        server = topology.a if attempt % 2 else topology.b
        assert _log_in(server, username, "wrong password").status_code != 302
    for server in (topology.a, topology.b):
        response = _log_in(server, username, GENERATED_PASSWORD)
        assert response.status_code == 429, (server, response.status_code)
