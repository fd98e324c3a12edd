"""Checks for uploaded attachments: by extension, by content and by size."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from missionsafety.core.exceptions import ValidationError

# extension -> (content type, magic prefixes of the content)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
}


def max_bytes() -> int:
    return int(getattr(settings, "OCCURRENCE_ATTACHMENT_MAX_MB", 10)) * 1024 * 1024


def check_upload(upload: Any) -> str:
    """The content type of an allowed upload; ValidationError otherwise."""
    name = Path(getattr(upload, "name", "") or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED:
        raise ValidationError(
            {
                "attachment": _(
                    "%(name)s: this type of file is not accepted. Allowed: photos "
                    "(JPEG, PNG) and documents (PDF, Word, Excel)."
                )
                % {"name": name or "?"}
            }
        )
    size = int(getattr(upload, "size", 0) or 0)
    limit = max_bytes()
    if size > limit:
        raise ValidationError(
            {
                "attachment": _(
                    "%(name)s is %(size)s MB; the limit is %(limit)s MB. Make the "
                    "photo smaller or split the document."
                )
                % {
                    "name": name,
                    "size": f"{size / 1048576:.1f}",
                    "limit": limit // 1048576,
                }
            }
        )
    if size == 0:
        raise ValidationError({"attachment": _("%(name)s is empty.") % {"name": name}})
    content_type, magics = ALLOWED[suffix]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(m) for m in magics):
        raise ValidationError(
            {
                "attachment": _(
                    "%(name)s does not contain what its name says (%(ext)s). It was "
                    "not accepted."
                )
                % {"name": name, "ext": suffix}
            }
        )
    return content_type
