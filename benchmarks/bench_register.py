"""Benchmark (not a test): register page, register API and heat map on a
deployment with 1,000 risks and 3,000 controls.

    uv run python benchmarks/bench_register.py [--risks 1000] [--runs 50]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ms_bench uv run python benchmarks/bench_register.py

Builds a fresh database (SQLite in a temporary folder unless DATABASE_URL is
set), fills it in bulk and prints p50/p95 server time per URL, measured around
the Django test client (routing, middleware, queries, rendering; no network).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "missionsafety.test_settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--risks", type=int, default=1000)
    parser.add_argument("--controls-per-risk", type=int, default=3)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # Not setup_test_environment(): its instrumented template rendering would
    # inflate the figures.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if connection.vendor == "postgresql":
        from django.test.utils import get_runner  # noqa: F401

        connection.creation.create_test_db(verbosity=0, keepdb=False)
    else:
        call_command("migrate", verbosity=0)

    import datetime
    import random

    from missionsafety.risks.models import Assessment, Control, Risk
    from missionsafety.testing import build_world

    w = build_world()
    dep = w.dep
    matrix = dep.matrix
    parties = [w.party_jfc, w.party_clas, w.party_bde13, w.party_bn]
    rng = random.Random(7)
    probs, sevs = matrix.probability_codes, matrix.severity_codes
    statuses = [s for s, _ in Risk.Status.choices]
    started = time.perf_counter()
    risks = Risk.objects.bulk_create(
        Risk(
            deployment=dep,
            number=i + 1,
            title=f"Risico {i + 1}: voertuigbewegingen sector {i % 17}",
            hazard="Bench hazard",
            owner_party=parties[i % 4],
            status=statuses[i % len(statuses)],
            phases=["deployed"],
        )
        for i in range(args.risks)
    )
    assessments = []
    for risk in risks:
        ip, isv = rng.choice(probs[:2]), rng.choice(sevs[:2])
        rp, rs = rng.choice(probs), rng.choice(sevs)
        level = matrix.level_for(rp, rs)
        inherent = matrix.level_for(ip, isv)
        assessments.append(
            Assessment(
                risk=risk,
                deployment=dep,
                sequence=1,
                inherent_probability=ip,
                inherent_severity=isv,
                inherent_level=inherent,
                residual_probability=rp,
                residual_severity=rs,
                residual_level=level,
                residual_rank=matrix.rank(level),
                reason="initial",
            )
        )
    assessments = Assessment.objects.bulk_create(assessments)
    for risk, a in zip(risks, assessments, strict=True):
        risk.current_assessment = a
        risk.inherent_level = a.inherent_level
        risk.residual_level = a.residual_level
        risk.residual_rank = a.residual_rank
    Risk.objects.bulk_update(
        risks,
        ["current_assessment", "inherent_level", "residual_level", "residual_rank"],
        batch_size=500,
    )
    today = datetime.date.today()
    Control.objects.bulk_create(
        (
            Control(
                risk=risk,
                deployment=dep,
                description=f"Maatregel {n}",
                kind="administrate",
                owner_party=parties[(risk.number + n) % 4],
                due_date=today + datetime.timedelta(days=rng.randint(-30, 60)),
            )
            for risk in risks
            for n in range(args.controls_per_risk)
        ),
        batch_size=1000,
    )
    print(
        f"{connection.vendor}: {Risk.objects.count()} risks, "
        f"{Control.objects.count()} controls in {time.perf_counter() - started:.1f} s"
    )

    client = Client()
    client.force_login(w.bde13_safety)
    urls = {
        "register page": f"/deployments/{dep.pk}/risks/",
        "register page, filtered": f"/deployments/{dep.pk}/risks/?overdue=1&sort=owner",
        "register API": f"/api/v1/deployments/{dep.pk}/risks",
        "heat map API": f"/api/v1/deployments/{dep.pk}/heatmap",
        "risk page": f"/risks/{risks[0].pk}/",
    }
    print(f"{'url':28} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, url in urls.items():
        client.get(url)  # warm up
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as q:
            client.get(url)
        if os.environ.get("BENCH_QUERIES"):
            for query in q.captured_queries:
                print(f"   {float(query['time']) * 1000:7.1f} {query['sql'][:150]}")
        if os.environ.get("BENCH_PROFILE") == label:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            client.get(url)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"{label:28} {statistics.median(times):8.1f} {p95:8.1f} {len(q):8d}")
    if connection.vendor == "postgresql":
        connection.creation.destroy_test_db(
            connection.settings_dict["NAME"], verbosity=0
        )


if __name__ == "__main__":
    main()
