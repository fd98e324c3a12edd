"""Every app's Dutch catalogue is complete and compiled; the language switch works."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse


def catalogues() -> list[Path]:
    found = []
    for config in apps.get_app_configs():
        if config.name.startswith("missionsafety."):
            po = Path(config.path) / "locale" / "nl" / "LC_MESSAGES" / "django.po"
            if po.exists():
                found.append(po)
    return found


def parse_po(path: Path) -> list[dict[str, Any]]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr(s), flags.

    An entry ends where the next one's comment, msgctxt or msgid begins after a
    msgstr (blank lines are only whitespace to gettext)."""
    entries: list[dict[str, Any]] = []
    entry: dict[str, Any] = {"flags": set()}
    key = None

    def starts_new(line: str) -> bool:
        begins = line.startswith(("#", "msgctxt ", "msgid "))
        return begins and any(k.startswith("msgstr") for k in entry)

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if starts_new(line):
            entries.append(entry)
            entry, key = {"flags": set()}, None
        if line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    if "msgid" in entry:
        entries.append(entry)
    return entries


def test_there_are_catalogues() -> None:
    apps_with_locale = {path.parents[3].name for path in catalogues()}
    assert {"core", "organisations", "deployments", "audit"} <= apps_with_locale


@pytest.mark.parametrize("po", catalogues(), ids=lambda p: p.parents[3].name)
def test_dutch_catalogue_is_complete_and_compiled(po: Path) -> None:
    entries = parse_po(po)
    # A fuzzy header (makemessages' default) is harmless; a fuzzy message is not.
    fuzzy = [e["msgid"] for e in entries if e["msgid"] and "fuzzy" in e["flags"]]
    assert not fuzzy, f"fuzzy entries in {po}: {fuzzy}"
    messages = [e for e in entries if e["msgid"]]
    untranslated = [
        e["msgid"]
        for e in messages
        if not [k for k in e if k.startswith("msgstr")]
        or not all(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    assert not untranslated, f"untranslated entries in {po}: {untranslated}"

    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run compilemessages"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for e in messages:
        msgid = e["msgid"]
        if "msgctxt" in e:
            msgid = f"{e['msgctxt']}\x04{msgid}"
        if "msgid_plural" in e:
            got = compiled.ngettext(msgid, e["msgid_plural"], 1)
            assert got == e["msgstr[0]"], f"{mo} is older than {po}: {msgid!r}"
        else:
            got = compiled.gettext(msgid)
            assert got == e["msgstr"], f"{mo} is older than {po}: {msgid!r}"


@pytest.mark.django_db
def test_the_header_form_switches_the_language(world: Any, client_for: Any) -> None:
    client = client_for(world.bde13_safety)
    assert "Mijn inzetten" in client.get(reverse("home")).content.decode()  # default
    switched = client.post(
        reverse("set_language"), {"language": "en", "next": "/"}, follow=True
    )
    html = switched.content.decode()
    assert '<html lang="en">' in html
    assert "My deployments" in html
    assert "Mijn inzetten" not in html
    back = client.post(
        reverse("set_language"), {"language": "nl", "next": "/"}, follow=True
    )
    assert "Mijn inzetten" in back.content.decode()
    assert "ingezet" in back.content.decode()  # the phase label follows too
