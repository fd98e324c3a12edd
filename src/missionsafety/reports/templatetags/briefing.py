"""Template filters of the briefing PDFs."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def css_string(value: Any) -> SafeString:
    """Text as the inside of a CSS string (for ``content:``), safe in <style>."""
    out = []
    for char in str(value):
        if char in '\\"<>&' or ord(char) < 32:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return mark_safe("".join(out))
