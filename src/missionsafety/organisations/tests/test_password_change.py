"""Changing one's own password."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from missionsafety.audit.models import ChangeRecord

pytestmark = pytest.mark.django_db
URL = "organisations:password"


def test_password_change_is_recorded_without_the_password(
    world: Any, client_for: Any
) -> None:
    client = client_for(world.jfc_safety)
    response = client.post(
        reverse(URL),
        {
            "old_password": "test-pass-123",
            "new_password1": "Gevechtsklaar-2026!",
            "new_password2": "Gevechtsklaar-2026!",
        },
    )
    assert response.status_code == 302
    world.jfc_safety.refresh_from_db()
    assert world.jfc_safety.check_password("Gevechtsklaar-2026!")
    record = ChangeRecord.objects.for_object(world.jfc_safety).last()
    assert record is not None
    assert record.action == "change_password"
    assert record.actor_id == world.jfc_safety.pk
    assert "Gevechtsklaar" not in str(record.before) + str(record.after)
    # Still logged in after the change.
    assert client.get(reverse("home")).status_code == 200


def test_the_old_password_is_required(world: Any, client_for: Any) -> None:
    client = client_for(world.jfc_safety)
    client.cookies.load({"missionsafety_language": "en"})
    response = client.post(
        reverse(URL),
        {
            "old_password": "not-my-password",
            "new_password1": "Gevechtsklaar-2026!",
            "new_password2": "Gevechtsklaar-2026!",
        },
    )
    assert response.status_code == 200
    assert "old password was entered incorrectly" in response.content.decode()
    world.jfc_safety.refresh_from_db()
    assert world.jfc_safety.check_password("test-pass-123")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kort-1", "too short"),
        ("password123", "too common"),
        ("4815162342007", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused(
    world: Any, client_for: Any, password: str, message: str
) -> None:
    client = client_for(world.jfc_safety)
    client.cookies.load({"missionsafety_language": "en"})
    response = client.post(
        reverse(URL),
        {
            "old_password": "test-pass-123",
            "new_password1": password,
            "new_password2": password,
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ChangeRecord.objects.filter(action="change_password").exists()
