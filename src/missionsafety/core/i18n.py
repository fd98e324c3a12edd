"""Small helpers for content stored in both languages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def pick(value: Any) -> str:
    """Pick the active language from ``{"nl": ..., "en": ...}``; pass strings on."""
    if isinstance(value, dict):
        lang = (get_language() or "nl")[:2]
        return str(value.get(lang) or value.get("nl") or value.get("en") or "")
    return "" if value is None else str(value)


class BilingualNameMixin:
    """Models with ``name_nl`` and ``name_en`` expose ``name`` in the active language."""

    name_nl: str
    name_en: str

    @property
    def name(self) -> str:
        lang = (get_language() or "nl")[:2]
        return (self.name_en if lang == "en" else self.name_nl) or self.name_nl
