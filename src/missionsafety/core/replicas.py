"""Read replicas: read-only requests read from a streaming replica.

With ``DATABASE_REPLICA_URLS`` set, the settings add one database alias per
replica (``replica1``, ``replica2``, …). ``ReplicaMiddleware`` marks a request
as *may read from a replica* when it is a GET or HEAD and the same browser has
not written in the last ``DATABASE_READ_YOUR_WRITES`` seconds (a cookie set on
every other request says until when); ``ReplicaRouter`` then sends that
request's reads to a replica that answers and lags at most
``DATABASE_REPLICA_MAX_LAG`` seconds. Everything else — writes, reads inside a
transaction (``select_for_update`` needs one), migrations, the task worker,
commands, tests — uses the primary, ``default``.
"""

from __future__ import annotations

import contextvars
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

log = logging.getLogger("missionsafety.replicas")

PRIMARY = "default"
REPLICA_PREFIX = "replica"
# The cookie that keeps a browser on the primary after its own write: its value
# is the Unix time until which it does.
PRIMARY_COOKIE = "missionsafety_primary_until"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# The replica alias the current request reads from (None: the primary).
_read_alias: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "replica_read_alias", default=None
)


def replica_aliases() -> list[str]:
    """The database aliases of the configured replicas, in order."""
    return [alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX)]


LAG_SQL = """
SELECT CASE
  WHEN NOT pg_is_in_recovery() THEN 0
  WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
  ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""


class ReplicaHealth:
    """Which replicas answer and keep up, checked at most every few seconds.

    Kept per process on purpose: each application server judges for itself the
    replicas it can reach, and nothing here has to be shared between servers.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._checked: dict[str, tuple[float, bool]] = {}

    def check_interval(self) -> float:
        return float(getattr(settings, "DATABASE_REPLICA_CHECK_SECONDS", 2.0))

    def is_usable(self, alias: str) -> bool:
        now = time.monotonic()
        with self._lock:
            checked = self._checked.get(alias)
        if checked and now - checked[0] < self.check_interval():
            return checked[1]
        usable = self._probe(alias)
        with self._lock:
            self._checked[alias] = (now, usable)
        return usable

    def probe_now(self, alias: str) -> bool:
        """Check ``alias`` again at once (a query on it just failed)."""
        usable = self._probe(alias)
        with self._lock:
            self._checked[alias] = (time.monotonic(), usable)
        return usable

    def forget(self) -> None:
        with self._lock:
            self._checked.clear()

    def _probe(self, alias: str) -> bool:
        max_lag = float(getattr(settings, "DATABASE_REPLICA_MAX_LAG", 5.0))
        connection = connections[alias]
        try:
            if connection.vendor != "postgresql":
                return True
            with connection.cursor() as cursor:
                cursor.execute(LAG_SQL)
                (lag,) = cursor.fetchone()
        except DatabaseError as error:
            log.warning("replica %s skipped: %s", alias, error)
            _close_quietly(alias)
            return False
        if float(lag) > max_lag:
            log.warning("replica %s skipped: %.1f s behind", alias, float(lag))
            return False
        return True


def _close_quietly(alias: str) -> None:
    with suppress(DatabaseError):
        connections[alias].close()


health = ReplicaHealth()


def choose_replica() -> str | None:
    """A usable replica alias, or None when none answers in time."""
    aliases = replica_aliases()
    random.shuffle(aliases)
    for alias in aliases:
        if health.is_usable(alias):
            return alias
    return None


@contextmanager
def reading_from(alias: str | None) -> Iterator[None]:
    """Route this thread's reads to ``alias`` (None: the primary) for a while."""
    token = _read_alias.set(alias)
    try:
        yield
    finally:
        _read_alias.reset(token)


def current_read_alias() -> str | None:
    return _read_alias.get()


class ReplicaRouter:
    """Reads of a read-only request to its replica; everything else to the primary."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        alias = _read_alias.get()
        if alias is None or connections[PRIMARY].in_atomic_block:
            # A transaction reads what it is about to write (and locks it).
            return PRIMARY
        return alias

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Every alias holds the same data: rows read from a replica may be
        # related to rows written on the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


def read_your_writes_seconds() -> int:
    return int(getattr(settings, "DATABASE_READ_YOUR_WRITES", 10))


class ReplicaMiddleware:
    """Let GET and HEAD requests read from a replica unless the browser just wrote."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_aliases():
            return self.get_response(request)
        if request.method not in SAFE_METHODS:
            response = self.get_response(request)
            self._stay_on_primary(response)
            return response
        alias = None if self._recent_write(request) else choose_replica()
        request.read_alias = alias or PRIMARY  # type: ignore[attr-defined]
        with reading_from(alias):
            response = self.get_response(request)
        if getattr(request, "replica_failed", False):
            # The replica went away mid-request. A GET or HEAD is safe to
            # repeat: once more, on the primary.
            request.read_alias = PRIMARY  # type: ignore[attr-defined]
            response = self.get_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        alias = _read_alias.get()
        if alias is None or not isinstance(exception, DatabaseError):
            return
        _close_quietly(alias)
        if not health.probe_now(alias):
            request.replica_failed = True  # type: ignore[attr-defined]

    @staticmethod
    def _recent_write(request: HttpRequest) -> bool:
        try:
            until = float(request.COOKIES.get(PRIMARY_COOKIE, "0"))
        except ValueError:
            return False
        return until > time.time()

    @staticmethod
    def _stay_on_primary(response: HttpResponse) -> None:
        seconds = read_your_writes_seconds()
        response.set_cookie(
            PRIMARY_COOKIE,
            f"{time.time() + seconds:.0f}",
            max_age=seconds,
            httponly=True,
            samesite="Lax",
            secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
        )
