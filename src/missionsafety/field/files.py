"""Attachments travel with their bytes: read at the sender, checked and stored
at the receiver.

A bundle change of an attachment carries, beside the record's state, the
file's content (base64) and its SHA-256. The receiver refuses the whole
bundle when the content does not match its checksum or the size the record
states; files it stored for a bundle that is then refused are removed again.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
from typing import Any

from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext as _

from missionsafety.field.envelope import BundleRefused

# The models deriving from ``core.models.AttachmentBase`` that travel.
ATTACHMENT_LABELS = {
    "risks.riskattachment",
    "occurrences.attachment",
    "feedback.messageattachment",
    "lessons.attachment",
}
# A batch sent over HTTPS holds at most about this many bytes of changes
# (before compression); an attachment larger than that goes alone.
DEFAULT_BATCH_BYTES = 512 * 1024


def is_attachment(model: type[models.Model]) -> bool:
    return model._meta.label_lower in ATTACHMENT_LABELS


def file_payload(obj: Any) -> dict[str, Any] | None:
    """The content of an attachment's file with its checksum (None when the
    file is gone from storage: the record still travels)."""
    if not obj.file:
        return None
    try:
        with obj.file.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError, ValueError):
        return None
    return {
        "n": obj.file.name,
        "sha256": hashlib.sha256(content).hexdigest(),
        "b64": base64.b64encode(content).decode("ascii"),
    }


def change_size(change: dict[str, Any]) -> int:
    """About how many bytes a change takes in a bundle (before compression)."""
    return len(json.dumps(change, separators=(",", ":"), default=str))


def store_file(
    model: type[models.Model],
    change: dict[str, Any],
    attrs: dict[str, Any],
    written: list[tuple[Any, str]],
) -> None:
    """Check an arriving attachment's content and store it; the record's
    ``file`` then names the stored copy."""
    payload = change.get("f")
    if not payload:
        return
    refused = BundleRefused(
        _(
            "An attachment in the bundle (%(name)s) does not match its checksum; "
            "nothing was applied. Transfer the bundle again."
        )
        % {"name": str(change.get("v", {}).get("original_name") or payload.get("n"))}
    )
    try:
        content = base64.b64decode(payload["b64"], validate=True)
    except (binascii.Error, KeyError, TypeError, ValueError):
        raise refused from None
    if hashlib.sha256(content).hexdigest() != payload.get("sha256"):
        raise refused
    if attrs.get("size") is not None and int(attrs["size"]) != len(content):
        raise refused
    storage = model._meta.get_field("file").storage  # type: ignore[union-attr]
    name = storage.save(
        str(payload.get("n") or "files/attachment"), ContentFile(content)
    )
    written.append((storage, name))
    attrs["file"] = name


def remove_files(written: list[tuple[Any, str]]) -> None:
    """Files stored for a bundle that was not applied after all."""
    for storage, name in written:
        with contextlib.suppress(OSError):
            storage.delete(name)
    written.clear()
