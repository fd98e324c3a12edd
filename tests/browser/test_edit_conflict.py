"""Two users edit the same risk at once: the second save shows the first user's
values beside the second's, keeps what the second typed, and a deliberate second
save keeps the fields the second user agreed to. No edit is lost unseen."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.journeys import risk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_users_edit_the_same_risk_and_neither_loses_work(
    new_page: Any, live_world: Any, login: Any, live_server: Any
) -> None:
    from missionsafety.risks.models import Risk

    w = live_world
    made = risk(w, residual=None)
    edit_url = f"{live_server.url}/risks/{made.pk}/edit/"
    alice, bob = new_page(), new_page()
    login(alice, "jfc.safety")
    login(bob, "bde13.safety")
    alice.goto(edit_url)
    bob.goto(edit_url)

    alice.fill("#id_title", "Munitie in gekoelde containers")
    alice.get_by_role("button", name="Opslaan").click()
    alice.wait_for_url(f"{live_server.url}/risks/{made.pk}/")

    bob.fill("#id_cause", "Geen schaduw op het terrein")
    bob.get_by_role("button", name="Opslaan").click()

    # Bob sees Alice's title beside his own, and his typing is still there.
    row = bob.locator(".conflict tr[data-field=title]")
    assert row.locator(".theirs").inner_text() == "Munitie in gekoelde containers"
    assert row.locator(".yours").inner_text() == "Munitieopslag bij hoge temperaturen"
    assert bob.input_value("#id_cause") == "Geen schaduw op het terrein"
    saved = Risk.objects.get(pk=made.pk)
    assert (saved.title, saved.cause) == ("Munitie in gekoelde containers", "")

    # He takes Alice's title over and saves deliberately: both changes stay.
    bob.fill("#id_title", "Munitie in gekoelde containers")
    bob.get_by_role("button", name="Opslaan").click()
    bob.wait_for_url(f"{live_server.url}/risks/{made.pk}/")
    saved = Risk.objects.get(pk=made.pk)
    assert (saved.title, saved.cause) == (
        "Munitie in gekoelde containers",
        "Geen schaduw op het terrein",
    )
