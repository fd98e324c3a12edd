"""Every page pattern reads in the reader's language: rendered once in Dutch
and once in English (one sample per URL of the access-control suite), no
page shows a raw reference such as ``occurrences.occurrence:11`` or a
sentence of the other language's catalogue."""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from missionsafety.core.i18n import shipped_pairs
from tests.test_access_control import all_targets
from tests.test_translations import parse_po

RAW_REFERENCE = re.compile(r"\b[a-z_]+\.[a-z_]+:\d+\b")
# Sentences of at least this many words and characters are unambiguous.
MIN_WORDS, MIN_CHARS = 4, 24
_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)
_READ_ATTRS = re.compile(r'\b(?:title|aria-label|placeholder|alt)="([^"]*)"')


def _plain(text: str) -> bool:
    """No placeholders or markup: the text appears on a page as it stands."""
    return not re.search(r"%\(|%s|%d|\{|<|&|“|\"|\n", text)


def _long(text: str) -> bool:
    return _plain(text) and len(text) >= MIN_CHARS and len(text.split()) >= MIN_WORDS


@cache
def tell_tales() -> dict[str, list[str]]:
    """Per language, long sentences of the *other* language: Dutch
    translations (not to be seen by an English reader) and their English
    sources (not to be seen by a Dutch reader), and the same of the texts
    that defaults and the hazard library write into rows."""
    found: dict[str, list[str]] = {"en": [], "nl": []}
    for dutch, english in shipped_pairs():
        for lang, text in (("en", dutch), ("nl", english)):
            if _long(text):
                found[lang].append(" ".join(text.split()))
    for config in apps.get_app_configs():
        po = Path(config.path) / "locale" / "nl" / "LC_MESSAGES" / "django.po"
        if not config.name.startswith("missionsafety.") or not po.exists():
            continue
        for entry in parse_po(po):
            english, dutch = entry.get("msgid", ""), entry.get("msgstr", "")
            if not english or not dutch or english == dutch or "msgid_plural" in entry:
                continue
            for lang, text in (("en", dutch), ("nl", english)):
                if _long(text):
                    found[lang].append(" ".join(text.split()))
    return found


def readable(body: str) -> str:
    """What a reader sees: the text and the attributes read out or hovered."""
    attrs = " ".join(_READ_ATTRS.findall(body))
    text = _TAGS.sub(" ", body)
    return " ".join(html.unescape(f"{text} {attrs}").split())


def test_the_tell_tales_are_many() -> None:
    assert len(tell_tales()["en"]) > 100
    assert len(tell_tales()["nl"]) > 100


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_page_reads_in_one_language_without_raw_references(
    world: Any, language: str
) -> None:
    failures = []
    clients: dict[int, Client] = {}
    for name, target in sorted(all_targets(world).items()):
        if name.startswith("api:") or target.get("status", 200) != 200:
            continue
        user = target.get("insider", world.bde13_safety)
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
            clients[user.pk].cookies["missionsafety_language"] = language
        response = clients[user.pk].get(reverse(name, kwargs=target.get("kwargs", {})))
        kind = response.get("Content-Type", "")
        if response.status_code != 200 or not kind.startswith(
            ("text/html", "text/csv")
        ):
            continue
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        ).decode()
        text = readable(body) if kind.startswith("text/html") else body
        raw = sorted(set(RAW_REFERENCE.findall(text)))
        if raw:
            failures.append(f"{name}: raw references {raw}")
        other = [s for s in tell_tales()[language] if s in text]
        if other:
            failures.append(f"{name}: other language {other[:3]}")
    assert not failures, "\n".join(failures)
