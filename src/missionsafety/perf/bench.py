"""The benchmark suite: generated data, gunicorn on loopback, a real HTTP client.

For each database: prepare a generated database (SQLite: a cached file per
scale, seed and schema, copied for each run; PostgreSQL: a fresh database on
the server of ``DATABASE_URL`` or on a throwaway cluster started like
``.ci/run`` does), start gunicorn with 2 workers on 127.0.0.1, log in as real
generated users over HTTP, warm up, then run every scenario at each
concurrency for a bounded time and number of requests, and record client
latency, server time (``Server-Timing``), errors and throughput.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import logging
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from missionsafety.perf import cluster, stats
from missionsafety.perf.generate import GENERATED_PASSWORD
from missionsafety.perf.middleware import parse_server_timing
from missionsafety.perf.scenarios import SCENARIOS, Scenario

Out = Callable[[str], None]
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/missionsafety


# --------------------------------------------------------------------------
# Subprocesses with another database
# --------------------------------------------------------------------------
def manage(args: list[str], env: dict[str, str], **kw: Any) -> str:
    """Run ``missionsafety <args>`` against the database in ``env``."""
    result = subprocess.run(
        [sys.executable, "-m", "missionsafety", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        **kw,
    )
    return result.stdout


def base_env(data_dir: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_URL")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "missionsafety.settings",
            "DATABASE_URL": database_url,
            "MISSIONSAFETY_DATA_DIR": str(data_dir),
            "STATIC_ROOT": str(data_dir / "static"),
            "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuv",
            "SECURE_COOKIES": "0",  # plain http on loopback
            "LOG_LEVEL": "WARNING",
            "MISSIONSAFETY_SERVER_TIMING": "1",
        }
    )
    env.pop("MISSIONSAFETY_TESTING", None)
    return env


def schema_key(scale: float, seed: int) -> str:
    """Cache key: scale, seed, the migrations and the generator's source (with
    the apps' own generation steps)."""
    digest = hashlib.sha256(f"{scale}:{seed}".encode())
    files = [
        *sorted(PACKAGE_DIR.glob("*/migrations/*.py")),
        PACKAGE_DIR / "perf" / "generate.py",
        PACKAGE_DIR / "perf" / "text.py",
        *sorted(PACKAGE_DIR.glob("*/perf.py")),
    ]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# Ports of the application servers a benchmark or test starts on 127.0.0.1.
SERVER_PORTS = range(8140, 8170)


def free_port() -> int:
    for port in SERVER_PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {SERVER_PORTS.start}-{SERVER_PORTS.stop - 1}")


@dataclass
class PreparedDatabase:
    name: str
    url: str
    generate_seconds: float | None
    cached: bool
    cleanup: list[Callable[[], None]] = field(default_factory=list)


def _generate(env: dict[str, str], scale: float, seed: int, out: Out) -> float:
    manage(["migrate", "--noinput", "-v0"], env)
    started = time.perf_counter()
    log = manage(["generate", "--scale", str(scale), "--seed", str(seed)], env)
    seconds = time.perf_counter() - started
    for line in log.splitlines():
        out(f"    {line}")
    return seconds


def prepare_sqlite(
    scale: float, seed: int, work: Path, cache_dir: Path, out: Out
) -> PreparedDatabase:
    cache_dir.mkdir(parents=True, exist_ok=True)
    key = schema_key(scale, seed)
    cached = cache_dir / f"scale{scale}-seed{seed}-{key}.sqlite3"
    meta_file = cached.with_suffix(".json")
    hit = cached.exists() and meta_file.exists()
    if not hit:
        out(f"  sqlite: generating scale {scale} into {cached}")
        partial = cached.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        env = base_env(work, f"sqlite:///{partial}")
        seconds = _generate(env, scale, seed, out)
        with contextlib.closing(sqlite3.connect(partial)) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.execute("PRAGMA journal_mode=DELETE")
        partial.replace(cached)
        meta_file.write_text(json.dumps({"generate_seconds": round(seconds, 1)}))
    else:
        out(f"  sqlite: reusing {cached}")
    seconds = json.loads(meta_file.read_text())["generate_seconds"]
    copy = work / "bench.sqlite3"
    shutil.copyfile(cached, copy)  # writes must not touch the cache
    return PreparedDatabase("sqlite", f"sqlite:///{copy}", seconds, hit)


def start_cluster(work: Path, out: Out) -> tuple[str, Callable[[], None]]:
    """A throwaway PostgreSQL cluster, as .ci/run starts one; returns its URL."""
    primary = cluster.start_primary()
    out(
        f"  postgres: throwaway cluster {primary.bin.parent.name} "
        f"on 127.0.0.1:{primary.port}"
    )
    return primary.url(), primary.remove


def _with_db(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def prepare_postgres(
    scale: float, seed: int, work: Path, server_url: str | None, out: Out
) -> PreparedDatabase:
    import psycopg

    cleanup: list[Callable[[], None]] = []
    if server_url is None:
        server_url, stop = start_cluster(work, out)
        cleanup.append(stop)
    name = f"ms_bench_{os.getpid()}"
    url = _with_db(server_url, name)
    conninfo = _with_db(server_url, "postgres")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    cleanup.insert(0, drop)
    out(f"  postgres: generating scale {scale} into database {name}")
    try:
        seconds = _generate(base_env(work, url), scale, seed, out)
    except BaseException:
        for step in cleanup:
            step()
        raise
    return PreparedDatabase("postgres", url, seconds, False, cleanup)


# --------------------------------------------------------------------------
# The server and the targets
# --------------------------------------------------------------------------
def probe_targets() -> dict[str, Any]:
    """Ids and usernames the scenarios need, read from the configured database."""
    from django.db.models import Count

    from missionsafety.deployments.models import Deployment, Party
    from missionsafety.organisations.models import Membership

    sizes = list(
        Deployment.objects.exclude(phase="closed")
        .annotate(n=Count("risks"))
        .order_by("-n", "pk")
        .values_list("pk", "n")
    )
    if not sizes:
        raise RuntimeError("no open deployment: generate the data set first")
    largest = sizes[0][0]
    parties = {p.role: p for p in Party.objects.filter(deployment_id=largest)}
    brigade = parties["parent_brigade"].organisation_id
    # A median register among the deployments the same brigade takes part in.
    own = [
        pk
        for pk, _n in sizes
        if Party.objects.filter(deployment_id=pk, organisation_id=brigade).exists()
    ]
    typical = own[len(own) // 2]
    battalion = parties["deployed_unit"].organisation_id
    party_orgs = [p.organisation_id for p in parties.values()]

    def member(role: str, **where: Any) -> str | None:
        m = (
            Membership.objects.current()
            .filter(role=role, user__is_active=True, **where)
            .order_by("pk")
            .select_related("user")
            .first()
        )
        return m.user.username if m else None

    fallback = member("safety_officer", organisation_id=brigade) or member(
        "safety_officer"
    )
    targets: dict[str, Any] = {
        "deployment": largest,
        "deployment_risks": sizes[0][1],
        "deployment_typical": typical,
        "organisation": brigade,
        "party": parties["deployed_unit"].pk,
        "unit": battalion,
        "personas": {
            "brigade": fallback,
            "jfc": member("safety_officer", organisation__short_name="NLD JFC")
            or fallback,
            "commander": member("commander", organisation_id=brigade)
            or member("commander", organisation_id__in=party_orgs)
            or fallback,
            "company": member("contributor", organisation__parent_id=battalion)
            or member("contributor", organisation_id=battalion)
            or fallback,
            "auditor": member("auditor") or fallback,
        },
    }
    with contextlib.suppress(ImportError, LookupError):
        from missionsafety.risks.models import Risk

        risk = (
            Risk.objects.filter(deployment_id=largest, current_assessment__isnull=False)
            .order_by("number")
            .first()
        )
        if risk is not None:
            targets["risk"] = risk.pk
            targets["assessment"] = risk.current_assessment_id
        targets["write_risks"] = write_risks(largest)
    return targets


WRITE_RISKS = 200  # risks the writes take in turn (see scenarios.own_risk)


def write_risks(deployment: int) -> list[list[int]]:
    """[risk, current assessment] of open assessed risks of the deployment for
    the writes, those awaiting a decision first, then the others by number."""
    from missionsafety.risks.models import Risk

    assessed = (
        Risk.objects.filter(deployment_id=deployment, current_assessment__isnull=False)
        .exclude(status=Risk.Status.CLOSED)
        .order_by("number")
    )
    fields = ("pk", "current_assessment_id")
    awaiting = assessed.filter(status=Risk.Status.AWAITING_DECISION)
    rows = list(awaiting.values_list(*fields)[:WRITE_RISKS])
    rows += assessed.exclude(status=Risk.Status.AWAITING_DECISION).values_list(*fields)[
        : WRITE_RISKS - len(rows)
    ]
    return [list(row) for row in rows]


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
        deadline = time.monotonic() + 60
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
    base: str,
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

    def worker(deadline: list[float]) -> None:
        with httpx.Client(base_url=base, cookies=cookies, timeout=60) as client:
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
        threading.Thread(target=worker, args=(deadline,), daemon=True)
        for _ in range(concurrency)
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


# --------------------------------------------------------------------------
# The whole run
# --------------------------------------------------------------------------
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
    cache_dir: Path | None = None


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
    for db_name in options.databases:
        out(f"== {db_name}")
        with tempfile.TemporaryDirectory(prefix=f"ms-bench-{db_name}.") as tmp:
            work = Path(tmp)
            if db_name == "sqlite":
                db = prepare_sqlite(options.scale, options.seed, work, cache_dir, out)
            elif db_name == "postgres":
                server = options.postgres_url
                if server is None and os.environ.get("DATABASE_URL", "").startswith(
                    "postgres"
                ):
                    server = os.environ["DATABASE_URL"]
                db = prepare_postgres(options.scale, options.seed, work, server, out)
            else:
                raise ValueError(f"unknown database {db_name!r}")
            try:
                env = base_env(work, db.url)
                manage(["collectstatic", "--noinput", "-v0"], env)
                targets = json.loads(manage(["bench", "--probe"], env))
                meta["databases"][db_name] = {
                    "generate_seconds": db.generate_seconds,
                    "cached": db.cached,
                    "targets": targets,
                }
                out(
                    f"  largest open register: deployment {targets['deployment']} "
                    f"with {targets['deployment_risks']:,} risks"
                )
                with gunicorn(env, options.workers, out) as base:
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
                            sessions[persona] = login(base, persona)
                        for c in options.concurrency:
                            measured = run_load(
                                base, sessions[persona], item, url, targets, c,
                                options.duration, options.max_requests, options.warmup,
                            )  # fmt: skip
                            entry = {
                                **row,
                                "load_average": round(os.getloadavg()[0], 1),
                                "status": "ok",
                                "url": url,
                                "persona": persona,
                                "method": item.method,
                                "concurrency": c,
                                "budget_ms": item.budget_ms if c == 1 else None,
                                **measured,
                            }
                            results.append(entry)
                            out(format_row(entry))
            finally:
                for step in db.cleanup:
                    step()
    return {"meta": meta, "results": results}


HEADER = (
    f"{'database':<9} {'scenario':<38} {'c':>3} {'req':>6} {'err':>4} "
    f"{'p50':>7} {'p95':>7} {'p99':>7} {'srvmin':>7} {'srv50':>7} {'srv95':>7} "
    f"{'srv99':>7} "
    f"{'q':>4} {'req/s':>7} {'KB':>5}"
)


def _ms(value: Any) -> str:
    return "-" if value is None else f"{value:.1f}"


def format_row(r: dict[str, Any]) -> str:
    if r.get("status") != "ok":
        return f"{r['database']:<9} {r['scenario']:<38} {r['status']}"
    c, s = r["client_ms"], r["server_ms"]
    flag = ""
    if r.get("budget_ms") and s["p95"] is not None and s["p95"] > r["budget_ms"]:
        flag = "  over budget"
    size = "-" if r.get("bytes") is None else f"{r['bytes'] / 1024:.1f}"
    return (
        f"{r['database']:<9} {r['scenario']:<38} {r['concurrency']:>3} "
        f"{r['requests']:>6} {r['errors']:>4} {_ms(c['p50']):>7} {_ms(c['p95']):>7} "
        f"{_ms(c['p99']):>7} {_ms(s.get('min')):>7} {_ms(s['p50']):>7} {_ms(s['p95']):>7} {_ms(s['p99']):>7} "
        f"{_ms(r['queries']):>4} {_ms(r['throughput']):>7} {size:>5}{flag}"
    )


def table(result: dict[str, Any]) -> str:
    lines = [
        "client latency p50/p95/p99 and server time (Server-Timing) srvmin/50/95/99 "
        "in ms; "
        "q = queries per request (median); KB = response body as sent",
        HEADER,
    ]
    lines += [format_row(r) for r in result["results"]]
    return "\n".join(lines)


def compare(a: dict[str, Any], b: dict[str, Any]) -> str:
    """How p95 (client and server) and throughput change from run ``a`` to ``b``."""

    def index(result: dict[str, Any]) -> dict[tuple[str, str, int], dict[str, Any]]:
        return {
            (r["database"], r["scenario"], r["concurrency"]): r
            for r in result["results"]
            if r.get("status") == "ok"
        }

    ia, ib = index(a), index(b)
    sa, sb = a["meta"]["scale"], b["meta"]["scale"]
    lines = [
        f"from scale {sa} to scale {sb}: p95 in ms (client / server), throughput req/s",
        f"{'database':<9} {'scenario':<38} {'c':>3} {'client p95':>19} "
        f"{'server p95':>19} {'req/s':>17}",
    ]

    def change(x: Any, y: Any) -> str:
        if x is None or y is None:
            return "-"
        ratio = f"×{y / x:.1f}" if x else ""
        return f"{x:.1f}→{y:.1f} {ratio}"

    for key in sorted(set(ia) & set(ib)):
        ra, rb = ia[key], ib[key]
        lines.append(
            f"{key[0]:<9} {key[1]:<38} {key[2]:>3} "
            f"{change(ra['client_ms']['p95'], rb['client_ms']['p95']):>19} "
            f"{change(ra['server_ms']['p95'], rb['server_ms']['p95']):>19} "
            f"{change(ra['throughput'], rb['throughput']):>17}"
        )
    return "\n".join(lines)


def markdown(result: dict[str, Any]) -> str:
    """The results as a Markdown table (for the README)."""
    lines = [
        "| database | scenario | c | requests | errors | p50 | p95 | p99 | "
        "server min | server p50 | server p95 | queries | req/s |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in result["results"]:
        if r.get("status") != "ok":
            continue
        c, s = r["client_ms"], r["server_ms"]
        lines.append(
            f"| {r['database']} | {r['scenario']} | {r['concurrency']} | "
            f"{r['requests']} | {r['errors']} | {_ms(c['p50'])} | {_ms(c['p95'])} | "
            f"{_ms(c['p99'])} | {_ms(s.get('min'))} | {_ms(s['p50'])} | "
            f"{_ms(s['p95'])} | {_ms(r['queries'])} | {_ms(r['throughput'])} |"
        )
    return "\n".join(lines)
