"""Personal API tokens: only valid, active ones authenticate."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from missionsafety.organisations import services
from missionsafety.organisations.models import ApiToken, hash_token

pytestmark = pytest.mark.django_db
ME = "/api/v1/me"


def bearer(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_token_authenticates_and_only_its_hash_is_stored(world: Any) -> None:
    raw = services.token_create(actor=None, user=world.jfc_safety, name="script")
    response = bearer(raw).get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == "jfc.safety"
    token = ApiToken.objects.get(user=world.jfc_safety)
    assert token.key_hash == hash_token(raw)
    assert raw not in (token.key_hash, token.hint)


def test_unauthenticated_answers_401(world: Any) -> None:
    response = Client().get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer ", "Bearer not-a-token", "Bearer ms_" + "x" * 300, "Basic abc"],
)
def test_malformed_tokens_answer_401(world: Any, header: str) -> None:
    assert Client(HTTP_AUTHORIZATION=header).get(ME).status_code == 401


def test_revoked_token_answers_401(world: Any) -> None:
    raw = services.token_create(actor=None, user=world.jfc_safety)
    token = ApiToken.objects.get(user=world.jfc_safety)
    services.token_revoke(actor=world.jfc_safety, token=token)
    assert bearer(raw).get(ME).status_code == 401


def test_deactivated_users_token_answers_401(world: Any) -> None:
    raw = services.token_create(actor=None, user=world.jfc_safety)
    world.jfc_safety.is_active = False
    world.jfc_safety.save()
    assert bearer(raw).get(ME).status_code == 401


def test_deleted_users_token_answers_401(world: Any) -> None:
    user = services.user_create(actor=None, username="leaver", password="x" * 12)
    raw = services.token_create(actor=None, user=user)
    assert bearer(raw).get(ME).status_code == 200
    user.delete()
    assert bearer(raw).get(ME).status_code == 401


def test_token_command_prints_a_working_token(world: Any) -> None:
    out = StringIO()
    call_command("token", "bde13.safety", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("ms_")
    response = bearer(raw).get("/api/v1/deployments")
    assert response.status_code == 200
    assert [d["code"] for d in response.json()["items"]] == [world.dep.code]
