"""What every installation ships with, installed by the apps that own it.

Each app's data migrations install its shipped defaults once (matrices and the
hazard library, occurrence categories, process steps and evaluation templates);
a flushed database (``generate --reset``, transactional tests) gets them back
from the installers the apps register here in their ``ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps

# name -> (order, installer taking an app registry)
_INSTALLERS: dict[str, tuple[int, Callable[[Any], None]]] = {}


def register_defaults(
    name: str, installer: Callable[[Any], None], *, order: int = 50
) -> None:
    """Let an app put back its shipped defaults; installers run by ``order``."""
    _INSTALLERS[name] = (order, installer)


def install_defaults() -> None:
    """Install every app's shipped defaults where they are missing."""
    for _order, installer in sorted(_INSTALLERS.values(), key=lambda i: i[0]):
        installer(apps)
