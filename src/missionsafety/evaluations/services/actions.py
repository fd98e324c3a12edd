"""Actions that follow from findings, and calendar links."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change, snapshot
from missionsafety.audit.versioning import update_versioned
from missionsafety.core.exceptions import NotAllowed, ValidationError
from missionsafety.deployments.models import Party
from missionsafety.deployments.visibility import require
from missionsafety.evaluations.models import Action, CalendarToken, Finding
from missionsafety.evaluations.services.common import EVALUATION_ROLES
from missionsafety.organisations.models import Membership, hash_token
from missionsafety.organisations.scope import user_scope_ids


def _member_of(user: Any, party: Party) -> bool:
    org = party.organisation
    return (
        Membership.objects.current()
        .filter(user=user, organisation__path__startswith=org.path)
        .exists()
    )


@transaction.atomic
def action_create(
    *,
    actor: Any,
    finding: Finding,
    description: str,
    owner_party: Party,
    owner: Any,
    due_date: datetime.date,
) -> Action:
    """Turn a finding into an action with an owner party, an owner and a due date."""
    require(actor, finding.evaluation.deployment, *EVALUATION_ROLES)
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = _("Describe the action.")
    if owner_party.deployment_id != finding.deployment_id:
        errors["owner_party"] = _("The owner party must be a party to this deployment.")
    elif owner is None or not _member_of(owner, owner_party):
        errors["owner"] = _(
            "The owner must belong to %(org)s (or a unit below it)."
        ) % {"org": owner_party.organisation.short_name}
    if due_date < timezone.localdate():
        errors["due_date"] = _("The due date lies in the past.")
    if errors:
        raise ValidationError(errors)
    action = Action.objects.create(
        deployment_id=finding.deployment_id,
        finding=finding,
        description=description.strip(),
        owner_party=owner_party,
        owner=owner,
        due_date=due_date,
        created_by=actor,
    )
    record_change(actor=actor, obj=action, action="create", after=snapshot(action))
    return action


@transaction.atomic
def action_set_status(
    *, actor: Any, action: Action, version: int | None, status: str
) -> Action:
    """Mark an action done (or open again)."""
    require(actor, action.owner_party.deployment, *EVALUATION_ROLES)
    if status not in Action.TRANSITIONS.get(action.status, set()):
        raise ValidationError({"status": _("That status change is not possible.")})
    return update_versioned(
        obj=action, actor=actor, version=version, changes={"status": status}
    )


@transaction.atomic
def calendar_token_create(*, actor: Any, party: Party) -> str:
    """Issue a calendar link for one of the user's parties; only its hash is kept."""
    if party.organisation_id not in user_scope_ids(actor):
        raise NotAllowed(_("You can only subscribe to the moments of your own party."))
    raw = CalendarToken.PREFIX + secrets.token_urlsafe(24)
    token = CalendarToken.objects.create(
        user=actor, party=party, key_hash=hash_token(raw), hint=raw[:10]
    )
    record_change(
        actor=actor,
        obj=token,
        action="create",
        after={"party": party.pk, "hint": token.hint},
        deployment_id=party.deployment_id,
    )
    return raw


@transaction.atomic
def calendar_token_revoke(*, actor: Any, token: CalendarToken) -> CalendarToken:
    """Revoke a calendar link: calendar clients that use it get nothing more."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_change(
            actor=actor,
            obj=token,
            action="revoke",
            after={"revoked": True},
            deployment_id=token.party.deployment_id,
        )
    return token
