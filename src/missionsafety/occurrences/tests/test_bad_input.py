"""Bad input is refused clearly and nothing the user typed is lost."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from missionsafety.occurrences.models import Attachment, Occurrence
from missionsafety.occurrences.tests.factories import make_risk

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _form(w: Any, **extra: Any) -> dict[str, Any]:
    when = timezone.localtime() - datetime.timedelta(hours=1)
    data: dict[str, Any] = {
        "kind": "near_miss",
        "title": "Bijna aanrijding bij poort",
        "occurred_at": when.strftime("%Y-%m-%dT%H:%M"),
        "place": "Rukla, hoofdpoort",
        "unit": w.coy.pk,
        "actual_category": "0",
        "potential_category": "2",
    }
    data.update(extra)
    return data


def _post(client: Any, w: Any, data: dict[str, Any]) -> Any:
    return client.post(reverse("occurrences:report", args=[w.dep.pk]), data)


def test_a_moment_in_the_future_is_refused(world: Any, client_for: Any) -> None:
    future = (timezone.localtime() + datetime.timedelta(days=2)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    response = _post(
        client_for(world.coy_commander), world, _form(world, occurred_at=future)
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "toekomst" in body  # Dutch: "ligt in de toekomst"
    assert "Bijna aanrijding bij poort" in body  # nothing lost
    assert not Occurrence.objects.exists()


@pytest.mark.parametrize("category", ["5", "-1", "drie"])
def test_categories_outside_the_scale_are_refused(
    world: Any, client_for: Any, category: str
) -> None:
    response = _post(
        client_for(world.coy_commander), world, _form(world, actual_category=category)
    )
    assert response.status_code == 422
    assert "0 tot 4" in response.content.decode()
    assert not Occurrence.objects.exists()


def test_api_refuses_categories_outside_the_scale(world: Any, api_for: Any) -> None:
    response = api_for(world.coy_commander).post(
        f"/api/v1/deployments/{world.dep.pk}/occurrences",
        {
            "occurred_at": timezone.now().isoformat(),
            "place": "Rukla",
            "unit_id": world.coy.pk,
            "kind": "incident",
            "title": "x",
            "actual_category": 5,
            "potential_category": 1,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "actual_category" in response.content.decode()


def test_a_risk_of_another_deployment_cannot_be_linked(
    world: Any, api_for: Any
) -> None:
    foreign = make_risk(world, deployment=world.other, title="Risico KFOR")
    # bde43.safety sees both deployments? No: use a user who sees the other one.
    response = api_for(world.bde43_safety).post(
        f"/api/v1/deployments/{world.other.pk}/occurrences",
        {
            "occurred_at": timezone.now().isoformat(),
            "place": "Pristina",
            "unit_id": world.bn43.pk,
            "kind": "incident",
            "title": "Test",
            "actual_category": 1,
            "potential_category": 1,
            "risk_ids": [foreign.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    own = make_risk(world, title="Risico R12")
    response = api_for(world.inspector).get(
        f"/api/v1/occurrences/{response.json()['id']}"
    )
    assert response.status_code == 200
    # A safety officer of both? The service refuses a risk of another deployment.
    from missionsafety.core.exceptions import ValidationError
    from missionsafety.occurrences.services import occurrence_report

    with pytest.raises(ValidationError) as exc:
        occurrence_report(
            actor=world.bde43_safety,
            deployment=world.other,
            occurred_at=timezone.now(),
            place="Pristina",
            unit=world.bn43,
            kind="incident",
            title="Verkeerde koppeling",
            actual_category=1,
            potential_category=1,
            risks=[own],
        )
    assert "risks" in exc.value.error_dict
    assert "another deployment" in str(exc.value) or "andere inzet" in str(exc.value)


def test_api_link_to_an_invisible_risk_is_refused(world: Any, api_for: Any) -> None:
    foreign = make_risk(world, deployment=world.other, title="Risico KFOR")
    response = api_for(world.coy_commander).post(
        f"/api/v1/deployments/{world.dep.pk}/occurrences",
        {
            "occurred_at": timezone.now().isoformat(),
            "place": "Rukla",
            "unit_id": world.coy.pk,
            "kind": "incident",
            "title": "Test",
            "actual_category": 1,
            "potential_category": 1,
            "risk_ids": [foreign.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not Occurrence.objects.exists()


def test_a_forbidden_file_type_is_refused(world: Any, client_for: Any) -> None:
    upload = SimpleUploadedFile(
        "payload.exe", b"MZ\x90\x00", "application/x-msdownload"
    )
    response = _post(
        client_for(world.coy_commander), world, _form(world, attachment=upload)
    )
    assert response.status_code == 422
    assert "payload.exe" in response.content.decode()
    assert not Occurrence.objects.exists()
    assert not Attachment.objects.exists()


def test_a_file_whose_content_does_not_match_its_name_is_refused(
    world: Any, client_for: Any
) -> None:
    upload = SimpleUploadedFile("foto.png", b"<html>not a png</html>", "image/png")
    response = _post(
        client_for(world.coy_commander), world, _form(world, attachment=upload)
    )
    assert response.status_code == 422
    assert not Occurrence.objects.exists()


@override_settings(OCCURRENCE_ATTACHMENT_MAX_MB=1)
def test_a_too_large_file_is_refused(world: Any, client_for: Any) -> None:
    upload = SimpleUploadedFile(
        "groot.png", PNG + b"\x00" * (1024 * 1024 + 10), "image/png"
    )
    response = _post(
        client_for(world.coy_commander), world, _form(world, attachment=upload)
    )
    assert response.status_code == 422
    assert "1 MB" in response.content.decode()
    assert not Occurrence.objects.exists()


def test_a_unit_that_does_not_take_part_is_refused(world: Any, client_for: Any) -> None:
    response = _post(
        client_for(world.jfc_safety), world, _form(world, unit=world.bn43.pk)
    )
    assert response.status_code == 422
    assert not Occurrence.objects.exists()


def test_a_viewer_cannot_report(world: Any, client_for: Any) -> None:
    response = _post(client_for(world.viewer), world, _form(world, unit=world.bde13.pk))
    assert response.status_code == 422
    assert not Occurrence.objects.exists()
