"""The risk demo is written through the services, so it is audited like real work."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from missionsafety.audit.models import ChangeRecord
from missionsafety.core.demo import DemoContext
from missionsafety.deployments import demo as deployments_demo
from missionsafety.organisations import demo as organisations_demo
from missionsafety.risks import demo as risks_demo
from missionsafety.risks.models import Risk


@pytest.fixture
def risk_demo(db: Any) -> DemoContext:
    ctx = DemoContext()
    for module in (organisations_demo, deployments_demo, risks_demo):
        module.load(ctx)
    return ctx


def test_the_expired_acceptance_has_the_audit_record_of_its_decision(
    risk_demo: DemoContext,
) -> None:
    expired = Risk.objects.select_related("accepted_decision").get(
        deployment__code="EFP-LTU-R12",
        status=Risk.Status.ACCEPTED,
        acceptance_expires_on__lt=risk_demo.today,
    )
    decision = expired.accepted_decision
    assert decision is not None
    assert decision.valid_until == risk_demo.days(-6)
    assert timezone.localdate(decision.decided_at) == risk_demo.days(-96)

    record = ChangeRecord.objects.get(
        object_id=str(expired.pk), action="accept", after__decision=decision.pk
    )
    after = record.after or {}
    assert after["valid_until"] == risk_demo.days(-6).isoformat()
    decided_at = datetime.datetime.fromisoformat(after["decided_at"])
    assert timezone.localdate(decided_at) == risk_demo.days(-96)
