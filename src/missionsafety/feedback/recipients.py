"""Who should hear about what: small, documented helpers for notifications."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from missionsafety.organisations.models import Membership, Organisation, User


def members(
    organisation_ids: Iterable[int], roles: Iterable[str] = ("commander",)
) -> list[User]:
    """Active people with a current membership in those organisations and roles."""
    return list(
        User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.current()
            .filter(organisation_id__in=list(organisation_ids), role__in=list(roles))
            .values("user_id"),
        )
    )


def party_people(party: Any) -> list[User]:
    """Those who answer for a party: its safety officers, commanders and contact."""
    people = members([party.organisation_id], ("safety_officer", "commander"))
    if party.point_of_contact_id and party.point_of_contact.is_active:
        people.append(party.point_of_contact)
    return people


def deployment_safety_officers(
    deployment: Any, party_roles: Iterable[str] | None = None
) -> list[User]:
    """Safety officers of every party to the deployment, or of the parties in
    those party roles (e.g. the parent brigade and the operational command)."""
    roles = None if party_roles is None else set(party_roles)
    return members(
        [
            p.organisation_id
            for p in deployment.parties.all()
            if roles is None or p.role in roles
        ],
        ("safety_officer",),
    )


def deciding_commanders(risk: Any) -> list[User]:
    """The commanders who may decide on the risk's residual level, today.

    1. The chain follows the deployment's phase: deployed and redeployment
       phases use the operational chain, all others the army chain
       (``deployments.models.OPERATIONAL_PHASES``).
    2. The acceptance rule of the deployment's matrix for the risk's residual
       level and that chain gives the minimum echelon of the commander
       (``risks.models.AcceptanceRule.min_echelon``).
    3. Among the organisations taking part in the deployment, the one(s) with
       the *lowest* echelon at or above that minimum decide — the right level,
       not everyone above it. When no party is high enough (e.g. the Chief of
       Defence for EH in the operational chain), the nearest organisation above
       the parties that is high enough decides.
    4. Recipients are that organisation's current commanders (acting ones
       included, by their validity window).

    Without a matrix, rule or residual level, nobody is returned: there is no
    decision to route yet.
    """
    from missionsafety.deployments.models import OPERATIONAL_PHASES
    from missionsafety.risks.models import AcceptanceRule

    deployment = risk.deployment
    if not risk.residual_level or deployment.matrix_id is None:
        return []
    chain = (
        AcceptanceRule.Chain.OPERATIONAL
        if deployment.phase in OPERATIONAL_PHASES
        else AcceptanceRule.Chain.ARMY
    )
    rule = AcceptanceRule.objects.filter(
        matrix_id=deployment.matrix_id, level=risk.residual_level, chain=chain
    ).first()
    if rule is None:
        return []
    parties = list(deployment.parties.select_related("organisation"))
    qualifying = [
        p.organisation for p in parties if p.organisation.echelon >= rule.min_echelon
    ]
    if not qualifying:
        ancestor_ids = {i for p in parties for i in p.organisation.ancestor_ids}
        qualifying = list(
            Organisation.objects.filter(
                pk__in=ancestor_ids, echelon__gte=rule.min_echelon
            )
        )
    if not qualifying:
        return []
    lowest = min(o.echelon for o in qualifying)
    return members([o.pk for o in qualifying if o.echelon == lowest], ("commander",))


def risk_owner_and_acceptor(risk: Any) -> list[User]:
    """The risk's owner and the commander who accepted it (if any)."""
    people = []
    if risk.owner_id:
        people.append(risk.owner)
    decision = risk.accepted_decision
    if decision is not None and decision.decided_by_id:
        people.append(decision.decided_by)
    return [p for p in people if p.is_active]
