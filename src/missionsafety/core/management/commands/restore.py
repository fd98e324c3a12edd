from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from missionsafety.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by 'backup' into an empty database and data "
        "directory, then verify the audit chain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir", type=Path)
        parser.add_argument(
            "--checkpoints",
            type=Path,
            help="Also check the restored chain against these signed checkpoints.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore(options["dir"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Restored the backup of %(time)s.") % {"time": manifest["started_at"]}
        )
        verify = ["--checkpoints", str(options["checkpoints"])]
        call_command(
            "verify_audit",
            *(verify if options["checkpoints"] else []),
            stdout=self.stdout,
        )
