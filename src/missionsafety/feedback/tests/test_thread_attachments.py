"""A photo or document in a thread's message: checked like an occurrence's
attachments, listed in the thread, served only to who may see the thread."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from missionsafety.audit.models import ChangeRecord
from missionsafety.feedback.models import Message, MessageAttachment, Thread
from missionsafety.feedback.services import thread_open

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 40
PDF = b"%PDF-1.4 verslag"


def _thread(world: Any) -> Thread:
    return thread_open(
        actor=world.jfc_safety,
        deployment=world.dep,
        to_party=world.party_clas,
        subject=world.dep,
        title="Schade aan de container",
        body="Hoe ziet het eruit?",
    )


def test_a_photo_in_an_answer_is_listed_and_served(world: Any, client_for: Any) -> None:
    thread = _thread(world)
    clas = client_for(world.clas_safety)
    response = clas.post(
        reverse("feedback:thread_reply", args=[thread.pk]),
        {"body": "Zie de foto.", "attachment": SimpleUploadedFile("deur.jpg", JPEG)},
    )
    assert response.status_code == 302
    photo = MessageAttachment.objects.get()
    assert photo.original_name == "deur.jpg" and photo.content_type == "image/jpeg"
    assert photo.message.body == "Zie de foto."
    stored = str(photo.file.name)
    assert stored.startswith("threads/") and "deur" not in stored
    record = ChangeRecord.objects.get(action="add_attachment")
    assert record.after and record.after["name"] == "deur.jpg"
    # The asking party sees it in the thread and opens it.
    jfc = client_for(world.jfc_safety)
    page = jfc.get(reverse("feedback:thread", args=[thread.pk])).content.decode()
    url = reverse("feedback:attachment", args=[photo.pk])
    assert f'href="{url}"' in page and "deur.jpg" in page
    download = jfc.get(url)
    assert b"".join(download.streaming_content) == JPEG
    assert download["X-Content-Type-Options"] == "nosniff"
    # An outsider gets 404, for the thread and for the file.
    outsider = client_for(world.bde43_safety)
    assert outsider.get(url).status_code == 404


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_sent(
    world: Any, client_for: Any
) -> None:
    thread = _thread(world)
    clas = client_for(world.clas_safety)
    clas.cookies.load({"missionsafety_language": "en"})
    response = clas.post(
        reverse("feedback:thread_reply", args=[thread.pk]),
        {
            "body": "Zie de foto.",
            "attachment": SimpleUploadedFile("deur.jpg", b"MZ not a photo"),
        },
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "does not contain what its name says" in text
    assert "Zie de foto." in text  # the message is kept in the form
    assert Message.objects.filter(thread=thread).count() == 1
    assert not MessageAttachment.objects.exists()


def test_the_api_sends_a_message_with_a_document(world: Any, api_for: Any) -> None:
    thread = _thread(world)
    api = api_for(world.clas_safety)
    response = api.post(
        f"/api/v1/threads/{thread.pk}/messages/with-file",
        {"body": "Het verslag.", "file": SimpleUploadedFile("verslag.pdf", PDF)},
    )
    assert response.status_code == 201, response.content
    last = response.json()["messages"][-1]
    assert last["body"] == "Het verslag."
    [file] = last["attachments"]
    assert file["name"] == "verslag.pdf" and file["size"] == len(PDF)
    download = api_for(world.jfc_safety).get(file["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert api_for(world.bde43_safety).get(file["url"]).status_code == 404
    refused = api.post(
        f"/api/v1/threads/{thread.pk}/messages/with-file",
        {"body": "Zonder bestand."},
    )
    assert refused.status_code == 422
    assert "file" in refused.content.decode()
    too_odd = api.post(
        f"/api/v1/threads/{thread.pk}/messages/with-file",
        {"body": "Script.", "file": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert too_odd.status_code == 422
    assert "file" in too_odd.json()["detail"][0]["loc"]
