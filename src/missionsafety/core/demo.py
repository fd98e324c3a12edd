"""Demo data: realistic, fictional, loaded through the services (so audited).

Each app may have a ``demo.py`` with ``load(ctx: DemoContext) -> None`` that is
idempotent (it checks for its own data first). They run in ``APP_ORDER``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.db import transaction
from django.utils import timezone

DEMO_PASSWORD = "missie-veilig"

APP_ORDER = [
    "organisations",
    "deployments",
    "risks",
    "occurrences",
    "feedback",
    "lessons",
    "evaluations",
    "reports",
]


@dataclass
class DemoContext:
    """Lookups shared by the app loaders."""

    today: datetime.date = field(default_factory=timezone.localdate)
    log: list[str] = field(default_factory=list)

    def user(self, username: str) -> Any:
        from missionsafety.organisations.models import User

        return User.objects.get(username=username)

    def org(self, short_name: str) -> Any:
        from missionsafety.organisations.models import Organisation

        return Organisation.objects.get(short_name=short_name)

    def deployment(self, code: str) -> Any:
        from missionsafety.deployments.models import Deployment

        return Deployment.objects.get(code=code)

    def days(self, n: int) -> datetime.date:
        return self.today + datetime.timedelta(days=n)

    def say(self, message: str) -> None:
        self.log.append(message)


def load_all(today: datetime.date | None = None) -> DemoContext:
    ctx = DemoContext(today=today or timezone.localdate())
    for app in APP_ORDER:
        try:
            module = import_module(f"missionsafety.{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"missionsafety.{app}.demo":
                raise
            continue
        with transaction.atomic():
            module.load(ctx)
    return ctx


# Who is who in the demo, for the start-up message and the README.
DEMO_USERS = [
    ("jfc.safety", "safety advisor NLD JFC"),
    ("jfc.commander", "commander NLD JFC"),
    ("clas.safety", "safety advisor Staf CLAS"),
    ("clas.commander", "commander of the army (C-LAS)"),
    ("bde13.commander", "commander 13 Light Brigade"),
    ("bde13.safety", "safety officer 13 Light Brigade"),
    ("bn.commander", "commander 42 BLJ (deployed battle group)"),
    ("coy.commander", "commander B-company 42 BLJ"),
    ("bde43.safety", "safety officer 43 Mech Brigade (not a party)"),
    ("ivd.inspector", "inspector IVD (auditor, read-only)"),
    ("admin", "system administrator"),
]
