from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from missionsafety.demo import load_all


class Command(BaseCommand):
    help = "Load the fictional demo data (safe to run again: it adds what is missing)."

    def handle(self, *args: Any, **options: Any) -> None:
        ctx = load_all()
        for line in ctx.log:
            self.stdout.write(f"  + {line}")
        self.stdout.write(self.style.SUCCESS("Demo data in place."))
