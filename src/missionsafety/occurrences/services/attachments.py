"""Files attached to an occurrence."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from missionsafety.audit.services import record_change
from missionsafety.core.uploads import store_attachment
from missionsafety.deployments.visibility import require
from missionsafety.occurrences.files import check_attachment
from missionsafety.occurrences.models import Attachment, Occurrence
from missionsafety.occurrences.rules import REPORTING_ROLES


def _store_attachment(
    *, actor: Any, occurrence: Occurrence, upload: Any, content_type: str
) -> Attachment:
    attachment = Attachment(
        occurrence=occurrence,
        deployment=occurrence.deployment,
        original_name=(upload.name or "file")[-200:],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    store_attachment(attachment, upload)
    record_change(
        actor=actor,
        obj=occurrence,
        action="add_attachment",
        after={
            "attachment": attachment.pk,
            "name": attachment.original_name,
            "size": attachment.size,
        },
    )
    return attachment


@transaction.atomic
def attachment_add(*, actor: Any, occurrence: Occurrence, upload: Any) -> Attachment:
    """Attach a photo or document after checking its type, content and size."""
    require(actor, occurrence.deployment, *REPORTING_ROLES)
    content_type = check_attachment(upload)
    return _store_attachment(
        actor=actor, occurrence=occurrence, upload=upload, content_type=content_type
    )
