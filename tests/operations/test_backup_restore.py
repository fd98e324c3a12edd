"""``missionsafety backup`` and ``restore``: nothing acknowledged is lost.

The SQLite test runs the product as an operator would, in processes of its
own on a database file: a writer keeps creating organisations while the
backup is taken, and the restore into a fresh data directory must hold every
write acknowledged before the backup started, with the audit chain intact.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import threading
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from missionsafety.core import backup as backup_module
from missionsafety.core.backup import pg_tool, server_major, tool_major
from missionsafety.organisations.models import Organisation
from missionsafety.testing import product, product_env, scratch_databases

WRITER = """
import os, sys
import django
django.setup()
from missionsafety.organisations import services
stop, i = sys.argv[1], 0
while not os.path.exists(stop) and i < 3000:
    org = services.organisation_create(
        actor=None, name=f"Writer {i}", short_name=f"W{i}", kind="other", echelon=10
    )
    print(org.pk, flush=True)
    i += 1
"""


def backup_under_writes(
    live: Path, saved: Path, stop: Path, database_url: str = ""
) -> list[int]:
    """Back up the live database while a writer keeps creating organisations
    (and check it kept writing meanwhile): the ids acknowledged before the
    backup started."""
    env = product_env(live, database_url)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(stop)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    acknowledged: list[int] = []

    def read() -> None:
        assert writer.stdout is not None
        for line in writer.stdout:
            acknowledged.append(int(line))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        deadline = time.monotonic() + 180
        while len(acknowledged) < 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        before_backup = list(acknowledged)
        assert len(before_backup) >= 20, writer.stderr
        # Bounds against a hang only: on a busy machine this takes minutes.
        product(live, "backup", str(saved), database_url=database_url, timeout=1800)
        during = len(acknowledged)
    finally:
        stop.touch()
        writer.wait(timeout=180)
        reader.join()
    assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
    assert during > len(before_backup)  # the writer kept writing meanwhile
    return before_backup


def test_sqlite_backup_under_writes_restores_every_acknowledged_write(
    tmp_path: Path,
) -> None:
    live, fresh, saved = tmp_path / "live", tmp_path / "fresh", tmp_path / "backup"
    product(live, "migrate", "-v0")
    before_backup = backup_under_writes(live, saved, tmp_path / "stop")

    output = product(fresh, "restore", str(saved))
    assert re.search(r"intact: \d+ records", output), output  # nl or en
    with sqlite3.connect(fresh / "missionsafety.sqlite3") as db:
        restored = [
            pk for (pk,) in db.execute("SELECT id FROM organisations_organisation")
        ]
    assert set(before_backup) <= set(restored)
    assert len(restored) == len(set(restored))


def test_restore_refuses_a_database_that_is_not_empty(
    world: Any, tmp_path: Path
) -> None:
    saved = tmp_path / "b"
    saved.mkdir()
    manifest = {
        "format": "missionsafety-backup/1",
        "engine": connection.vendor,
        "database": "database.sqlite3",
        "started_at": "2026-12-01T00:00:00+00:00",
    }
    (saved / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="database is not empty"):
        call_command("restore", str(saved), stdout=StringIO())
    assert Organisation.objects.filter(pk=world.jfc.pk).exists()


def test_pg_tool_takes_the_servers_own_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for version in ("9.6", "15", "16"):
        tool = tmp_path / version / "bin" / "pg_dump"
        tool.parent.mkdir(parents=True)
        tool.write_text(f"#!/bin/sh\necho 'pg_dump (PostgreSQL) {version}.1'\n")
        tool.chmod(0o755)
    path_tool = tmp_path / "path" / "pg_dump"  # what PATH holds: version 14
    path_tool.parent.mkdir()
    path_tool.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 14.3'\n")
    path_tool.chmod(0o755)
    monkeypatch.setattr(backup_module, "PG_LIB_DIR", tmp_path)
    monkeypatch.delenv("PG_BIN_DIR", raising=False)
    monkeypatch.setenv("PATH", str(path_tool.parent))

    assert pg_tool("pg_dump", 15) == str(tmp_path / "15" / "bin" / "pg_dump")
    assert pg_tool("pg_dump", 14) == str(path_tool)  # PATH's fits
    assert pg_tool("pg_dump", 13) == str(path_tool)
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert pg_tool("pg_dump", 12) == str(tmp_path / "16" / "bin" / "pg_dump")
    assert pg_tool("pg_dump", 17) is None  # none could dump a newer server
    assert tool_major(str(tmp_path / "9.6" / "bin" / "pg_dump")) == 9


@pytest.fixture(name="scratch_databases")
def scratch_databases_fixture(db: Any) -> Any:
    """Two new, empty databases on the test run's server, dropped afterwards."""
    reason = tools_missing()
    if reason:
        pytest.skip(reason)
    with scratch_databases("a", "b") as urls:
        yield urls


def organisations_in(url: str) -> list[tuple[int, str]]:
    import psycopg

    with psycopg.connect(url) as conn:
        query = "SELECT id, short_name FROM organisations_organisation ORDER BY id"
        return [(row[0], row[1]) for row in conn.execute(query).fetchall()]


def tools_missing() -> str:
    """Why the PostgreSQL round trip cannot run here ("" when it can)."""
    if connection.vendor != "postgresql":
        return "the suite runs on SQLite (set DATABASE_URL to a PostgreSQL server)"
    server = server_major()
    for name in ("pg_dump", "pg_restore"):
        if pg_tool(name, server) is None:
            return f"no {name} of version {server} or newer is installed"
    return ""


# In processes of their own on scratch databases of the run's server: the
# test database of this run cannot be emptied and restored from outside it.
def test_postgresql_backup_under_writes_restores_every_acknowledged_write(
    tmp_path: Path, scratch_databases: list[str]
) -> None:
    live_url, fresh_url = scratch_databases
    live, fresh, saved = tmp_path / "live", tmp_path / "fresh", tmp_path / "backup"
    # Bounds against a hang only: on a busy machine these take minutes.
    product(live, "migrate", "-v0", database_url=live_url, timeout=1800)
    product(live, "load_demo", database_url=live_url, timeout=1800)
    demo = organisations_in(live_url)
    assert demo
    before_backup = backup_under_writes(
        live, saved, tmp_path / "stop", database_url=live_url
    )

    output = product(fresh, "restore", str(saved), database_url=fresh_url, timeout=1800)
    assert re.search(r"intact: \d+ records", output), output  # nl or en
    restored = organisations_in(fresh_url)
    restored_ids = [pk for pk, _name in restored]
    assert set(demo) <= set(restored)
    assert set(before_backup) <= set(restored_ids)
    assert len(restored_ids) == len(set(restored_ids))
