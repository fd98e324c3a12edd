"""Which attachments a risk, control or occurrence accepts, and how large they
may be (occurrences.files re-exports this one policy)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from missionsafety.core.uploads import (
    DOCX,
    JPEG,
    MEGABYTE,
    PDF,
    PNG,
    XLSX,
    AllowedFiles,
    check_upload,
)

ALLOWED = AllowedFiles(
    types={
        ".jpg": JPEG,
        ".jpeg": JPEG,
        ".png": PNG,
        ".pdf": PDF,
        ".docx": DOCX,
        ".xlsx": XLSX,
    },
    description=_("photos (JPEG, PNG) and documents (PDF, Word, Excel)"),
)


def max_bytes() -> int:
    return int(getattr(settings, "OCCURRENCE_ATTACHMENT_MAX_MB", 10)) * MEGABYTE


def check_attachment(upload: Any) -> str:
    """The content type of an allowed attachment; ValidationError otherwise."""
    return check_upload(
        upload, allowed=ALLOWED, max_bytes=max_bytes(), field="attachment"
    )
