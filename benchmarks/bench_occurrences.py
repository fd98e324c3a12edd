"""Benchmark (not a test): the occurrence list and the report form at 100,000 rows.

Bulk-creates 100,000 occurrences on one deployment of the test world, then
prints p50/p95 server time of the filtered list page and of submitting the
report form. Run it against SQLite (default) or PostgreSQL (DATABASE_URL):

    uv run python benchmarks/bench_occurrences.py [--rows 100000] [--runs 50]

It uses a throw-away database (the test runner's), never your data.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "missionsafety.test_settings")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))
    return ordered[index]


def report(name: str, samples: list[float]) -> None:
    print(
        f"{name:<44} p50 {percentile(samples, 50) * 1000:7.1f} ms   "
        f"p95 {percentile(samples, 95) * 1000:7.1f} ms   (n={len(samples)}, "
        f"mean {statistics.mean(samples) * 1000:.1f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["*"]
    setup_test_environment()
    from django.test.utils import get_runner

    runner = get_runner(settings)(verbosity=0)
    old = runner.setup_databases()
    try:
        from missionsafety.occurrences.models import Occurrence
        from missionsafety.testing import build_world

        w = build_world()
        print(f"creating {args.rows:,} occurrences …", flush=True)
        kinds = ["unsafe_situation", "near_miss", "incident", "accident"]
        now = timezone.now()
        batch = []
        for i in range(args.rows):
            batch.append(
                Occurrence(
                    deployment=w.dep,
                    occurred_at=now - datetime.timedelta(minutes=7 * i + 1),
                    place="Rukla",
                    unit=w.coy,
                    kind=kinds[i % 4],
                    title=f"Voorval {i}",
                    actual_category=i % 5,
                    potential_category=(i * 7) % 5,
                    ammunition_involved=i % 11 == 0,
                    status=["reported", "triaged", "closed"][i % 3],
                )
            )
            if len(batch) == 5000:
                Occurrence.objects.bulk_create(batch)
                batch = []
        Occurrence.objects.bulk_create(batch)

        client = Client()
        client.force_login(w.bde13_safety)
        url = reverse("occurrences:list", args=[w.dep.pk])
        filters = [
            {},
            {"kind": "accident"},
            {"kind": "near_miss", "category": "2", "ammunition": "yes"},
            {
                "status": "closed",
                "date_from": (now.date() - datetime.timedelta(days=90)).isoformat(),
            },
            {"page": "40"},
        ]
        client.get(url)
        samples: list[float] = []
        for run in range(args.runs):
            params = filters[run % len(filters)]
            start = time.perf_counter()
            response = client.get(url, params)
            samples.append(time.perf_counter() - start)
            assert response.status_code == 200
        report("occurrence list (filters, 50 per page)", samples)

        reporter = Client()
        reporter.force_login(w.coy_commander)
        report_url = reverse("occurrences:report", args=[w.dep.pk])
        samples = []
        for _run in range(args.runs):
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
            start = time.perf_counter()
            response = reporter.post(report_url, data)
            samples.append(time.perf_counter() - start)
            assert response.status_code == 302, response.status_code
        report("report form submit (new occurrence)", samples)
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
