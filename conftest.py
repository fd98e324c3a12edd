"""Fixtures shared by every test: the multi-party world and logged-in clients."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every transactional test must restore what migrations created.

    A transactional test flushes the database when it ends; without
    ``serialized_rollback`` Django then re-creates content types and
    permissions under new ids, and the next test that does restore them
    fails on a unique constraint. Refuse such a test at collection."""
    wrong = []
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None:
            continue
        transactional = marker.kwargs.get("transaction", False)
        if transactional and not marker.kwargs.get("serialized_rollback", False):
            wrong.append(item.nodeid)
    if wrong:
        raise pytest.UsageError(
            "transactional tests must also set serialized_rollback=True: "
            + ", ".join(wrong)
        )


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts in the default language (LANGUAGE_CODE), whatever a
    test before it in this process activated and left behind (a request
    through the test client activates the reader's language in this thread)."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


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
