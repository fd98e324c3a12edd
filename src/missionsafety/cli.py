"""The ``missionsafety`` command: Django's management commands under one name."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "missionsafety.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:]
    # ``missionsafety verify-audit`` runs the ``verify_audit`` command.
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["missionsafety", *args])


if __name__ == "__main__":
    main()
