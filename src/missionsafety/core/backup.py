"""Backup and restore: the database, the uploads and the keys, in one directory.

SQLite is copied with its online backup API, which reads one consistent
snapshot (including commits still in the write-ahead log) while writers carry
on; PostgreSQL with ``pg_dump`` in its custom format. Uploads (MEDIA_ROOT) are
copied as files, and the keys (SECRET_KEY, AUDIT_KEY) as files readable by the
owner only. ``restore`` puts all three into an empty database and data
directory and ends by verifying the audit chain.
"""

from __future__ import annotations

import datetime
import glob
import json
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections

FORMAT = "missionsafety-backup/1"
KEYS = {"SECRET_KEY": "secret_key", "AUDIT_KEY": "audit_key"}


class BackupError(Exception):
    """A backup or restore cannot proceed."""


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"No backup for the {vendor} database.")
    return vendor


# Debian and Ubuntu install each major version's tools side by side here.
PG_LIB_DIR = Path("/usr/lib/postgresql")


def tool_major(path: str) -> int | None:
    """The major version a PostgreSQL tool reports (``pg_dump (PostgreSQL) 15.2``)."""
    try:
        result = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", result.stdout)
    return int(match.group(1)) if result.returncode == 0 and match else None


def server_major() -> int:
    """The major version of the PostgreSQL server of the default connection."""
    connection.ensure_connection()
    return int(connection.pg_version) // 10000  # type: ignore[attr-defined]


def pg_tool(name: str, server: int | None = None) -> str | None:
    """``pg_dump``/``pg_restore`` fit for a server of major version ``server``.

    ``pg_dump`` refuses a server newer than itself, and a newer tool writes
    archives an older ``pg_restore`` cannot read: so take, in order, the tool in
    ``PG_BIN_DIR``, the one of the server's own major version in
    ``/usr/lib/postgresql/N/bin``, the one on ``PATH`` (Debian's wrapper picks a
    version itself) if it is not older than the server, and else the newest
    installed version not older than the server. ``None`` when none fits.
    """
    configured = os.environ.get("PG_BIN_DIR")
    if configured and (Path(configured) / name).exists():
        return str(Path(configured) / name)
    if server is not None and (PG_LIB_DIR / str(server) / "bin" / name).exists():
        return str(PG_LIB_DIR / str(server) / "bin" / name)
    found = shutil.which(name)
    if found and (server is None or (tool_major(found) or 0) >= server):
        return found
    installed: list[tuple[int, str]] = []
    for candidate in glob.glob(str(PG_LIB_DIR / "*" / "bin" / name)):
        major = re.match(r"\d+", Path(candidate).parent.parent.name)
        if major:
            installed.append((int(major.group()), candidate))
    fitting = [c for c in sorted(installed) if server is None or c[0] >= server]
    return fitting[-1][1] if fitting else None


def _pg_args_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def backup(target: Path, *, keys: bool = True) -> dict[str, Any]:
    """Write a backup into ``target`` (a new or empty directory); its manifest."""
    engine = _engine()
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty.")
    target.mkdir(parents=True, exist_ok=True)
    started = datetime.datetime.now(datetime.UTC)
    if engine == "sqlite":
        database = "database.sqlite3"
        connection.ensure_connection()
        source = connection.connection
        destination = sqlite3.connect(target / database)
        try:
            # One consistent snapshot, WAL included, without stopping writers.
            source.backup(destination)
        finally:
            destination.close()
    else:
        database = "database.dump"
        server = server_major()
        tool = pg_tool("pg_dump", server)
        if tool is None:
            raise BackupError(
                f"No pg_dump of version {server} or newer is installed "
                "(set PG_BIN_DIR)."
            )
        args, env = _pg_args_env()
        _run(
            [
                tool,
                "--format=custom",
                "--no-owner",
                "--file",
                str(target / database),
                *args,
            ],
            env,
        )
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        shutil.copytree(media, target / "media")
    else:
        (target / "media").mkdir()
    if keys:
        (target / "keys").mkdir(mode=0o700)
        for setting, filename in KEYS.items():
            path = target / "keys" / filename
            path.write_text(str(getattr(settings, setting)))
            path.chmod(0o600)
    manifest = {
        "format": FORMAT,
        "engine": engine,
        "database": database,
        "started_at": started.isoformat(),
        "finished_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "keys": keys,
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def _read_manifest(source: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((source / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} holds no backup (manifest.json).") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is not a backup of this format.")
    return dict(manifest)


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def restore(source: Path) -> dict[str, Any]:
    """Restore a backup into the configured, empty database and data directory."""
    manifest = _read_manifest(source)
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(
            f"The backup is of {manifest['engine']}; the database is {engine}."
        )
    if not _database_is_empty():
        raise BackupError("The database is not empty; restore needs an empty one.")
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(media.iterdir()):
        raise BackupError(f"{media} is not empty; restore needs an empty one.")
    if engine == "sqlite":
        name = str(settings.DATABASES["default"]["NAME"])
        connections.close_all()
        backup_db = sqlite3.connect(source / manifest["database"])
        destination = sqlite3.connect(name)
        try:
            backup_db.backup(destination)
        finally:
            destination.close()
            backup_db.close()
    else:
        server = server_major()
        tool = pg_tool("pg_restore", server)
        if tool is None:
            raise BackupError(
                f"No pg_restore of version {server} or newer is installed "
                "(set PG_BIN_DIR)."
            )
        args, env = _pg_args_env()
        connections.close_all()
        _run(
            [
                tool,
                "--no-owner",
                "--exit-on-error",
                *args,
                str(source / manifest["database"]),
            ],
            env,
        )
    if (source / "media").is_dir():
        shutil.copytree(source / "media", media, dirs_exist_ok=True)
    _restore_keys(source)
    # Kept panels and pages name the change records' sequence numbers, which a
    # restore takes back: what was kept from after the backup must go.
    cache.clear()
    return manifest


def _restore_keys(source: Path) -> None:
    """Put the keys back where the settings read them, unless set elsewhere."""
    for setting, filename in KEYS.items():
        saved = source / "keys" / filename
        if not saved.exists():
            continue
        value = saved.read_text().strip()
        if os.environ.get(setting) or os.environ.get(f"{setting}_FILE"):
            if getattr(settings, setting) != value:
                raise BackupError(
                    f"{setting} is configured and differs from the backup's; "
                    f"use {saved} (for example as {setting}_FILE)."
                )
            continue
        data_dir = Path(settings.DATA_DIR)
        data_dir.mkdir(parents=True, exist_ok=True)
        path = data_dir / filename
        path.write_text(value)
        path.chmod(0o600)
        setattr(settings, setting, value)
