"""Base models shared by every app."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Remember when a row was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """Carry a version so that an edit based on an older one is refused."""

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True


def attachment_upload_to(instance: Any, filename: str) -> str:
    """An unguessable name in the attachment's folder; the original name is
    kept in the database."""
    from missionsafety.core.uploads import stored_name

    return stored_name(instance.storage_folder(), filename)


class AttachmentBase(TimeStampedModel):
    """A photo or document kept with a record, outside the database, served
    only through a view that checks that the reader may see the record.

    Each app's attachment names the record it belongs to and its folder; the
    checks (``core.uploads.check_upload``), the storing and the serving
    (``core.uploads.store_attachment``, ``attachment_response``) are shared.
    """

    STORAGE_FOLDER = "files"

    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.filename

    def storage_folder(self) -> str:
        return self.STORAGE_FOLDER

    @property
    def filename(self) -> str:
        """The name the file had when it was uploaded."""
        return str(self.original_name)

    @property
    def is_image(self) -> bool:
        return str(self.content_type).startswith("image/")
