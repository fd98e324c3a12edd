"""``missionsafety bench``: measure the application under gunicorn over HTTP."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from missionsafety.perf import bench


class Command(BaseCommand):
    help = (
        "Generate (or reuse) the reference data set, serve it with gunicorn "
        "(2 workers, 127.0.0.1) and measure the named scenarios at concurrency 1 "
        "and 16 on SQLite and PostgreSQL: p50/p95/p99 latency, server time, "
        "errors and throughput. Prints a table and writes JSON."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", type=float, default=0.1)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--databases", default="sqlite,postgres")
        parser.add_argument(
            "--duration", type=float, default=5.0, help="Seconds per measurement."
        )
        parser.add_argument(
            "--max-requests", type=int, default=2000, help="Cap per measurement."
        )
        parser.add_argument(
            "--warmup", type=int, default=3, help="Requests per client."
        )
        parser.add_argument("--concurrency", default="1,16")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--only", default="", help="Scenarios whose name contains this."
        )
        parser.add_argument(
            "--postgres-url",
            default=None,
            help="A PostgreSQL server to create the bench database on "
            "(default: DATABASE_URL if PostgreSQL, else a throwaway cluster).",
        )
        parser.add_argument(
            "--postgres-template",
            default=None,
            help="Copy this database on the PostgreSQL server (generated earlier "
            "at the same scale and seed) instead of generating.",
        )
        parser.add_argument(
            "--servers",
            type=int,
            default=1,
            help="Application servers (each with --workers); with more than one, "
            "every measurement is taken with one server and with all of them.",
        )
        parser.add_argument(
            "--replica",
            action="store_true",
            help="PostgreSQL: a throwaway primary with a streaming replica that "
            "GET requests read from (DATABASE_REPLICA_URLS).",
        )
        parser.add_argument("--cache-dir", default=None, type=Path)
        parser.add_argument(
            "--out", default=None, type=Path, help="JSON file to write."
        )
        parser.add_argument(
            "--compare",
            nargs=2,
            metavar=("BEFORE", "AFTER"),
            type=Path,
            help="Print how two result files differ (e.g. scale 0.1 and scale 1).",
        )
        parser.add_argument(
            "--markdown", type=Path, help="Print a result file as a Markdown table."
        )
        parser.add_argument(
            "--probe", action="store_true", help="Print the targets as JSON (internal)."
        )

    def handle(self, *args: Any, **o: Any) -> None:
        if o["probe"]:
            self.stdout.write(json.dumps(bench.probe_targets()))
            return
        if o["markdown"]:
            self.stdout.write(bench.markdown(json.loads(o["markdown"].read_text())))
            return
        if o["compare"]:
            before, after = (json.loads(p.read_text()) for p in o["compare"])
            self.stdout.write(bench.compare(before, after))
            return
        databases = tuple(d.strip() for d in o["databases"].split(",") if d.strip())
        unknown = set(databases) - {"sqlite", "postgres"}
        if unknown:
            raise CommandError(f"Unknown databases: {', '.join(sorted(unknown))}")
        if o["servers"] < 1:
            raise CommandError("--servers: at least 1.")
        if o["replica"] and o["postgres_url"]:
            raise CommandError(
                "--replica starts its own primary and replica; leave out "
                "--postgres-url."
            )
        options = bench.Options(
            scale=o["scale"],
            seed=o["seed"],
            databases=databases,
            duration=o["duration"],
            max_requests=o["max_requests"],
            warmup=o["warmup"],
            concurrency=tuple(int(c) for c in o["concurrency"].split(",")),
            workers=o["workers"],
            only=o["only"],
            postgres_url=o["postgres_url"],
            postgres_template=o["postgres_template"],
            cache_dir=o["cache_dir"],
            servers=o["servers"],
            replica=o["replica"],
        )
        result = bench.run(options, out=self.stdout.write)
        self.stdout.write("")
        self.stdout.write(bench.table(result))
        out = o["out"] or Path("benchmarks/results") / (
            f"bench-scale{options.scale}-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=1))
        self.stdout.write(f"\nWritten to {out}")
        others = sorted(out.parent.glob("bench-scale*.json"))
        pair = _scale_pair(others, result)
        if pair:
            self.stdout.write("")
            self.stdout.write(bench.compare(*pair))


def _scale_pair(files: list[Path], latest: dict[str, Any]) -> tuple[Any, Any] | None:
    """The newest results at the other of scale 0.1 and 1, ordered small to large."""
    scale = latest["meta"]["scale"]
    wanted = {0.1: 1.0, 1.0: 0.1}.get(scale)
    if wanted is None:
        return None
    for path in reversed(files):
        with_other = json.loads(path.read_text())
        if with_other.get("meta", {}).get("scale") == wanted:
            return (with_other, latest) if wanted < scale else (latest, with_other)
    return None
