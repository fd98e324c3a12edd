"""``missionsafety worker``: run background tasks (notification e-mail, exports).

Wraps the database queue's worker (``db_worker``) and first puts mail that
failed earlier back on the queue, so nothing is lost while the mail server
was down.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the background worker (database task queue)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Process every waiting task, then exit.",
        )
        parser.add_argument(
            "--queue-name", default="*", help="Queues, comma-separated."
        )
        parser.add_argument(
            "--interval", type=float, default=1, help="Seconds between polls."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from missionsafety.feedback.tasks import retry_failed_mail

        retry_failed_mail.enqueue()
        call_command(
            "db_worker",
            batch=options["batch"],
            queue_name=options["queue_name"],
            interval=options["interval"],
            reload=False,
            verbosity=options.get("verbosity", 1),
        )
