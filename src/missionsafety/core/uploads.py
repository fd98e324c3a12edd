"""Uploaded files: which kinds an app accepts, the check, and where they are kept.

An upload is accepted when its extension is one the app allows, its size is within
the app's limit, and its first bytes are what the extension promises. The stored
name is unguessable; the original name stays in the database.
"""

from __future__ import annotations

import codecs
import mimetypes
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from missionsafety.core.exceptions import ValidationError

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    """One kind of file: its content type and how its content starts."""

    content_type: str
    # Magic prefixes of the content; none for plain text, which is checked instead
    # for being UTF-8 without NUL bytes.
    magics: tuple[bytes, ...] = ()

    def matches(self, head: bytes) -> bool:
        if self.magics:
            return any(head.startswith(magic) for magic in self.magics)
        if b"\x00" in head:
            return False
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            return False
        return True


JPEG = FileType("image/jpeg", (b"\xff\xd8\xff",))
PNG = FileType("image/png", (b"\x89PNG\r\n\x1a\n",))
PDF = FileType("application/pdf", (b"%PDF-",))
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (b"PK\x03\x04",),
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (b"PK\x03\x04",),
)
TEXT = FileType("text/plain")


@dataclass(frozen=True)
class AllowedFiles:
    """The kinds of file one app accepts, by extension, and how to name them."""

    types: Mapping[str, FileType]
    # Translatable, e.g. "photos (JPEG, PNG) and documents (PDF, Word, Excel)".
    description: Any

    @property
    def accept(self) -> str:
        """The value of a file input's ``accept`` attribute."""
        return ",".join(sorted(self.types))


def check_upload(
    upload: Any, *, allowed: AllowedFiles, max_bytes: int, field: str = "file"
) -> str:
    """The content type of an allowed upload; ValidationError on ``field`` otherwise."""
    name = Path(getattr(upload, "name", "") or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in allowed.types:
        raise ValidationError(
            {
                field: _(
                    "%(name)s: this type of file is not accepted. Allowed: %(allowed)s."
                )
                % {"name": name or "?", "allowed": allowed.description}
            }
        )
    size = int(getattr(upload, "size", 0) or 0)
    if size > max_bytes:
        raise ValidationError(
            {
                field: _(
                    "%(name)s is %(size)s MB; the limit is %(limit)s MB. Make the "
                    "photo smaller or split the document."
                )
                % {
                    "name": name,
                    "size": f"{size / MEGABYTE:.1f}",
                    "limit": max_bytes // MEGABYTE,
                }
            }
        )
    if size == 0:
        raise ValidationError({field: _("%(name)s is empty.") % {"name": name}})
    file_type = allowed.types[suffix]
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    if not file_type.matches(head):
        raise ValidationError(
            {
                field: _(
                    "%(name)s does not contain what its name says (%(ext)s). It was "
                    "not accepted."
                )
                % {"name": name, "ext": suffix}
            }
        )
    return file_type.content_type


def stored_name(folder: str, filename: str) -> str:
    """An unguessable name under ``folder`` that keeps the file's extension."""
    suffix = Path(filename).suffix.lower()[:8]
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


def store_attachment(attachment: Any, upload: Any) -> Any:
    """Save an attachment (an ``AttachmentBase``) and its checked upload: the
    file under an unguessable name, then the row; no file is left behind when
    the row cannot be saved."""
    attachment.file.save(upload.name, upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


def attachment_response(attachment: Any, *, inline_images: bool = True) -> FileResponse:
    """The stored file of an attachment the reader may see (the caller found it
    through its selector): images shown in the page, other files downloaded,
    never sniffed; 404 when the file is gone."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = attachment.content_type or (
        mimetypes.guess_type(attachment.filename)[0] or "application/octet-stream"
    )
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=not (inline_images and attachment.is_image),
        filename=attachment.filename,
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
