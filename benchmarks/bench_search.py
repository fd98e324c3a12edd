"""Search benchmark for lessons: 100,000 observations and lessons over 1,000
deployments, then p50/p95 server time of several searches (not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ms_bench uv run python benchmarks/bench_search.py
    MISSIONSAFETY_DATA_DIR=/tmp/ms-bench uv run python benchmarks/bench_search.py

The data is generated once in bulk (bulk_create, then the search index in
bulk) and reused on the next run; pass --fresh to rebuild it.
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

DEPLOYMENTS = 1000
OBSERVATIONS = 80_000
LESSONS = 20_000
THEATRES = [
    "Mali (Gao)",
    "Irak (Erbil)",
    "Litouwen (Rukla)",
    "Afghanistan (Kunduz)",
    "Jordanië",
    "Roemenië",
    "Kosovo",
    "Somalië (kust)",
]
WORDS = (  # noqa: SIM905
    "munitie opgeslagen container hitte ontsteker voertuig gekanteld greppel "
    "patrouille wachtpost verlichting aggregaat brandstof koeling medicijnen "
    "helikopter landingsplaats evacuatie ijzel gladheid oefenterrein schietbaan "
    "vermoeidheid slaaptekort stof zand radio verbinding konvooi route IED "
    "ammunition storage heat fuze vehicle rollover convoy fatigue generator fire "
    "cold injury frostbite water crossing drowning dust mask training range"
).split()


def generate() -> None:
    from missionsafety.deployments.models import Deployment, Party
    from missionsafety.lessons.index import index_many
    from missionsafety.lessons.models import Lesson, Observation
    from missionsafety.organisations.models import Membership, Organisation, User
    from missionsafety.risks.models import HazardCategory

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
    brigades = [org(f"B-BDE{i}", K.BRIGADE, E.BRIGADE, clas) for i in range(4)]
    battalions = [
        org(f"B-BN{i}", K.BATTALION, E.BATTALION, brigades[i % 4]) for i in range(12)
    ]
    for name, o, role in [
        ("bench.jfc", jfc, "safety_officer"),
        ("bench.bde", brigades[0], "safety_officer"),
        ("bench.ivd", ivd, "auditor"),
    ]:
        u = User.objects.create(username=name)
        Membership.objects.create(user=u, organisation=o, role=role)
    today = datetime.date.today()
    deps = Deployment.objects.bulk_create(
        Deployment(
            name=f"Bench {i}",
            code=f"BENCH-{i}",
            theatre=THEATRES[i % len(THEATRES)],
            start_date=today - datetime.timedelta(days=10 * i),
            end_date=today - datetime.timedelta(days=10 * i - 180),
            phase="closed",
        )
        for i in range(DEPLOYMENTS)
    )
    parties = []
    for i, d in enumerate(deps):
        bn = battalions[i % 12]
        parties += [
            Party(deployment=d, organisation=jfc, role="operational_command"),
            Party(deployment=d, organisation=clas, role="force_provider"),
            Party(deployment=d, organisation=bn.parent, role="parent_brigade"),
            Party(deployment=d, organisation=bn, role="deployed_unit"),
        ]
    Party.objects.bulk_create(parties)
    cats = list(HazardCategory.objects.all())

    def text(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n))

    rel = ["parties", "parties", "defence", "organisations"]
    obs = Observation.objects.bulk_create(
        (
            Observation(
                deployment=deps[i % DEPLOYMENTS],
                phase="deployed",
                observed_on=today - datetime.timedelta(days=i % 3000),
                title=text(6).capitalize(),
                observation=text(40),
                discussion=text(25),
                conclusion=text(12),
                recommendation=text(12),
                organisation=battalions[i % 12],
                source="aar",
                kind="issue" if i % 4 else "good_practice",
                releasability=rel[i % 4],
                status="verified" if i % 3 else "submitted",
            )
            for i in range(OBSERVATIONS)
        ),
        batch_size=2000,
    )
    through = Observation.categories.through
    through.objects.bulk_create(
        (
            through(observation_id=o.pk, hazardcategory_id=cats[i % len(cats)].pk)
            for i, o in enumerate(obs)
        ),
        batch_size=5000,
    )
    rthrough = Observation.released_to.through
    rthrough.objects.bulk_create(
        (
            rthrough(observation_id=o.pk, organisation_id=brigades[i % 4].pk)
            for i, o in enumerate(obs)
            if o.releasability == "organisations"
        ),
        batch_size=5000,
    )
    lessons = Lesson.objects.bulk_create(
        (
            Lesson(
                deployment=deps[i % DEPLOYMENTS],
                title=text(6).capitalize(),
                identified_on=today - datetime.timedelta(days=i % 3000),
                root_cause=text(30),
                remedial_action=text(30),
                releasability=rel[i % 4],
                status=["identified", "tasked", "validated"][i % 3],
                action_body=brigades[i % 4],
            )
            for i in range(LESSONS)
        ),
        batch_size=2000,
    )
    lthrough = Lesson.categories.through
    lthrough.objects.bulk_create(
        (
            lthrough(lesson_id=le.pk, hazardcategory_id=cats[i % len(cats)].pk)
            for i, le in enumerate(lessons)
        ),
        batch_size=5000,
    )
    t = time.perf_counter()
    index_many(
        observation_ids=[o.pk for o in obs], lesson_ids=[le.pk for le in lessons]
    )
    print(f"indexed {len(obs) + len(lessons)} in {time.perf_counter() - t:.0f} s")


def main() -> None:
    from missionsafety.deployments.models import Deployment
    from missionsafety.lessons.search import Filters, run_search
    from missionsafety.organisations.models import User

    call_command("migrate", verbosity=0)
    if "--fresh" in sys.argv or not Deployment.objects.filter(code="BENCH-0").exists():
        t = time.perf_counter()
        with transaction.atomic():
            generate()
        print(f"generated in {time.perf_counter() - t:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE")
    users = {u.username: u for u in User.objects.filter(username__startswith="bench.")}
    queries = [
        ("munitieopslag hitte", {}),
        ("ammunition storage heat", {}),
        ("voertuig", {}),
        ("convoy fatigue", {"theatre": "Mali (Gao)"}),
        ('"quoted" AND OR NEAR( ontsteker*', {}),
        ("helikopter", {"category": "weapons-ammo", "state": "verified"}),
        ("", {}),
    ]
    print(f"database: {connection.vendor}; {Deployment.objects.count()} deployments")
    print(f"{'user':10} {'query':40} {'hits':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for username in ("bench.jfc", "bench.bde", "bench.ivd"):
        user = users[username]
        for q, filters in queries:
            times = []
            for _ in range(25):
                for attr in ("_missionsafety_memberships", "_missionsafety_scope"):
                    user.__dict__.pop(attr, None)
                t = time.perf_counter()
                results = run_search(user=user, q=q, filters=Filters(**filters))
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            label = (q or "(no words)") + (f" {filters}" if filters else "")
            print(
                f"{username:10} {label[:40]:40} {results.total:7} {statistics.median(times):7.1f} {times[int(len(times) * 0.95) - 1]:7.1f}"
            )


if __name__ == "__main__":
    main()
