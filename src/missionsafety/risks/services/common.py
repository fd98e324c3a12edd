"""Helpers shared by the register services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from django.conf import settings
from django.db.models import F, Field, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.core.exceptions import ValidationError
from missionsafety.deployments.models import Deployment, Party, Phase
from missionsafety.risks.models import (
    Risk,
)

EDIT_ROLES = ("safety_officer", "commander", "contributor")
ASSESS_ROLES = ("safety_officer", "commander")
S = Risk.Status


def check_party(deployment: Deployment, party: Party | None, field: str) -> None:
    if party is None:
        raise ValidationError({field: _("Choose a party of this deployment.")})
    if party.deployment_id != deployment.pk:
        raise ValidationError(
            {
                field: _("%(org)s is not a party to this deployment.")
                % {"org": party.organisation}
            }
        )


def check_phases(phases: Iterable[str]) -> list[str]:
    phases = list(phases or [])
    unknown = [p for p in phases if p not in Phase.values]
    if unknown:
        raise ValidationError(
            {"phases": _("Unknown phase: %(p)s.") % {"p": ", ".join(unknown)}}
        )
    return sorted(set(phases), key=Phase.values.index)


def next_number(deployment: Deployment) -> int:
    # Lock the deployment row so two new risks cannot take the same number
    # (FOR NO KEY UPDATE: foreign-key checks of other writers go on).
    Deployment.objects.select_for_update(no_key=True).filter(pk=deployment.pk).first()
    # Each instance numbers in its own block (home 1-9999, field instance n
    # from n × 10,000), so that risks made apart never share a number.
    block = settings.RISK_NUMBER_BLOCK
    low = settings.FIELD_INSTANCE_NUMBER * block
    last = Risk.objects.filter(
        deployment=deployment, number__gte=low, number__lt=low + block
    ).aggregate(m=Max("number"))["m"]
    return (last or low) + 1


def save_risk(risk: Risk, fields: list[str]) -> None:
    """Save service-kept fields and bump the version (edits based on it go stale)."""
    Risk.objects.filter(pk=risk.pk).update(
        # Concrete fields of the risk (never reverse relations): they have attname.
        **{
            f: getattr(risk, cast(Field, risk._meta.get_field(f)).attname)
            for f in fields
        },
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    risk.version += 1


def move_status(risk: Risk, to: str) -> None:
    if to not in Risk.TRANSITIONS[risk.status]:
        raise ValidationError(
            {
                "status": _("A risk that is %(current)s cannot become %(target)s.")
                % {
                    "current": S(risk.status).label,
                    "target": S(to).label,
                }
            }
        )
    risk.status = to


def locked_risk(risk: Risk) -> Risk:
    fresh = (
        Risk.objects.select_for_update(of=("self",), no_key=True)
        .select_related("deployment", "deployment__matrix", "escalated_to")
        .get(pk=risk.pk)
    )
    return fresh
