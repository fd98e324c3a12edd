"""Immediate and follow-up actions of an occurrence."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change, snapshot
from missionsafety.core.exceptions import ValidationError
from missionsafety.deployments.models import Deployment
from missionsafety.deployments.visibility import require
from missionsafety.occurrences.models import Occurrence, OccurrenceAction
from missionsafety.occurrences.rules import TRIAGE_ROLES
from missionsafety.organisations.scope import require_writer


@transaction.atomic
def action_add(
    *,
    actor: Any,
    occurrence: Occurrence,
    description: str,
    owner: Any,
    due_date: datetime.date,
) -> OccurrenceAction:
    """Add a follow-up action with an owner and a due date."""
    require(actor, occurrence.deployment, *TRIAGE_ROLES)
    if occurrence.status == Occurrence.Status.CLOSED:
        raise ValidationError(_("This occurrence is closed; add no more actions."))
    if not (description or "").strip():
        raise ValidationError({"description": _("Describe the action.")})
    if owner is None or not owner.is_active:
        raise ValidationError({"owner": _("Choose who owns the action.")})
    if (
        not Deployment.objects.visible_to(owner)
        .filter(pk=occurrence.deployment_id)
        .exists()
    ):
        raise ValidationError(
            {"owner": _("%(who)s cannot see this deployment.") % {"who": owner}}
        )
    if due_date is None:
        raise ValidationError({"due_date": _("Give a due date.")})
    action = OccurrenceAction.objects.create(
        occurrence=occurrence,
        deployment=occurrence.deployment,
        description=description.strip(),
        owner=owner,
        due_date=due_date,
    )
    record_change(actor=actor, obj=action, action="create", after=snapshot(action))
    return action


@transaction.atomic
def action_complete(
    *, actor: Any, action: OccurrenceAction, note: str = ""
) -> OccurrenceAction:
    """Mark an action done (its owner or a safety officer)."""
    require_writer(actor)
    if action.owner_id != actor.pk:
        require(actor, action.deployment, *TRIAGE_ROLES)
    if action.done_at is not None:
        return action
    action.done_at = timezone.now()
    action.done_note = note
    action.save(update_fields=["done_at", "done_note", "updated_at"])
    record_change(
        actor=actor,
        obj=action,
        action="complete",
        after={"done_at": action.done_at, "done_note": note},
    )
    return action
