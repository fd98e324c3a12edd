"""Control characters in text: refused where text comes in, stripped where it
goes out (exports), by the same definition everywhere."""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 and C1 control characters and DEL, except tab, line feed and carriage
# return, which multi-line text keeps.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

CONTROL_MESSAGE = _(
    "Remove the control character (an invisible character such as a vertical "
    "tab or NUL) from this text."
)


def has_control_characters(value: str) -> bool:
    return CONTROL.search(value) is not None


def refuse_control_characters(value: Any) -> None:
    """Validator: text holding a control character is refused."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(CONTROL_MESSAGE, code="control_character")


def strip_control_characters(value: str) -> str:
    """Text for an export: without control characters (tab and newlines stay)."""
    return CONTROL.sub("", value)


def control_character_paths(data: Any, path: str = "") -> list[str]:
    """Where in parsed input (dicts, lists, text) a control character sits."""
    if isinstance(data, str):
        return [path] if has_control_characters(data) else []
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and has_control_characters(key):
                found.append(f"{path}.{key}" if path else "key")
            found += control_character_paths(value, f"{path}.{key}" if path else key)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += control_character_paths(value, f"{path}.{i}" if path else str(i))
    return found


# A spreadsheet reads a cell starting with one of these as a formula (tab and
# carriage return hide one after them).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> Any:
    """A value safe for an XLSX or CSV cell: text without control characters,
    and text that a spreadsheet would run as a formula written as text."""
    if not isinstance(value, str):
        return value
    value = strip_control_characters(value)
    if value.startswith(FORMULA_START):
        return "'" + value
    return value


def _ascii_slug(text: str) -> str:
    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    )
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_text)
    return re.sub(r"-{2,}", "-", slug).strip("-.") or "export"


def attachment_disposition(name: str, extension: str) -> str:
    """``Content-Disposition`` of a download named after user text (RFC 6266):
    an ASCII slug as ``filename`` and the readable name as ``filename*``; no
    quote, line break or path separator of the text can reach the header."""
    readable = re.sub(r"[\x00-\x1f\x7f-\x9f\"\\/:*?<>|;]+", "-", name).strip(" -.")
    readable = readable or "export"
    fallback = _ascii_slug(readable)
    return (
        f'attachment; filename="{fallback}.{extension}"; '
        f"filename*=UTF-8''{quote(readable, safe='')}.{extension}"
    )
