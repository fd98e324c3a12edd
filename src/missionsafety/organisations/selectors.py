"""Reads of organisations and people."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from missionsafety.core.selectors import get_visible
from missionsafety.organisations.models import Membership, Organisation


def organisation_tree(
    *, user: Any, include_archived: bool = False
) -> QuerySet[Organisation]:
    """All organisations in tree order (the path sorts parents before children)."""
    qs = Organisation.objects.visible_to(user)
    if not include_archived:
        qs = qs.active()
    return qs.annotate(
        member_count=Count("memberships", filter=Q(memberships__user__is_active=True))
    ).order_by("path")


def organisation_get(*, user: Any, pk: Any) -> Organisation:
    return get_visible(Organisation.objects.select_related("parent"), user, pk=pk)


def organisation_members(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.current()
        .filter(organisation=organisation, user__is_active=True)
        .select_related("user")
        .order_by("role", "user__last_name")
    )
