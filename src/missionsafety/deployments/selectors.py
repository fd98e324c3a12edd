"""Every read of deployments and parties a user makes."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from missionsafety.core.selectors import get_visible
from missionsafety.deployments.models import Deployment, Party, PhaseChange


def deployment_list(
    *, user: Any, phase: str | None = None, q: str = ""
) -> QuerySet[Deployment]:
    """Deployments the user may see, with their parties, newest first."""
    # No select_related("matrix"): lists do not show it, and joining its JSON
    # columns made sorting a thousand deployments ten times slower on SQLite.
    qs = (
        Deployment.objects.visible_to(user)
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=Party.objects.select_related("organisation"),
            )
        )
        .order_by("-start_date", "name")
    )
    if phase:
        qs = qs.filter(phase=phase)
    if q:
        qs = (
            qs.filter(name__icontains=q)
            | qs.filter(code__icontains=q)
            | qs.filter(theatre__icontains=q)
        )
    return qs


def deployment_get(*, user: Any, pk: Any) -> Deployment:
    """One deployment the user may see, or 404."""
    return get_visible(
        Deployment.objects.select_related("matrix", "predecessor").prefetch_related(
            Prefetch(
                "parties",
                queryset=Party.objects.select_related(
                    "organisation", "point_of_contact"
                ),
            )
        ),
        user,
        pk=pk,
    )


def party_get(*, user: Any, pk: Any) -> Party:
    return get_visible(
        Party.objects.select_related("deployment", "organisation", "point_of_contact"),
        user,
        pk=pk,
    )


def phase_history(*, deployment: Deployment) -> QuerySet[PhaseChange]:
    return deployment.phase_changes.select_related("changed_by").order_by("changed_at")


def field_deployments(*, user: Any, limit: int = 10) -> list[Deployment]:
    """Deployments the user is out on: their organisation is (part of) the
    deployed unit of a deployment that is not closed. Newest first, at most
    ``limit``: the ones whose report forms a phone keeps ready offline."""
    from missionsafety.deployments.models import Phase
    from missionsafety.organisations.scope import current_memberships

    own = {
        org_id
        for m in current_memberships(user)
        for org_id in m.organisation.ancestor_ids
    }
    if not own:
        return []
    return list(
        deployment_list(user=user)
        .exclude(phase=Phase.CLOSED)
        .filter(
            parties__role=Party.PartyRole.DEPLOYED_UNIT,
            parties__organisation_id__in=own,
        )
        .distinct()[:limit]
    )
