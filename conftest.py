"""Fixtures shared by every test: the multi-party world and logged-in clients."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


@pytest.fixture
def world(db: Any) -> Any:
    from missionsafety.testing import build_world

    return build_world()


@pytest.fixture
def client_for(db: Any) -> Any:
    """``client_for(user)``: a test client logged in as that user."""

    def make(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api_for(db: Any) -> Any:
    """``api_for(user)``: a client that sends that user's bearer token."""
    from missionsafety.organisations.services import token_create

    def make(user: Any) -> Client:
        raw = token_create(actor=None, user=user, name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make
