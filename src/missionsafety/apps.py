from __future__ import annotations

from django.apps import AppConfig


class MissionSafetyConfig(AppConfig):
    """The project package: the commands that assemble every app (demo,
    generate, bench, load, token) and its own catalogue of texts."""

    name = "missionsafety"
    label = "missionsafety"
    verbose_name = "Mission Safety"
