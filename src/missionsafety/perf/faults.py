"""Load with faults: mixed clients against gunicorn while a worker and the
database connections are killed; every acknowledged write must be there once.

16 clients (by default) send the benchmark's scenarios in turn, every other
request a write, for a fixed time against gunicorn with 2 workers. With faults,
halfway through one gunicorn worker is killed (SIGKILL) and, on PostgreSQL,
every other connection to the database is terminated (pg_terminate_backend).
Afterwards each occurrence report that was answered 201 must be in the
database exactly once, and no report may be there twice. Clients never retry.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from django.conf import settings

from missionsafety.perf import bench
from missionsafety.perf.scenarios import SCENARIOS, Scenario

Out = bench.Out
WRITE = "api:create_occurrence"
TITLE = "Bijna-aanrijding bij achteruitrijden ({i})"
AFTER_FAULT_SECONDS = 5.0


@contextlib.contextmanager
def _gunicorn(
    env: dict[str, str], workers: int, port: int = 0
) -> Iterator[tuple[str, int]]:
    port = port or bench.free_port()
    log_path = Path(env["MISSIONSAFETY_DATA_DIR"]) / "gunicorn.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "missionsafety.wsgi",
             "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
             "--no-control-socket", "--timeout", "60", "--log-level", "warning"],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 300  # a busy machine starts slowly
            while True:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start; see {log_path}")
                time.sleep(0.2)
            yield base, proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def _workers_of(master: int) -> list[int]:
    path = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in path.read_text().split()] if path.exists() else []


def _terminate_connections(url: str) -> int:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return len(rows)


def _reset_postgres(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def _stored_titles(db_url: str) -> Counter[str]:
    query = (
        "SELECT title FROM occurrences_occurrence WHERE title LIKE "
        "'Bijna-aanrijding bij achteruitrijden (%'"
    )
    if db_url.startswith("sqlite"):
        import sqlite3

        with contextlib.closing(
            sqlite3.connect(db_url.removeprefix("sqlite:///"))
        ) as db:
            return Counter(title for (title,) in db.execute(query))
    import psycopg

    with psycopg.connect(db_url) as conn:
        return Counter(title for (title,) in conn.execute(query).fetchall())


def run(
    *,
    database: str,
    seconds: float = 60,
    clients: int = 16,
    faults: bool = False,
    postgres_url: str | None = None,
    scale: float = 0.02,
    workers: int = 2,
    port: int = 0,
    out: Out = print,
) -> dict[str, Any]:
    """Drive the load; return requests, errors, and the acknowledged-write check."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    mix = [s for s in SCENARIOS if s.persona in ("brigade", "company", "jfc")]
    with tempfile.TemporaryDirectory(prefix=f"ms-load-{database}.") as tmp:
        work = Path(tmp)
        if database == "sqlite":
            cache = Path(settings.DATA_DIR) / "bench-cache"
            db_url = bench.prepare_sqlite(scale, 1, work, cache, out).url
        elif database == "postgres":
            if not postgres_url:
                raise ValueError(
                    "a PostgreSQL URL is needed (its contents are replaced)"
                )
            _reset_postgres(postgres_url)
            db_url = postgres_url
            bench._generate(bench.base_env(work, db_url), scale, 1, out)
        else:
            raise ValueError(f"unknown database {database!r}")
        env = bench.base_env(work, db_url)
        env["AXES_ENABLED"] = "0"
        bench.manage(["collectstatic", "--noinput", "-v0"], env)
        targets = json.loads(bench.manage(["bench", "--probe"], env))
        usable = []
        for item in mix:
            with contextlib.suppress(Exception):
                item.url(targets)
                usable.append(item)
        with _gunicorn(env, workers, port) as (base, master):
            sessions = {
                p: bench.login(base, targets["personas"][p])
                for p in {item.persona for item in usable}
            }
            result = _drive(
                base, master, sessions, usable, targets, seconds, clients,
                faults, db_url if database == "postgres" else None, out,
            )  # fmt: skip
        stored = _stored_titles(db_url)
    acknowledged = result.pop("acknowledged")
    missing = [t for t in acknowledged if stored[t] == 0]
    twice = [t for t, n in stored.items() if n > 1]
    result.update(
        database=database,
        seconds=seconds,
        clients=clients,
        faults=faults,
        acknowledged_writes=len(acknowledged),
        missing_writes=len(missing),
        duplicate_writes=len(twice),
    )
    return result


def _drive(
    base: str,
    master: int,
    sessions: dict[str, dict[str, str]],
    mix: list[Scenario],
    targets: dict[str, Any],
    seconds: float,
    clients: int,
    faults: bool,
    pg_url: str | None,
    out: Out,
) -> dict[str, Any]:
    reads = [s for s in mix if s.method == "GET"] or mix
    writes = [s for s in mix if s.method != "GET"]
    lock = threading.Lock()
    counter = [0]
    samples: list[tuple[float, str, bool]] = []
    acknowledged: list[str] = []
    started = time.monotonic()
    deadline = started + seconds
    fault_at: list[float] = []

    def worker() -> None:
        http = {}
        for persona, cookies in sessions.items():
            # With the server's domain and path, so that a cookie it sets again
            # replaces this one instead of standing beside it.
            jar = httpx.Cookies()
            for name, value in cookies.items():
                jar.set(name, value, domain="127.0.0.1", path="/")
            http[persona] = httpx.Client(base_url=base, cookies=jar, timeout=60)
        try:
            while time.monotonic() < deadline:
                with lock:
                    counter[0] += 1
                    i = counter[0]
                # Every other request a write, so that faults meet writes.
                group = writes if i % 2 and writes else reads
                item = group[(i // 2) % len(group)]
                url = item.url(targets) if item.each is None else ""
                sample = bench.send(http[item.persona], item, url, targets, i)
                with lock:
                    samples.append((time.monotonic(), item.name, sample.ok))
                    if item.url_name == WRITE and sample.ok:
                        acknowledged.append(TITLE.format(i=i))
        finally:
            for client in http.values():
                client.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    killed: dict[str, Any] = {}
    if faults:
        time.sleep(seconds / 2)
        fault_at.append(time.monotonic())
        pids = _workers_of(master)
        if pids:
            os.kill(pids[0], signal.SIGKILL)
            killed["worker"] = pids[0]
        if pg_url:
            killed["connections"] = _terminate_connections(pg_url)
        out(f"  fault at {seconds / 2:.0f} s: {killed}")
    for t in threads:
        t.join()
    errors = [(at, name) for at, name, ok in samples if not ok]
    near = [
        e for e in errors if fault_at and 0 <= e[0] - fault_at[0] <= AFTER_FAULT_SECONDS
    ]
    by_scenario = Counter(name for _at, name in errors)
    return {
        "requests": len(samples),
        "errors": len(errors),
        "errors_within_5s_of_fault": len(near),
        "errors_by_scenario": dict(by_scenario),
        "killed": killed,
        "acknowledged": acknowledged,
    }
