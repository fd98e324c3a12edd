"""Every service write leaves a change record: who, what, before, after, request."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from missionsafety.audit.models import ChangeRecord
from missionsafety.deployments import services
from missionsafety.deployments.models import Party
from missionsafety.organisations import services as org_services

pytestmark = pytest.mark.django_db


def last() -> ChangeRecord:
    return ChangeRecord.objects.order_by("-seq").first()  # type: ignore[return-value]


def test_service_writes_record_actor_action_before_and_after(world: Any) -> None:
    services.deployment_update(
        actor=world.bde13_safety,
        deployment=world.dep,
        version=world.dep.version,
        theatre="Litouwen (Rukla)",
    )
    record = last()
    assert record.actor == world.bde13_safety
    assert record.actor_label == str(world.bde13_safety)
    assert record.action == "update"
    assert record.object_id == str(world.dep.pk)
    assert record.deployment_id == world.dep.pk
    assert record.before == {"theatre": "Litouwen"}
    assert record.after == {"theatre": "Litouwen (Rukla)"}


@pytest.mark.parametrize(
    ("write", "action", "model"),
    [
        (
            lambda w: services.deployment_create(
                actor=w.bde13_safety,
                name="Nieuw",
                code="N-1",
                theatre="Mali",
                start_date=w.today,
                end_date=w.today,
                parties=[(w.bde13, Party.PartyRole.PARENT_BRIGADE)],
            ),
            "create",
            "party",
        ),
        (
            lambda w: services.party_update(
                actor=w.bde13_safety, party=w.party_bn, contact_note="kanaal 3"
            ),
            "update",
            "party",
        ),
        (
            lambda w: services.deployment_move_phase(
                actor=w.bde13_safety, deployment=w.dep, to_phase="redeployment"
            ),
            "move_phase",
            "deployment",
        ),
        (
            lambda w: org_services.organisation_create(
                actor=None, name="Nieuw", short_name="NW", kind="other", echelon=30
            ),
            "create",
            "organisation",
        ),
        (
            lambda w: org_services.membership_create(
                actor=None, user=w.viewer, organisation=w.bn, role="viewer"
            ),
            "create",
            "membership",
        ),
        (
            lambda w: org_services.organisation_archive(
                actor=None, organisation=w.bn43, version=None
            ),
            "archive",
            "organisation",
        ),
    ],
)
def test_each_write_adds_one_chained_record(
    world: Any, write: Any, action: str, model: str
) -> None:
    before = last()
    write(world)
    # What follows from the write (a phase move reschedules the evaluation
    # moments) may be recorded after it.
    record = (
        ChangeRecord.objects.filter(seq__gt=before.seq, action=action)
        .order_by("-seq")
        .first()
    )
    assert record is not None
    assert record.action == action
    assert record.content_type.model == model
    assert record.prev_hash  # chained


def test_request_id_is_echoed_and_stored(world: Any, client_for: Any) -> None:
    client = client_for(world.bde13_safety)
    response = client.post(
        reverse("deployments:phase", args=[world.dep.pk]),
        {"to_phase": "redeployment", "version": world.dep.version},
        HTTP_X_REQUEST_ID="req-0123456789abcdef",
    )
    assert response["X-Request-ID"] == "req-0123456789abcdef"
    record = ChangeRecord.objects.filter(action="move_phase").order_by("-seq").first()
    assert record is not None
    assert record.before is not None
    assert record.after is not None
    assert record.request_id == "req-0123456789abcdef"
    assert record.before == {
        "phase": "deployed",
        "phase_changed_at": record.before["phase_changed_at"],
    }
    assert record.after["phase"] == "redeployment"


def test_a_malformed_request_id_is_replaced(world: Any, client_for: Any) -> None:
    response = client_for(world.viewer).get("/", HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>"
    assert len(response["X-Request-ID"]) == 32


def test_api_writes_carry_the_request_id_too(world: Any, api_for: Any) -> None:
    response = api_for(world.bde13_safety).patch(
        f"/api/v1/deployments/{world.dep.pk}",
        {"version": world.dep.version, "name": "Via de API"},
        "application/json",
        HTTP_X_REQUEST_ID="api-request-000042",
    )
    assert response.status_code == 200
    assert last().request_id == "api-request-000042"
    assert last().actor == world.bde13_safety


def test_dates_and_decimals_are_stored_as_text(world: Any) -> None:
    from decimal import Decimal

    from missionsafety.audit.services import record_change

    moment = datetime.datetime(2026, 3, 1, 12, 30, tzinfo=datetime.UTC)
    record = record_change(
        actor=None,
        obj=world.dep,
        action="note",
        after={
            "day": datetime.date(2026, 3, 1),
            "moment": moment,
            "amount": Decimal("50000.00"),
            "big": 1e20,
            "ratio": 0.1,
        },
    )
    record.refresh_from_db()
    assert record.after == {
        "day": "2026-03-01",
        "moment": "2026-03-01T12:30:00+00:00",
        "amount": "50000.00",
        "big": 10**20,
        "ratio": 0.1,
    }
    assert record.actor_label == "system"
