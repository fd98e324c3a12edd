"""Several application servers: nothing one server must see lives in another's memory.

Sessions, log-in lock-outs, idempotency keys and the task queue are in the
database; the cache is Redis when ``CACHE_URL`` names one; replicas come from
``DATABASE_REPLICA_URLS``. Settings are read in a subprocess with a fresh
environment, as a server would start.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

SRC = Path(__file__).resolve().parents[2] / "src"
PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from axes.conf import settings as axes
print(json.dumps({
    "databases": {k: {"host": v.get("HOST"), "test": v.get("TEST", {}),
                      "options": v.get("OPTIONS", {})}
                  for k, v in settings.DATABASES.items()},
    "routers": settings.DATABASE_ROUTERS,
    "session_engine": settings.SESSION_ENGINE,
    "axes_handler": axes.AXES_HANDLER,
    "tasks": settings.TASKS["default"]["BACKEND"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION"),
    "max_lag": settings.DATABASE_REPLICA_MAX_LAG,
    "read_your_writes": settings.DATABASE_READ_YOUR_WRITES,
}))
"""
SERVERS = {
    "SECRET_KEY": "k8#Jq2@v!pZ7rL0sX4mW9tB1nC6yD3eF5gH8iK2lM0oP7qR4sT1uV9wX3zA6bC",
    "AUDIT_KEY": "a1#Jq2@v!pZ7rL0sX4mW9tB1nC6yD3eF5gH8iK2lM0oP7qR4sT1uV9wX3zA6bD",
    "DATABASE_URL": "postgres://app@db-primary.example:5432/missionsafety",
    "DATABASE_REPLICA_URLS": (
        "postgres://app@db-replica-1.example:5432/missionsafety, "
        "postgres://app@db-replica-2.example:5432/missionsafety"
    ),
    "DATABASE_REPLICA_MAX_LAG": "3",
    "CACHE_URL": "redis://cache.example:6379/0",
}


def _settings(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECRET_", "AUDIT_", "DATABASE_", "CACHE_", "DJANGO_"))
        and not k.startswith("MISSIONSAFETY_")
    }
    clean.update(
        {
            "MISSIONSAFETY_DATA_DIR": str(tmp_path),
            "PYTHONPATH": str(SRC),
            "DJANGO_SETTINGS_MODULE": "missionsafety.settings",
            **env,
        }
    )
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_servers_share_state_through_the_database_and_redis(tmp_path: Path) -> None:
    result = _settings(SERVERS, tmp_path)
    assert result.returncode == 0, result.stderr
    found: dict[str, Any] = json.loads(result.stdout)
    # Django's database sessions (read with plain SQL: core.sessions).
    assert found["session_engine"] == "missionsafety.core.sessions"
    assert found["axes_handler"] == "axes.handlers.database.AxesDatabaseHandler"
    assert found["tasks"] == "django_tasks_db.DatabaseBackend"
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["cache_location"] == "redis://cache.example:6379/0"
    databases = found["databases"]
    assert list(databases) == ["default", "replica1", "replica2"]
    assert databases["default"]["host"] == "db-primary.example"
    assert databases["replica2"]["host"] == "db-replica-2.example"
    # Tests read the primary's test database through a replica's alias, and a
    # replica that does not answer costs two seconds, once per check.
    assert databases["replica1"]["test"]["MIRROR"] == "default"
    assert databases["replica1"]["options"]["connect_timeout"] == 2
    assert found["routers"] == ["missionsafety.core.replicas.ReplicaRouter"]
    assert found["max_lag"] == 3.0
    assert found["read_your_writes"] == 10


def test_replicas_without_shared_keys_refuse_to_start(tmp_path: Path) -> None:
    """Keys generated per server would log users out when their next request
    reaches another server, and break the audit chain."""
    env = {k: v for k, v in SERVERS.items() if k != "AUDIT_KEY"}
    result = _settings(env, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY and AUDIT_KEY" in result.stderr


def test_one_server_needs_neither_replicas_nor_redis(tmp_path: Path) -> None:
    result = _settings({}, tmp_path)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert list(found["databases"]) == ["default"]
    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"


def test_a_connection_pool_replaces_persistent_connections(tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": SERVERS["DATABASE_URL"],
        "DATABASE_POOL_SIZE": "4",
    }
    result = _settings(env, tmp_path)
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout)["databases"]["default"]["options"]
    assert options["pool"] == {"min_size": 1, "max_size": 4}
