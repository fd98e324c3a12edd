"""Who acts for a party: the people of its organisation and of the units below
it up to the next battalion.

A member of a company, platoon or team acts for the battalion (or other unit)
above it when that is the party; a battalion's people do not act for their
brigade, nor a brigade's for the army staff. So the people of 42 BLJ are
people of a 42 BLJ party, never of a 13 LBR party, and a company of the
deployed battalion answers for that battalion.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from missionsafety.organisations.models import Membership, Organisation, User
from missionsafety.organisations.scope import current_memberships

if TYPE_CHECKING:
    from missionsafety.deployments.models import Party

PARTY_ROLES = ("safety_officer", "commander", "contributor")
_CHAINS = "_missionsafety_party_chains"


def _represented(memberships: Iterable[Membership]) -> dict[int, list[int]]:
    """For each membership's organisation: it and the organisations it acts for."""
    memberships = list(memberships)
    ancestor_ids = {i for m in memberships for i in m.organisation.ancestor_ids}
    echelons = dict(
        Organisation.objects.filter(pk__in=ancestor_ids).values_list("pk", "echelon")
    )
    chains: dict[int, list[int]] = {}
    for membership in memberships:
        chain: list[int] = []
        for org_id in reversed(membership.organisation.ancestor_ids):
            chain.append(org_id)
            if echelons.get(org_id, 0) >= Organisation.Echelon.BATTALION:
                break
        chains[membership.organisation_id] = chain
    return chains


def parties_acted_for(
    user: Any, parties: Iterable[Party], roles: Iterable[str] = PARTY_ROLES
) -> list[Party]:
    """Of these parties, those the user acts for in one of the roles."""
    wanted = set(roles)
    memberships = [m for m in current_memberships(user) if m.role in wanted]
    if not memberships:
        return []
    chains = getattr(user, _CHAINS, None)
    if chains is None:
        # Once per request: the page asks this for every row it shows.
        chains = _represented(current_memberships(user))
        setattr(user, _CHAINS, chains)
    reach = {i for m in memberships for i in chains.get(m.organisation_id, [])}
    return [p for p in parties if p.organisation_id in reach]


def acts_for(user: Any, party: Party, roles: Iterable[str] = PARTY_ROLES) -> bool:
    """Whether the user holds one of the roles as one of the party's people."""
    return bool(parties_acted_for(user, [party], roles))


def party_members(
    parties: Iterable[Party],
    roles: Iterable[str] | None = None,
    *,
    with_auditors: bool = False,
) -> list[User]:
    """Active people of these parties (in those roles, or any), by name.

    Auditors read and change nothing, so they are left out unless asked for
    (an inspectorate taking part names its inspector as point of contact).
    """
    parties = list(parties)
    if not parties:
        return []
    from django.db.models import Q

    paths = Q()
    for party in parties:
        paths |= Q(organisation__path__startswith=party.organisation.path)
    query = (
        Membership.objects.current()
        .filter(paths, user__is_active=True)
        .select_related("organisation", "user")
    )
    if not with_auditors:
        query = query.exclude(role="auditor")
    if roles is not None:
        query = query.filter(role__in=list(roles))
    memberships = list(query)
    chains = _represented(memberships)
    wanted = {p.organisation_id for p in parties}
    users = {
        m.user_id: m.user
        for m in memberships
        if wanted.intersection(chains.get(m.organisation_id, []))
    }
    return sorted(users.values(), key=lambda u: (u.last_name, u.first_name, u.username))


def party_member_ids(
    parties: Iterable[Party],
    roles: Iterable[str] | None = None,
    *,
    with_auditors: bool = False,
) -> list[int]:
    return [u.pk for u in party_members(parties, roles, with_auditors=with_auditors)]
