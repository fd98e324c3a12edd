"""The benchmark's databases: generated once, copied or created per run.

SQLite: a cached file per scale, seed and schema, copied for each run.
PostgreSQL: a fresh database on the server of ``DATABASE_URL`` or on a
throwaway cluster (``perf.cluster``), generated for each run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from missionsafety.perf import cluster

Out = Callable[[str], None]
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/missionsafety


def manage(args: list[str], env: dict[str, str], **kw: Any) -> str:
    """Run ``missionsafety <args>`` against the database in ``env``."""
    result = subprocess.run(
        [sys.executable, "-m", "missionsafety", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        **kw,
    )
    return result.stdout


def base_env(data_dir: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_URL")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "missionsafety.settings",
            "DATABASE_URL": database_url,
            "MISSIONSAFETY_DATA_DIR": str(data_dir),
            "STATIC_ROOT": str(data_dir / "static"),
            "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuv",
            # Several servers share the keys (see settings: replicas).
            "AUDIT_KEY": "bench-only-audit-key-0123456789abcdefghijklmnopqrstuvw",
            "SECURE_COOKIES": "0",  # plain http on loopback
            "LOG_LEVEL": "WARNING",
            "MISSIONSAFETY_SERVER_TIMING": "1",
        }
    )
    env.pop("MISSIONSAFETY_TESTING", None)
    return env


def schema_key(scale: float, seed: int) -> str:
    """Cache key: scale, seed, the migrations and the generator's source (with
    the apps' own generation steps)."""
    digest = hashlib.sha256(f"{scale}:{seed}".encode())
    files = [
        *sorted(PACKAGE_DIR.glob("*/migrations/*.py")),
        *sorted((PACKAGE_DIR / "perf").glob("generate*.py")),
        *sorted((PACKAGE_DIR / "perf").glob("text*.py")),
        *sorted(PACKAGE_DIR.glob("*/perf.py")),
    ]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# Ports of the application servers a benchmark or test starts on 127.0.0.1.
SERVER_PORTS = range(8140, 8170)


def free_port() -> int:
    for port in SERVER_PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {SERVER_PORTS.start}-{SERVER_PORTS.stop - 1}")


@dataclass
class PreparedDatabase:
    name: str
    url: str
    generate_seconds: float | None
    cached: bool
    cleanup: list[Callable[[], None]] = field(default_factory=list)


def _generate(env: dict[str, str], scale: float, seed: int, out: Out) -> float:
    manage(["migrate", "--noinput", "-v0"], env)
    started = time.perf_counter()
    log = manage(["generate", "--scale", str(scale), "--seed", str(seed)], env)
    seconds = time.perf_counter() - started
    for line in log.splitlines():
        out(f"    {line}")
    return seconds


def prepare_sqlite(
    scale: float, seed: int, work: Path, cache_dir: Path, out: Out
) -> PreparedDatabase:
    cache_dir.mkdir(parents=True, exist_ok=True)
    key = schema_key(scale, seed)
    cached = cache_dir / f"scale{scale}-seed{seed}-{key}.sqlite3"
    meta_file = cached.with_suffix(".json")
    hit = cached.exists() and meta_file.exists()
    if not hit:
        out(f"  sqlite: generating scale {scale} into {cached}")
        partial = cached.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        env = base_env(work, f"sqlite:///{partial}")
        seconds = _generate(env, scale, seed, out)
        with contextlib.closing(sqlite3.connect(partial)) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.execute("PRAGMA journal_mode=DELETE")
        partial.replace(cached)
        meta_file.write_text(json.dumps({"generate_seconds": round(seconds, 1)}))
    else:
        out(f"  sqlite: reusing {cached}")
    seconds = json.loads(meta_file.read_text())["generate_seconds"]
    copy = work / "bench.sqlite3"
    shutil.copyfile(cached, copy)  # writes must not touch the cache
    return PreparedDatabase("sqlite", f"sqlite:///{copy}", seconds, hit)


def start_cluster(work: Path, out: Out) -> tuple[str, Callable[[], None]]:
    """A throwaway PostgreSQL cluster, as .ci/run starts one; returns its URL."""
    primary = cluster.start_primary()
    out(
        f"  postgres: throwaway cluster {primary.bin.parent.name} "
        f"on 127.0.0.1:{primary.port}"
    )
    return primary.url(), primary.remove


def _with_db(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def prepare_postgres(
    scale: float,
    seed: int,
    work: Path,
    server_url: str | None,
    out: Out,
    template: str | None = None,
) -> PreparedDatabase:
    import psycopg

    cleanup: list[Callable[[], None]] = []
    if server_url is None:
        server_url, stop = start_cluster(work, out)
        cleanup.append(stop)
    name = f"ms_bench_{os.getpid()}"
    url = _with_db(server_url, name)
    conninfo = _with_db(server_url, "postgres")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if template:
            # A data set generated earlier (same scale and seed), copied.
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        else:
            conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    cleanup.insert(0, drop)
    if template:
        out(f"  postgres: copied database {template} into {name}, migrating")
        manage(["migrate", "--noinput", "-v0"], base_env(work, url))
        return PreparedDatabase("postgres", url, 0.0, True, cleanup)
    out(f"  postgres: generating scale {scale} into database {name}")
    try:
        seconds = _generate(base_env(work, url), scale, seed, out)
    except BaseException:
        for step in cleanup:
            step()
        raise
    return PreparedDatabase("postgres", url, seconds, False, cleanup)


# --------------------------------------------------------------------------
