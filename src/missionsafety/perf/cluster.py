"""Throwaway PostgreSQL clusters: a primary and, optionally, a streaming replica.

Used by ``missionsafety bench`` (a cluster when ``DATABASE_URL`` names none;
``--replica`` adds a streaming replica) and by the replica test. Each cluster
lives in its own directory under /tmp, owned by ``postgres`` when run as root,
listens on 127.0.0.1 only and is removed by ``stop()``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# Ports of throwaway clusters (kept apart from application servers' ports).
PORTS = range(55440, 55450)


def pg_bin() -> Path | None:
    """The newest /usr/lib/postgresql/*/bin, or None when PostgreSQL is absent."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: [int(x) for x in re.findall(r"\d+", p.parent.name)],
    )
    candidates = [c for c in candidates if (c / "pg_basebackup").exists()]
    return candidates[-1] if candidates else None


def require_pg_bin() -> Path:
    found = pg_bin()
    if found is None:
        raise RuntimeError("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin)")
    return found


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_cluster_port(taken: tuple[int, ...] = ()) -> int:
    for port in PORTS:
        if port not in taken and port_is_free(port):
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _run(command: list[str]) -> None:
    result = subprocess.run(_as_postgres(command), capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr.strip()}")


@dataclass
class Cluster:
    """One running PostgreSQL server in a directory of its own."""

    root: Path
    port: int
    bin: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        _run(
            [str(self.bin / "pg_ctl"), "-D", str(self.data), "-l",
             str(self.root / "log"), "-o",
             f"-p {self.port} -k {self.root / 'sock'} -h 127.0.0.1", "-w", "start"]
        )  # fmt: skip

    def stop(self) -> None:
        subprocess.run(
            _as_postgres(
                [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast",
                 "stop"]
            ),
            capture_output=True,
        )  # fmt: skip

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def _new_root(prefix: str) -> Path:
    root = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    (root / "sock").mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        shutil.chown(root / "sock", "postgres", "postgres")
    return root


def start_primary(port: int | None = None) -> Cluster:
    """initdb and start a primary that accepts streaming replicas (trust auth)."""
    bin_dir = require_pg_bin()
    root = _new_root("ms-pg-primary.")
    cluster = Cluster(root, port or free_cluster_port(), bin_dir)
    _run(
        [str(bin_dir / "initdb"), "-D", str(cluster.data), "--auth=trust",
         "-U", "postgres"]
    )  # fmt: skip
    with (cluster.data / "postgresql.conf").open("a") as conf:
        # wal_level=replica and the replication lines of pg_hba.conf are
        # initdb's defaults; a replica that lags is reported within a second.
        conf.write("wal_level = replica\nmax_wal_senders = 5\n")
    try:
        cluster.start()
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return cluster


def start_replica(primary: Cluster, port: int | None = None) -> Cluster:
    """``pg_basebackup -R`` from the primary and start it as a hot standby."""
    root = _new_root("ms-pg-replica.")
    cluster = Cluster(
        root, port or free_cluster_port(taken=(primary.port,)), primary.bin
    )
    try:
        _run(
            [str(primary.bin / "pg_basebackup"), "-h", "127.0.0.1", "-p",
             str(primary.port), "-U", "postgres", "-D", str(cluster.data), "-R",
             "-X", "stream", "-c", "fast"]
        )  # fmt: skip
        cluster.start()
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return cluster


def wait_for_replay(primary: Cluster, replica: Cluster, timeout: float = 30) -> None:
    """Wait until the replica has replayed everything the primary wrote so far."""
    import psycopg

    with psycopg.connect(primary.url(), autocommit=True) as conn:
        row = conn.execute("SELECT pg_current_wal_lsn()").fetchone()
        assert row is not None
        target = row[0]
    deadline = time.monotonic() + timeout
    with psycopg.connect(replica.url(), autocommit=True) as conn:
        while True:
            row = conn.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]
            ).fetchone()
            if row and row[0]:
                return
            if time.monotonic() > deadline:
                raise RuntimeError("the replica did not catch up")
            time.sleep(0.1)
