"""``missionsafety trends``: derive the day's weekly histories ahead of readers."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from missionsafety.deployments.models import Deployment
from missionsafety.risks import history


class Command(BaseCommand):
    help = (
        "Derive and keep the weekly trend history of every deployment for today, "
        "so that the first overview of the day does not wait for it. Run daily "
        "just after midnight; deployments that have not changed are skipped."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        kept = history.histories(Deployment.objects.values("pk"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Trend histories of {len(kept)} deployments ready in "
                f"{time.perf_counter() - started:.1f} s."
            )
        )
