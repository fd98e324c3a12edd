"""``missionsafety load``: mixed clients for a while, optionally with faults."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from missionsafety.perf import faults


class Command(BaseCommand):
    help = (
        "Drive mixed reads and writes from many clients against gunicorn on a "
        "generated database; with --faults kill a worker and the database "
        "connections halfway, then check every acknowledged write is stored once."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--database", choices=["sqlite", "postgres"], required=True)
        parser.add_argument("--seconds", type=float, default=60)
        parser.add_argument("--clients", type=int, default=16)
        parser.add_argument("--faults", action="store_true")
        parser.add_argument("--scale", type=float, default=0.02)
        parser.add_argument(
            "--port",
            type=int,
            default=0,
            help="Port for gunicorn on 127.0.0.1 (default: any free one).",
        )
        parser.add_argument(
            "--postgres-url",
            help="A PostgreSQL database for the run; its contents are replaced.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = faults.run(
            database=options["database"],
            seconds=options["seconds"],
            clients=options["clients"],
            faults=options["faults"],
            postgres_url=options["postgres_url"],
            scale=options["scale"],
            port=options["port"],
            out=self.stdout.write,
        )
        self.stdout.write(json.dumps(result, indent=2))
        if result["missing_writes"] or result["duplicate_writes"]:
            raise CommandError("Acknowledged writes were lost or stored twice.")
