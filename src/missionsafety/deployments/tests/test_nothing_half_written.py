"""A write that fails part-way leaves no rows and no change record behind."""

from __future__ import annotations

from typing import Any

import pytest

from missionsafety.audit.models import AuditHead, ChangeRecord
from missionsafety.audit.services import verify_chain
from missionsafety.core.exceptions import ValidationError
from missionsafety.deployments import services
from missionsafety.deployments.models import Deployment, Party, PhaseChange
from missionsafety.organisations import services as org_services

pytestmark = pytest.mark.django_db


def state() -> tuple[int, int, int, int, int]:
    head = AuditHead.objects.get(pk=1)
    return (
        Deployment.objects.count(),
        Party.objects.count(),
        PhaseChange.objects.count(),
        ChangeRecord.objects.count(),
        head.last_seq,
    )


def test_create_failing_on_the_second_party_writes_nothing(world: Any) -> None:
    org_services.organisation_archive(actor=None, organisation=world.bn43, version=None)
    world.bn43.refresh_from_db()
    before = state()
    with pytest.raises(ValidationError):
        services.deployment_create(
            actor=world.bde13_safety,
            name="Half",
            code="HALF-1",
            theatre="Mali",
            start_date=world.today,
            end_date=world.today,
            parties=[
                (world.bde13, Party.PartyRole.PARENT_BRIGADE),  # written first
                (world.bn43, Party.PartyRole.DEPLOYED_UNIT),  # archived: refused
            ],
        )
    assert state() == before
    assert verify_chain().ok


def test_phase_move_failing_in_a_listener_writes_nothing(world: Any) -> None:
    def failing_listener(**kwargs: Any) -> None:
        raise RuntimeError("schedule failed")

    services._phase_listeners.append(failing_listener)
    try:
        before = state()
        with pytest.raises(RuntimeError):
            services.deployment_move_phase(
                actor=world.bde13_safety, deployment=world.dep, to_phase="redeployment"
            )
    finally:
        services._phase_listeners.remove(failing_listener)
    assert state() == before
    world.dep.refresh_from_db()
    assert world.dep.phase == "deployed"
    assert verify_chain().ok
