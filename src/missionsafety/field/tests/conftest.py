from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import django
import pytest

import missionsafety

TIMEOUT = 600


def _scratch() -> str | None:
    return "/dev/shm" if Path("/dev/shm").is_dir() else None


def _environment(directory: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "MISSIONSAFETY_DATA_DIR": str(directory),
        "DATABASE_URL": f"sqlite:///{directory / 'field.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "missionsafety.test_settings",
    }
    for name in ("FIELD_INSTANCE_NUMBER", "AUDIT_KEY", "SECRET_KEY"):
        env.pop(name, None)
    return env


def _schema_key() -> str:
    """Changes whenever a migration or Django changes."""
    digest = hashlib.sha256(django.get_version().encode())
    root = Path(missionsafety.__file__).parent
    for path in sorted(root.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def migrated_template() -> Path:
    """An empty field database with every migration applied, made once and
    kept (by the migrations' digest) so that each scenario copies it rather
    than migrating again; ``field init`` still runs ``migrate`` on the copy."""
    cache = Path(_scratch() or tempfile.gettempdir())
    template = cache / f"ms-field-template-{_schema_key()}.sqlite3"
    if template.exists():
        return template
    with tempfile.TemporaryDirectory(prefix="ms-field-tpl-", dir=_scratch()) as d:
        done = subprocess.run(
            [sys.executable, "-m", "missionsafety", "migrate", "-v0"],
            env=_environment(Path(d)),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        if done.returncode != 0:
            raise AssertionError(done.stderr[-3000:])
        partial = cache / f"{template.name}.{os.getpid()}"
        shutil.copyfile(Path(d) / "field.sqlite3", partial)
        partial.replace(template)  # atomic: a parallel run sees all or nothing
    return template


class FieldProcess:
    """A field instance in its own SQLite file: ``field init`` as its own
    ``missionsafety`` process (as an operator starts it), then one process
    that stays up and runs the field's commands and work in turn."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.env = _environment(directory)
        self.timings: list[tuple[str, float]] = []
        self._server: subprocess.Popen[str] | None = None

    def _timed(self, label: str, started: float) -> None:
        self.timings.append((label, time.perf_counter() - started))

    def init(self, package: Path) -> subprocess.CompletedProcess[str]:
        started = time.perf_counter()
        shutil.copyfile(migrated_template(), self.directory / "field.sqlite3")
        done = subprocess.run(
            [sys.executable, "-m", "missionsafety", "field", "init", str(package)],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        self._timed("field init (process)", started)
        if done.returncode != 0:
            raise AssertionError(done.stderr[-3000:])
        return done

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        if self._server is None:
            self._server = subprocess.Popen(
                [sys.executable, "-m", "missionsafety.field.tests.driver", "serve"],
                env=self.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        assert self._server.stdin is not None and self._server.stdout is not None
        self._server.stdin.write(json.dumps(request) + "\n")
        self._server.stdin.flush()
        line = self._server.stdout.readline()
        if not line:
            raise AssertionError("the field process stopped")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """A ``missionsafety`` command in the field process."""
        started = time.perf_counter()
        reply = self._ask({"command": list(args)})
        self._timed(" ".join(args[:2]), started)
        done = subprocess.CompletedProcess(
            list(args), reply["rc"], reply["out"], reply["err"]
        )
        if check and done.returncode != 0:
            raise AssertionError(done.stderr[-3000:])
        return done

    def drive(self, action: str) -> Any:
        """Work done in the field (see ``driver.py``), in the field process."""
        started = time.perf_counter()
        reply = self._ask({"drive": action})
        self._timed(f"drive {action}", started)
        if reply["rc"] != 0:
            raise AssertionError(reply["err"][-3000:])
        return reply["result"]

    def stop(self) -> None:
        if self._server is not None:
            assert self._server.stdin is not None
            self._server.stdin.close()
            try:
                self._server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._server.kill()
            self._server = None


@pytest.fixture
def field_process() -> Any:
    with tempfile.TemporaryDirectory(prefix="ms-field-", dir=_scratch()) as directory:
        process = FieldProcess(Path(directory))
        try:
            yield process
        finally:
            process.stop()
            for label, seconds in process.timings:
                sys.stdout.write(f"\n  field: {label:<28} {seconds:6.2f} s")
