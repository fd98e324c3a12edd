"""Benchmark (not a test): occurrence lists, inbox, overview and report submit at scale.

Two data sets (``--mode``):

- ``one``: 100,000 occurrences on one deployment of the test world;
- ``many``: 1,000,000 occurrences over 1,000 deployments (a few large, many
  small; 13 LBR, the brigade user's formation, is a party to about one in ten),
  the occurrence part of the reference data set (DESIGN.md §5).

Both add 10,000 notifications to one user's inbox. Rows are generated in bulk
by ``missionsafety.occurrences.perf.generate``. Server time is measured
in-process through the Django test client (p50/p95 over ``--runs`` requests per
scenario, after a warm-up), with this process's CPU time, the SQL time (p50/p95)
and the number of SQL queries per request and the machine's load average next
to the figures: on a shared, loaded machine the wall times swing with the load,
the SQL times and the query plans (``--explain``) much less. ``--explain`` prints the query
plans of the main list queries.

    uv run python benchmarks/bench_occurrences.py --mode one
    uv run python benchmarks/bench_occurrences.py --mode many --keep
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ms_perf_occ \\
        uv run python benchmarks/bench_occurrences.py --mode many --keep

It uses a throw-away test database (a file for SQLite, ``test_<name>_<mode>``
on PostgreSQL), never your data; ``--keep`` keeps it for the next run (the
data set is generated once, later runs only migrate and measure).
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from missionsafety.perf.stats import percentile

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "missionsafety.test_settings")

ROWS = {"one": 100_000, "many": 1_000_000}
DEPLOYMENTS = {"one": 1, "many": 1_000}
INBOX = 10_000


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load {one:4.1f}/{five:4.1f}"


def measure(name: str, runs: int, call: Any) -> dict[str, Any]:
    """Wall time, this process's CPU time and SQL time per request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm-up
    wall, cpu, sql = [], [], []
    queries = 0
    for _run in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start, start_cpu = time.perf_counter(), time.process_time()
            call()
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        queries = len(ctx.captured_queries)
        sql.append(sum(float(q["time"]) for q in ctx.captured_queries))
    row = {
        "name": name,
        "p50": percentile(wall, 50) * 1000,
        "p95": percentile(wall, 95) * 1000,
        "cpu_p50": percentile(cpu, 50) * 1000,
        "sql_p50": percentile(sql, 50) * 1000,
        "sql_p95": percentile(sql, 95) * 1000,
        "queries": queries,
    }
    print(
        f"  {name:<46} p50 {row['p50']:6.1f}  p95 {row['p95']:6.1f}  "
        f"cpu {row['cpu_p50']:6.1f}  sql {row['sql_p50']:6.1f}/{row['sql_p95']:6.1f} ms"
        f"  {queries:2d} q  ({load()})",
        flush=True,
    )
    return row


def load_world() -> Any:
    """The test world's objects when the kept database already holds them."""
    from types import SimpleNamespace

    from missionsafety.deployments.models import Deployment
    from missionsafety.organisations.models import Organisation, User

    w = SimpleNamespace()
    for attr, name in [
        ("bde13_safety", "bde13.safety"),
        ("coy_commander", "coy.commander"),
        ("inspector", "ivd.inspector"),
        ("jfc_safety", "jfc.safety"),
    ]:
        setattr(w, attr, User.objects.get(username=name))
    for attr, short in [
        ("jfc", "NLD JFC"),
        ("clas", "Staf CLAS"),
        ("bde13", "13 LBR"),
        ("bn", "42 BLJ"),
        ("coy", "B-CIE 42"),
        ("bde43", "43 MECHBRIG"),
        ("bn43", "45 PAINFBAT"),
    ]:
        setattr(w, attr, Organisation.objects.get(short_name=short))
    w.dep = Deployment.objects.get(code="EFP-R12")
    return w


def build_deployments(w: Any, n: int) -> list[Any]:
    """``n - 1`` more deployments in bulk, with parties; returns targets for all."""
    import random

    from missionsafety.deployments.models import Deployment, Party, Phase
    from missionsafety.occurrences.perf import Target
    from missionsafety.organisations import services as org_services
    from missionsafety.organisations.models import Organisation

    rng = random.Random("bench:deployments")
    today = datetime.date.today()
    E, K = Organisation.Echelon, Organisation.Kind
    brigades = [(w.bde13, [w.bn]), (w.bde43, [w.bn43])]
    for i in range(6):
        bde = org_services.organisation_create(
            actor=None,
            name=f"Brigade {i} (bench)",
            short_name=f"BDE-{i}",
            kind=K.BRIGADE,
            echelon=E.BRIGADE,
            parent=w.clas,
        )
        bns = [
            org_services.organisation_create(
                actor=None,
                name=f"Bataljon {i}{j} (bench)",
                short_name=f"BN-{i}{j}",
                kind=K.BATTALION,
                echelon=E.BATTALION,
                parent=bde,
            )
            for j in range(3)
        ]
        brigades.append((bde, bns))
    R = Party.PartyRole
    deployments, parties, targets = [], [], []
    plan = []
    for i in range(n - 1):
        # 13 LBR takes part in about one deployment in ten.
        bde, bns = brigades[0] if i % 10 == 0 else rng.choice(brigades[1:])
        bn = rng.choice(bns)
        start = today - datetime.timedelta(days=rng.randint(-200, 365 * 8))
        end = start + datetime.timedelta(days=rng.randint(60, 240))
        phase = Phase.CLOSED if end < today else Phase.DEPLOYED
        deployments.append(
            Deployment(
                name=f"Inzet {i}",
                code=f"BENCH-{i:04d}",
                theatre=rng.choice(["Litouwen", "Mali", "Irak", "Kosovo"]),
                start_date=start,
                end_date=end,
                phase=phase,
            )
        )
        plan.append((bde, bn))
    Deployment.objects.bulk_create(deployments, batch_size=500)
    deployments = list(Deployment.objects.filter(code__startswith="BENCH-"))
    by_code = {d.code: d for d in deployments}
    for i, (bde, bn) in enumerate(plan):
        dep = by_code[f"BENCH-{i:04d}"]
        for org, role in [
            (w.jfc, R.OPERATIONAL_COMMAND),
            (w.clas, R.FORCE_PROVIDER),
            (bde, R.PARENT_BRIGADE),
            (bn, R.DEPLOYED_UNIT),
        ]:
            parties.append(Party(deployment=dep, organisation=org, role=role))
        targets.append(
            Target(
                deployment_id=dep.pk,
                unit_ids=[bn.pk],
                start=dep.start_date - datetime.timedelta(days=120),
                end=dep.end_date,
            )
        )
    Party.objects.bulk_create(parties, batch_size=1000)
    return targets


def fill(w: Any, mode: str, rows: int) -> None:
    from missionsafety.feedback.perf import generate_notifications
    from missionsafety.occurrences.perf import Target, generate

    started = time.monotonic()
    home = Target(
        deployment_id=w.dep.pk,
        unit_ids=[w.coy.pk, w.bn.pk],
        start=datetime.date.today() - datetime.timedelta(days=5 * 365),
        end=datetime.date.today(),
        reporter_ids=[w.coy_commander.pk],
    )
    if mode == "one":
        home.size = rows
        targets = [home]
    else:
        targets = [home, *build_deployments(w, DEPLOYMENTS[mode])]
    print(f"generating {rows:,} occurrences over {len(targets):,} deployment(s) …")
    generate(targets=targets, total=rows, seed=7, out=print)
    generate_notifications(recipient=w.bde13_safety, count=INBOX, seed=7)
    print(f"generated in {time.monotonic() - started:.0f} s ({load()})", flush=True)


def explain(w: Any) -> None:
    from missionsafety.occurrences.selectors import OccurrenceFilters, occurrence_list

    cases = [
        ("deployment list, no filter", w.bde13_safety, w.dep, {}),
        ("deployment list, category 4", w.bde13_safety, w.dep, {"category": "4"}),
        (
            "deployment list, combined",
            w.bde13_safety,
            w.dep,
            {"kind": "near_miss", "category": "2", "ammunition": "yes"},
        ),
        ("mine, brigade user", w.bde13_safety, None, {}),
        ("mine, auditor", w.inspector, None, {}),
    ]
    for label, user, dep, params in cases:
        qs = occurrence_list(
            user=user, deployment=dep, filters=OccurrenceFilters.from_params(params)
        )
        print(f"-- {label}: page")
        print(qs[:50].explain())
        if dep is None:
            print(f"-- {label}: page in time order")
            by_time = occurrence_list(
                user=user, filters=OccurrenceFilters.from_params(params), by_time=True
            )
            print(by_time[:50].explain())
        print(f"-- {label}: count")
        print(qs.order_by().values("pk")[:10_001].explain())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["one", "many"], default="one")
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    rows = args.rows or ROWS[args.mode]

    import django
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db["TEST"] = {
            "NAME": str(
                Path(tempfile.gettempdir()) / f"ms-bench-occ-{args.mode}.sqlite3"
            )
        }
    else:
        db["TEST"] = {"NAME": f"test_{db['NAME']}_{args.mode}"}
    django.setup()
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases
    from django.urls import reverse

    # No setup_test_environment(): its template instrumentation (copying every
    # context for the test client) would be measured as server time.
    settings.ALLOWED_HOSTS = ["*"]
    # Not serialised: the test runner would otherwise dump every row to JSON.
    old = setup_databases(
        verbosity=0, interactive=False, keepdb=args.keep, serialized_aliases=set()
    )
    try:
        from django.db import connection

        from missionsafety.occurrences.models import Occurrence
        from missionsafety.organisations.models import User
        from missionsafety.testing import build_world

        if User.objects.filter(username="bde13.safety").exists():
            w = load_world()
        else:
            w = build_world()
        if not Occurrence.objects.exists():
            fill(w, args.mode, rows)
        if connection.vendor == "postgresql":
            # What autovacuum does after bulk changes: statistics for the planner.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        total = Occurrence.objects.count()
        print(
            f"\n{connection.vendor}, mode {args.mode}: {total:,} occurrences, "
            f"{Occurrence.objects.filter(deployment=w.dep).count():,} on the "
            f"measured deployment; {os.cpu_count()} cores; {load()}"
        )
        if args.explain:
            explain(w)
        results = []

        brigade = Client()
        brigade.force_login(w.bde13_safety)
        auditor = Client()
        auditor.force_login(w.inspector)
        dep_url = reverse("occurrences:list", args=[w.dep.pk])
        mine_url = reverse("occurrences:mine")
        recent = (datetime.date.today() - datetime.timedelta(days=90)).isoformat()

        def get(client: Client, url: str, params: dict[str, str] | None = None) -> Any:
            def call() -> None:
                response = client.get(url, params or {})
                assert response.status_code == 200, response.status_code

            return call

        scenarios = [
            ("deployment list, page 1", brigade, dep_url, {}),
            ("deployment list, kind=accident", brigade, dep_url, {"kind": "accident"}),
            ("deployment list, category=4", brigade, dep_url, {"category": "4"}),
            (
                "deployment list, status=investigating",
                brigade,
                dep_url,
                {"status": "investigating"},
            ),
            ("deployment list, last 90 days", brigade, dep_url, {"date_from": recent}),
            (
                "deployment list, ammunition=yes",
                brigade,
                dep_url,
                {"ammunition": "yes"},
            ),
            (
                "deployment list, near miss+cat 2+ammunition",
                brigade,
                dep_url,
                {"kind": "near_miss", "category": "2", "ammunition": "yes"},
            ),
            (
                "deployment list, closed+last 90 days",
                brigade,
                dep_url,
                {"status": "closed", "date_from": recent},
            ),
            ("deployment list, page 150", brigade, dep_url, {"page": "150"}),
            (
                "deployment list, kind=near_miss page 100",
                brigade,
                dep_url,
                {"kind": "near_miss", "page": "100"},
            ),
            ("mine, brigade user, page 1", brigade, mine_url, {}),
            (
                "mine, brigade user, kind=accident",
                brigade,
                mine_url,
                {"kind": "accident"},
            ),
            ("mine, brigade user, page 150", brigade, mine_url, {"page": "150"}),
            ("mine, auditor, page 1", auditor, mine_url, {}),
            ("mine, auditor, category=4", auditor, mine_url, {"category": "4"}),
            ("mine, auditor, page 150", auditor, mine_url, {"page": "150"}),
            (
                "inbox (10,000 notifications), page 1",
                brigade,
                reverse("feedback:inbox"),
                {},
            ),
            ("inbox, unread only", brigade, reverse("feedback:inbox"), {"unread": "1"}),
            ("inbox, page 150", brigade, reverse("feedback:inbox"), {"page": "150"}),
            (
                "overview (dashboard), brigade user",
                brigade,
                reverse("reports:dashboard"),
                {},
            ),
            (
                "overview (dashboard), auditor",
                auditor,
                reverse("reports:dashboard"),
                {},
            ),
        ]
        print()
        for name, client, url, params in scenarios:
            results.append(measure(name, args.runs, get(client, url, params)))

        from missionsafety.occurrences.selectors import occurrence_trend

        for label, user in [("brigade user", w.bde13_safety), ("auditor", w.inspector)]:
            results.append(
                measure(
                    f"trend panel (selector), {label}",
                    args.runs,
                    lambda user=user: occurrence_trend(user=user),
                )
            )

        reporter = Client()
        reporter.force_login(w.coy_commander)
        report_url = reverse("occurrences:report", args=[w.dep.pk])

        def submit() -> None:
            from django.utils import timezone

            data = {
                "idempotency_key": str(uuid.uuid4()),
                "kind": "near_miss",
                "title": "Bijna-aanrijding bij de poort",
                "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "place": "Rukla, hoofdpoort",
                "unit": w.coy.pk,
                "actual_category": "0",
                "potential_category": "2",
            }
            response = reporter.post(report_url, data)
            assert response.status_code == 302, response.status_code

        results.append(
            measure("report form submit (new occurrence)", args.runs, submit)
        )
        # The submitted reports are removed so that a kept database stays as generated.
        Occurrence.objects.filter(title="Bijna-aanrijding bij de poort").delete()
    finally:
        teardown_databases(old, verbosity=0, keepdb=args.keep)


if __name__ == "__main__":
    main()
