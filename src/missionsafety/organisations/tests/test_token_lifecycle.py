"""Tokens end with a password change or their expiry; their use is shown, not logged."""

from __future__ import annotations

import datetime
import logging
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from missionsafety.audit.models import ChangeRecord
from missionsafety.organisations import services
from missionsafety.organisations.models import ApiToken

pytestmark = pytest.mark.django_db
ME = "/api/v1/me"


def bearer(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_changing_the_password_revokes_every_token(world: Any, client_for: Any) -> None:
    raws = [services.token_create(actor=None, user=world.jfc_safety) for _ in "ab"]
    other = services.token_create(actor=None, user=world.bde13_safety)
    response = client_for(world.jfc_safety).post(
        reverse("organisations:password"),
        {
            "old_password": "test-pass-123",
            "new_password1": "Gevechtsklaar-2026!",
            "new_password2": "Gevechtsklaar-2026!",
        },
    )
    assert response.status_code == 302
    assert [bearer(raw).get(ME).status_code for raw in raws] == [401, 401]
    assert bearer(other).get(ME).status_code == 200  # someone else's stays
    token = ApiToken.objects.filter(user=world.jfc_safety).first()
    assert token is not None
    record = ChangeRecord.objects.for_object(token).last()
    assert record is not None and record.action == "revoke"
    after: dict[str, Any] = record.after or {}
    assert after["reason"] == "password_changed" and after["revoked_at"]
    assert record.before == {"revoked_at": None}


def test_a_token_expires_after_api_token_days(world: Any, settings: Any) -> None:
    settings.API_TOKEN_DAYS = 30
    raw = services.token_create(actor=None, user=world.jfc_safety)
    token = ApiToken.objects.get(user=world.jfc_safety)
    assert token.expires_at is not None
    assert (token.expires_at - timezone.now()).days in (29, 30)
    assert bearer(raw).get(ME).status_code == 200
    later = timezone.now() + datetime.timedelta(days=30, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert bearer(raw).get(ME).status_code == 401


def test_without_api_token_days_a_token_does_not_expire(
    world: Any, settings: Any
) -> None:
    settings.API_TOKEN_DAYS = 0
    services.token_create(actor=None, user=world.jfc_safety)
    assert ApiToken.objects.get(user=world.jfc_safety).expires_at is None


def test_last_use_is_written_at_most_once_a_minute(world: Any) -> None:
    raw = services.token_create(actor=None, user=world.jfc_safety)
    start = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=start):
        bearer(raw).get(ME)
    token = ApiToken.objects.get(user=world.jfc_safety)
    assert token.last_used_at == start
    soon = start + datetime.timedelta(seconds=50)
    with mock.patch("django.utils.timezone.now", return_value=soon):
        bearer(raw).get(ME)
    token.refresh_from_db()
    assert token.last_used_at == start  # no write within the minute
    later = start + datetime.timedelta(seconds=61)
    with mock.patch("django.utils.timezone.now", return_value=later):
        bearer(raw).get(ME)
    token.refresh_from_db()
    assert token.last_used_at == later


def test_token_page_shows_last_use_and_expiry(
    world: Any, client_for: Any, settings: Any
) -> None:
    settings.API_TOKEN_DAYS = 30
    raw = services.token_create(actor=None, user=world.jfc_safety, name="nightly")
    bearer(raw).get(ME)
    token = ApiToken.objects.get(user=world.jfc_safety)
    client = client_for(world.jfc_safety)
    client.cookies["missionsafety_language"] = "en"
    page = client.get(reverse("organisations:tokens")).content.decode()
    assert token.last_used_at is not None and token.expires_at is not None
    with translation.override("en"):
        used = date_format(timezone.localtime(token.last_used_at), "j M Y H:i")
        expires = date_format(timezone.localtime(token.expires_at), "j M Y")
    assert f">{used}</td>" in page
    assert f">{expires}</td>" in page


def test_authenticated_api_answers_are_not_stored(world: Any) -> None:
    raw = services.token_create(actor=None, user=world.jfc_safety)
    response = bearer(raw).get(ME)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_request_log_leaves_out_token_values(world: Any, caplog: Any) -> None:
    caplog.set_level(logging.INFO, logger="missionsafety.request")
    secret = "feedsecret-0123456789"
    Client().get(f"/login/?next=/x&token={secret}&Token={secret}")
    (record,) = [r for r in caplog.records if r.name == "missionsafety.request"]
    line = record.getMessage()
    assert secret not in line
    assert "next=%2Fx" in line or "next=/x" in line
    assert "token=[removed]" in line
