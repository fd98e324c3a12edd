from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from missionsafety.audit.checkpoints import CheckpointError, checkpoint_write


class Command(BaseCommand):
    help = (
        "Write a signed checkpoint of the audit chain's head (sequence, hash, "
        "time) to a directory outside the database; run it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", type=Path, required=True, help="Directory for checkpoints."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checkpoint = checkpoint_write(out=options["out"])
        except CheckpointError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Checkpoint of record %(seq)s written to %(path)s.")
                % {"seq": checkpoint.seq, "path": checkpoint.path}
            )
        )
