"""Production settings from the environment: ``check --deploy`` is clean, cookies
are secure, and the console script's commands exit non-zero on failure.

These run the real ``missionsafety`` command in a subprocess with a fresh
environment, as an operator would.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

SRC = Path(__file__).resolve().parents[1] / "src"
PRODUCTION = {
    "SECRET_KEY": "k8#Jq2@v!pZ7rL0sX4mW9tB1nC6yD3eF5gH8iK2lM0oP7qR4sT1uV9wX3zA6bC",
    "ALLOWED_HOSTS": "missionsafety.mil.example",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_COOKIES": "1",
}


def run(args: list[str], env: dict[str, str], tmp_path: Path) -> Any:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECRET_", "SECURE_", "DJANGO_", "MISSIONSAFETY_"))
        and k not in {"ALLOWED_HOSTS", "DATABASE_URL"}
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
        [sys.executable, "-m", "missionsafety", *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_variables(tmp_path: Path) -> None:
    result = run(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_complains_without_them(tmp_path: Path) -> None:
    result = run(["check", "--deploy", "--fail-level", "WARNING"], {}, tmp_path)
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS


def test_production_cookies_are_secure_and_http_only(tmp_path: Path) -> None:
    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_HTTPONLY",
        "LANGUAGE_COOKIE_HTTPONLY",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
        "SECURE_SSL_REDIRECT",
    ]
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    )
    # Secure cookies follow from a configured SECRET_KEY even without the flag.
    env = {k: v for k, v in PRODUCTION.items() if k != "SECURE_COOKIES"}
    result = run(["shell", "-c", code], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == dict.fromkeys(
        names, True
    )


def test_verify_audit_exits_non_zero_on_a_broken_chain(tmp_path: Path) -> None:
    env = {"SECRET_KEY": PRODUCTION["SECRET_KEY"]}
    assert run(["migrate", "--noinput"], env, tmp_path).returncode == 0
    ok = run(["verify-audit"], env, tmp_path)
    assert ok.returncode == 0, ok.stderr
    database = sqlite3.connect(tmp_path / "missionsafety.sqlite3")
    with database:
        database.execute(
            "INSERT INTO audit_audithead (id, last_seq, last_hash) VALUES (1, 1, ?)",
            ["f" * 64],
        )
    database.close()
    broken = run(["verify-audit"], env, tmp_path)
    assert broken.returncode == 1
    assert "record 1" in broken.stderr


def test_the_console_script_maps_dashes(tmp_path: Path) -> None:
    result = run(["verify-audit", "--help"], {}, tmp_path)
    assert result.returncode == 0
    assert "audit" in result.stdout
