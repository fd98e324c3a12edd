"""Attach documents and photos to risks and their controls."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change
from missionsafety.core.exceptions import ValidationError
from missionsafety.core.uploads import store_attachment
from missionsafety.deployments.visibility import require
from missionsafety.risks.files import check_attachment
from missionsafety.risks.models import Control, Risk, RiskAttachment
from missionsafety.risks.services.common import EDIT_ROLES


@transaction.atomic
def risk_attachment_add(
    *, actor: Any, risk: Risk, upload: Any, control: Control | None = None
) -> RiskAttachment:
    """Attach a file to a risk (or one of its controls) after checking it."""
    require(actor, risk.deployment, *EDIT_ROLES)
    if control is not None and control.risk_id != risk.pk:
        raise ValidationError({"control": _("Choose a control of this risk.")})
    content_type = check_attachment(upload)
    attachment = RiskAttachment(
        risk=risk,
        control=control,
        deployment=risk.deployment,
        original_name=(upload.name or "file")[-200:],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    store_attachment(attachment, upload)
    record_change(
        actor=actor,
        obj=control or risk,
        action="add_attachment",
        after={
            "attachment": attachment.pk,
            "name": attachment.original_name,
            "size": attachment.size,
        },
    )
    return attachment
