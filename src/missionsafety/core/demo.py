"""Demo data: realistic, fictional, loaded through the services (so audited).

Each app may have a ``demo.py`` with ``load(ctx: DemoContext) -> None`` that is
idempotent (it checks for its own data first). The project package runs them in
order (``missionsafety.demo``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

DEMO_PASSWORD = "missie-veilig"

# What an app does before a demo deployment enters a phase (the evaluations app
# holds the readiness gate before "deployed"); registered in the app's ready().
_PHASE_STEPS: dict[str, list[Callable[[Any, Any], Any]]] = {}


def register_phase_step(phase: str, step: Callable[[Any, Any], Any]) -> None:
    """Run ``step(deployment, actor)`` before a demo deployment enters ``phase``."""
    steps = _PHASE_STEPS.setdefault(phase, [])
    if step not in steps:
        steps.append(step)


def before_phase(phase: str, deployment: Any, actor: Any) -> None:
    """Take the registered steps before a demo deployment enters ``phase``."""
    for step in _PHASE_STEPS.get(phase, []):
        step(deployment, actor)


@dataclass
class DemoContext:
    """Lookups shared by the app loaders."""

    today: datetime.date = field(default_factory=timezone.localdate)
    log: list[str] = field(default_factory=list)

    def user(self, username: str) -> Any:
        return get_user_model().objects.get(username=username)

    def org(self, short_name: str) -> Any:
        model = apps.get_model("organisations", "Organisation")
        return model.objects.get(short_name=short_name)

    def deployment(self, code: str) -> Any:
        model = apps.get_model("deployments", "Deployment")
        return model.objects.get(code=code)

    def days(self, n: int) -> datetime.date:
        return self.today + datetime.timedelta(days=n)

    def say(self, message: str) -> None:
        self.log.append(message)
