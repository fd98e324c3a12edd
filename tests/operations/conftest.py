"""Load tests run only when asked for: ``pytest -m load``."""

from __future__ import annotations

from typing import Any

import pytest


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    if "load" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="load test: run with -m load")
    for item in items:
        if item.get_closest_marker("load"):
            item.add_marker(skip)
