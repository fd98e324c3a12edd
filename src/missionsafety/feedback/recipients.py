"""Who should hear about what: small, documented helpers for notifications."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from missionsafety.organisations.models import Membership, User


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
    """The commanders who may decide on the risk's residual level, today: of
    those on the deployed unit's line of command that the rule allows
    (``risks.authority.holder_memberships``, the one rule), the ones at the
    lowest echelon — the right level, not everyone above it. Acting
    commanders count inside their validity window. Without a rule or residual
    level nobody: there is no decision to route yet."""
    from missionsafety.risks import authority

    requirement = authority.requirement_for(risk)
    if requirement is None:
        return []
    held = authority.holder_memberships(requirement, risk.deployment)
    if not held:
        return []
    lowest = held[0].organisation.echelon
    return [m.user for m in held if m.organisation.echelon == lowest]


def risk_owner_and_acceptor(risk: Any) -> list[User]:
    """The risk's owner and the commander who accepted it (if any)."""
    people = []
    if risk.owner_id:
        people.append(risk.owner)
    decision = risk.accepted_decision
    if decision is not None and decision.decided_by_id:
        people.append(decision.decided_by)
    return [p for p in people if p.is_active]
