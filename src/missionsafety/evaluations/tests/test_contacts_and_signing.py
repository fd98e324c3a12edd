"""A new deployment's creator names the points of contact and sends the
agreement for signature without the admin; each signatory signs from the inbox
in two clicks."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from missionsafety.deployments.models import Party
from missionsafety.evaluations.models import Agreement
from missionsafety.feedback.models import Notification

pytestmark = pytest.mark.django_db
R = Party.PartyRole


def test_creator_names_contacts_sends_for_signature_and_commanders_sign(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    creator = client_for(world.bde13_safety)
    start = world.today + datetime.timedelta(days=120)
    response = creator.post(
        reverse("deployments:create"),
        {
            "code": "UNIFIL-R1",
            "name": "UNIFIL rotatie 1",
            "theatre": "Libanon",
            "start_date": start.isoformat(),
            "end_date": (start + datetime.timedelta(days=180)).isoformat(),
            "description": "",
            "own_organisation": world.bde13.pk,
            "own_role": R.PARENT_BRIGADE,
        },
    )
    assert response.status_code == 302
    deployment_url = response["Location"]
    deployment_pk = int(deployment_url.rstrip("/").split("/")[-1])
    creator.post(
        reverse("deployments:party_add", args=[deployment_pk]),
        {"organisation": world.clas.pk, "role": R.FORCE_PROVIDER},
    )
    parties = {
        p.organisation_id: p for p in Party.objects.filter(deployment_id=deployment_pk)
    }
    assert set(parties) == {world.bde13.pk, world.clas.pk}

    # The deployment page offers to name a contact for every party, in planning.
    page = creator.get(deployment_url).content.decode()
    for party in parties.values():
        assert reverse("deployments:party_contact", args=[deployment_pk, party.pk]) in (
            page
        )
    for org, person in (
        (world.bde13, world.bde13_safety),
        (world.clas, world.clas_safety),
    ):
        response = creator.post(
            reverse(
                "deployments:party_contact", args=[deployment_pk, parties[org.pk].pk]
            ),
            {"point_of_contact": person.pk, "contact_note": "functiemailbox"},
        )
        assert response.status_code == 302
    contacts = dict(
        Party.objects.filter(deployment_id=deployment_pk).values_list(
            "organisation_id", "point_of_contact_id"
        )
    )
    assert contacts == {
        world.bde13.pk: world.bde13_safety.pk,
        world.clas.pk: world.clas_safety.pk,
    }

    creator.post(reverse("evaluations:agreement_setup", args=[deployment_pk]))
    Notification.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = creator.post(
            reverse("evaluations:agreement_submit", args=[deployment_pk])
        )
    assert response.status_code == 302
    agreement = Agreement.objects.get(deployment_id=deployment_pk)
    assert agreement.status == Agreement.Status.IN_SIGNATURE

    # Each party's commander has an inbox item and an e-mail.
    asked = Notification.objects.filter(kind="signature_requested")
    assert {n.recipient for n in asked} == {world.bde13_commander, world.clas_commander}
    assert {m.to[0] for m in mail.outbox} >= {
        world.bde13_commander.email,
        world.clas_commander.email,
    }

    # Two clicks: the inbox item, then the sign button (party already chosen).
    for commander in (world.bde13_commander, world.clas_commander):
        client = client_for(commander)
        note = asked.get(recipient=commander)
        opened = client.get(reverse("feedback:open", args=[note.pk]), follow=True)
        page = opened.content.decode()
        assert 'id="sign"' in page
        party = parties[
            world.bde13.pk if commander == world.bde13_commander else world.clas.pk
        ]
        assert f'<option value="{party.pk}" selected>' in page
        signed = client.post(
            reverse("evaluations:agreement_sign", args=[deployment_pk]),
            {"number": agreement.number, "party": party.pk},
        )
        assert signed.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.IN_FORCE


def test_a_partys_commander_or_safety_officer_names_its_contact_by_api(
    world: Any, api_for: Any
) -> None:
    url = f"/api/v1/deployments/{world.dep.pk}/parties/{world.party_clas.pk}"
    response = api_for(world.clas_commander).patch(
        url,
        {"point_of_contact_id": world.clas_safety.pk, "contact_note": "Lijn 4410"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["point_of_contact_id"] == world.clas_safety.pk
    assert response.json()["contact_note"] == "Lijn 4410"

    # Only the note: the contact stays.
    response = api_for(world.clas_safety).patch(
        url, {"contact_note": "Lijn 4411"}, content_type="application/json"
    )
    assert response.json()["point_of_contact_id"] == world.clas_safety.pk
    assert response.json()["contact_note"] == "Lijn 4411"


def test_another_partys_people_cannot_name_a_contact(
    world: Any, api_for: Any, client_for: Any
) -> None:
    url = f"/api/v1/deployments/{world.dep.pk}/parties/{world.party_clas.pk}"
    response = api_for(world.bde13_safety).patch(
        url,
        {"point_of_contact_id": world.bde13_safety.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "Staf CLAS" in response.json()["detail"]
    page = client_for(world.bde13_safety).get(
        reverse("deployments:party_contact", args=[world.dep.pk, world.party_clas.pk])
    )
    assert page.status_code == 403
    world.party_clas.refresh_from_db()
    assert world.party_clas.point_of_contact is None


def test_the_creator_may_not_once_the_deployment_left_planning(
    world: Any, api_for: Any
) -> None:
    # jfc.safety created EFP-R12, which is deployed now.
    response = api_for(world.jfc_safety).patch(
        f"/api/v1/deployments/{world.dep.pk}/parties/{world.party_bn.pk}",
        {"point_of_contact_id": world.bn_commander.pk},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_the_contact_is_one_of_the_partys_people(
    world: Any, api_for: Any, client_for: Any
) -> None:
    url = f"/api/v1/deployments/{world.dep.pk}/parties/{world.party_bn.pk}"
    response = api_for(world.bn_commander).patch(
        url,
        {"point_of_contact_id": world.bde13_safety.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "point_of_contact_id"]

    # The page offers only the party's people (a company counts for its battalion).
    page = (
        client_for(world.bn_commander)
        .get(
            reverse("deployments:party_contact", args=[world.dep.pk, world.party_bn.pk])
        )
        .content.decode()
    )
    select = page[page.index('name="point_of_contact"') : page.index("</select>")]
    assert f'value="{world.coy_leader.pk}"' in select
    assert f'value="{world.bde13_safety.pk}"' not in select
    response = client_for(world.bn_commander).post(
        reverse("deployments:party_contact", args=[world.dep.pk, world.party_bn.pk]),
        {"point_of_contact": world.coy_leader.pk, "contact_note": ""},
    )
    assert response.status_code == 302
    world.party_bn.refresh_from_db()
    assert world.party_bn.point_of_contact == world.coy_leader
