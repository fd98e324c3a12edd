"""A form whose hidden fields fail (a superseded assessment, a stale version)
says what changed at the top and offers the current state; nothing typed is lost."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from missionsafety.deployments.models import Phase
from missionsafety.risks import services
from missionsafety.risks.tests.factories import assess, fresh, make_risk

pytestmark = pytest.mark.django_db
OFFER = "Huidige stand openen"


def _alert(page: str) -> str:
    """The form's top message."""
    start = page.index('<div class="error-summary"')
    return page[start : page.index("</div>", start)]


def test_a_decision_on_a_superseded_assessment_says_so_at_the_top(
    world: Any, client_for: Any
) -> None:
    world.dep.phase = Phase.READINESS  # army chain: H is the brigade's to decide
    world.dep.save()
    risk = make_risk(world, title="Munitie in de hitte")
    first = assess(world, risk, request_decision=True)
    assess(world, fresh(risk), residual=("B", "II"), request_decision=True)

    response = client_for(world.bde13_commander).post(
        reverse("risks:decide", args=[risk.pk]),
        {
            "outcome": "reject",
            "assessment": first.pk,
            "rationale": "Eerst de koeling regelen.",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    alert = _alert(page)
    assert "achterhaald" in alert  # the assessment was superseded
    assert "(nr. 2)" in alert  # and which one is current
    assert OFFER in alert
    assert f'href="{reverse("risks:detail", args=[risk.pk])}"' in alert
    assert "Eerst de koeling regelen." in page  # what was typed is kept
    assert not fresh(risk).decisions.exists()


def test_a_control_edited_meanwhile_says_so_and_offers_the_current_state(
    world: Any, client_for: Any
) -> None:
    risk = make_risk(
        world,
        controls=[
            {
                "description": "Koeling",
                "kind": "engineer",
                "owner_party": world.party_bn,
            }
        ],
    )
    control = risk.controls.get()
    services.control_update(
        actor=world.bn_commander,
        control=control,
        version=control.version,
        status="implemented",
    )
    url = reverse("risks:control_edit", args=[control.pk])
    response = client_for(world.coy_leader).post(
        url,
        {
            "description": "Koeling in alle containers",
            "kind": "engineer",
            "owner_party": world.party_bn.pk,
            "implementer": "",
            "due_date": "",
            "status": "implemented",
            "status_note": "",
            "version": 1,  # opened before the change
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    alert = _alert(page)
    assert "Iemand anders heeft" in alert
    assert OFFER in alert and f'href="{url}"' in alert
    assert "Koeling in alle containers" in page
    # The other user's change is shown beside the user's own value.
    assert "Intussen gewijzigd" in page


def test_a_tampered_hidden_field_is_no_silent_422(world: Any, client_for: Any) -> None:
    risk = make_risk(world)
    url = reverse("risks:edit", args=[risk.pk])
    response = client_for(world.bde13_safety).post(
        url,
        {
            "title": "Nieuwe titel",
            "hazard": risk.hazard,
            "owner_party": risk.owner_party_id,
            "version": "abc",
        },
    )
    assert response.status_code == 422
    alert = _alert(response.content.decode())
    assert "geheel getal" in alert
    assert OFFER in alert
