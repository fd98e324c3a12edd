from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from missionsafety.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail; exit non-zero on a break."

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                _(
                    "Audit chain broken at record %(seq)s: %(problem)s "
                    "(%(checked)s records verified before it)."
                )
                % {
                    "seq": result.seq,
                    "problem": result.problem,
                    "checked": result.checked,
                }
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Audit chain intact: %(checked)s records verified.")
                % {"checked": result.checked}
            )
        )
