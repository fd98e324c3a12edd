from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from missionsafety.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite: online backup; PostgreSQL: pg_dump), the "
        "uploads and the keys into DIR, a new or empty directory."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir", type=Path)
        parser.add_argument(
            "--no-keys",
            action="store_true",
            help="Leave out SECRET_KEY and AUDIT_KEY (when they are kept elsewhere).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(options["dir"], keys=not options["no_keys"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Backup of the %(engine)s database written to %(dir)s.")
                % {"engine": manifest["engine"], "dir": options["dir"]}
            )
        )
