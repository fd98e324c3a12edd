from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from missionsafety.organisations.models import User
from missionsafety.organisations.services import token_create


class Command(BaseCommand):
    help = "Print a new personal API token for USERNAME (only its hash is stored)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"], is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError(
                _("No active user %(name)s.") % {"name": repr(options["username"])}
            ) from exc
        self.stdout.write(token_create(actor=None, user=user, name=options["name"]))
