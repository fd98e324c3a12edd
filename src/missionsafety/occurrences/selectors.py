"""Every read of occurrences a user makes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Prefetch,
    QuerySet,
    Sum,
)
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property

from missionsafety.core.lookups import Moment
from missionsafety.core.selectors import get_visible
from missionsafety.deployments.visibility import visible_deployment_ids
from missionsafety.occurrences.models import (
    Attachment,
    Occurrence,
    OccurrenceAction,
    OccurrenceCategory,
    OccurrenceMonth,
    PersonInvolved,
)
from missionsafety.occurrences.rules import may_see_personal_data
from missionsafety.organisations.scope import sees_everything


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
        category: int | None
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


# Lists count matching rows only up to this many: beyond it the page says
# "more than 10,000" and older ones are found with the date filters. Counting
# a million rows on every page would cost more than the page itself.
COUNT_CAP = 10_000
# Up to this many rows, sorting what the deployment indexes give is cheap.
SORT_LIMIT = 2_000
# From this many rows down, a page first finds its ids, then reads its rows.
DEEP_OFFSET = 1_000


class CappedPaginator(Paginator):
    """A paginator whose count stops at ``cap`` (``more`` tells it did)."""

    cap = COUNT_CAP
    object_list: QuerySet[Any]  # always a queryset here

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        n = self.object_list.order_by().values("pk")[: self.cap + 1].count()
        self.more = n > self.cap
        return min(n, self.cap)

    more = False
    # Another way to read the same rows, used when there are more than
    # SORT_LIMIT of them (set by occurrence_page).
    by_time: QuerySet[Any] | None = None

    def page(self, number: Any) -> Page[Any]:
        number = self.validate_number(number)
        if self.by_time is not None and self.count > SORT_LIMIT:
            self.object_list = self.by_time
        bottom = (number - 1) * self.per_page
        if bottom < DEEP_OFFSET:
            return super().page(number)
        # Deep down, skip rows in the index alone (it holds the ordering and
        # the id), then read just the rows of the page.
        top = min(bottom + self.per_page, self.count)
        # The rows are read by id alone (they passed the filters already): with
        # the filters, the planner may walk the ordered index instead.
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = self.object_list.model._default_manager.filter(pk__in=ids)
        rows.query.select_related = self.object_list.query.select_related
        by_id = {row.pk: row for row in rows}
        rows_in_order = [by_id[pk] for pk in ids if pk in by_id]
        return self._get_page(rows_in_order, number, self)  # type: ignore[attr-defined]


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def occurrence_list(
    *,
    user: Any,
    deployment: Any = None,
    filters: OccurrenceFilters | None = None,
    by_time: bool = False,
) -> QuerySet[Occurrence]:
    """Occurrences the user may see, newest first; no personal data.

    ``by_time`` states the visibility so that the database reads the rows in
    time order and checks each one's deployment, instead of collecting every
    row of the user's deployments and sorting them: the better plan for a
    page of a long cross-deployment list (see ``occurrence_page``).
    """
    if by_time and deployment is None:
        qs = _visible_by_time(user)
    else:
        qs = Occurrence.objects.visible_to(user)
    qs = qs.select_related("deployment", "unit")
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


def _visible_by_time(user: Any) -> QuerySet[Occurrence]:
    """The rows of ``visible_to`` with a deployment test no index can serve.

    ``deployment_id + 0`` keeps the planner off the deployment indexes, so it
    walks the time index (which carries the deployment) and stops after a page.
    """
    if not getattr(user, "is_authenticated", False):
        return Occurrence.objects.none()
    if sees_everything(user):
        return Occurrence.objects.all()
    return Occurrence.objects.alias(
        deployment_scan=ExpressionWrapper(
            F("deployment_id") + 0, output_field=IntegerField()
        )
    ).filter(deployment_scan__in=visible_deployment_ids(user))


def occurrence_page(
    *,
    user: Any,
    deployment: Any = None,
    filters: OccurrenceFilters | None = None,
    page: Any = None,
    per_page: int = 50,
) -> Page[Any]:
    """One page of an occurrence list, counted up to ``COUNT_CAP``.

    Across deployments, a user whose deployments hold few matching rows gets
    them through the deployment indexes (cheap to sort); with more than
    ``SORT_LIMIT`` the page is read in time order instead.
    """
    paginator = CappedPaginator(
        occurrence_list(user=user, deployment=deployment, filters=filters), per_page
    )
    if deployment is None and not sees_everything(user):
        paginator.by_time = occurrence_list(user=user, filters=filters, by_time=True)
    return paginator.get_page(page)


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
    """Counts per month and kind over the last months, plus serious ones (1 query).

    Reads the monthly counts the services keep (``OccurrenceMonth``), so the
    cost does not grow with the number of occurrences.
    """
    today = timezone.localdate()
    first = today.replace(day=1)
    for _i in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    qs = OccurrenceMonth.objects.visible_to(user).filter(month__gte=first)
    if deployment is not None:
        qs = qs.filter(deployment=deployment)
    rows = (
        qs.values("month", "kind")
        .annotate(n=Sum("total"), serious=Sum("serious"))
        .order_by()
    )
    month_keys = []
    cursor = first
    for _i in range(months):
        month_keys.append(cursor)
        cursor = (cursor + datetime.timedelta(days=32)).replace(day=1)
    counts: dict[tuple[datetime.date, str], int] = {}
    serious = 0
    for row in rows:
        counts[(row["month"], row["kind"])] = row["n"]
        serious += row["serious"]
    kinds = list(Occurrence.Kind.choices)
    table: list[dict[str, Any]] = []
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
        "serious": serious,
    }


CATEGORY_COLOURS = ("#7f7f7f", "#3d6b47", "#c9a227", "#b55d1c", "#9b2226")


def occurrences_per_month_and_category(
    *, user: Any, deployment: Any = None, months: int = 6
) -> dict[str, Any]:
    """Occurrences per month and actual category over the last months, as a
    stacked chart with its table (one grouped query, whatever the number)."""
    from django.db.models.functions import TruncMonth
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from missionsafety.core.charts import Series, StackedChart

    today = timezone.localdate()
    first = today.replace(day=1)
    for _i in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    month_keys = [first]
    for _i in range(months - 1):
        month_keys.append((month_keys[-1] + datetime.timedelta(days=32)).replace(day=1))
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time()))
    qs = Occurrence.objects.visible_to(user).filter(occurred_at__gte=Moment(start))
    if deployment is not None:
        qs = qs.filter(deployment=deployment)
    counts: dict[tuple[datetime.date, int], int] = {}
    for month, category, n in (
        qs.annotate(month=TruncMonth("occurred_at"))
        .values_list("month", "actual_category")
        .annotate(n=Count("id"))
        .order_by()
    ):
        # An aware month start comes back in UTC: its local date is the 1st.
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month) if timezone.is_aware(month) else month
            month = month.date()
        day = month
        counts[(day, category)] = counts.get((day, category), 0) + n
    numbers = sorted({category for _month, category in counts})
    chart = StackedChart(
        title=_("Occurrences per month and category"),
        periods=[date_format(m, "F Y") for m in month_keys],
        short=[date_format(m, "M y") for m in month_keys],
        series=[
            Series(
                label=_("category %(n)s") % {"n": n},
                values=[counts.get((m, n), 0) for m in month_keys],
                colour=CATEGORY_COLOURS[n] if n < len(CATEGORY_COLOURS) else "",
            )
            for n in numbers
        ],
    )
    return chart.as_context()
