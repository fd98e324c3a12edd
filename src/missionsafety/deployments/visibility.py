"""Who sees which deployment, and what they may do in it — decided here, once.

A user sees a deployment when one of their organisations, or an ancestor of it
up to and including the nearest formation (brigade or higher), is a party to
it (see ``missionsafety.organisations.scope``): a company sees what its
battalion and brigade take part in; 43 Mech Brigade does not see what 13 Light
Brigade and Staf CLAS share. Auditors (and superusers) see everything; auditors
change nothing. Everything below a deployment follows the deployment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _

from missionsafety.core.exceptions import NotAllowed
from missionsafety.organisations.scope import (
    WRITING_ROLES,
    current_memberships,
    is_auditor,
    scope_chains,
    sees_everything,
    user_scope_ids,
)

if TYPE_CHECKING:
    from missionsafety.deployments.models import Deployment, Party
    from missionsafety.organisations.models import User


def visible_deployment_ids(user: User) -> models.QuerySet[Any]:
    """A subquery of the ids of deployments the user may see."""
    if sees_everything(user):
        return apps.get_model("deployments", "Deployment").objects.values("id")
    return (
        apps.get_model("deployments", "Party")
        .objects.filter(organisation_id__in=user_scope_ids(user))
        .values("deployment_id")
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
    scopes = scope_chains(user)
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
