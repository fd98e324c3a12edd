"""Monthly occurrence counts kept beside the occurrences, and their rebuild."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

from missionsafety.occurrences.models import (
    SERIOUS_CATEGORY,
    Occurrence,
    OccurrenceMonth,
    month_of,
)


def _bucket(occurrence: Occurrence) -> tuple[int, datetime.date, str, bool]:
    """Where an occurrence counts in the monthly trend."""
    return (
        occurrence.deployment_id,
        month_of(occurrence.occurred_at),
        occurrence.kind,
        occurrence.is_serious,
    )


def _count_in(bucket: tuple[int, datetime.date, str, bool], step: int) -> None:
    """Add ``step`` (1 or -1) to a monthly count, creating it when missing."""
    deployment_id, month, kind, serious = bucket
    changes = {"total": F("total") + step}
    if serious:
        changes["serious"] = F("serious") + step
    rows = OccurrenceMonth.objects.filter(
        deployment_id=deployment_id, month=month, kind=kind
    )
    if rows.update(**changes) or step < 0:
        return
    try:
        with transaction.atomic():
            OccurrenceMonth.objects.create(
                deployment_id=deployment_id,
                month=month,
                kind=kind,
                total=1,
                serious=int(serious),
            )
    except IntegrityError:  # created meanwhile by a concurrent report
        rows.update(**changes)


def _recount(
    before: tuple[int, datetime.date, str, bool], occurrence: Occurrence
) -> None:
    after = _bucket(occurrence)
    if after != before:
        _count_in(before, -1)
        _count_in(after, 1)


def rebuild_month_counts(
    *,
    deployment_ids: Iterable[int] | None = None,
    occurrence_model: Any = Occurrence,
    month_model: Any = OccurrenceMonth,
) -> int:
    """Recount the monthly trend from the occurrences (all, or some deployments).

    For imported or bulk-created occurrences, which bypass the services (a
    migration passes its historical models). Returns the number of rows written.
    """
    occurrences = occurrence_model._base_manager.all()
    months = month_model._base_manager.all()
    if deployment_ids is not None:
        ids = sorted(set(deployment_ids))
        occurrences = occurrences.filter(deployment_id__in=ids)
        months = months.filter(deployment_id__in=ids)
    serious = Q(actual_category__gte=SERIOUS_CATEGORY) | Q(
        potential_category__gte=SERIOUS_CATEGORY
    )
    merged: dict[tuple[int, datetime.date, str], list[int]] = {}
    rows = (
        occurrences.annotate(month=TruncMonth("occurred_at"))
        .values("deployment_id", "month", "kind")
        .annotate(total=Count("id"), serious=Count("id", filter=serious))
        .order_by()
    )
    for row in rows.iterator():
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month_of(month)
        key = (row["deployment_id"], month, row["kind"])
        counts = merged.setdefault(key, [0, 0])
        counts[0] += row["total"]
        counts[1] += row["serious"]
    with transaction.atomic():
        months.delete()
        month_model._base_manager.bulk_create(
            [
                month_model(
                    deployment_id=dep, month=month, kind=kind, total=t, serious=n
                )
                for (dep, month, kind), (t, n) in merged.items()
            ],
            batch_size=2000,
        )
    return len(merged)
