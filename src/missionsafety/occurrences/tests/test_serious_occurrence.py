"""Done when: coy.commander reports a category-3 accident linked to a risk; the
risk needs reassessment; bde13.safety and the accepting commander hear of it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from missionsafety.feedback.models import Notification
from missionsafety.occurrences.models import Occurrence
from missionsafety.occurrences.tests.factories import make_risk

pytestmark = pytest.mark.django_db


def _form(w: Any, risk: Any, **extra: Any) -> dict[str, Any]:
    when = timezone.localtime() - datetime.timedelta(hours=2)
    data = {
        "idempotency_key": "2b1e8a52-6a58-4a3c-9d8a-6b7c7fe2a001",
        "kind": "accident",
        "title": "Kantelen YPR tijdens nachtrit",
        "occurred_at": when.strftime("%Y-%m-%dT%H:%M"),
        "place": "Pabradė, oefenterrein",
        "unit": w.coy.pk,
        "activity": "Nachtelijke verplaatsing",
        "actual_category": "3",
        "potential_category": "4",
        "injuries": "Twee gewonden, één opgenomen",
        "risks": [risk.pk],
        "person_name": "Sld1 P. de Wit",
        "person_medical": "Gebroken sleutelbeen, opgenomen in Vilnius",
    }
    data.update(extra)
    return data


def test_coy_commander_reports_serious_accident_and_the_loop_closes(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    risk = make_risk(world, accepted_by=world.jfc_commander, owner=world.bn_commander)
    client = client_for(world.coy_commander)
    assert (
        client.get(reverse("occurrences:report", args=[world.dep.pk])).status_code
        == 200
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("occurrences:report", args=[world.dep.pk]), _form(world, risk)
        )
    occurrence = Occurrence.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("occurrences:detail", args=[occurrence.pk])
    assert occurrence.is_serious and occurrence.unit == world.coy

    risk.refresh_from_db()
    assert risk.reassessment_required
    assert occurrence.reference in risk.reassessment_reason

    inboxes = {
        n.recipient.username
        for n in Notification.objects.filter(kind="serious_occurrence")
    }
    assert {"bde13.safety", "jfc.commander", "bn.commander"} <= inboxes
    assert "bde43.safety" not in inboxes
    # One notification each, even though two events named the same people.
    assert (
        Notification.objects.filter(
            recipient=world.jfc_commander, kind="serious_occurrence"
        ).count()
        == 1
    )
    to = {address for message in mail.outbox for address in message.to}
    assert {"bde13.safety@mil.example", "jfc.commander@mil.example"} <= to
    # No personal data travels in notifications or e-mail.
    for message in mail.outbox:
        assert "de Wit" not in str(message.subject) + str(message.body)
        assert "sleutelbeen" not in message.body

    inbox = client_for(world.bde13_safety).get(reverse("feedback:inbox"))
    assert occurrence.reference in inbox.content.decode()
    page = client_for(world.jfc_commander).get(
        reverse("occurrences:detail", args=[occurrence.pk])
    )
    assert (
        "reassessment" in page.content.decode()
        or "herbeoordeling" in page.content.decode()
    )


def test_the_same_report_submitted_twice_is_saved_once(
    world: Any, client_for: Any
) -> None:
    risk = make_risk(world)
    client = client_for(world.coy_commander)
    url = reverse("occurrences:report", args=[world.dep.pk])
    first = client.post(url, _form(world, risk))
    second = client.post(url, _form(world, risk))
    assert Occurrence.objects.count() == 1
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert client.get(second["Location"]).status_code == 200


def test_outsider_sees_none_of_it(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    risk = make_risk(world, accepted_by=world.jfc_commander)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.coy_commander).post(
            reverse("occurrences:report", args=[world.dep.pk]), _form(world, risk)
        )
    occurrence = Occurrence.objects.get()
    outsider = client_for(world.bde43_safety)
    assert (
        outsider.get(reverse("occurrences:detail", args=[occurrence.pk])).status_code
        == 404
    )
    listing = outsider.get(reverse("occurrences:mine")).content.decode()
    assert occurrence.title not in listing
    assert not Notification.objects.filter(recipient=world.bde43_safety).exists()
    inbox = outsider.get(reverse("feedback:inbox")).content.decode()
    assert occurrence.reference not in inbox


def test_api_report_of_serious_occurrence_marks_risk(
    world: Any, api_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    risk = make_risk(world, accepted_by=world.jfc_commander)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(world.coy_commander).post(
            f"/api/v1/deployments/{world.dep.pk}/occurrences",
            {
                "occurred_at": (
                    timezone.now() - datetime.timedelta(hours=1)
                ).isoformat(),
                "place": "Rukla",
                "unit_id": world.coy.pk,
                "kind": "accident",
                "title": "Val van voertuig",
                "actual_category": 1,
                "potential_category": 3,
                "risk_ids": [risk.pk],
            },
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    assert response.json()["is_serious"] is True
    risk.refresh_from_db()
    assert risk.reassessment_required
    assert Notification.objects.filter(
        recipient=world.bde13_safety, kind="serious_occurrence"
    ).exists()
