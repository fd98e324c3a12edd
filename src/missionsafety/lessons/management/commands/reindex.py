"""``missionsafety reindex``: rebuild the search index of lessons and observations."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from missionsafety.lessons.index import reindex


class Command(BaseCommand):
    help = "Rebuild the full-text search index of observations and lessons."

    def handle(self, *args: Any, **options: Any) -> None:
        count = reindex()
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {count} observations and lessons.")
        )
