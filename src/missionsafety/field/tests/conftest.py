from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest


class FieldProcess:
    """A field instance in its own process and SQLite file."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.env = {
            **os.environ,
            "MISSIONSAFETY_DATA_DIR": str(directory),
            "DATABASE_URL": f"sqlite:///{directory / 'field.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "missionsafety.test_settings",
        }
        for name in ("FIELD_INSTANCE_NUMBER", "AUDIT_KEY", "SECRET_KEY"):
            self.env.pop(name, None)

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "missionsafety", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if check and done.returncode != 0:
            raise AssertionError(done.stderr[-3000:])
        return done

    def drive(self, action: str) -> Any:
        done = subprocess.run(
            [sys.executable, "-m", "missionsafety.field.tests.driver", action],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            raise AssertionError(done.stderr[-3000:])
        return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def field_process() -> Any:
    base = "/dev/shm" if Path("/dev/shm").is_dir() else None
    with tempfile.TemporaryDirectory(prefix="ms-field-", dir=base) as directory:
        yield FieldProcess(Path(directory))
