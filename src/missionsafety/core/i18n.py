"""Small helpers for content stored in both languages."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any, Self

from django.db import models
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


# -- texts the system writes ------------------------------------------------
#
# Defaults and library items ship in Dutch and English (agreement task texts,
# evaluation moment names, library hazards and their typical controls). A row
# made from them stores the shipped text in the language of whoever made it;
# that text is the key: while a row still holds a shipped text (in either
# language) it reads in the reader's language. Once someone edits it, it is
# the person's own text and reads as written.

TextPair = tuple[str, str]  # (Dutch, English)
_sources: list[Callable[[], Iterable[TextPair]]] = []
_table: dict[str, TextPair] = {}
_built = 0


def register_shipped_texts(source: Callable[[], Iterable[TextPair]]) -> None:
    """Add a source of (Dutch, English) pairs; called from an app's ``ready``."""
    if source not in _sources:
        _sources.append(source)


def _shipped() -> dict[str, TextPair]:
    global _built
    if _built != len(_sources):
        for source in _sources[_built:]:
            for nl, en in source():
                if nl and en and nl != en:
                    pair = (str(nl), str(en))
                    _table.setdefault(pair[0], pair)
                    _table.setdefault(pair[1], pair)
        _built = len(_sources)
    return _table


def shipped_pairs() -> list[TextPair]:
    """Every registered (Dutch, English) pair."""
    return sorted(set(_shipped().values()))


def shipped_text(value: str, *, numbered: bool = False, language: str = "") -> str:
    """A shipped text in the reader's language (or ``language``); any other
    text unchanged. ``numbered`` also reads "<shipped> 3" and
    "<shipped>: <own words>" (a periodic moment, a hot wash on an occurrence)."""
    if not value:
        return value
    table = _shipped()
    lang = (language or get_language() or "nl")[:2]
    index = 1 if lang == "en" else 0
    pair = table.get(value)
    if pair is not None:
        return pair[index]
    if numbered:
        head, sep, tail = value.rpartition(" ")
        if sep and tail.isdigit() and head in table:
            return f"{table[head][index]} {tail}"
        head, sep, tail = value.partition(": ")
        if sep and head in table:
            return f"{table[head][index]}: {tail}"
    return value


class ShippedTextsMixin(models.Model):
    """Read the fields named in ``SHIPPED_TEXT_FIELDS`` in the reader's
    language while they hold a shipped text (see ``shipped_text``), on every
    load: pages, exports and e-mails need no change. ``NUMBERED_TEXT_FIELDS``
    also read the numbered forms."""

    SHIPPED_TEXT_FIELDS: tuple[str, ...] = ()
    NUMBERED_TEXT_FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(
        cls,
        db: str | None,
        field_names: Collection[str],
        values: Collection[Any],
        **kwargs: Any,
    ) -> Self:
        instance = super().from_db(db, field_names, values, **kwargs)
        data = instance.__dict__
        for name in cls.SHIPPED_TEXT_FIELDS:
            value = data.get(name)
            if isinstance(value, str) and value:
                data[name] = shipped_text(
                    value, numbered=name in cls.NUMBERED_TEXT_FIELDS
                )
        return instance
