"""Benchmark (not a test) of the risk register, risk page, heat map, overview,
awaiting-my-decision and the register's writes.

    uv run python benchmarks/bench_register.py                 # 1 deployment, 1,000 risks
    uv run python benchmarks/bench_register.py --reference     # reference-like data set
    uv run python benchmarks/bench_register.py --reference --scale 0.1
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ms_perf_risks \
        uv run python benchmarks/bench_register.py --reference

Default mode builds a fresh database (SQLite in a temporary folder, or a test
database next to DATABASE_URL) with one deployment of 1,000 risks. Reference
mode fills a database with ``risks.perf.generate``: 1,000 deployments, 100,000
risks with assessments and decisions, about 300,000 controls (times --scale),
once; later runs reuse it (SQLite file in --data-dir; the DATABASE_URL
database itself on PostgreSQL; --fresh regenerates).

Prints p50/p95 server time per request measured around the Django test client
(routing, middleware, queries, rendering; no network), the query count and the
SQL time of one request, and the load average at the time of the row — the
machine may be shared, so read the SQL time and query plans too
(BENCH_EXPLAIN=1 prints the plan of each request's slowest query;
BENCH_PROFILE="<label>" a cProfile of one request).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from missionsafety.perf.stats import percentile

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "missionsafety.test_settings")


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reference", action="store_true")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", default="/tmp/ms-bench-register")
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--risks", type=int, default=1000)
    parser.add_argument("--controls-per-risk", type=int, default=3)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--only", default="", help="comma-separated label words")
    return parser.parse_args()


def main() -> None:
    args = parse()
    if args.reference and not os.environ.get("DATABASE_URL"):
        Path(args.data_dir).mkdir(parents=True, exist_ok=True)
        os.environ["MISSIONSAFETY_DATA_DIR"] = args.data_dir
        if args.fresh:
            for f in Path(args.data_dir).glob("missionsafety.sqlite3*"):
                f.unlink()
    import django

    if args.reference and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        _ensure_pg_database(os.environ["DATABASE_URL"], fresh=args.fresh)
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    # Not setup_test_environment(): its instrumented template rendering would
    # inflate the figures.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if args.reference:
        call_command("migrate", verbosity=0)
        w, targets = _reference(args)
    else:
        if connection.vendor == "postgresql":
            connection.creation.create_test_db(verbosity=0, keepdb=False)
        else:
            call_command("migrate", verbosity=0)
        w, targets = _single(args)
    try:
        _measure(args, w, targets)
    finally:
        if not args.reference and connection.vendor == "postgresql":
            connection.creation.destroy_test_db(
                connection.settings_dict["NAME"], verbosity=0
            )


def _ensure_pg_database(url: str, *, fresh: bool) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _world_users() -> object:
    """The test world's users, found again in a reused database."""
    from types import SimpleNamespace

    from missionsafety.organisations.models import User

    names = {
        "jfc_safety": "jfc.safety",
        "jfc_commander": "jfc.commander",
        "bde13_safety": "bde13.safety",
        "bde13_commander": "bde13.commander",
        "inspector": "ivd.inspector",
    }
    return SimpleNamespace(
        **{k: User.objects.get(username=v) for k, v in names.items()}
    )


def _reference(args: argparse.Namespace) -> tuple[object, dict[str, str]]:
    from django.db import connection

    from missionsafety.deployments.models import Deployment
    from missionsafety.organisations import services as org_services
    from missionsafety.organisations.models import Organisation
    from missionsafety.risks import perf
    from missionsafety.risks.models import Control, Risk
    from missionsafety.testing import build_world

    if not Deployment.objects.filter(code__startswith="GEN-").exists():
        started = time.perf_counter()
        w = build_world()
        K, E = Organisation.Kind, Organisation.Echelon
        formations = [(w.bde13, [w.bn]), (w.bde43, [w.bn43])]
        for i in range(8):
            brigade = org_services.organisation_create(
                actor=None,
                name=f"{11 + i * 3} Brigade (gen)",
                short_name=f"{11 + i * 3} BDE",
                kind=K.BRIGADE,
                echelon=E.BRIGADE,
                parent=w.clas,
            )
            battalions = [
                org_services.organisation_create(
                    actor=None,
                    name=f"{brigade.short_name} bataljon {b}",
                    short_name=f"{10 + i * 3}{b} BAT",
                    kind=K.BATTALION,
                    echelon=E.BATTALION,
                    parent=brigade,
                )
                for b in (1, 2)
            ]
            formations.append((brigade, battalions))
        users = [w.jfc_safety, w.clas_safety, w.bde13_safety, w.bn_commander]
        made = perf.generate(
            deployments=max(1, int(1000 * args.scale)),
            risks=int(100_000 * args.scale),
            seed=args.seed,
            command=w.jfc,
            provider=w.clas,
            formations=formations,
            users=users,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"generated {connection.vendor}: {len(made.deployments)} deployments, "
            f"{made.risks} risks, {made.assessments} assessments, "
            f"{made.controls} controls, {made.decisions} decisions in "
            f"{time.perf_counter() - started:.0f} s (load {_load()})"
        )
    w = _world_users()
    from django.db.models import Count

    biggest = (
        Risk.objects.filter(deployment__code__startswith="GEN-")
        .exclude(deployment__phase="closed")
        .values("deployment_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    dep = biggest["deployment_id"]
    brigade_dep = (
        Risk.objects.filter(
            deployment__parties__organisation__short_name="13 LBR",
            deployment__code__startswith="GEN-",
        )
        .values("deployment_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["deployment_id"]
    )
    risk = (
        Risk.objects.filter(deployment_id=dep, status="awaiting_decision")
        .annotate(c=Count("controls"))
        .order_by("-c", "pk")
        .first()
    )
    print(
        f"{Risk.objects.count()} risks, {Control.objects.count()} controls; "
        f"largest running register {biggest['n']} risks (deployment {dep}); "
        f"13 LBR's largest {Risk.objects.filter(deployment_id=brigade_dep).count()}"
    )
    owner = (
        Risk.objects.filter(deployment_id=dep)
        .values_list("owner_party_id", flat=True)
        .first()
    )
    reg = f"/deployments/{dep}/risks/"
    targets = {
        "register page": ("jfc_safety", reg),
        "register page, 13 LBR user": (
            "bde13_safety",
            f"/deployments/{brigade_dep}/risks/",
        ),
        "register, level=H": ("jfc_safety", reg + "?level=H"),
        "register, status=open": ("jfc_safety", reg + "?status=open"),
        "register, owner": ("jfc_safety", reg + f"?owner={owner}"),
        "register, overdue": ("jfc_safety", reg + "?overdue=1"),
        "register, sort=title": ("jfc_safety", reg + "?sort=title"),
        "register, sort=owner": ("jfc_safety", reg + "?sort=owner"),
        "register, deep page": ("jfc_safety", reg + "?page=40"),
        "register API": ("jfc_safety", f"/api/v1/deployments/{dep}/risks"),
        "register API, deep": (
            "jfc_safety",
            f"/api/v1/deployments/{dep}/risks?offset=2000&limit=50",
        ),
        "risk page": ("jfc_safety", f"/risks/{risk.pk}/"),
        "risk page, commander": ("jfc_commander", f"/risks/{risk.pk}/"),
        "risk API": ("jfc_safety", f"/api/v1/risks/{risk.pk}"),
        "heat map API": ("jfc_safety", f"/api/v1/deployments/{dep}/heatmap"),
        "deployment page": ("jfc_safety", f"/deployments/{dep}/"),
        "dashboard, JFC": ("jfc_safety", "/overview/"),
        "dashboard, JFC, closed": ("jfc_safety", "/overview/?closed=1&page=5"),
        "dashboard, auditor": ("inspector", "/overview/"),
        "awaiting, JFC commander": ("jfc_commander", "/awaiting/"),
        "awaiting, 13 LBR commander": ("bde13_commander", "/awaiting/"),
    }
    return w, {"dep": dep, **targets}


def _single(args: argparse.Namespace) -> tuple[object, dict[str, object]]:
    from django.db import connection

    from missionsafety.risks import perf
    from missionsafety.risks.models import Control, Risk
    from missionsafety.testing import build_world

    w = build_world()
    started = time.perf_counter()
    perf.fill_registers(
        [w.dep],
        sizes=[args.risks],
        controls_per_risk=args.controls_per_risk,
        users=[w.bde13_safety, w.bn_commander],
    )
    print(
        f"{connection.vendor}: {Risk.objects.count()} risks, "
        f"{Control.objects.count()} controls in {time.perf_counter() - started:.1f} s"
    )
    dep = w.dep.pk
    risk = Risk.objects.filter(deployment_id=dep).order_by("pk").first()
    return w, {
        "dep": dep,
        "register page": ("bde13_safety", f"/deployments/{dep}/risks/"),
        "register page, filtered": (
            "bde13_safety",
            f"/deployments/{dep}/risks/?overdue=1&sort=owner",
        ),
        "register API": ("bde13_safety", f"/api/v1/deployments/{dep}/risks"),
        "heat map API": ("bde13_safety", f"/api/v1/deployments/{dep}/heatmap"),
        "risk page": ("bde13_safety", f"/risks/{risk.pk}/"),
    }


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def _measure(args: argparse.Namespace, w: object, targets: dict) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients: dict[str, Client] = {}

    def client(user: str) -> Client:
        if user not in clients:
            clients[user] = Client()
            clients[user].force_login(getattr(w, user))
        return clients[user]

    only = [o.strip() for o in args.only.split(",") if o.strip()]
    print(
        f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else ''}"
    )
    print(
        f"{'request':30} {'p50 ms':>7} {'p95 ms':>7} {'min':>6} {'queries':>7} "
        f"{'sql ms':>7} {'KB':>5}  load 1/5/15"
    )
    dep = targets.pop("dep")
    for label, (user, url) in targets.items():
        if only and not any(o in label for o in only):
            continue
        c = client(user)
        response = c.get(url)  # warm up
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            response = c.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        connection.queries_log.clear()  # a full log (9,000) breaks the capture
        with CaptureQueriesContext(connection) as q:
            response = c.get(url)
        sql_ms = sum(float(x["time"]) for x in q.captured_queries) * 1000
        _report_queries(label, q.captured_queries, connection)
        _profile(label, c, url)
        print(
            f"{label:30} {statistics.median(times):7.1f} {percentile(times, 95):7.1f} "
            f"{min(times):6.1f} {len(q):7d} {sql_ms:7.1f} "
            f"{len(response.content) / 1024:5.0f}  {_load()}",
            flush=True,
        )
    if not only or any("write" in o for o in only):
        _writes(args, w, dep, client)


def _report_queries(label: str, queries: list, connection: object) -> None:
    if os.environ.get("BENCH_QUERIES"):
        for query in queries:
            print(f"   {float(query['time']) * 1000:7.1f} {query['sql'][:200]}")
    if os.environ.get("BENCH_EXPLAIN"):
        slowest = max(queries, key=lambda x: float(x["time"]))
        prefix = (
            "EXPLAIN QUERY PLAN "
            if connection.vendor == "sqlite"
            else "EXPLAIN (ANALYZE, BUFFERS) "
        )
        with connection.cursor() as cursor:
            cursor.execute(prefix + slowest["sql"])
            plan = cursor.fetchall()
        print(
            f"   slowest ({float(slowest['time']) * 1000:.1f} ms): {slowest['sql'][:300]}"
        )
        for row in plan:
            print("     ", " ".join(str(x) for x in row)[:160])


def _profile(label: str, c: object, url: str) -> None:
    if os.environ.get("BENCH_PROFILE") != label:
        return
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    c.get(url)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)


def _writes(args: argparse.Namespace, w: object, dep: int, client) -> None:
    """New assessment (asking for a decision), then a decision on it, each on
    a fresh low-level risk of the deployment: p50/p95 per write."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from missionsafety.risks.models import Risk

    risks = list(
        Risk.objects.filter(deployment_id=dep, status__in=["assessed", "monitored"])
        .order_by("-pk")
        .values_list("pk", flat=True)[: args.runs + 1]
    )
    assess_times, decide_times, outcome = [], [], ""
    assessor, decider = client("jfc_safety"), client("jfc_commander")
    nq = {}
    for i, pk in enumerate(risks):
        connection.queries_log.clear()
        body = {
            "inherent_probability": "B",
            "inherent_severity": "III",
            "residual_probability": "D",
            "residual_severity": "IV",
            "reason": "periodic",
            "note": "Periodieke herbeoordeling na maandelijkse review.",
        }
        with CaptureQueriesContext(connection) as q1:
            t0 = time.perf_counter()
            r = assessor.post(
                f"/api/v1/risks/{pk}/assessments", body, content_type="application/json"
            )
            t1 = time.perf_counter()
        assert r.status_code == 201, r.content
        assessment_id = r.json()["id"]
        for candidate in ("accept", "escalate", "reject"):
            with CaptureQueriesContext(connection) as q2:
                t2 = time.perf_counter()
                r = decider.post(
                    f"/api/v1/risks/{pk}/decisions",
                    {
                        "outcome": candidate,
                        "assessment_id": assessment_id,
                        "rationale": "Restrisico aanvaardbaar; maatregelen zijn getroffen.",
                    },
                    content_type="application/json",
                )
                t3 = time.perf_counter()
            if r.status_code == 201:
                outcome = candidate
                break
        else:
            raise AssertionError(r.content)
        if i == 0:  # warm-up
            continue
        assess_times.append((t1 - t0) * 1000)
        decide_times.append((t3 - t2) * 1000)
        nq = {"assessment": len(q1), f"decision ({outcome})": len(q2)}
    for (label, n), times in zip(nq.items(), (assess_times, decide_times), strict=True):
        print(
            f"{'write: ' + label:30} {statistics.median(times):7.1f} "
            f"{percentile(times, 95):7.1f} {min(times):6.1f} {n:7d} {'':>7} {'':>5}  {_load()}"
        )


if __name__ == "__main__":
    main()
