"""``missionsafety remind``: the daily reminders; safe to run twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from missionsafety.feedback.reminders import remind


class Command(BaseCommand):
    help = (
        "Send daily reminders (acceptances expiring within 14 days or expired, "
        "controls that turned overdue, to their owning party, overdue threads) and retry failed "
        "e-mail. Running it twice a day sends nothing twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = remind()
        mail = result.pop("mail", {})
        parts = [f"{k}: {v}" for k, v in result.items()]
        parts += [f"mail {k}: {v}" for k, v in mail.items()]
        self.stdout.write("Reminders sent — " + ", ".join(parts))
