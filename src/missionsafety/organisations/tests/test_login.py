"""Logging in with username and password, and the throttling of failures."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "test-pass-123"


def attempt(client: Client, username: str, password: str) -> Any:
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR="10.1.2.3",
    )


def test_good_credentials_log_in_and_open_my_deployments(world: Any) -> None:
    client = Client()
    response = attempt(client, "jfc.safety", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    page = client.get(reverse("home"))
    assert world.dep.code in page.content.decode()


def test_bad_credentials_show_the_form_again_with_an_error(world: Any) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = attempt(client, "jfc.safety", "wrong-password")
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_that_username_from_that_address(world: Any) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(5):
        attempt(client, "jfc.safety", "wrong-password")
    locked = attempt(client, "jfc.safety", PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another person at that address, and the same person elsewhere, still get in.
    assert attempt(Client(), "bde13.safety", PASSWORD).status_code == 302
    elsewhere = Client().post(
        reverse("login"),
        {"username": "jfc.safety", "password": PASSWORD},
        REMOTE_ADDR="10.9.9.9",
    )
    assert elsewhere.status_code == 302


def test_a_successful_login_resets_the_failure_count(world: Any) -> None:
    client = Client()
    for _ in range(4):
        attempt(client, "jfc.safety", "wrong-password")
    assert attempt(client, "jfc.safety", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        attempt(client, "jfc.safety", "wrong-password")
    assert attempt(client, "jfc.safety", PASSWORD).status_code == 302
