"""Each person's language: chosen on the settings page, else the browser's
at the last log-in; e-mails and reminders follow it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from missionsafety.audit.models import ChangeRecord
from missionsafety.occurrences.tests.factories import make_risk
from missionsafety.organisations.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "test-pass-123"


def log_in(username: str, **headers: Any) -> Client:
    client = Client(**headers)
    response = client.post(
        reverse("login"),
        {"username": username, "password": PASSWORD},
        REMOTE_ADDR="10.1.2.4",
    )
    assert response.status_code == 302
    return client


def test_the_browser_language_at_log_in_is_remembered(world: Any) -> None:
    log_in("jfc.safety", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert User.objects.get(username="jfc.safety").preferred_language == "en"
    log_in("jfc.safety", HTTP_ACCEPT_LANGUAGE="nl-NL,nl;q=0.9")
    assert User.objects.get(username="jfc.safety").preferred_language == "nl"


def test_a_chosen_language_wins_over_the_browser(world: Any, client_for: Any) -> None:
    client = client_for(world.jfc_safety)
    page = client.get(reverse("organisations:account"))
    assert page.status_code == 200
    assert 'name="language"' in page.content.decode()
    response = client.post(reverse("organisations:account"), {"language": "en"})
    assert response.status_code == 302
    assert response.cookies["missionsafety_language"].value == "en"
    user = User.objects.get(pk=world.jfc_safety.pk)
    assert (user.language, user.language_chosen) == ("en", True)
    record = ChangeRecord.objects.filter(object_id=str(user.pk)).last()
    assert record is not None
    assert (record.after or {}).get("language") == "en"

    log_in("jfc.safety", HTTP_ACCEPT_LANGUAGE="nl")
    assert User.objects.get(pk=user.pk).preferred_language == "en"
    # The settings page shows the choice (edit, not only create).
    page = client.get(reverse("organisations:account"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<option value="en" selected>' in page.content.decode()

    # Back to "as my browser": the next log-in decides again.
    client.post(reverse("organisations:account"), {"language": ""})
    log_in("jfc.safety", HTTP_ACCEPT_LANGUAGE="nl")
    assert User.objects.get(pk=user.pk).preferred_language == "nl"


def test_an_unknown_language_is_refused_with_a_field_error(
    world: Any, client_for: Any
) -> None:
    client = client_for(world.jfc_safety)
    page = client.post(
        reverse("organisations:account"), {"language": "fr"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()
    assert User.objects.get(pk=world.jfc_safety.pk).language_chosen is False


def test_a_reminder_goes_out_in_each_recipients_language(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    User.objects.filter(pk=world.jfc_commander.pk).update(
        language="en", language_chosen=True
    )
    User.objects.filter(pk=world.bn_commander.pk).update(language="nl")
    make_risk(
        world,
        title="Koudeletsel",
        accepted_by=world.jfc_commander,
        owner=world.bn_commander,
        expires_on=world.today + datetime.timedelta(days=5),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind")
    by_recipient = {m.to[0]: m for m in mail.outbox}
    english = by_recipient[world.jfc_commander.email]
    dutch = by_recipient[world.bn_commander.email]
    assert "The acceptance of risk" in english.subject
    assert "You receive this e-mail" in english.body
    assert "De aanvaarding van risico" in dutch.subject
    assert "You receive this e-mail" not in dutch.body


def test_a_library_risk_is_named_in_the_recipients_language(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from missionsafety.feedback.services import notify
    from missionsafety.risks.models import Hazard

    hazard = Hazard.objects.get(code="cold-injury")
    User.objects.filter(pk=world.jfc_commander.pk).update(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[world.jfc_commander],
            kind="decision_awaiting",
            subject=world.dep,
            params={
                "ref": "R-001",
                "title": hazard.name_nl,  # written by a Dutch reader
                "deployment": world.dep.code,
                "level": "H",
            },
            url="/",
            deployment=world.dep,
        )
    [sent] = [m for m in mail.outbox if m.to == [world.jfc_commander.email]]
    assert hazard.name_en in sent.subject
    assert hazard.name_nl not in sent.subject
