"""Names and medical details appear only where they should."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from missionsafety.audit.models import ChangeRecord
from missionsafety.occurrences.access import make_occurrence
from missionsafety.occurrences.models import Occurrence, PersonInvolved

pytestmark = pytest.mark.django_db

NAME = "Sld1 Pieter de Wit"
MEDICAL = "Gebroken sleutelbeen"


@pytest.fixture
def occurrence(world: Any) -> Occurrence:
    return make_occurrence(
        world,
        kind="accident",
        persons=[
            {"name": NAME, "medical_details": MEDICAL, "role_in_occurrence": "gewonde"}
        ],
    )


@pytest.mark.parametrize(
    "who",
    ["coy_commander", "bn_commander", "bde13_safety", "bde13_commander", "inspector"],
)
def test_unit_chain_and_inspectorate_see_names(
    world: Any, client_for: Any, occurrence: Occurrence, who: str
) -> None:
    page = client_for(getattr(world, who)).get(
        reverse("occurrences:detail", args=[occurrence.pk])
    )
    assert page.status_code == 200
    assert NAME in page.content.decode()
    assert MEDICAL in page.content.decode()


@pytest.mark.parametrize(
    "who", ["jfc_safety", "clas_safety", "jfc_commander", "viewer", "coy_leader"]
)
def test_other_parties_and_roles_do_not(
    world: Any, client_for: Any, occurrence: Occurrence, who: str
) -> None:
    page = client_for(getattr(world, who)).get(
        reverse("occurrences:detail", args=[occurrence.pk])
    )
    assert page.status_code == 200
    assert NAME not in page.content.decode()
    assert MEDICAL not in page.content.decode()


def test_never_in_lists_or_list_payloads(
    world: Any, client_for: Any, api_for: Any, occurrence: Occurrence
) -> None:
    for url in (
        reverse("occurrences:mine"),
        reverse("occurrences:list", args=[world.dep.pk]),
    ):
        assert NAME not in client_for(world.bde13_safety).get(url).content.decode()
    listing = api_for(world.inspector).get(
        f"/api/v1/deployments/{world.dep.pk}/occurrences"
    )
    assert NAME not in listing.content.decode()
    assert "persons" not in listing.json()["items"][0]


def test_api_detail_only_for_those_who_may(
    world: Any, api_for: Any, occurrence: Occurrence
) -> None:
    allowed = api_for(world.bde13_safety).get(f"/api/v1/occurrences/{occurrence.pk}")
    assert allowed.json()["persons"][0]["name"] == NAME
    other = api_for(world.jfc_safety).get(f"/api/v1/occurrences/{occurrence.pk}")
    assert other.json()["persons"] is None
    assert NAME not in other.content.decode()


def test_never_in_the_audit_trail(world: Any, occurrence: Occurrence) -> None:
    for record in ChangeRecord.objects.all():
        assert NAME not in f"{record.object_repr} {record.before} {record.after}"


def test_outsider_cannot_add_or_remove_people(
    world: Any, client_for: Any, occurrence: Occurrence
) -> None:
    person = occurrence.persons.get()
    response = client_for(world.jfc_safety).post(
        reverse("occurrences:person_remove", args=[person.pk])
    )
    assert response.status_code == 404
    response = client_for(world.jfc_safety).post(
        reverse("occurrences:person_add", args=[occurrence.pk]), {"name": "X"}
    )
    assert response.status_code == 404
    assert PersonInvolved.objects.count() == 1


def test_purge_keeps_the_report_and_records_it(
    world: Any, occurrence: Occurrence
) -> None:
    Occurrence.objects.filter(pk=occurrence.pk).update(
        occurred_at=timezone.now() - datetime.timedelta(days=800)
    )
    recent = make_occurrence(world, persons=[{"name": "Kpl Recent"}])
    call_command("purge_personal_data", "--older-than", "730")
    assert not PersonInvolved.objects.filter(occurrence=occurrence).exists()
    assert PersonInvolved.objects.filter(occurrence=recent).exists()
    occurrence.refresh_from_db()
    assert occurrence.title  # the report itself is intact
    assert ChangeRecord.objects.filter(
        action="purge_personal_data", object_id=str(occurrence.pk)
    ).exists()


def test_purge_default_comes_from_settings(
    world: Any, occurrence: Occurrence, settings: Any
) -> None:
    settings.PERSONAL_DATA_RETENTION_DAYS = 0
    Occurrence.objects.filter(pk=occurrence.pk).update(
        occurred_at=timezone.now() - datetime.timedelta(days=1)
    )
    call_command("purge_personal_data")
    assert not PersonInvolved.objects.exists()
