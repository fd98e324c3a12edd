"""What every signed-in request reads first: its session, its user and the
user's memberships today (plain SQL and sifting in Python; same answers as
Django's stores and ``Membership.objects.current()``)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from missionsafety.core.sessions import SessionStore
from missionsafety.organisations import services as org_services
from missionsafety.organisations.backends import UserBackend
from missionsafety.organisations.models import Membership
from missionsafety.organisations.scope import current_memberships, is_read_only

pytestmark = pytest.mark.django_db


def _signed_in(username: str = "jfc.safety") -> Client:
    client = Client()
    answer = client.post(
        reverse("login"), {"username": username, "password": "test-pass-123"}
    )
    assert answer.status_code == 302
    return client


def test_sessions_are_rows_of_djangos_table_and_read_back(world: Any) -> None:
    assert settings.SESSION_ENGINE == "missionsafety.core.sessions"
    assert issubclass(SessionStore, DjangoStore)
    client = _signed_in()
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    row = Session.objects.get(session_key=key)
    assert row.get_decoded()["_auth_user_id"] == str(world.jfc_safety.pk)
    assert client.get(reverse("home")).status_code == 200
    # Written by Django's own store, read by this one, and the other way round.
    assert SessionStore(key).load() == DjangoStore(key).load()


def test_an_expired_or_unknown_session_signs_out(world: Any) -> None:
    client = _signed_in()
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    answer = client.get(reverse("home"))
    assert answer.status_code == 302 and reverse("login") in answer["Location"]
    store = SessionStore("nosuchkeynosuchkey")
    assert store.load() == {}
    assert store.session_key is None  # a new key when it is saved


def test_the_users_row_decides_who_is_signed_in(world: Any) -> None:
    backend = UserBackend()
    assert backend.get_user(world.jfc_safety.pk) == world.jfc_safety
    assert backend.get_user(str(world.jfc_safety.pk)).username == "jfc.safety"
    assert backend.get_user("not a number") is None
    assert backend.get_user(10**9) is None
    user = backend.get_user(world.jfc_safety.pk)
    # Every field as the ORM reads it (dates with their time zone).
    for field in type(user)._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(world.jfc_safety, field.attname)
    client = _signed_in()
    world.jfc_safety.is_active = False
    world.jfc_safety.save(update_fields=["is_active"])
    answer = client.get(reverse("home"))
    assert answer.status_code == 302 and reverse("login") in answer["Location"]


def test_a_changed_password_ends_other_sessions(world: Any) -> None:
    client = _signed_in()
    world.jfc_safety.set_password("another-pass-456")
    world.jfc_safety.save(update_fields=["password"])
    answer = client.get(reverse("home"))
    assert answer.status_code == 302


def _fresh(user: Any) -> Any:
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize(
    ("starts", "ends", "holds"),
    [
        (None, None, True),
        (0, 0, True),  # a one-day window, today
        (-5, -1, False),  # ended yesterday
        (1, 9, False),  # starts tomorrow
        (-3, None, True),
        (None, 0, True),
    ],
)
def test_memberships_of_today_as_the_database_would_choose(
    world: Any, starts: int | None, ends: int | None, holds: bool
) -> None:
    today = timezone.localdate()

    def day(offset: int | None) -> datetime.date | None:
        return None if offset is None else today + datetime.timedelta(days=offset)

    org_services.membership_create(
        actor=None,
        user=world.coy_leader,
        organisation=world.coy,
        role="commander",
        valid_from=day(starts),
        valid_until=day(ends),
    )
    user = _fresh(world.coy_leader)
    mine = current_memberships(user)
    expected = list(
        Membership.objects.current().filter(user=user).select_related("organisation")
    )
    assert mine == expected  # the same rows in the same order (path, role)
    assert any(m.role == "commander" for m in mine) is holds


def test_memberships_in_the_order_of_the_organisation_tree(world: Any) -> None:
    for organisation, role in ((world.coy, "viewer"), (world.bde13, "contributor")):
        org_services.membership_create(
            actor=None, user=world.coy_leader, organisation=organisation, role=role
        )
    mine = current_memberships(_fresh(world.coy_leader))
    assert [m.organisation.path for m in mine] == sorted(
        m.organisation.path for m in mine
    )
    assert mine == list(Membership.objects.current().filter(user=world.coy_leader))
    assert not is_read_only(_fresh(world.coy_leader))
