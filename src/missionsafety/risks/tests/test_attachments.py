"""Documents and photos on risks and controls: checked, stored, shown to who may see."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from missionsafety.audit.models import ChangeRecord
from missionsafety.risks.models import RiskAttachment
from missionsafety.risks.tests.factories import make_risk

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 medisch ondersteuningsplan"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 20


def test_plan_on_a_risk_and_evidence_on_a_control(world: Any, client_for: Any) -> None:
    risk = make_risk(
        world,
        controls=[
            {
                "description": "Koelcontainers",
                "kind": "engineer",
                "owner_party": world.party_bn,
            }
        ],
    )
    control = risk.controls.get()
    client = client_for(world.bde13_safety)
    url = reverse("risks:attachment_add", kwargs={"pk": risk.pk})
    response = client.post(
        url, {"attachment": SimpleUploadedFile("Medisch plan.pdf", PDF)}
    )
    assert response.status_code == 302
    client.post(
        url,
        {
            "attachment": SimpleUploadedFile("foto.png", PNG),
            "control": control.pk,
        },
    )
    plan, photo = RiskAttachment.objects.order_by("pk")
    assert plan.control is None and photo.control == control
    page = client.get(reverse("risks:detail", kwargs={"pk": risk.pk})).content.decode()
    assert "Medisch plan.pdf" in page and "foto.png" in page
    download = client.get(reverse("risks:attachment", kwargs={"pk": plan.pk}))
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert ChangeRecord.objects.filter(action="add_attachment").count() == 2


def test_a_file_that_is_not_what_it_says_is_refused(
    world: Any, client_for: Any
) -> None:
    risk = make_risk(world)
    client = client_for(world.bde13_safety)
    client.cookies.load({"missionsafety_language": "en"})
    response = client.post(
        reverse("risks:attachment_add", kwargs={"pk": risk.pk}),
        {"attachment": SimpleUploadedFile("plan.pdf", b"MZ not a pdf")},
        follow=True,
    )
    assert "does not contain what its name says" in response.content.decode()
    exe = client.post(
        reverse("risks:attachment_add", kwargs={"pk": risk.pk}),
        {"attachment": SimpleUploadedFile("tool.exe", b"MZ")},
        follow=True,
    )
    assert "not accepted" in exe.content.decode()
    assert not RiskAttachment.objects.exists()


def test_outsider_and_viewer(world: Any, client_for: Any) -> None:
    risk = make_risk(world)
    client = client_for(world.bde13_safety)
    client.post(
        reverse("risks:attachment_add", kwargs={"pk": risk.pk}),
        {"attachment": SimpleUploadedFile("plan.pdf", PDF)},
    )
    attachment = RiskAttachment.objects.get()
    url = reverse("risks:attachment", kwargs={"pk": attachment.pk})
    assert client_for(world.bde43_safety).get(url).status_code == 404
    assert client_for(world.viewer).get(url).status_code == 200
    client_for(world.viewer).post(
        reverse("risks:attachment_add", kwargs={"pk": risk.pk}),
        {"attachment": SimpleUploadedFile("ander.pdf", PDF)},
    )
    assert RiskAttachment.objects.count() == 1
