from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from missionsafety.audit.checkpoints import (
    CheckpointError,
    checkpoints_check,
    checkpoints_read,
    load_public_key,
)
from missionsafety.audit.services import verify_chain


class Command(BaseCommand):
    help = (
        "Verify the keyed hash chain of the audit trail, and with --checkpoints "
        "its agreement with signed checkpoints; exit non-zero on a break."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoints",
            type=Path,
            help="Directory of checkpoints written by audit-checkpoint.",
        )
        parser.add_argument(
            "--public-key",
            help="Public key (hex, or a file holding it) the checkpoints must be "
            "signed with; default: the one derived from this instance's AUDIT_KEY.",
        )

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
        message = _("Audit chain intact: %(checked)s records verified.") % {
            "checked": result.checked
        }
        if options["checkpoints"] is not None:
            try:
                public_key = load_public_key(options["public_key"])
                checkpoints = checkpoints_read(options["checkpoints"], public_key)
            except CheckpointError as exc:
                raise CommandError(str(exc)) from exc
            problem = checkpoints_check(checkpoints, result.checked)
            if problem:
                raise CommandError(
                    _("Audit chain disagrees with its checkpoints: %(problem)s.")
                    % {"problem": problem}
                )
            message += " " + _("It agrees with %(count)s signed checkpoints.") % {
                "count": len(checkpoints)
            }
        self.stdout.write(self.style.SUCCESS(message))
