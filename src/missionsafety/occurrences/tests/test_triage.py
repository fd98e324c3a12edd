"""Safety officers triage and follow occurrences to closure; others may not."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from missionsafety.occurrences.access import make_occurrence
from missionsafety.occurrences.models import Occurrence
from missionsafety.occurrences.services import action_add, action_complete
from missionsafety.occurrences.tests.factories import make_risk

pytestmark = pytest.mark.django_db


def test_safety_officer_triages_on_the_page(world: Any, client_for: Any) -> None:
    occurrence = make_occurrence(world)
    risk = make_risk(world)
    client = client_for(world.bde13_safety)
    assert (
        client.get(reverse("occurrences:triage", args=[occurrence.pk])).status_code
        == 200
    )
    response = client.post(
        reverse("occurrences:triage", args=[occurrence.pk]),
        {
            "version": occurrence.version,
            "actual_category": "1",
            "potential_category": "2",
            "investigation_level": "unit",
            "risks": [risk.pk],
            "note": "Bevestigd na gesprek met de pelotonscommandant.",
        },
    )
    assert response.status_code == 302
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.TRIAGED
    assert occurrence.category_confirmed
    assert list(occurrence.risks.all()) == [risk]
    risk.refresh_from_db()
    assert not risk.reassessment_required  # category 2 is not serious


def test_triage_that_makes_it_serious_forces_reassessment(
    world: Any, api_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    occurrence = make_occurrence(world)
    risk = make_risk(world, accepted_by=world.jfc_commander)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(world.bde13_safety).post(
            f"/api/v1/occurrences/{occurrence.pk}/triage",
            {
                "actual_category": 2,
                "potential_category": 3,
                "investigation_level": "board",
                "risk_ids": [risk.pk],
                "to_status": "investigating",
            },
            content_type="application/json",
        )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "investigating"
    assert body["is_serious"] is True
    risk.refresh_from_db()
    assert risk.reassessment_required
    assert world.jfc_commander.notifications.filter(kind="serious_occurrence").exists()


@pytest.mark.parametrize("who", ["viewer", "inspector", "coy_commander"])
def test_triage_by_others_is_refused(world: Any, api_for: Any, who: str) -> None:
    occurrence = make_occurrence(world)
    response = api_for(getattr(world, who)).post(
        f"/api/v1/occurrences/{occurrence.pk}/triage",
        {"actual_category": 4, "potential_category": 4},
        content_type="application/json",
    )
    assert response.status_code == 403
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.REPORTED
    assert occurrence.actual_category == 1


def test_viewer_triage_on_the_page_shows_a_clear_error(
    world: Any, client_for: Any
) -> None:
    occurrence = make_occurrence(world)
    response = client_for(world.viewer).post(
        reverse("occurrences:triage", args=[occurrence.pk]),
        {"actual_category": "4", "potential_category": "4", "note": "mijn notitie"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "veiligheidsfunctionaris" in body or "safety officer" in body
    assert "mijn notitie" in body
    occurrence.refresh_from_db()
    assert occurrence.actual_category == 1


def test_actions_are_followed_to_closure(world: Any, client_for: Any) -> None:
    occurrence = make_occurrence(world)
    client = client_for(world.bde13_safety)
    transition = reverse("occurrences:transition", args=[occurrence.pk])
    # Closing straight from "reported" is not a move the state machine allows.
    client.post(transition, {"to_status": "closed"})
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.REPORTED

    client.post(
        reverse("occurrences:triage", args=[occurrence.pk]),
        {"actual_category": "1", "potential_category": "2"},
    )
    client.post(transition, {"to_status": "investigating"})
    response = client.post(
        reverse("occurrences:action_add", args=[occurrence.pk]),
        {
            "description": "Wachtpost buiten de rijroute plaatsen",
            "owner": world.bn_commander.pk,
            "due_date": (world.today + datetime.timedelta(days=10)).isoformat(),
        },
    )
    assert response.status_code == 302
    client.post(transition, {"to_status": "actions_open"})
    response = client.post(transition, {"to_status": "closed"}, follow=True)
    assert "nog 1 actie" in response.content.decode()
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.ACTIONS_OPEN

    action = occurrence.actions.get()
    # The owner completes the action.
    client_for(world.bn_commander).post(
        reverse("occurrences:action_done", args=[action.pk])
    )
    client.post(transition, {"to_status": "closed"})
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.CLOSED
    assert occurrence.closed_at is not None
    page = client.get(
        reverse("occurrences:detail", args=[occurrence.pk])
    ).content.decode()
    assert "Afronden" not in page


def test_action_owner_must_see_the_deployment(world: Any) -> None:
    from missionsafety.core.exceptions import ValidationError

    occurrence = make_occurrence(world)
    with pytest.raises(ValidationError):
        action_add(
            actor=world.bde13_safety,
            occurrence=occurrence,
            description="x",
            owner=world.bde43_safety,
            due_date=world.today,
        )
    action = action_add(
        actor=world.bde13_safety,
        occurrence=occurrence,
        description="x",
        owner=world.bn_commander,
        due_date=world.today,
    )
    from missionsafety.core.exceptions import NotAllowed

    with pytest.raises(NotAllowed):
        action_complete(actor=world.coy_leader, action=action)
