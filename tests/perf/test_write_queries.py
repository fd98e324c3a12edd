"""What a write costs in queries: pinned, so that a change that adds some shows."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from missionsafety.occurrences.models import Occurrence

REPORT = {
    "kind": "near_miss",
    "title": "Bijna-aanrijding bij achteruitrijden",
    "description": "Voertuig reed achteruit zonder uitwijzer.",
    "occurred_at": "2025-03-01T10:00:00+01:00",
    "place": "Rukla",
    "actual_category": 0,
    "potential_category": 2,
}


def test_an_occurrence_report_takes_19_queries(world: Any, api_for: Any) -> None:
    """Was 28 in this world: the service no longer asks whether the deployment,
    unit and reporter it holds exist, nor re-checks the category constraint;
    then 22: the audit head is now bumped and read in one statement, without a
    savepoint of its own (the mail of its notifications, after the commit, is
    one queued task)."""
    client = api_for(world.coy_leader)
    url = f"/api/v1/deployments/{world.dep.pk}/occurrences"
    body = {**REPORT, "unit_id": world.bn.pk}
    assert client.post(url, body, content_type="application/json").status_code == 201
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            url, {**body, "title": "Tweede melding"}, content_type="application/json"
        )
    assert response.status_code == 201
    assert response.json()["title"] == "Tweede melding"
    assert len(queries) == 19, "\n".join(q["sql"][:120] for q in queries)
    assert Occurrence.objects.filter(title="Tweede melding").count() == 1


def test_a_report_with_a_category_out_of_scale_still_answers_422(
    world: Any, api_for: Any
) -> None:
    client = api_for(world.coy_leader)
    response = client.post(
        f"/api/v1/deployments/{world.dep.pk}/occurrences",
        {**REPORT, "unit_id": world.bn.pk, "actual_category": 7},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "actual_category" in response.text
    assert not Occurrence.objects.filter(title=REPORT["title"]).exists()
