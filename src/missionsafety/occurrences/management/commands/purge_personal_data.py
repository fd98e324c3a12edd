"""``missionsafety purge-personal-data``: delete personal data past retention."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from missionsafety.occurrences.services import purge_personal_data


class Command(BaseCommand):
    help = (
        "Delete names and medical details of people involved in occurrences older "
        "than the retention period; the reports stay intact."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            metavar="DAYS",
            help="Retention in days (default: PERSONAL_DATA_RETENTION_DAYS).",
        )

    def handle(self, *args: Any, older_than: int | None, **options: Any) -> None:
        days = (
            older_than
            if older_than is not None
            else int(getattr(settings, "PERSONAL_DATA_RETENTION_DAYS", 730))
        )
        count = purge_personal_data(older_than_days=days)
        self.stdout.write(
            f"Deleted personal data of {count} people involved in occurrences "
            f"older than {days} days."
        )
