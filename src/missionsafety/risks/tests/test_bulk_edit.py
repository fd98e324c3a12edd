"""Bulk edits in the register: each risk through its service, all or none."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from missionsafety.audit.models import ChangeRecord
from missionsafety.risks.models import HazardCategory, Risk
from missionsafety.risks.tests.factories import assess, make_risk

pytestmark = pytest.mark.django_db


def _bulk_url(world: Any) -> str:
    return reverse("risks:bulk", kwargs={"deployment_pk": world.dep.pk})


def test_owner_of_twenty_risks_changes_with_twenty_audit_records(
    world: Any, client_for: Any
) -> None:
    risks = [make_risk(world, title=f"Risico {n}") for n in range(20)]
    client = client_for(world.bde13_safety)
    before = ChangeRecord.objects.filter(action="update").count()
    response = client.post(
        _bulk_url(world),
        {
            "risk": [r.pk for r in risks],
            "action": "owner_party",
            "owner_party": world.party_bde13.pk,
        },
    )
    assert response.status_code == 302
    assert Risk.objects.filter(owner_party=world.party_bde13).count() == 20
    records = ChangeRecord.objects.filter(action="update")
    assert records.count() - before == 20
    assert {r.object_id for r in records.order_by("-seq")[:20]} == {
        str(r.pk) for r in risks
    }
    page = client.get(response["Location"])
    assert "20" in page.content.decode()


def test_a_refused_risk_is_named_and_nothing_changes(
    world: Any, client_for: Any
) -> None:
    open_risk = make_risk(world, title="Open risico")
    closed = make_risk(world, title="Al gesloten risico")
    assess(world, closed)
    client = client_for(world.bde13_safety)
    client.post(
        reverse("risks:status", kwargs={"pk": closed.pk}), {"to_status": "closed"}
    )
    closed.refresh_from_db()
    assert closed.status == "closed"
    category = HazardCategory.objects.first()
    response = client.post(
        _bulk_url(world),
        {
            "risk": [open_risk.pk, closed.pk],
            "action": "category",
            "category": category.pk if category else "",
        },
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "R-002 Al gesloten risico" in text
    assert "R-001 Open risico:" not in text
    open_risk.refresh_from_db()
    assert open_risk.category is None  # the good one rolled back too
    # The selection is kept for a second try.
    assert f'name="risk" value="{open_risk.pk}"' in text


def test_viewer_is_refused_for_every_risk(world: Any, client_for: Any) -> None:
    risk = make_risk(world)
    response = client_for(world.viewer).post(
        _bulk_url(world),
        {"risk": [risk.pk], "action": "close", "reason": "Klaar"},
    )
    assert response.status_code == 422
    risk.refresh_from_db()
    assert risk.status == "identified"


def test_contributor_may_set_the_phase_but_not_close(world: Any, api_for: Any) -> None:
    risks = [make_risk(world, title=f"Risico {n}") for n in range(2)]
    api = api_for(world.coy_leader)
    url = f"/api/v1/deployments/{world.dep.pk}/risks/bulk"
    ids = [r.pk for r in risks]
    response = api.post(
        url,
        {"risk_ids": ids, "action": "phase", "phase": "redeployment"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"changed": 2}
    assert [r.phases for r in Risk.objects.filter(pk__in=ids)] == [
        ["redeployment"],
        ["redeployment"],
    ]
    response = api.post(
        url,
        {"risk_ids": ids, "action": "close", "reason": "Klaar"},
        content_type="application/json",
    )
    assert response.status_code == 422
    messages = [d["msg"] for d in response.json()["detail"]]
    assert len(messages) == 2 and messages[0].startswith("R-001 Risico 0: ")
    assert not Risk.objects.filter(status="closed").exists()


def test_reassessment_for_all_matching_the_filter(world: Any, client_for: Any) -> None:
    first = make_risk(world, title="Hitte op patrouille")
    second = make_risk(world, title="Hitte in de opslag")
    other = make_risk(world, title="Verkeer")
    response = client_for(world.bde13_safety).post(
        _bulk_url(world),
        {"all": "1", "q": "Hitte", "action": "reassess", "reason": "Hittegolf"},
    )
    assert response.status_code == 302
    assert {r.pk for r in Risk.objects.filter(reassessment_required=True)} == {
        first.pk,
        second.pk,
    }
    other.refresh_from_db()
    assert not other.reassessment_required
    assert ChangeRecord.objects.filter(action="require_reassessment").count() == 2


def test_missing_choice_and_reason_are_field_errors(
    world: Any, client_for: Any, api_for: Any
) -> None:
    risk = make_risk(world)
    response = client_for(world.bde13_safety).post(
        _bulk_url(world), {"risk": [risk.pk], "action": "close"}
    )
    assert response.status_code == 422
    response = api_for(world.bde13_safety).post(
        f"/api/v1/deployments/{world.dep.pk}/risks/bulk",
        {"risk_ids": [risk.pk], "action": "owner_party"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "owner_party"]
    response = api_for(world.bde13_safety).post(
        f"/api/v1/deployments/{world.dep.pk}/risks/bulk",
        {"risk_ids": [risk.pk, 999999], "action": "close", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "999999" in response.json()["detail"][0]["msg"]
    risk.refresh_from_db()
    assert risk.status == "identified"


def test_register_offers_checkboxes_only_to_editors(
    world: Any, client_for: Any
) -> None:
    risk = make_risk(world)
    url = reverse("risks:register", kwargs={"deployment_pk": world.dep.pk})
    editor = client_for(world.bde13_safety).get(url).content.decode()
    assert f'name="risk" value="{risk.pk}" form="bulk"' in editor
    assert 'id="bulk"' in editor
    viewer = client_for(world.viewer).get(url).content.decode()
    assert 'id="bulk"' not in viewer
