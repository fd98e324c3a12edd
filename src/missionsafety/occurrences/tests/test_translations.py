"""Occurrence and feedback pages speak Dutch by default and English on request."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", ["Voorval melden", "potentiële categorie", "Melding versturen"]),
        ("en", ["Report an occurrence", "potential category", "Send report"]),
    ],
)
def test_report_form_in_both_languages(
    world: Any, client_for: Any, language: str, words: list[str]
) -> None:
    client = client_for(world.coy_commander)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    body = client.get(
        reverse("occurrences:report", args=[world.dep.pk])
    ).content.decode()
    for word in words:
        assert word in body


def test_inbox_and_threads_in_dutch(world: Any, client_for: Any) -> None:
    client = client_for(world.jfc_safety)
    assert (
        "Uw postvak is leeg" in client.get(reverse("feedback:inbox")).content.decode()
    )
    assert (
        "Meldingsinstellingen"
        in client.get(reverse("feedback:preferences")).content.decode()
    )
    assert (
        "Terugkoppelingen" in client.get(reverse("feedback:threads")).content.decode()
    )
