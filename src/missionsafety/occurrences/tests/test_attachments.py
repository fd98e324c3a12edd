"""Attachments live outside the database and are served only with the report."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from missionsafety.occurrences.access import PNG, make_occurrence
from missionsafety.occurrences.models import Attachment

pytestmark = pytest.mark.django_db


def test_upload_and_download_through_the_checked_view(
    world: Any, client_for: Any
) -> None:
    occurrence = make_occurrence(world)
    client = client_for(world.coy_commander)
    response = client.post(
        reverse("occurrences:attachment_add", args=[occurrence.pk]),
        {"attachment": SimpleUploadedFile("Situatie poort.PNG", PNG, "image/png")},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    stored = attachment.file.path
    assert attachment.file.name is not None
    assert stored.startswith(str(settings.MEDIA_ROOT))
    assert "Situatie" not in attachment.file.name  # unguessable name
    assert len(attachment.file.name.split("/")[-1]) >= 32

    download = client_for(world.jfc_safety).get(
        reverse("occurrences:attachment", args=[attachment.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Type"] == "image/png"

    outsider = client_for(world.bde43_safety).get(
        reverse("occurrences:attachment", args=[attachment.pk])
    )
    assert outsider.status_code == 404
    # No public media URL serves the file.
    assert (
        client_for(world.jfc_safety).get("/media/" + attachment.file.name).status_code
        == 404
    )


def test_documents_are_downloaded_not_shown(world: Any, client_for: Any) -> None:
    occurrence = make_occurrence(
        world,
        attachments=[
            SimpleUploadedFile("verslag.pdf", b"%PDF-1.4 test", "application/pdf")
        ],
    )
    attachment = occurrence.attachments.get()
    response = client_for(world.bde13_safety).get(
        reverse("occurrences:attachment", args=[attachment.pk])
    )
    assert response["Content-Disposition"].startswith("attachment")
