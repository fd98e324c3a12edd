"""Application servers on loopback and the clients that load them."""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from django.urls import reverse

from missionsafety.perf import stats
from missionsafety.perf.databases import Out, free_port
from missionsafety.perf.generate import GENERATED_PASSWORD
from missionsafety.perf.middleware import parse_server_timing
from missionsafety.perf.scenarios import Scenario


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int, out: Out) -> Iterator[str]:
    port = free_port()
    log = open(Path(env["MISSIONSAFETY_DATA_DIR"]) / f"gunicorn-{port}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "missionsafety.wsgi",
         "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--no-control-socket", "--timeout", "120", "--log-level", "warning"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # a loaded machine starts slowly
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start; see {log.name}")
            time.sleep(0.2)
        out(f"  gunicorn: {workers} workers on {base}")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def login(base: str, username: str) -> dict[str, str]:
    """Log in through the login form; return the session cookies."""
    with httpx.Client(base_url=base, timeout=30) as client:
        page = client.get("/login/")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if not match:
            raise RuntimeError("login page without a CSRF token")
        response = client.post(
            "/login/",
            data={
                "username": username,
                "password": GENERATED_PASSWORD,
                "csrfmiddlewaretoken": match.group(1),
            },
        )
        if response.status_code != 302 or "sessionid" not in client.cookies:
            raise RuntimeError(f"login as {username} failed: {response.status_code}")
        return dict(client.cookies.items())


# --------------------------------------------------------------------------
# Load
# --------------------------------------------------------------------------
@dataclass
class Sample:
    latency_ms: float
    server_ms: float | None
    db_ms: float | None
    queries: float | None
    ok: bool
    size: int


def send(
    client: httpx.Client, item: Scenario, url: str, targets: dict[str, Any], i: int
) -> Sample:
    headers = {"Accept-Encoding": "gzip, br"}
    if item.each is not None:
        targets, url = item.for_request(targets, i)
    kwargs: dict[str, Any] = {}
    if item.method != "GET":
        headers["X-CSRFToken"] = client.cookies.get("csrftoken") or ""
        if item.setup is not None:
            name, url_kwargs, payload = item.setup(targets, i)
            prepared = client.post(
                reverse(name, kwargs=url_kwargs), headers=headers, json=payload
            )
            setup = prepared.json() if prepared.is_success else {}
            targets = {**targets, "setup": setup}
        body = item.body(targets, i) if item.body else {}
        kwargs["json" if item.is_api else "data"] = body
    started = time.perf_counter()
    try:
        response = client.request(item.method, url, headers=headers, **kwargs)
        _ = response.content
    except httpx.HTTPError:
        return Sample(
            (time.perf_counter() - started) * 1000, None, None, None, False, 0
        )
    latency = (time.perf_counter() - started) * 1000
    timing = parse_server_timing(response.headers.get("server-timing", ""))
    return Sample(
        latency,
        timing.get("app"),
        timing.get("db"),
        timing.get("queries"),
        response.status_code in item.expect,
        int(response.headers.get("content-length") or len(response.content)),
    )


def run_load(
    base: str | list[str],
    cookies: dict[str, str],
    item: Scenario,
    url: str,
    targets: dict[str, Any],
    concurrency: int,
    duration: float,
    max_requests: int,
    warmup: int,
) -> dict[str, Any]:
    samples: list[Sample] = []
    lock = threading.Lock()
    issued = [0]
    counter = [0]

    def next_index() -> int | None:
        with lock:
            if issued[0] >= max_requests:
                return None
            issued[0] += 1
            return issued[0]

    # Several servers: the clients take them in turn, as a balancer would.
    bases = [base] if isinstance(base, str) else base

    def worker(number: int, deadline: list[float]) -> None:
        server = bases[number % len(bases)]
        with httpx.Client(base_url=server, cookies=cookies, timeout=60) as client:
            for _ in range(warmup):
                with lock:
                    counter[0] += 1
                    i = 100_000 + counter[0]
                send(client, item, url, targets, i)
            barrier.wait()
            while time.perf_counter() < deadline[0]:
                index = next_index()
                if index is None:
                    return
                sample = send(client, item, url, targets, index)
                with lock:
                    samples.append(sample)

    barrier = threading.Barrier(concurrency + 1)
    deadline = [float("inf")]
    threads = [
        threading.Thread(target=worker, args=(number, deadline), daemon=True)
        for number in range(concurrency)
    ]
    for t in threads:
        t.start()
    barrier.wait()  # everyone warmed up
    started = time.perf_counter()
    deadline[0] = started + duration
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies = [s.latency_ms for s in samples]
    servers = [s.server_ms for s in samples if s.server_ms is not None]
    dbs = [s.db_ms for s in samples if s.db_ms is not None]
    queries = [s.queries for s in samples if s.queries is not None]
    return {
        "requests": len(samples),
        "errors": sum(1 for s in samples if not s.ok),
        "seconds": round(elapsed, 2),
        "throughput": round(len(samples) / elapsed, 1) if elapsed else None,
        "client_ms": stats.summary(latencies),
        "server_ms": stats.summary(servers),
        "db_ms": stats.summary(dbs),
        "queries": stats.percentile(queries, 50),
        "bytes": round(sum(s.size for s in samples) / len(samples))
        if samples
        else None,
    }
