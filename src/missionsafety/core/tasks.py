"""Background work of the core app (run by ``missionsafety worker``)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from missionsafety.core.events import run_queued


@task()
def run_subscribers(event: str, paths: list[str], refs: dict[str, Any]) -> list[str]:
    """The background subscribers of one published event (see core.events)."""
    return run_queued(event, paths, refs)
