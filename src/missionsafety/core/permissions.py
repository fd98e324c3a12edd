"""Who sees what and who may change what — decided here, once.

A user sees a deployment when one of their organisations, or an ancestor of it
up to and including the nearest formation (brigade or higher), is a party to
it. The climb stops at the formation so that a party such as Staf CLAS does
not open every deployment to every brigade below it: a company sees what its
battalion and brigade take part in; 43 Mech Brigade does not see what 13 Light
Brigade and Staf CLAS share. Auditors (and superusers) see everything; auditors
change nothing. Everything below a deployment follows the deployment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext as _

from missionsafety.core.exceptions import NotAllowed

if TYPE_CHECKING:
    from missionsafety.deployments.models import Deployment, Party
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

        cached = list(
            Membership.objects.current()
            .filter(user_id=user.pk)
            .select_related("organisation")
        )
        setattr(user, _CACHE, cached)
    return cached


def forget_memberships(user: User) -> None:
    for attr in (_CACHE, _SCOPE_CACHE, "_missionsafety_party_chains"):
        if hasattr(user, attr):
            delattr(user, attr)


def _scopes(user: User) -> dict[int, list[int]]:
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
    for chain in _scopes(user).values():
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


def visible_deployment_ids(user: User) -> models.QuerySet[Any]:
    """A subquery of the ids of deployments the user may see."""
    from missionsafety.deployments.models import Deployment, Party

    if sees_everything(user):
        return Deployment.objects.values("id")
    return Party.objects.filter(organisation_id__in=user_scope_ids(user)).values(
        "deployment_id"
    )


class DeploymentScopedQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Rows that belong to a deployment and are visible with it."""

    deployment_field = "deployment"

    def visible_to(self, user: User) -> DeploymentScopedQuerySet:
        """Rows of deployments where one of the user's organisations is a party."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if sees_everything(user):
            return self
        lookup = f"{self.deployment_field}_id__in"
        return self.filter(**{lookup: visible_deployment_ids(user)})


def acting_parties(user: User, deployment: Deployment) -> list[Party]:
    """Parties of the deployment the user acts for (their org or one above it)."""
    scope = user_scope_ids(user)
    return [p for p in deployment.party_list if p.organisation_id in scope]


def roles_in(user: User, deployment: Deployment) -> set[str]:
    """Roles the user holds in organisations that take part in the deployment."""
    if getattr(user, "is_superuser", False):
        return set(WRITING_ROLES)
    if is_auditor(user):
        return {"auditor"}
    party_orgs = {p.organisation_id for p in deployment.party_list}
    scopes = _scopes(user)
    roles: set[str] = set()
    for membership in current_memberships(user):
        if party_orgs.intersection(scopes.get(membership.organisation_id, [])):
            roles.add(membership.role)
    return roles


def can(user: User, deployment: Deployment, *roles: str) -> bool:
    """Whether the user holds any of the roles in the deployment (admins do)."""
    held = roles_in(user, deployment)
    if "auditor" in held and not getattr(user, "is_superuser", False):
        return False
    return bool(held.intersection({*roles, "administrator"}))


def require(user: User, deployment: Deployment, *roles: str) -> None:
    """Refuse the change unless the user holds one of the roles."""
    if not can(user, deployment, *roles):
        from missionsafety.organisations.models import Role

        labels = ", ".join(str(Role(r).label) for r in roles)
        raise NotAllowed(
            _("This needs one of these roles in a party to the deployment: %(roles)s.")
            % {"roles": labels},
            roles=list(roles),
        )


def require_writer(user: User) -> None:
    if is_read_only(user):
        raise NotAllowed(_("Your role lets you read, not change."))
