"""Starting a register from the hazard library or an earlier register."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from missionsafety.core.exceptions import ValidationError
from missionsafety.core.i18n import pick
from missionsafety.deployments.models import Deployment, Party
from missionsafety.deployments.visibility import require
from missionsafety.risks.models import (
    Control,
    Hazard,
    Risk,
)
from missionsafety.risks.services.common import (
    EDIT_ROLES,
    S,
    check_party,
)
from missionsafety.risks.services.register import risk_create

# -- starting a register --------------------------------------------------


@transaction.atomic
def register_from_library(
    *,
    actor: Any,
    deployment: Deployment,
    hazards: Iterable[Hazard],
    owner_party: Party | None,
) -> list[Risk]:
    """New unassessed risks from library hazards, their typical controls planned.

    Hazards already in the register (by library origin) are skipped.
    """
    require(actor, deployment, *EDIT_ROLES)
    check_party(deployment, owner_party, "owner_party")
    hazards = list(hazards)
    if not hazards:
        raise ValidationError({"hazards": _("Pick at least one hazard.")})
    present = set(
        Risk.objects.filter(deployment=deployment, source_hazard__isnull=False)
        .exclude(status=S.CLOSED)
        .values_list("source_hazard_id", flat=True)
    )
    created = []
    for hazard in hazards:
        if hazard.pk in present:
            continue
        created.append(
            risk_create(
                actor=actor,
                deployment=deployment,
                title=hazard.name,
                hazard=pick({"nl": hazard.description_nl, "en": hazard.description_en})
                or hazard.name,
                cause=pick(hazard.typical_cause),
                consequence=pick(hazard.typical_consequence),
                category=hazard.category,
                owner_party=owner_party,
                source_hazard=hazard,
                controls=[
                    {
                        "description": pick(c),
                        "kind": c.get("kind", Control.Kind.ADMINISTRATE),
                        "owner_party": owner_party,
                    }
                    for c in hazard.typical_controls
                ],
            )
        )
    return created


def _party_map(source: Deployment, target: Deployment) -> dict[int, Party]:
    """Map each party of the earlier deployment to one of the new (same
    organisation, else same party role)."""
    by_org = {p.organisation_id: p for p in target.party_list}
    by_role = {p.role: p for p in target.party_list}
    mapping: dict[int, Party] = {}
    for party in source.party_list:
        match = by_org.get(party.organisation_id) or by_role.get(party.role)
        if match is not None:
            mapping[party.pk] = match
    return mapping


@transaction.atomic
def register_copy(
    *,
    actor: Any,
    deployment: Deployment,
    source: Deployment,
    owner_party: Party | None,
    risks: Iterable[Risk] | None = None,
    skip: Iterable[Risk] = (),
) -> list[Risk]:
    """Copy risks and controls of an earlier register as new, unassessed items.

    ``skip``: risks of the earlier register to leave out (those already here)."""
    require(actor, deployment, *EDIT_ROLES)
    check_party(deployment, owner_party, "owner_party")
    if source.pk == deployment.pk:
        raise ValidationError({"source": _("Choose another deployment to copy from.")})
    chosen = (
        list(risks)
        if risks is not None
        else list(
            Risk.objects.filter(deployment=source)
            .select_related("category")
            .prefetch_related("controls")
        )
    )
    skipped = {r.pk for r in skip}
    chosen = [r for r in chosen if r.pk not in skipped]
    if not chosen:
        raise ValidationError({"source": _("That register has no risks to copy.")})
    mapping = _party_map(source, deployment)
    created = []
    for old in chosen:
        if old.deployment_id != source.pk:
            raise ValidationError({"risks": _("Pick risks of the chosen register.")})
        created.append(
            risk_create(
                actor=actor,
                deployment=deployment,
                title=old.title,
                hazard=old.hazard,
                cause=old.cause,
                consequence=old.consequence,
                category=old.category,
                activity=old.activity,
                phases=old.phases,
                owner_party=mapping.get(old.owner_party_id, owner_party),
                source_hazard=old.source_hazard,
                copied_from=old,
                controls=[
                    {
                        "description": c.description,
                        "kind": c.kind,
                        "owner_party": mapping.get(c.owner_party_id, owner_party),
                    }
                    for c in old.controls.all()
                ],
            )
        )
    return created
