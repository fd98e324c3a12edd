"""The benchmark suite: generated data, gunicorn on loopback, a real HTTP client.

For each database: prepare a generated database (``perf.databases``), start
gunicorn with 2 workers on 127.0.0.1 (with ``servers`` > 1 also several
servers, and with ``replica`` a streaming replica of a throwaway PostgreSQL
primary), log in as real generated users over HTTP, warm up, then run every
scenario at each concurrency for a bounded time and number of requests
(``perf.load``), and record client latency, server time (``Server-Timing``),
errors and throughput (``perf.report``).
"""

from __future__ import annotations

import contextlib
import datetime
import json
import logging
import os
import platform
import signal
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import NoReverseMatch

from missionsafety.perf import cluster
from missionsafety.perf.databases import (
    Out,
    PreparedDatabase,
    _generate,
    base_env,
    free_port,
    manage,
    prepare_postgres,
    prepare_sqlite,
    schema_key,
    start_cluster,
)
from missionsafety.perf.load import Sample, gunicorn, login, run_load, send
from missionsafety.perf.report import compare, format_row, markdown, table
from missionsafety.perf.scenarios import SCENARIOS
from missionsafety.perf.targets import WRITE_RISKS, probe_targets, write_risks

__all__ = [
    "SCENARIOS",
    "WRITE_RISKS",
    "Options",
    "Out",
    "PreparedDatabase",
    "Sample",
    "_generate",
    "base_env",
    "compare",
    "format_row",
    "free_port",
    "gunicorn",
    "login",
    "manage",
    "markdown",
    "prepare_postgres",
    "prepare_sqlite",
    "probe_targets",
    "run",
    "run_load",
    "schema_key",
    "send",
    "start_cluster",
    "table",
    "write_risks",
]


@dataclass
class Options:
    scale: float = 0.1
    seed: int = 1
    databases: tuple[str, ...] = ("sqlite", "postgres")
    duration: float = 5.0
    max_requests: int = 2000
    warmup: int = 3
    concurrency: tuple[int, ...] = (1, 16)
    workers: int = 2
    only: str = ""
    postgres_url: str | None = None
    # A PostgreSQL database of the same scale and seed to copy, not generate.
    postgres_template: str | None = None
    cache_dir: Path | None = None
    # Application servers (each with ``workers`` workers) and a streaming
    # replica of the PostgreSQL primary that GET requests read from.
    servers: int = 1
    replica: bool = False


def machine() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _prepare(
    db_name: str, options: Options, work: Path, cache_dir: Path, out: Out
) -> tuple[PreparedDatabase, dict[str, str]]:
    """The generated database and the servers' environment (with its replica)."""
    if db_name == "sqlite":
        db = prepare_sqlite(options.scale, options.seed, work, cache_dir, out)
        return db, base_env(work, db.url)
    if db_name != "postgres":
        raise ValueError(f"unknown database {db_name!r}")
    if options.replica:
        # A primary of our own, so that a replica can stream from it.
        primary = cluster.start_primary()
        out(f"  postgres: primary on 127.0.0.1:{primary.port}")
        try:
            db = prepare_postgres(options.scale, options.seed, work, primary.url(), out)
        except BaseException:
            primary.remove()
            raise
        db.cleanup.append(primary.remove)
        replica = cluster.start_replica(primary)
        db.cleanup.insert(1, replica.remove)
        cluster.wait_for_replay(primary, replica)
        out(f"  postgres: streaming replica on 127.0.0.1:{replica.port}")
        env = base_env(work, db.url)
        env["DATABASE_REPLICA_URLS"] = replica.url(urlsplit(db.url).path[1:])
        return db, env
    server = options.postgres_url
    if server is None and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        server = os.environ["DATABASE_URL"]
    db = prepare_postgres(
        options.scale, options.seed, work, server, out, options.postgres_template
    )
    return db, base_env(work, db.url)


def run(options: Options, out: Out = print) -> dict[str, Any]:
    """Measure every scenario on every database; return the JSON-ready result."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # A terminated run still stops its servers and drops its databases.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    results: list[dict[str, Any]] = []
    meta: dict[str, Any] = {
        "scale": options.scale,
        "seed": options.seed,
        "duration": options.duration,
        "max_requests": options.max_requests,
        "concurrency": list(options.concurrency),
        "workers": options.workers,
        "servers": options.servers,
        "replica": options.replica,
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "databases": {},
    }
    cache_dir = options.cache_dir or Path(settings.DATA_DIR) / "bench-cache"
    selected = [
        s
        for s in SCENARIOS
        if not options.only or options.only.lower() in s.name.lower()
    ]
    # With several servers every measurement is taken with one, then with all.
    server_counts = sorted({1, options.servers})
    for db_name in options.databases:
        out(f"== {db_name}")
        with tempfile.TemporaryDirectory(prefix=f"ms-bench-{db_name}.") as tmp:
            work = Path(tmp)
            db, env = _prepare(db_name, options, work, cache_dir, out)
            try:
                manage(["collectstatic", "--noinput", "-v0"], env)
                targets = json.loads(manage(["bench", "--probe"], env))
                meta["databases"][db_name] = {
                    "generate_seconds": db.generate_seconds,
                    "cached": db.cached,
                    "targets": targets,
                    "replica": "DATABASE_REPLICA_URLS" in env,
                }
                out(
                    f"  largest open register: deployment {targets['deployment']} "
                    f"with {targets['deployment_risks']:,} risks"
                )
                with contextlib.ExitStack() as servers:
                    bases = [
                        servers.enter_context(gunicorn(env, options.workers, out))
                        for _ in range(options.servers)
                    ]
                    sessions: dict[str, dict[str, str]] = {}
                    for item in selected:
                        row = {"database": db_name, "scenario": item.name}
                        try:
                            url = item.url(targets)
                        except NoReverseMatch:
                            out(f"  {item.name:<38} skipped: not available yet")
                            results.append(
                                {**row, "status": "skipped: not available yet"}
                            )
                            continue
                        persona = targets["personas"].get(item.persona)
                        if persona not in sessions:
                            sessions[persona] = login(bases[0], persona)
                        for c in options.concurrency:
                            for n in server_counts:
                                measured = run_load(
                                    bases[:n], sessions[persona], item, url,
                                    targets, c, options.duration,
                                    options.max_requests, options.warmup,
                                )  # fmt: skip
                                entry = {
                                    **row,
                                    "load_average": round(os.getloadavg()[0], 1),
                                    "status": "ok",
                                    "url": url,
                                    "persona": persona,
                                    "method": item.method,
                                    "concurrency": c,
                                    "servers": n,
                                    "budget_ms": item.budget_ms if c == 1 else None,
                                    **measured,
                                }
                                results.append(entry)
                                out(format_row(entry))
            finally:
                for step in db.cleanup:
                    step()
    return {"meta": meta, "results": results}
