"""Adding parties: the refusals are clear and nothing is half-written."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from missionsafety.audit.models import ChangeRecord
from missionsafety.core.exceptions import ValidationError
from missionsafety.deployments import services
from missionsafety.deployments.models import Party
from missionsafety.organisations import services as org_services

pytestmark = pytest.mark.django_db


def add(client: Any, world: Any, **data: Any) -> Any:
    client.cookies.load({"missionsafety_language": "en"})
    return client.post(
        reverse("deployments:party_add", args=[world.dep.pk]),
        {"role": "supporting", "point_of_contact": "", "contact_note": "", **data},
    )


def test_a_party_is_added_with_its_point_of_contact(
    world: Any, client_for: Any
) -> None:
    client = client_for(world.bde13_safety)
    response = add(
        client,
        world,
        organisation=world.ivd.pk,
        point_of_contact=world.inspector.pk,
        contact_note="ivd-mailbox@mil.example",
    )
    assert response.status_code == 302
    party = Party.objects.get(deployment=world.dep, organisation=world.ivd)
    assert party.point_of_contact == world.inspector
    page = client.get(response["Location"]).content.decode()
    assert "ivd-mailbox@mil.example" in page
    assert ChangeRecord.objects.for_object(party).get().action == "create"


def test_duplicate_party_is_refused(world: Any, client_for: Any) -> None:
    response = add(client_for(world.bde13_safety), world, organisation=world.bn.pk)
    assert response.status_code == 422
    assert "42 BLJ is already a party to this deployment." in response.content.decode()
    assert (
        Party.objects.filter(deployment=world.dep, organisation=world.bn).count() == 1
    )


def test_archived_organisation_cannot_become_a_party(world: Any) -> None:
    org_services.organisation_archive(actor=None, organisation=world.bn43, version=None)
    world.bn43.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.party_add(
            actor=world.bde13_safety,
            deployment=world.dep,
            organisation=world.bn43,
            role="supporting",
        )
    assert "gearchiveerd" in error.value.message_dict["organisation"][0]


def test_archived_or_unknown_organisations_are_not_offered(
    world: Any, client_for: Any
) -> None:
    org_services.organisation_archive(actor=None, organisation=world.bn43, version=None)
    client = client_for(world.bde13_safety)
    for pk in (world.bn43.pk, 999999):
        response = add(client, world, organisation=pk)
        assert response.status_code == 422
        assert "Select a valid choice" in response.content.decode()
    assert not Party.objects.filter(
        organisation=world.bn43, deployment=world.dep
    ).exists()


def test_over_long_contact_note_is_a_field_error(world: Any, client_for: Any) -> None:
    response = add(
        client_for(world.bde13_safety),
        world,
        organisation=world.ivd.pk,
        contact_note="x" * 201,
    )
    assert response.status_code == 422
    assert "at most 200 characters" in response.content.decode()


def test_only_managers_add_parties(world: Any, client_for: Any) -> None:
    response = add(client_for(world.viewer), world, organisation=world.ivd.pk)
    assert response.status_code == 422
    assert "This needs one of these roles" in response.content.decode()
    assert not Party.objects.filter(organisation=world.ivd).exists()


def test_a_new_partys_point_of_contact_is_one_of_its_people(
    world: Any, client_for: Any
) -> None:
    response = add(
        client_for(world.bde13_safety),
        world,
        organisation=world.ivd.pk,
        point_of_contact=world.bde13_commander.pk,  # not of the inspectorate
    )
    assert response.status_code == 422
    assert "is not one of the people of IVD" in response.content.decode()
    assert not Party.objects.filter(deployment=world.dep, organisation=world.ivd)
