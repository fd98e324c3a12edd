"""Opening a new deployment from the page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from missionsafety.audit.models import ChangeRecord
from missionsafety.deployments.models import Deployment

pytestmark = pytest.mark.django_db
URL = reverse("deployments:create")


def form_data(world: Any, **extra: Any) -> dict[str, Any]:
    return {
        "code": "UNIFIL-R1",
        "name": "UNIFIL Libanon",
        "theatre": "Libanon",
        "start_date": (world.today + datetime.timedelta(days=30)).isoformat(),
        "end_date": (world.today + datetime.timedelta(days=200)).isoformat(),
        "description": "",
        "own_organisation": world.bde13.pk,
        "own_role": "parent_brigade",
        **extra,
    }


def test_creator_organisation_becomes_the_first_party(
    world: Any, client_for: Any
) -> None:
    client = client_for(world.bde13_safety)
    response = client.post(URL, form_data(world))
    deployment = Deployment.objects.get(code="UNIFIL-R1")
    assert response.status_code == 302
    assert response["Location"] == reverse("deployments:detail", args=[deployment.pk])
    assert deployment.phase == "planning"
    assert [(p.organisation, p.role) for p in deployment.parties.all()] == [
        (world.bde13, "parent_brigade")
    ]
    assert deployment.created_by == world.bde13_safety
    page = client.get(response["Location"]).content.decode()
    assert "UNIFIL Libanon" in page


def test_only_the_users_own_organisations_are_offered(
    world: Any, client_for: Any
) -> None:
    client = client_for(world.bde13_safety)
    response = client.post(URL, form_data(world, own_organisation=world.jfc.pk))
    assert response.status_code == 422
    assert not Deployment.objects.filter(code="UNIFIL-R1").exists()


@pytest.mark.parametrize("who", ["inspector", "viewer"])
def test_auditors_and_viewers_cannot_create(
    world: Any, client_for: Any, who: str
) -> None:
    client = client_for(getattr(world, who))
    client.cookies.load({"missionsafety_language": "en"})
    assert "New deployment" not in client.get(reverse("home")).content.decode()
    records = ChangeRecord.objects.count()
    response = client.post(URL, form_data(world))
    assert response.status_code == 422
    assert not Deployment.objects.filter(code="UNIFIL-R1").exists()
    assert ChangeRecord.objects.count() == records


def test_invalid_input_keeps_what_was_typed(world: Any, client_for: Any) -> None:
    client = client_for(world.bde13_safety)
    client.cookies.load({"missionsafety_language": "en"})
    data = form_data(
        world,
        code=world.dep.code,  # taken
        name="x" * 201,
        end_date=(world.today - datetime.timedelta(days=1)).isoformat(),
    )
    response = client.post(URL, data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "The end lies before the start." in html
    assert "at most 200 characters" in html
    assert 'value="Libanon"' in html


def test_duplicate_code_is_a_field_error(world: Any, client_for: Any) -> None:
    client = client_for(world.bde13_safety)
    client.cookies.load({"missionsafety_language": "en"})
    response = client.post(URL, form_data(world, code=world.dep.code))
    assert response.status_code == 422
    assert "already exists" in response.content.decode()
    assert Deployment.objects.filter(code=world.dep.code).count() == 1


def test_empty_names_are_field_errors(world: Any, client_for: Any) -> None:
    client = client_for(world.bde13_safety)
    client.cookies.load({"missionsafety_language": "en"})
    response = client.post(URL, form_data(world, name="", code=""))
    assert response.status_code == 422
    page = response.content.decode()
    # Each under its field, and both in the error summary at the top.
    for field in ("name", "code"):
        assert f'id="id_{field}_error"><p>This field is required.</p>' in page
    assert "There are 2 problems with this form" in page
