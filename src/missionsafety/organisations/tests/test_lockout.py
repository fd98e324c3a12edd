"""A log-in lock ends after its cool-off and holds only per username and address."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db
PASSWORD = "test-pass-123"
PROXY = "10.0.0.1"


class Clock:
    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self) -> datetime.datetime:
        return self.now

    def advance(self, minutes: int) -> None:
        self.now += datetime.timedelta(minutes=minutes)


@pytest.fixture
def clock() -> Iterator[Clock]:
    # axes stamps each attempt with the time it reads here.
    clock = Clock()
    with mock.patch("axes.handlers.proxy.now", clock):
        yield clock


def attempt(password: str, *, remote: str = "10.1.2.3", forwarded: str = "") -> int:
    extra: dict[str, Any] = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    response = Client().post(
        reverse("login"),
        {"username": "jfc.safety", "password": password},
        REMOTE_ADDR=remote,
        **extra,
    )
    return response.status_code


def lock_out(**where: str) -> None:
    for _ in range(4):
        assert attempt("wrong-password", **where) == 200
    assert attempt("wrong-password", **where) == 429  # the fifth locks
    assert attempt(PASSWORD, **where) == 429


def test_failures_during_the_lock_do_not_prolong_it(world: Any, clock: Clock) -> None:
    lock_out()
    for _ in range(3):
        clock.advance(4)
        assert attempt("wrong-password") == 429
    clock.advance(2)  # 14 minutes after the lock
    assert attempt(PASSWORD) == 429
    clock.advance(2)  # 16 minutes: the cool-off of 15 is over
    assert attempt(PASSWORD) == 302


def test_behind_a_trusted_proxy_the_lock_holds_only_for_that_client(
    world: Any, settings: Any
) -> None:
    settings.TRUSTED_PROXIES = [PROXY]
    attacker = "203.0.113.5"
    lock_out(remote=PROXY, forwarded=attacker)
    # The commander, through the same proxy from another address, gets in.
    assert attempt(PASSWORD, remote=PROXY, forwarded="198.51.100.7") == 302
    # Prepending an address to the header does not escape the lock.
    assert attempt(PASSWORD, remote=PROXY, forwarded=f"1.2.3.4, {attacker}") == 429


def test_without_trusted_proxies_the_header_is_not_believed(world: Any) -> None:
    lock_out(remote="10.1.2.3", forwarded="203.0.113.5")
    # Changing the header from the same address does not lift the lock.
    assert attempt(PASSWORD, remote="10.1.2.3", forwarded="198.51.100.7") == 429
    assert attempt(PASSWORD, remote="10.9.9.9") == 302
