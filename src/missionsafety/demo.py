"""The demo of the whole product: every app's ``demo.py``, in order.

Each app's loader is idempotent and writes through the app's services, so the
demo data is audited like any other change.
"""

from __future__ import annotations

import datetime
from importlib import import_module

from django.db import transaction
from django.utils import timezone

from missionsafety.core.demo import DemoContext

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
