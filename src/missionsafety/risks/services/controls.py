"""Writes to controls: only the owning party's people change a control; the
risk's owner and the deployment's safety officers may hand it to another party."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change, snapshot
from missionsafety.audit.versioning import update_versioned
from missionsafety.core.events import publish
from missionsafety.core.exceptions import NotAllowed, ValidationError
from missionsafety.core.services import check_all, require_text
from missionsafety.deployments.models import Deployment, Party
from missionsafety.deployments.people import acts_for, party_member_ids
from missionsafety.deployments.visibility import require
from missionsafety.organisations.scope import is_read_only
from missionsafety.risks.models import Control, Risk
from missionsafety.risks.services.common import ASSESS_ROLES, EDIT_ROLES, check_party

# A control's due date may lie this far before the start or after the end.
DUE_MARGIN = datetime.timedelta(days=730)
# What the owning party's people change; the owner party is reassigned apart.
OWNER_FIELDS = (
    "description",
    "kind",
    "implementer",
    "due_date",
    "status",
    "status_note",
)


def due_date_bounds(deployment: Deployment) -> tuple[datetime.date, datetime.date]:
    """The first and last valid due date of a control of the deployment.

    From the deployment's creation on (work before departure is dated before
    the start), but never more than two years before the start nor later than
    two years after the end.
    """
    start, end = deployment.start_date, deployment.end_date
    created = (
        timezone.localdate(deployment.created_at) if deployment.created_at else start
    )
    first = max(min(created, start), start - DUE_MARGIN)
    return first, end + DUE_MARGIN


def check_due(deployment: Deployment, due: datetime.date | None) -> None:
    if due is None:
        return
    first, last = due_date_bounds(deployment)
    if due < first:
        raise ValidationError(
            {
                "due_date": _(
                    "The due date lies before %(first)s, when the work on this "
                    "deployment began."
                )
                % {"first": first.isoformat()}
            }
        )
    if due > last:
        raise ValidationError(
            {
                "due_date": _(
                    "The due date lies after %(last)s, two years after the end of "
                    "the deployment."
                )
                % {"last": last.isoformat()}
            }
        )


def check_implementer(deployment: Deployment, implementer: Any) -> None:
    """The implementer is one of the people of the deployment's parties."""
    if implementer is None:
        return
    if implementer.pk not in party_member_ids(deployment.party_list):
        raise ValidationError(
            {
                "implementer": _(
                    "%(user)s is not one of the people of the parties to %(code)s."
                )
                % {"user": implementer, "code": deployment.code}
            }
        )


def _check_kind(kind: str) -> None:
    if kind not in Control.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of control.")})


def may_change(user: Any, control: Control) -> bool:
    """The owning party's safety officers, commanders and contributors."""
    if getattr(user, "is_superuser", False):
        return True
    if is_read_only(user):
        return False
    return acts_for(user, control.owner_party, EDIT_ROLES)


def may_reassign(user: Any, control: Control) -> bool:
    """The risk's owner (the person, or the commanders and safety officers of
    its owner party) and the safety officers of every party to the deployment."""
    if getattr(user, "is_superuser", False):
        return True
    if is_read_only(user):
        return False
    risk: Risk = control.risk
    if risk.owner_id == user.pk:
        return True
    if acts_for(user, risk.owner_party, ASSESS_ROLES):
        return True
    return any(
        acts_for(user, p, ("safety_officer",)) for p in control.deployment.party_list
    )


def _refuse(control: Control) -> NotAllowed:
    org = control.owner_party.organisation.short_name
    return NotAllowed(
        _(
            "This control belongs to %(org)s: only its safety officers, commanders "
            "and contributors change it. Propose your change to %(org)s in a thread."
        )
        % {"org": org},
        owner_party={"id": control.owner_party_id, "organisation": org},
    )


def change_refusal(actor: Any, control: Control, fields: set[str]) -> NotAllowed | None:
    """Why ``actor`` may not change these fields of a control, or None.

    The control's own party changes it; the risk's owner and the deployment's
    safety officers may also hand it to another party. The import's preview
    asks the same question, so that its apply refuses nothing it accepted.
    """
    if not fields:
        return None
    owner = may_change(actor, control)
    reassigning = "owner_party" in fields
    if not owner and not (reassigning and may_reassign(actor, control)):
        return _refuse(control)
    if fields - {"owner_party"} and not owner:
        return _refuse(control)
    if reassigning and not may_reassign(actor, control):
        return NotAllowed(
            _(
                "Only the risk's owner and the deployment's safety officers hand a "
                "control to another party."
            )
        )
    return None


@transaction.atomic
def control_add(
    *,
    actor: Any,
    risk: Risk,
    description: str,
    kind: str,
    owner_party: Party | None,
    implementer: Any = None,
    due_date: datetime.date | None = None,
) -> Control:
    """Add a control, owned by any party of the deployment; tell that party."""
    deployment = risk.deployment
    require(actor, deployment, *EDIT_ROLES)
    check_all(
        lambda: check_party(deployment, owner_party, "owner_party"),
        lambda: require_text(description, "description", _("Describe the control.")),
        lambda: _check_kind(kind),
        lambda: check_due(deployment, due_date),
        lambda: check_implementer(deployment, implementer),
    )
    assert owner_party is not None  # check_party refuses a missing party
    control = Control.objects.create(
        risk=risk,
        deployment=deployment,
        description=description.strip(),
        kind=kind,
        owner_party=owner_party,
        implementer=implementer,
        due_date=due_date,
    )
    record_change(actor=actor, obj=control, action="create", after=snapshot(control))
    publish("control.assigned", control=control, actor=actor)
    return control


def _raw(value: Any) -> Any:
    return getattr(value, "pk", value)


@transaction.atomic
def control_update(
    *, actor: Any, control: Control, version: int | None, **changes: Any
) -> Control:
    """Change a control as one of its owning party's people, or hand it to
    another party as the risk's owner or a safety officer of the deployment.

    A status change follows the control's status machine.
    """
    deployment = control.deployment
    unknown = set(changes) - {*OWNER_FIELDS, "owner_party"}
    if unknown:
        raise ValidationError(
            {f: _("This field cannot be changed here.") for f in sorted(unknown)}
        )
    # Only what differs counts: a form sends every field, changed or not.
    changes = {
        name: value
        for name, value in changes.items()
        if _raw(value) != _raw(getattr(control, name))
    }
    refusal = change_refusal(actor, control, set(changes))
    if refusal is not None:
        raise refusal
    reassigning = "owner_party" in changes
    if reassigning:
        check_party(deployment, changes["owner_party"], "owner_party")
    if "due_date" in changes:
        check_due(deployment, changes["due_date"])
    if "implementer" in changes:
        check_implementer(deployment, changes["implementer"])
    if "kind" in changes and changes["kind"] not in Control.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of control.")})
    status_changed = False
    if "status" in changes:
        target = changes["status"]
        if target not in Control.TRANSITIONS.get(control.status, set()):
            raise ValidationError(
                {
                    "status": _(
                        "A control that is %(current)s cannot become %(target)s."
                    )
                    % {
                        "current": Control.Status(control.status).label,
                        "target": Control.Status(target).label
                        if target in Control.Status.values
                        else target,
                    }
                }
            )
        changes["status_changed_at"] = timezone.now()
        status_changed = True
    control = update_versioned(
        obj=control,
        actor=actor,
        version=version,
        changes=changes,
        # Set by the service on a status change, empty until the first one.
        exclude_from_clean=["status_changed_at"],
    )
    if status_changed:
        publish("control.status_changed", control=control, actor=actor)
    if reassigning:
        publish("control.assigned", control=control, actor=actor)
    return control
