"""The occurrence API: read, correct with versions, idempotent reports."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.utils import timezone

from missionsafety.occurrences.access import make_occurrence
from missionsafety.occurrences.models import Occurrence

pytestmark = pytest.mark.django_db


def test_report_twice_with_the_same_key(world: Any, api_for: Any) -> None:
    client = api_for(world.coy_leader)
    body = {
        "occurred_at": (timezone.now() - datetime.timedelta(minutes=5)).isoformat(),
        "place": "Gaižiūnai",
        "latitude": 54.9,
        "longitude": 24.1,
        "unit_id": world.coy.pk,
        "kind": "unsafe_situation",
        "title": "Losliggende kabels in de tent",
        "actual_category": 0,
        "potential_category": 1,
        "idempotency_key": str(uuid.uuid4()),
    }
    url = f"/api/v1/deployments/{world.dep.pk}/occurrences"
    first = client.post(url, body, content_type="application/json")
    second = client.post(url, body, content_type="application/json")
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert Occurrence.objects.count() == 1


def test_future_date_and_half_coordinates_are_refused(world: Any, api_for: Any) -> None:
    client = api_for(world.coy_commander)
    url = f"/api/v1/deployments/{world.dep.pk}/occurrences"
    base = {
        "place": "Rukla",
        "unit_id": world.coy.pk,
        "kind": "incident",
        "title": "x",
        "actual_category": 1,
        "potential_category": 1,
    }
    future = client.post(
        url,
        {
            **base,
            "occurred_at": (timezone.now() + datetime.timedelta(days=1)).isoformat(),
        },
        content_type="application/json",
    )
    assert future.status_code == 422
    assert "occurred_at" in future.content.decode()
    half = client.post(
        url,
        {**base, "occurred_at": timezone.now().isoformat(), "latitude": 54.0},
        content_type="application/json",
    )
    assert half.status_code == 422
    assert not Occurrence.objects.exists()


def test_patch_with_version(world: Any, api_for: Any) -> None:
    occurrence = make_occurrence(world)
    client = api_for(world.coy_commander)
    url = f"/api/v1/occurrences/{occurrence.pk}"
    ok = client.patch(
        url,
        {"version": occurrence.version, "place": "Rukla, poort 2"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["place"] == "Rukla, poort 2"
    stale = client.patch(
        url,
        {"version": occurrence.version, "place": "Elders"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == occurrence.version + 1


def test_reporter_cannot_edit_after_triage(world: Any, api_for: Any) -> None:
    occurrence = make_occurrence(world)
    api_for(world.bde13_safety).post(
        f"/api/v1/occurrences/{occurrence.pk}/triage",
        {"actual_category": 1, "potential_category": 2},
        content_type="application/json",
    )
    occurrence.refresh_from_db()
    response = api_for(world.coy_commander).patch(
        f"/api/v1/occurrences/{occurrence.pk}",
        {"version": occurrence.version, "title": "Anders"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_outsider_gets_404(world: Any, api_for: Any) -> None:
    occurrence = make_occurrence(world)
    client = api_for(world.bde43_safety)
    assert client.get(f"/api/v1/occurrences/{occurrence.pk}").status_code == 404
    assert (
        client.get(f"/api/v1/deployments/{world.dep.pk}/occurrences").status_code == 404
    )
