"""Only the owning party changes a control; the risk's owner and the safety
officers hand it to another party; the others propose a change in a thread."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from missionsafety.feedback.models import Notification
from missionsafety.risks.models import Control
from missionsafety.risks.tests.factories import make_risk

pytestmark = pytest.mark.django_db


def _clas_control(world: Any) -> Control:
    """A control of Staf CLAS on a risk owned by 42 BLJ."""
    risk = make_risk(
        world,
        controls=[
            {
                "description": "Koelcontainers leveren",
                "kind": "engineer",
                "owner_party": world.party_clas,
            }
        ],
    )
    return risk.controls.get()


def _select(page: str, name: str) -> str:
    """The HTML of one <select> of the page."""
    start = page.index(f'name="{name}"')
    return page[start : page.index("</select>", start)]


def _form(control: Control, **changes: Any) -> dict[str, Any]:
    data = {
        "description": control.description,
        "kind": control.kind,
        "owner_party": control.owner_party_id,
        "implementer": control.implementer_id or "",
        "due_date": control.due_date.isoformat() if control.due_date else "",
        "status": control.status,
        "status_note": control.status_note,
        "version": control.version,
    }
    return data | changes


def test_people_of_the_owning_party_change_status_implementer_and_due_date(
    world: Any, client_for: Any
) -> None:
    control = _clas_control(world)
    due = world.today + datetime.timedelta(days=20)
    response = client_for(world.clas_safety).post(
        reverse("risks:control_edit", args=[control.pk]),
        _form(
            control,
            status="implemented",
            implementer=world.clas_commander.pk,
            due_date=due.isoformat(),
        ),
    )
    assert response.status_code == 302
    control.refresh_from_db()
    assert control.status == "implemented"
    assert control.implementer == world.clas_commander
    assert control.due_date == due


def test_a_contributor_of_a_company_acts_for_its_battalion(
    world: Any, api_for: Any
) -> None:
    risk = make_risk(
        world,
        controls=[
            {
                "description": "Rijles",
                "kind": "administrate",
                "owner_party": world.party_bn,
            }
        ],
    )
    control = risk.controls.get()  # owned by 42 BLJ, the risk's owner party
    response = api_for(world.coy_leader).patch(
        f"/api/v1/controls/{control.pk}",
        {"version": control.version, "status": "implemented"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "implemented"


def test_another_party_is_refused_with_the_owner_named_on_the_page(
    world: Any, client_for: Any
) -> None:
    control = _clas_control(world)
    client = client_for(world.coy_leader)  # a contributor of 42 BLJ
    url = reverse("risks:control_edit", args=[control.pk])

    page = client.get(url)
    assert page.status_code == 200  # reading is fine; no form to change it
    assert "Staf CLAS" in page.content.decode()
    assert 'name="status"' not in page.content.decode()
    assert "Wijziging voorstellen" in page.content.decode()

    response = client.post(url, _form(control, status="implemented"))
    assert response.status_code == 403
    assert "Staf CLAS" in response.content.decode()
    control.refresh_from_db()
    assert control.status == "planned"
    assert control.version == 1


def test_another_party_is_refused_with_the_owner_named_in_the_api(
    world: Any, api_for: Any
) -> None:
    control = _clas_control(world)
    response = api_for(world.bn_commander).patch(
        f"/api/v1/controls/{control.pk}",
        {
            "version": control.version,
            "status": "implemented",
            "due_date": (world.today + datetime.timedelta(days=3)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    body = response.json()
    assert body["owner_party"] == {
        "id": world.party_clas.pk,
        "organisation": "Staf CLAS",
    }
    assert "Staf CLAS" in body["detail"]
    control.refresh_from_db()
    assert (control.status, control.due_date) == ("planned", None)


def test_the_risks_owner_reassigns_the_owning_party_which_is_told(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    control = _clas_control(world)
    Notification.objects.all().delete()
    client = client_for(world.bn_commander)  # commander of the risk's owner party
    url = reverse("risks:control_edit", args=[control.pk])
    page = client.get(url).content.decode()
    assert "disabled" in _select(page, "status")  # shown, not offered
    assert "disabled" not in _select(page, "owner_party")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _form(control, owner_party=world.party_bde13.pk))
    assert response.status_code == 302
    control.refresh_from_db()
    assert control.owner_party == world.party_bde13
    told = set(
        Notification.objects.filter(kind="control_assigned").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"bde13.safety", "bde13.commander"} <= told
    assert "clas.safety" not in told


def test_the_risks_owner_cannot_change_another_partys_status(
    world: Any, api_for: Any
) -> None:
    control = _clas_control(world)
    response = api_for(world.bn_commander).patch(
        f"/api/v1/controls/{control.pk}",
        {
            "version": control.version,
            "owner_party_id": world.party_bde13.pk,
            "status": "implemented",
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    control.refresh_from_db()
    assert control.owner_party == world.party_clas  # nothing half-written


def test_a_safety_officer_of_the_deployment_reassigns_but_does_not_implement(
    world: Any, api_for: Any
) -> None:
    control = _clas_control(world)
    client = api_for(world.jfc_safety)
    refused = client.patch(
        f"/api/v1/controls/{control.pk}",
        {"version": control.version, "status": "implemented"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    moved = client.patch(
        f"/api/v1/controls/{control.pk}",
        {"version": control.version, "owner_party_id": world.party_jfc.pk},
        content_type="application/json",
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["owner_party_id"] == world.party_jfc.pk


def test_a_contributor_of_another_party_cannot_reassign(
    world: Any, api_for: Any
) -> None:
    control = _clas_control(world)
    response = api_for(world.coy_leader).patch(
        f"/api/v1/controls/{control.pk}",
        {"version": control.version, "owner_party_id": world.party_bn.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    control.refresh_from_db()
    assert control.owner_party == world.party_clas


def test_the_inspector_changes_nothing(
    world: Any, client_for: Any, api_for: Any
) -> None:
    control = _clas_control(world)
    refused = client_for(world.inspector).post(
        reverse("risks:control_edit", args=[control.pk]),
        _form(control, status="implemented"),
    )
    assert refused.status_code == 403
    response = api_for(world.inspector).patch(
        f"/api/v1/controls/{control.pk}",
        {"version": control.version, "owner_party_id": world.party_bn.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    control.refresh_from_db()
    assert control.owner_party == world.party_clas


def test_others_propose_a_change_in_a_thread_to_the_owning_party(
    world: Any, client_for: Any
) -> None:
    control = _clas_control(world)
    client = client_for(world.coy_leader)
    page = client.get(reverse("risks:detail", args=[control.risk_id])).content.decode()
    propose = (
        reverse("feedback:thread_new", args=[world.dep.pk])
        + f"?subject=risks.control:{control.pk}&amp;to={world.party_clas.pk}"
    )
    assert propose in page
    assert reverse("risks:control_edit", args=[control.pk]) not in page

    form = client.get(propose.replace("&amp;", "&")).content.decode()
    assert f'<option value="{world.party_clas.pk}" selected>' in form
    assert "Koelcontainers leveren" in form

    # The owning party's own people get the edit link and no proposal.
    owner_page = (
        client_for(world.clas_safety)
        .get(reverse("risks:detail", args=[control.risk_id]))
        .content.decode()
    )
    assert reverse("risks:control_edit", args=[control.pk]) in owner_page
    assert f"risks.control:{control.pk}&amp;to=" not in owner_page


def test_a_control_added_for_another_party_tells_that_party(
    world: Any, api_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    risk = make_risk(world)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(world.bde13_safety).post(
            f"/api/v1/risks/{risk.pk}/controls",
            {
                "description": "Extra koeling",
                "kind": "engineer",
                "owner_party_id": world.party_clas.pk,
            },
            content_type="application/json",
        )
    assert response.status_code == 201
    note = Notification.objects.get(recipient=world.clas_safety)
    assert note.kind == "control_assigned"
    assert "Extra koeling" in note.title
    assert not Notification.objects.filter(recipient=world.bde13_safety).exists()


def test_implementer_pickers_offer_only_the_people_of_the_parties(
    world: Any, client_for: Any, api_for: Any
) -> None:
    control = _clas_control(world)
    page = _select(
        client_for(world.clas_safety)
        .get(reverse("risks:control_edit", args=[control.pk]))
        .content.decode(),
        "implementer",
    )
    assert f'value="{world.coy_leader.pk}"' in page
    assert f'value="{world.clas_commander.pk}"' in page
    assert f'value="{world.bde43_safety.pk}"' not in page  # another brigade
    assert f'value="{world.inspector.pk}"' not in page

    response = api_for(world.clas_safety).patch(
        f"/api/v1/controls/{control.pk}",
        {"version": control.version, "implementer_id": world.bde43_safety.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "implementer"]


def test_the_risk_owner_picker_offers_only_the_people_of_the_parties(
    world: Any, client_for: Any
) -> None:
    risk = make_risk(world)
    page = _select(
        client_for(world.bde13_safety)
        .get(reverse("risks:edit", args=[risk.pk]))
        .content.decode(),
        "owner",
    )
    assert f'value="{world.bn_commander.pk}"' in page
    assert f'value="{world.bde43_commander.pk}"' not in page
    assert f'value="{world.inspector.pk}"' not in page
