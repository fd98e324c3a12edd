"""Sessions last a working day and end when the browser closes."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_session_ends_with_the_browser_and_after_eight_hours(world: Any) -> None:
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    client = Client()
    response = client.post(
        reverse("login"), {"username": "jfc.safety", "password": "test-pass-123"}
    )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    # A browser-session cookie: no expiry date, no max-age.
    assert not cookie["expires"]
    assert not cookie["max-age"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert client.session.get_expiry_age() == 8 * 3600
