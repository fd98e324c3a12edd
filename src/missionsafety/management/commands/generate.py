"""``missionsafety generate --scale N``: fill the database with the reference data set."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from missionsafety.perf import generate


class Command(BaseCommand):
    help = (
        "Fill the configured database with the reference data set of DESIGN.md "
        "section 5, scaled (1 = 1,000 deployments, 100,000 risks, 300,000 "
        "controls, 5,000 users). Generated rows are imported, not audited: one "
        "change record summarises the run."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", type=float, default=0.01)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Flush the database (every table) before generating.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though the database holds deployments that were not "
            "generated (with --reset: flush them).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale, seed = options["scale"], options["seed"]
        if not 0 < scale <= 10:
            raise CommandError("--scale must be above 0 and at most 10.")
        state = generate.database_state()
        if state["other"] and not options["force"]:
            raise CommandError(
                f"The database holds {state['other']} deployments that were not "
                "generated. Use another database, or --force (with --reset this "
                "deletes them)."
            )
        if options["reset"]:
            self.stdout.write("Flushing the database…")
            call_command("flush", interactive=False, verbosity=0)
        elif state["generated"]:
            raise CommandError(
                f"The database already holds {state['generated']} generated "
                "deployments; add --reset to start afresh."
            )
        self.stdout.write(
            f"Generating the reference data set at scale {scale}, seed {seed}:"
        )
        ctx = generate.run(scale=scale, seed=seed, out=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Done: {generate.describe(ctx)}"))
