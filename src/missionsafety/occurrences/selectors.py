"""Every read of occurrences a user makes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from missionsafety.core.selectors import get_visible
from missionsafety.occurrences.models import (
    SERIOUS_CATEGORY,
    Attachment,
    Occurrence,
    OccurrenceAction,
    OccurrenceCategory,
    PersonInvolved,
)
from missionsafety.occurrences.rules import may_see_personal_data


@dataclass
class OccurrenceFilters:
    """Filters of the occurrence lists, read from GET parameters or the API."""

    kind: str = ""
    category: int | None = None
    status: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    ammunition: bool | None = None

    @classmethod
    def from_params(cls, params: Any) -> OccurrenceFilters:
        def date(name: str) -> datetime.date | None:
            try:
                return datetime.date.fromisoformat(params.get(name) or "")
            except ValueError:
                return None

        kind = params.get("kind") or ""
        status = params.get("status") or ""
        try:
            category = int(params.get("category"))
            if not 0 <= category <= 4:
                category = None
        except (TypeError, ValueError):
            category = None
        ammo = params.get("ammunition")
        return cls(
            kind=kind if kind in Occurrence.Kind.values else "",
            category=category,
            status=status if status in Occurrence.Status.values else "",
            date_from=date("date_from"),
            date_to=date("date_to"),
            ammunition={"yes": True, "no": False}.get(ammo or ""),
        )

    @property
    def active(self) -> bool:
        return any(
            v not in ("", None)
            for v in (
                self.kind,
                self.category,
                self.status,
                self.date_from,
                self.date_to,
                self.ammunition,
            )
        )


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def occurrence_list(
    *,
    user: Any,
    deployment: Any = None,
    filters: OccurrenceFilters | None = None,
) -> QuerySet[Occurrence]:
    """Occurrences the user may see, newest first; no personal data."""
    qs = Occurrence.objects.visible_to(user).select_related("deployment", "unit")
    if deployment is not None:
        qs = qs.filter(deployment=deployment)
    f = filters or OccurrenceFilters()
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.category is not None:
        qs = qs.filter(actual_category=f.category)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.date_from:
        qs = qs.filter(occurred_at__gte=_day_start(f.date_from))
    if f.date_to:
        qs = qs.filter(
            occurred_at__lt=_day_start(f.date_to + datetime.timedelta(days=1))
        )
    if f.ammunition is not None:
        qs = qs.filter(ammunition_involved=f.ammunition)
    return qs.order_by("-occurred_at", "-id")


def occurrence_get(*, user: Any, pk: Any) -> Occurrence:
    """One occurrence the user may see, with what its page shows, or 404."""
    return get_visible(
        Occurrence.objects.select_related(
            "deployment", "deployment__matrix", "unit", "reported_by"
        ).prefetch_related(
            "risks",
            Prefetch(
                "actions", queryset=OccurrenceAction.objects.select_related("owner")
            ),
            "attachments",
        ),
        user,
        pk=pk,
    )


def persons_for(*, user: Any, occurrence: Occurrence) -> list[PersonInvolved] | None:
    """The people involved, or None when the user may not see personal data."""
    if not may_see_personal_data(user, occurrence):
        return None
    return list(occurrence.persons.all())


def person_get(*, user: Any, pk: Any) -> PersonInvolved:
    person = get_visible(
        PersonInvolved.objects.select_related("occurrence", "occurrence__unit"),
        user,
        pk=pk,
    )
    if not may_see_personal_data(user, person.occurrence):
        raise Http404
    return person


def attachment_get(*, user: Any, pk: Any) -> Attachment:
    """An attachment of an occurrence the user may see, or 404."""
    return get_visible(Attachment.objects.select_related("occurrence"), user, pk=pk)


def action_get(*, user: Any, pk: Any) -> OccurrenceAction:
    return get_visible(
        OccurrenceAction.objects.select_related("occurrence", "deployment"),
        user,
        pk=pk,
    )


def categories() -> list[OccurrenceCategory]:
    return list(OccurrenceCategory.objects.order_by("number"))


def occurrence_trend(
    *, user: Any, deployment: Any = None, months: int = 6
) -> dict[str, Any]:
    """Counts per month and kind over the last months, plus serious ones (1 query)."""
    today = timezone.localdate()
    first = today.replace(day=1)
    for _i in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    qs = Occurrence.objects.visible_to(user).filter(occurred_at__gte=_day_start(first))
    if deployment is not None:
        qs = qs.filter(deployment=deployment)
    rows = (
        qs.annotate(month=TruncMonth("occurred_at"))
        .values("month", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    month_keys = []
    cursor = first
    for _i in range(months):
        month_keys.append(cursor)
        cursor = (cursor + datetime.timedelta(days=32)).replace(day=1)
    counts: dict[tuple[datetime.date, str], int] = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = (
                timezone.localtime(month).date()
                if timezone.is_aware(month)
                else month.date()
            )
        counts[(month.replace(day=1), row["kind"])] = row["n"]
    kinds = list(Occurrence.Kind.choices)
    table = []
    peak = 1
    for month in month_keys:
        cells = [counts.get((month, k), 0) for k, _label in kinds]
        total = sum(cells)
        peak = max(peak, total)
        table.append({"month": month, "cells": cells, "total": total})
    for row in table:
        row["width"] = round(100 * row["total"] / peak)
    return {
        "kinds": kinds,
        "rows": table,
        "total": sum(r["total"] for r in table),
        "serious": qs.filter(
            Q(actual_category__gte=SERIOUS_CATEGORY)
            | Q(potential_category__gte=SERIOUS_CATEGORY)
        ).count(),
    }
