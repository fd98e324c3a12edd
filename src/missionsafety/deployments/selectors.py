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
