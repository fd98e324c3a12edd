"""Search benchmark for lessons: 100,000 observations and lessons over 1,000
deployments, then p50/p95 server time of several searches (not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ms_bench uv run python benchmarks/bench_search.py
    MISSIONSAFETY_DATA_DIR=/tmp/ms-bench uv run python benchmarks/bench_search.py

"cpu p50" is the median CPU time of this process (on SQLite that includes
the database's work; on PostgreSQL only Django's share): on a loaded, shared
machine it shows the work apart from the waiting.

The data is generated once with ``missionsafety.lessons.perf.generate``
(bulk inserts, the full-text index filled in one pass) and reused on the next
run; pass --fresh to rebuild it, --repeat=N for the runs per query and
--explain to print the query plans of two searches.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "missionsafety.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from missionsafety.perf.stats import percentile  # noqa: E402

DEPLOYMENTS = 1000
OBSERVATIONS = 60_000
LESSONS = 40_000
THEATRES = [  # (theatre, weight): most rotations in a few theatres
    ("Litouwen (Rukla)", 20),
    ("Mali (Gao)", 15),
    ("Afghanistan (Kunduz)", 12),
    ("Afghanistan (Uruzgan)", 10),
    ("Irak (Erbil)", 10),
    ("Jordanië", 6),
    ("Roemenië (Cincu)", 6),
    ("Kosovo", 5),
    ("Somalië (kust)", 4),
    ("Bosnië (Tuzla)", 4),
    ("Noorwegen (Bardufoss)", 4),
    ("Djibouti", 2),
    ("Libanon", 2),
]
BRIGADES = ["11 LMB", "13 LBR", "43 MECHBRIG", "KCT", "OOCL", "1 CMI CDO"]


def generate() -> None:
    from missionsafety.deployments.models import Deployment, Party
    from missionsafety.lessons.perf import generate as generate_lessons
    from missionsafety.organisations.models import Membership, Organisation, User

    rng = random.Random(5)
    E, K = Organisation.Echelon, Organisation.Kind

    def org(
        short: str, kind: str, echelon: int, parent: Organisation | None
    ) -> Organisation:
        o = Organisation.objects.create(
            name=short, short_name=short, kind=kind, echelon=echelon, parent=parent
        )
        o.path = (parent.path if parent else "/") + f"{o.pk}/"
        o.save(update_fields=["path"])
        return o

    ds = org("B-DS", K.OTHER, E.DEFENCE, None)
    jfc = org("B-JFC", K.JOINT_HQ, E.JOINT, ds)
    clas = org("B-CLAS", K.ARMY_STAFF, E.SERVICE, ds)
    ivd = org("B-IVD", K.INSPECTORATE, E.DEFENCE, ds)
    brigades = [org(f"B-{b}", K.BRIGADE, E.BRIGADE, clas) for b in BRIGADES]
    battalions = [
        org(f"B-BN{i}", K.BATTALION, E.BATTALION, brigades[i % len(brigades)])
        for i in range(24)
    ]
    users = []
    for name, o, role in [
        ("bench.jfc", jfc, "safety_officer"),
        ("bench.bde", brigades[1], "safety_officer"),
        ("bench.ivd", ivd, "auditor"),
    ]:
        u = User.objects.create(username=name)
        Membership.objects.create(user=u, organisation=o, role=role)
        users.append(u.pk)
    today = datetime.date.today()
    theatres = [t for t, _w in THEATRES]
    weights = [w for _t, w in THEATRES]
    deps = []
    for i in range(DEPLOYMENTS):
        start = today - datetime.timedelta(days=rng.randint(0, 20 * 365))
        end = start + datetime.timedelta(days=rng.choice([120, 180, 180, 240]))
        deps.append(
            Deployment(
                name=f"Bench {i}",
                code=f"BENCH-{i}",
                theatre=rng.choices(theatres, weights)[0],
                start_date=start,
                end_date=end,
                phase="closed" if end < today else "deployed",
            )
        )
    deps = Deployment.objects.bulk_create(deps)
    parties = []
    for d in deps:
        bn = rng.choice(battalions)
        parties += [
            Party(deployment=d, organisation=jfc, role="operational_command"),
            Party(deployment=d, organisation=clas, role="force_provider"),
            Party(deployment=d, organisation=bn.parent, role="parent_brigade"),
            Party(deployment=d, organisation=bn, role="deployed_unit"),
        ]
    Party.objects.bulk_create(parties)
    t = time.perf_counter()
    generate_lessons(
        n_observations=OBSERVATIONS,
        n_lessons=LESSONS,
        deployments=[d.pk for d in deps],
        orgs=[o.pk for o in brigades + battalions],
        users=users,
        seed=5,
        out=print,
    )
    print(f"observations and lessons generated in {time.perf_counter() - t:.0f} s")


QUERIES = [
    ("voertuig", {}),  # common word (and its synonyms)
    ("hitte", {}),  # common word
    ("munitieopslag hitte", {}),  # two Dutch words, one a compound
    ("ammunition storage heat", {}),  # English, thesaurus to Dutch
    ("convoy fatigue", {"theatre": "Mali (Gao)"}),  # English with a filter
    ("Tessalit", {}),  # rare: a place name
    ("brandstofpomp", {}),  # rare compound
    ("helikopter", {"category": "aviation", "state": "verified"}),
    ('"quoted" AND OR NEAR( ontsteker*', {}),  # syntax is only words
    ("", {}),  # no words: the newest
    ("", {"theatre": "Irak (Erbil)", "type": "lesson"}),
]
USERS = ["bench.ivd", "bench.bde", "bench.jfc"]


def main() -> None:
    from missionsafety.deployments.models import Deployment
    from missionsafety.lessons.search import Filters, run_search
    from missionsafety.organisations.models import User

    repeat = 30
    for arg in sys.argv[1:]:
        if arg.startswith("--repeat="):
            repeat = int(arg.split("=", 1)[1])
    call_command("migrate", verbosity=0)
    if "--fresh" in sys.argv or not Deployment.objects.filter(code="BENCH-0").exists():
        t = time.perf_counter()
        with transaction.atomic():
            generate()
        print(f"generated in {time.perf_counter() - t:.0f} s")
    with connection.cursor() as c:
        c.execute("ANALYZE")
    users = {u.username: u for u in User.objects.filter(username__startswith="bench.")}
    version = (
        connection.pg_version
        if connection.vendor == "postgresql"
        else __import__("sqlite3").sqlite_version
    )
    print(
        f"database: {connection.vendor} {version}; "
        f"{Deployment.objects.count()} deployments; {repeat} runs per query; "
        f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(
        f"{'user':10} {'query':44} {'total':>9} {'p50 ms':>7} {'p95 ms':>7}"
        f" {'cpu p50':>7}"
    )
    for username in USERS:
        user = users[username]
        for q, filters in QUERIES:
            times, cpu = [], []
            for _ in range(repeat):
                for attr in ("_missionsafety_memberships", "_missionsafety_scope"):
                    user.__dict__.pop(attr, None)
                t, c = time.perf_counter(), time.process_time()
                results = run_search(user=user, q=q, filters=Filters(**filters))
                times.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
            label = (q or "(no words)") + (f" {filters}" if filters else "")
            total = f"{'>' if getattr(results, 'more', False) else ''}{results.total}"
            print(
                f"{username:10} {label[:44]:44} {total:>9} "
                f"{statistics.median(times):7.1f} {percentile(times, 95):7.1f}"
                f" {statistics.median(cpu):7.1f}"
            )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if "--explain" in sys.argv:
        explain(users)


def explain(users: dict) -> None:
    """Print the plan of every statement of two searches."""
    from django.db import reset_queries
    from django.test.utils import CaptureQueriesContext

    from missionsafety.lessons.search import Filters, run_search

    for username, q in (("bench.bde", "munitieopslag hitte"), ("bench.ivd", "hitte")):
        with CaptureQueriesContext(connection) as ctx:
            run_search(user=users[username], q=q, filters=Filters())
        for query in ctx.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            print(f"\n-- {username} {q!r}: {sql[:300]}")
            prefix = (
                "EXPLAIN (ANALYZE, BUFFERS) "
                if connection.vendor == "postgresql"
                else "EXPLAIN QUERY PLAN "
            )
            with connection.cursor() as c:
                c.execute(prefix + sql)
                for row in c.fetchall():
                    print("   ", " ".join(str(x) for x in row))
        reset_queries()


if __name__ == "__main__":
    main()
