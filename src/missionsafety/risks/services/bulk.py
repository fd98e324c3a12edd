"""Change many risks of a register at once: each through its own service, all
of them or none."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from missionsafety.core.exceptions import ConflictError, NotAllowed, ValidationError
from missionsafety.deployments.models import Deployment, Party, Phase
from missionsafety.deployments.visibility import require
from missionsafety.risks.models import HazardCategory, Risk
from missionsafety.risks.services.common import ASSESS_ROLES, EDIT_ROLES, S
from missionsafety.risks.services.register import (
    risk_require_reassessment,
    risk_transition,
    risk_update,
)

# The bulk actions, in the order the register offers them.
ACTIONS = {
    "owner_party": gettext_lazy("Set the owner party"),
    "category": gettext_lazy("Set the category"),
    "phase": gettext_lazy("Set the phase"),
    "reassess": gettext_lazy("Request reassessment"),
    "close": gettext_lazy("Close"),
}
MAX_RISKS = 2000


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, NotAllowed | ConflictError):
        return [exc.message]
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc)]


def _one(
    *,
    actor: Any,
    risk: Risk,
    action: str,
    owner_party: Party | None,
    category: HazardCategory | None,
    phase: str,
    reason: str,
) -> None:
    if risk.status == S.CLOSED and action != "close":
        raise ValidationError({"status": _("The risk is closed.")})
    if action == "owner_party":
        risk_update(
            actor=actor, risk=risk, version=risk.version, owner_party=owner_party
        )
    elif action == "category":
        risk_update(actor=actor, risk=risk, version=risk.version, category=category)
    elif action == "phase":
        risk_update(actor=actor, risk=risk, version=risk.version, phases=[phase])
    elif action == "reassess":
        require(actor, risk.deployment, *ASSESS_ROLES)
        risk_require_reassessment(risk=risk, actor=actor, reason=reason)
    elif action == "close":
        risk_transition(actor=actor, risk=risk, to_status=S.CLOSED, note=reason)


@transaction.atomic
def risks_bulk_edit(
    *,
    actor: Any,
    deployment: Deployment,
    risks: Iterable[Risk],
    action: str,
    owner_party: Party | None = None,
    category: HazardCategory | None = None,
    phase: str = "",
    reason: str = "",
) -> int:
    """Apply one change to each risk through its service; refuse all if any is refused.

    Each risk gets its own change record. A ``ValidationError`` on ``risks``
    names every refused risk with the reason.
    """
    require(actor, deployment, *EDIT_ROLES)
    errors: dict[str, str] = {}
    if action not in ACTIONS:
        errors["action"] = _("Choose what to change.")
    elif action == "owner_party" and (
        owner_party is None or owner_party.deployment_id != deployment.pk
    ):
        errors["owner_party"] = _("Choose a party of this deployment.")
    elif action == "category" and category is None:
        errors["category"] = _("Choose a category.")
    elif action == "phase" and phase not in Phase.values:
        errors["phase"] = _("Choose a phase.")
    elif action in ("reassess", "close") and not reason.strip():
        errors["reason"] = _("Give the reason, for the record of each risk.")
    chosen = list(risks)
    if not chosen:
        errors["risks"] = _("Select at least one risk.")
    elif len(chosen) > MAX_RISKS:
        errors["risks"] = _("Select at most %(n)s risks at a time.") % {"n": MAX_RISKS}
    if errors:
        raise ValidationError(errors)
    # Every risk's row before the first change record (docs/locking.md): a
    # bulk edit that held the audit head and then waited for a risk that a
    # single edit held (waiting for the head) deadlocked on PostgreSQL. The
    # change applies to each risk as it is now, so a concurrent edit of
    # another field is kept.
    current = {
        risk.pk: risk
        for risk in Risk.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk__in=[r.pk for r in chosen], deployment=deployment)
        .order_by("pk")
    }
    chosen = [current.get(r.pk, r) for r in chosen]
    refused: list[str] = []
    for risk in chosen:
        if risk.deployment_id != deployment.pk:
            refused.append(_("%(risk)s: not a risk of this register.") % {"risk": risk})
            continue
        risk.deployment = deployment
        try:
            with transaction.atomic():
                _one(
                    actor=actor,
                    risk=risk,
                    action=action,
                    owner_party=owner_party,
                    category=category,
                    phase=phase,
                    reason=reason.strip(),
                )
        except (ValidationError, ConflictError, PermissionDenied) as exc:
            refused.extend(
                _("%(risk)s: %(reason)s") % {"risk": risk, "reason": message}
                for message in _messages(exc)
            )
    if refused:
        # Nothing half-done: the changes already made roll back with this.
        raise ValidationError({"risks": refused})
    return len(chosen)
