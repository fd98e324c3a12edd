from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from missionsafety.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail; exit non-zero on a break."

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"Audit chain broken at record {result.seq}: {result.problem} "
                f"({result.checked} records verified before it)."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit chain intact: {result.checked} records verified."
            )
        )
