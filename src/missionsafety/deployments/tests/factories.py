"""Quick ways to make deployments for tests of lists and pages."""

from __future__ import annotations

import datetime
from typing import Any

from missionsafety.deployments import services
from missionsafety.deployments.models import Party


def make_deployments(world: Any, count: int, prefix: str = "EX") -> None:
    """``count`` deployments of 13 LBR in planning, one day apart, codes EX-000…"""
    for i in range(count):
        services.deployment_create(
            actor=world.bde13_safety,
            name=f"Oefening {i}",
            code=f"{prefix}-{i:03d}",
            theatre="Duitsland",
            start_date=world.today + datetime.timedelta(days=i),
            end_date=world.today + datetime.timedelta(days=i + 10),
            parties=[(world.bde13, Party.PartyRole.PARENT_BRIGADE)],
        )
