"""An organisation's scope: whose memberships count today and how far up they reach.

A user acts for their organisations and for the ancestors of each up to and
including the nearest formation (brigade or higher). The climb stops at the
formation so that a party such as Staf CLAS does not open every deployment to
every brigade below it. Auditors (and superusers) see everything; auditors
change nothing. Who sees which deployment follows from this scope
(``missionsafety.deployments.visibility``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.core.exceptions import NotAllowed

if TYPE_CHECKING:
    from missionsafety.organisations.models import Membership, User

_CACHE = "_missionsafety_memberships"
_SCOPE_CACHE = "_missionsafety_scope"
FORMATION_ECHELON = 50  # Organisation.Echelon.BRIGADE

# Roles that may write anything at all; auditors and viewers may not.
WRITING_ROLES = {
    "contributor",
    "safety_officer",
    "lessons_officer",
    "commander",
    "administrator",
}


def current_memberships(user: User) -> list[Membership]:
    """The user's memberships valid today, cached on the user for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE, None)
    if cached is None:
        from missionsafety.organisations.models import Membership

        # Read on every request: a person's few memberships, past ones too,
        # sorted and sifted here (the date test and the ordering in SQL cost
        # more to build than the rows do to read).
        today = timezone.localdate()
        rows = Membership.objects.filter(user_id=user.pk).select_related("organisation")
        cached = sorted(
            (m for m in rows.order_by() if m.valid_on(today)),
            key=lambda m: (m.organisation.path, m.role),
        )
        setattr(user, _CACHE, cached)
    return cached


def forget_memberships(user: User) -> None:
    for attr in (_CACHE, _SCOPE_CACHE, "_missionsafety_party_chains"):
        if hasattr(user, attr):
            delattr(user, attr)


def scope_chains(user: User) -> dict[int, list[int]]:
    """For each of the user's organisations: it and its ancestors up to the
    nearest formation (brigade echelon or higher), nearest first."""
    cached = getattr(user, _SCOPE_CACHE, None)
    if cached is not None:
        return cached
    from missionsafety.organisations.models import Organisation

    memberships = current_memberships(user)
    ancestor_ids = {i for m in memberships for i in m.organisation.ancestor_ids}
    echelons = dict(
        Organisation.objects.filter(pk__in=ancestor_ids).values_list("pk", "echelon")
    )
    scopes: dict[int, list[int]] = {}
    for membership in memberships:
        chain: list[int] = []
        for org_id in reversed(membership.organisation.ancestor_ids):
            chain.append(org_id)
            if echelons.get(org_id, 0) >= FORMATION_ECHELON:
                break
        scopes[membership.organisation_id] = chain
    setattr(user, _SCOPE_CACHE, scopes)
    return scopes


def user_organisation_ids(user: User) -> set[int]:
    """Organisations the user belongs to today."""
    return {m.organisation_id for m in current_memberships(user)}


def user_scope_ids(user: User) -> set[int]:
    """The user's organisations and their ancestors up to the nearest formation."""
    ids: set[int] = set()
    for chain in scope_chains(user).values():
        ids.update(chain)
    return ids


def is_auditor(user: User) -> bool:
    return any(m.role == "auditor" for m in current_memberships(user))


def sees_everything(user: User) -> bool:
    return bool(getattr(user, "is_superuser", False)) or is_auditor(user)


def is_read_only(user: User) -> bool:
    """Auditors read everything and write nothing, whatever else they hold."""
    if getattr(user, "is_superuser", False):
        return False
    return is_auditor(user) or not any(
        m.role in WRITING_ROLES for m in current_memberships(user)
    )


def require_writer(user: User) -> None:
    if is_read_only(user):
        raise NotAllowed(_("Your role lets you read, not change."))
