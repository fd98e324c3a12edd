"""16 mixed clients against gunicorn: no errors, and faults lose no acknowledged write.

Run with ``pytest -m load`` (LOAD_SECONDS, default 60; LOAD_POSTGRES_URL names a
PostgreSQL database whose contents the run replaces, else PostgreSQL is skipped).
"""

from __future__ import annotations

import os

import pytest

from missionsafety.perf import faults

pytestmark = pytest.mark.load
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
DATABASES = ["sqlite", "postgres"]


def _run(database: str, with_faults: bool) -> dict[str, object]:
    url = os.environ.get("LOAD_POSTGRES_URL")
    if database == "postgres" and not url:
        pytest.skip("set LOAD_POSTGRES_URL to a database the run may replace")
    return faults.run(
        database=database,
        seconds=SECONDS,
        clients=16,
        faults=with_faults,
        postgres_url=url,
        out=lambda line: None,
    )


@pytest.mark.parametrize("database", DATABASES)
def test_mixed_clients_get_no_errors(database: str) -> None:
    result = _run(database, with_faults=False)
    assert result["requests"]
    assert result["errors"] == 0, result["errors_by_scenario"]
    assert result["missing_writes"] == result["duplicate_writes"] == 0


@pytest.mark.parametrize("database", DATABASES)
def test_killed_worker_and_connections_lose_no_acknowledged_write(
    database: str,
) -> None:
    result = _run(database, with_faults=True)
    assert result["killed"]
    assert result["acknowledged_writes"]
    assert result["missing_writes"] == 0
    assert result["duplicate_writes"] == 0
