"""Which database a request reads from: replicas for reads, the primary otherwise.

The real thing (a primary, a streaming replica and two servers) is in
``tests/operations/test_replicas.py`` (``make replica``); these pin the rules.
"""

from __future__ import annotations

import time

import pytest
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from missionsafety.core import replicas
from missionsafety.core.replicas import (
    PRIMARY,
    PRIMARY_COOKIE,
    ReplicaMiddleware,
    ReplicaRouter,
    reading_from,
)
from missionsafety.organisations.models import Organisation

factory = RequestFactory()


@pytest.fixture
def one_replica(monkeypatch: pytest.MonkeyPatch) -> dict[str, bool]:
    """A configured replica whose health the test decides."""
    state = {"usable": True}
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica1"])
    monkeypatch.setattr(replicas.health, "is_usable", lambda alias: state["usable"])
    return state


def _serve(request: HttpRequest) -> tuple[HttpResponse, list[str | None]]:
    seen: list[str | None] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(replicas.current_read_alias())
        return HttpResponse("ok")

    return ReplicaMiddleware(view)(request), seen


def test_without_replicas_every_request_reads_the_primary() -> None:
    response, seen = _serve(factory.get("/"))
    assert seen == [None]
    assert PRIMARY_COOKIE not in response.cookies
    response, seen = _serve(factory.post("/"))
    assert PRIMARY_COOKIE not in response.cookies


def test_a_get_reads_from_a_replica(one_replica: dict[str, bool]) -> None:
    request = factory.get("/")
    _response, seen = _serve(request)
    assert seen == ["replica1"]
    assert request.read_alias == "replica1"  # type: ignore[attr-defined]
    _response, seen = _serve(factory.head("/"))
    assert seen == ["replica1"]


def test_a_write_keeps_the_browser_on_the_primary_for_a_while(
    one_replica: dict[str, bool],
) -> None:
    response, seen = _serve(factory.post("/risks/"))
    assert seen == [None]
    cookie = response.cookies[PRIMARY_COOKIE]
    assert cookie["max-age"] == 10
    assert cookie["httponly"]
    assert float(cookie.value) > time.time()

    after_write = factory.get("/risks/")
    after_write.COOKIES[PRIMARY_COOKIE] = cookie.value
    _response, seen = _serve(after_write)
    assert seen == [None]  # reads its own write

    long_after = factory.get("/risks/")
    long_after.COOKIES[PRIMARY_COOKIE] = f"{time.time() - 1:.0f}"
    _response, seen = _serve(long_after)
    assert seen == ["replica1"]

    garbled = factory.get("/risks/")
    garbled.COOKIES[PRIMARY_COOKIE] = "soon"
    _response, seen = _serve(garbled)
    assert seen == ["replica1"]


def test_the_read_your_writes_window_is_configurable(
    one_replica: dict[str, bool], settings: object
) -> None:
    settings.DATABASE_READ_YOUR_WRITES = 3  # type: ignore[attr-defined]
    response, _seen = _serve(factory.patch("/api/v1/risks/1"))
    assert response.cookies[PRIMARY_COOKIE]["max-age"] == 3


def test_a_replica_that_lags_or_is_down_is_skipped(
    one_replica: dict[str, bool],
) -> None:
    one_replica["usable"] = False
    request = factory.get("/")
    _response, seen = _serve(request)
    assert seen == [None]
    assert request.read_alias == PRIMARY  # type: ignore[attr-defined]


def test_a_read_that_fails_on_a_vanished_replica_is_repeated_on_the_primary(
    one_replica: dict[str, bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(replicas.health, "probe_now", lambda alias: False)
    monkeypatch.setattr(replicas, "_close_quietly", lambda alias: None)
    seen: list[str | None] = []
    middleware: ReplicaMiddleware

    def view(request: HttpRequest) -> HttpResponse:
        alias = replicas.current_read_alias()
        seen.append(alias)
        if alias is not None:
            # What Django's handler does with the view's exception.
            middleware.process_exception(request, DatabaseError("gone"))
            return HttpResponse(status=500)
        return HttpResponse("from the primary")

    middleware = ReplicaMiddleware(view)
    response = middleware(factory.get("/"))
    assert seen == ["replica1", None]
    assert response.status_code == 200


def test_a_failed_read_is_not_repeated_while_the_replica_answers(
    one_replica: dict[str, bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(replicas.health, "probe_now", lambda alias: True)
    monkeypatch.setattr(replicas, "_close_quietly", lambda alias: None)
    calls: list[int] = []
    middleware: ReplicaMiddleware

    def view(request: HttpRequest) -> HttpResponse:
        calls.append(1)
        middleware.process_exception(request, DatabaseError("a bad query"))
        return HttpResponse(status=500)

    middleware = ReplicaMiddleware(view)
    assert middleware(factory.get("/")).status_code == 500
    assert calls == [1]


def test_the_router_sends_reads_to_the_request_replica_and_writes_to_the_primary() -> (
    None
):
    router = ReplicaRouter()
    assert router.db_for_read(Organisation) == PRIMARY
    with reading_from("replica1"):
        assert router.db_for_read(Organisation) == "replica1"
        assert router.db_for_write(Organisation) == PRIMARY
    assert router.db_for_read(Organisation) == PRIMARY


@pytest.mark.django_db
def test_reads_inside_a_transaction_use_the_primary() -> None:
    """select_for_update and read-then-write need the rows they will change."""
    router = ReplicaRouter()
    with reading_from("replica1"), transaction.atomic():
        assert router.db_for_read(Organisation) == PRIMARY


def test_migrations_run_only_on_the_primary() -> None:
    router = ReplicaRouter()
    assert router.allow_migrate(PRIMARY, "risks")
    assert not router.allow_migrate("replica1", "risks")
    assert not router.allow_migrate("replica1", "django_tasks_db")


def test_health_checks_are_cached_briefly(monkeypatch: pytest.MonkeyPatch) -> None:
    health = replicas.ReplicaHealth()
    probes: list[str] = []

    def probe(alias: str) -> bool:
        probes.append(alias)
        return len(probes) > 1

    monkeypatch.setattr(health, "_probe", probe)
    assert not health.is_usable("replica1")
    assert not health.is_usable("replica1")  # the answer is kept a moment
    assert probes == ["replica1"]
    monkeypatch.setattr(health, "check_interval", lambda: 0.0)
    assert health.is_usable("replica1")
    assert probes == ["replica1", "replica1"]
