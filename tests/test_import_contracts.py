"""The walls between the apps (pyproject.toml, docs/architecture.md) hold, and
a forbidden import breaks them: the check is a wall, not a hope."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).parent / "lint-imports"
CONTRACTS = (
    "core imports no product app and not the project package",
    "the apps' layers point downwards only",
    "no app imports the project package",
)


def lint(src: Path) -> subprocess.CompletedProcess[str]:
    """Run the contracts of pyproject.toml over the package found in ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src), "COLUMNS": "200"}
    return subprocess.run(
        [str(LINT), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )


def test_the_contracts_hold() -> None:
    result = lint(ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    for name in CONTRACTS:
        assert f"{name}" in result.stdout
    assert "0 broken" in result.stdout


def test_a_forbidden_import_breaks_each_contract(tmp_path: Path) -> None:
    """A copy of the package with three imports that point the wrong way."""
    package = tmp_path / "missionsafety"
    shutil.copytree(
        ROOT / "src" / "missionsafety",
        package,
        ignore=shutil.ignore_patterns("__pycache__", "locale", "static", "templates"),
    )
    # core reaching into an app (inside a function: still an import)
    (package / "core" / "wrong_way.py").write_text(
        "def visible():\n"
        "    from missionsafety.deployments.visibility import can\n\n"
        "    return can\n"
    )
    # organisations, the base of the stack, importing the risks app above it
    (package / "organisations" / "wrong_way.py").write_text(
        "from missionsafety.risks.models import RiskMatrix  # noqa: F401\n"
    )
    # an app importing the project package
    (package / "lessons" / "wrong_way.py").write_text(
        "from missionsafety.demo import load_all  # noqa: F401\n"
    )
    result = lint(tmp_path)
    out = result.stdout
    assert result.returncode != 0, out
    assert "3 broken" in out, out
    assert "missionsafety.core.wrong_way -> missionsafety.deployments.visibility" in out
    assert "missionsafety.organisations.wrong_way -> missionsafety.risks.models" in out
    assert "missionsafety.lessons.wrong_way -> missionsafety.demo" in out
