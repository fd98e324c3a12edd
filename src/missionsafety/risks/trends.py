"""Trend charts of the register, drawn on the server as SVG, each with its table.

Acceptances expiring per week: the accepted and monitored risks whose acceptance
runs out in each of the coming weeks, and those already expired (one grouped
query, whatever the number of risks).

Open risks per residual level and overdue controls per party, at the end of
each of the last weeks: the past is derived from what the register keeps (see
docs/staff-desk.md, "Trends"), in a fixed number of queries whatever the number
of weeks: the risks, their assessments (dated, never edited), the change
records that closed a risk, the controls and the change records of their
status.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, DateField, F, QuerySet, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from missionsafety.audit.models import ChangeRecord
from missionsafety.core.charts import Series, StackedChart
from missionsafety.risks.models import Assessment, Control, Risk

S = Risk.Status
WEEKS = 8
BAR_W, BAR_GAP, CHART_H, LABEL_H = 36, 8, 90, 30


def bar_chart_svg(rows: list[dict[str, Any]], *, label: str) -> SafeString:
    """Vertical bars with their values written above them; the table next to
    the chart carries the same figures for screen readers and printing."""
    peak = max([r["value"] for r in rows] + [1])
    width = len(rows) * (BAR_W + BAR_GAP) + BAR_GAP
    height = CHART_H + LABEL_H
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" aria-hidden="true" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
        f"<title>{escape(label)}</title>"
    ]
    for i, row in enumerate(rows):
        x = BAR_GAP + i * (BAR_W + BAR_GAP)
        h = round((CHART_H - 14) * row["value"] / peak)
        y = CHART_H - h
        fill = "#9b2226" if row.get("alarm") else "#3d6b47"
        parts.append(
            f'<rect x="{x}" y="{y}" width="{BAR_W}" height="{h}" fill="{fill}"/>'
            f'<text x="{x + BAR_W / 2}" y="{y - 3}" text-anchor="middle" '
            f'font-size="11">{row["value"]}</text>'
            f'<text x="{x + BAR_W / 2}" y="{CHART_H + 14}" text-anchor="middle" '
            f'font-size="10">{escape(row["short"])}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def expiring_per_week(*, user: Any, deployment: Any = None) -> dict[str, Any]:
    """Acceptances running out per week for the coming weeks, and expired ones."""
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    horizon = monday + datetime.timedelta(weeks=WEEKS)
    yesterday = today - datetime.timedelta(days=1)
    accepted = Risk.objects.visible_to(user).filter(
        status__in=(S.ACCEPTED, S.MONITORED)
    )
    if deployment is not None:
        accepted = accepted.filter(deployment=deployment)
    # One grouped query: every expired acceptance falls in one bucket (the
    # day before today), so the groups are at most the weeks' days plus one.
    per_day = (
        accepted.filter(acceptance_expires_on__lt=horizon)
        .annotate(
            day=Case(
                When(acceptance_expires_on__lt=today, then=Value(yesterday)),
                default=F("acceptance_expires_on"),
                output_field=DateField(),
            )
        )
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    weeks = [0] * WEEKS
    expired = 0
    for day, n in per_day:
        if day < today:
            expired += n
        else:
            weeks[(day - monday).days // 7] += n
    rows = [
        {"label": _("expired"), "short": _("expired"), "value": expired, "alarm": True}
    ]
    for i, n in enumerate(weeks):
        start = monday + datetime.timedelta(weeks=i)
        rows.append(
            {
                "label": _("week of %(date)s") % {"date": date_format(start, "j M Y")},
                "short": date_format(start, "j/n"),
                "value": n,
            }
        )
    title = _("Acceptances expiring per week")
    return {
        "title": title,
        "rows": rows,
        "total": expired + sum(weeks),
        "svg": bar_chart_svg(rows, label=title),
        "empty": _("No acceptances expire in the coming weeks."),
    }


HISTORY_WEEKS = 8
# Levels of the shipped matrices, lowest first; other codes follow by name.
LEVEL_ORDER = ("L", "M", "H", "EH")
LEVEL_COLOURS = {"L": "#3d6b47", "M": "#c9a227", "H": "#b55d1c", "EH": "#9b2226"}


def history_points(today: datetime.date | None = None) -> list[datetime.date]:
    """The last days of the past weeks, oldest first, ending today."""
    today = today or timezone.localdate()
    return [
        today - datetime.timedelta(weeks=HISTORY_WEEKS - 1 - i)
        for i in range(HISTORY_WEEKS)
    ]


def _end_of(day: datetime.date) -> datetime.datetime:
    """The first moment after a day (local time): "at the end of the day"."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    )


def _period_labels(points: list[datetime.date]) -> tuple[list[str], list[str]]:
    long = [
        _("week ending %(date)s") % {"date": date_format(d, "j M Y")} for d in points
    ]
    return long, [date_format(d, "j/n") for d in points]


def _scoped(qs: QuerySet[Any], user: Any, deployment: Any) -> QuerySet[Any]:
    qs = qs.visible_to(user)  # type: ignore[attr-defined]
    if deployment is not None:
        qs = qs.filter(deployment=deployment)
    return qs


def _records(model: type, risks: QuerySet[Risk], **filters: Any) -> QuerySet[Any]:
    """Change records of a model's rows in the deployments of ``risks``."""
    return ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        deployment_id__in=risks.values("deployment_id"),
        **filters,
    )


def _closed_at(risks: QuerySet[Risk]) -> dict[int, datetime.datetime]:
    """When each closed risk was closed: the change record of the move to
    closed (closing is final), or the risk's last change without one."""
    closed: dict[int, datetime.datetime] = {}
    for object_id, at in _records(Risk, risks, after__status=S.CLOSED).values_list(
        "object_id", "created_at"
    ):
        closed.setdefault(int(object_id), at)
    return closed


def _level_key(code: str) -> tuple[int, str]:
    if code in LEVEL_ORDER:
        return (LEVEL_ORDER.index(code), code)
    return (len(LEVEL_ORDER), code)


def open_risks_per_level(
    *, user: Any, deployment: Any = None, today: datetime.date | None = None
) -> dict[str, Any]:
    """How many risks were open at the end of each past week, per the residual
    level of their last assessment by then (not yet assessed in its own part)."""
    points = history_points(today)
    ends = [_end_of(d) for d in points]
    risks = _scoped(Risk.objects.all(), user, deployment)
    closed = _closed_at(risks)
    born: dict[int, datetime.datetime] = {}
    for pk, created, status, updated in risks.filter(
        created_at__lt=ends[-1]
    ).values_list("pk", "created_at", "status", "updated_at"):
        if status == S.CLOSED and pk not in closed:
            closed[pk] = updated
        born[pk] = created
    # Each risk's level at each point: its last assessment made before it.
    level_at: dict[int, list[str]] = {pk: [""] * len(ends) for pk in born}
    for risk_id, at, level in (
        Assessment.objects.filter(risk__in=risks, assessed_at__lt=ends[-1])
        .order_by("risk_id", "assessed_at", "pk")
        .values_list("risk_id", "assessed_at", "residual_level")
    ):
        levels = level_at.get(risk_id)
        if levels is None:
            continue
        for i, end in enumerate(ends):
            if at < end:
                levels[i] = level
    counts: dict[str, list[int]] = {}
    for pk, created in born.items():
        shut = closed.get(pk)
        for i, end in enumerate(ends):
            if created >= end or (shut is not None and shut < end):
                continue
            counts.setdefault(level_at[pk][i], [0] * len(ends))[i] += 1
    long, short = _period_labels(points)
    series = [
        Series(label=code, values=counts[code], colour=LEVEL_COLOURS.get(code, ""))
        for code in sorted((c for c in counts if c), key=_level_key)
    ]
    if "" in counts:
        series.append(Series(_("not assessed"), counts[""], "#7f7f7f"))
    chart = StackedChart(
        title=_("Open risks per residual level"),
        periods=long,
        short=short,
        series=series,
    )
    return chart.as_context(empty=_("No open risks in these weeks."))


def _status_at(
    changes: list[tuple[datetime.datetime, str | None, str | None]],
    end: datetime.datetime,
) -> str | None:
    """A row's status at a moment from its status changes (oldest first)."""
    current = None
    for at, before, after in changes:
        if at >= end:
            return current if current is not None else before
        current = after
    return current


def overdue_controls_per_party(
    *, user: Any, deployment: Any = None, today: datetime.date | None = None
) -> dict[str, Any]:
    """How many controls were overdue at the end of each past week (open and
    past their due date then), per the party that owns them now."""
    points = history_points(today)
    ends = [_end_of(d) for d in points]
    risks = _scoped(Risk.objects.all(), user, deployment)
    closed = _closed_at(risks)
    controls = list(
        _scoped(Control.objects.all(), user, deployment)
        .filter(due_date__lt=points[-1], created_at__lt=ends[-1])
        .values_list(
            "pk",
            "risk_id",
            "risk__status",
            "risk__updated_at",
            "owner_party__organisation__short_name",
            "due_date",
            "created_at",
            "status",
            "status_changed_at",
        )
    )
    changes: dict[int, list[tuple[datetime.datetime, str | None, str | None]]] = {}
    for object_id, at, before, after in (
        _records(Control, risks, after__has_key="status")
        .order_by("seq")
        .values_list("object_id", "created_at", "before__status", "after__status")
    ):
        changes.setdefault(int(object_id), []).append((at, before, after))
    counts: dict[str, list[int]] = {}
    for row in controls:
        pk, risk_id, risk_status, risk_updated, party, due, created = row[:7]
        status, changed_at = row[7:]
        shut = closed.get(risk_id)
        if shut is None and risk_status == S.CLOSED:
            shut = risk_updated
        for i, end in enumerate(ends):
            if created >= end or due >= points[i]:
                continue
            if shut is not None and shut < end:
                continue
            then = _status_at(changes.get(pk, []), end)
            if then is None:
                # No recorded status change: the current status, which was
                # still open before its last change.
                done_later = changed_at is not None and changed_at >= end
                then = Control.Status.PLANNED if done_later else status
            if then in Control.OPEN_STATUSES:
                counts.setdefault(party, [0] * len(ends))[i] += 1
    long, short = _period_labels(points)
    chart = StackedChart(
        title=_("Overdue controls per party"),
        periods=long,
        short=short,
        series=[Series(label=p, values=counts[p]) for p in sorted(counts)],
    )
    return chart.as_context(empty=_("No overdue controls in these weeks."))


def trend_panel(request: Any, obj: Any) -> dict[str, Any]:
    """The trend charts of a deployment (obj) or of every visible one (None)."""
    return {
        "charts": [
            open_risks_per_level(user=request.user, deployment=obj),
            expiring_per_week(user=request.user, deployment=obj),
            overdue_controls_per_party(user=request.user, deployment=obj),
        ]
    }


def briefing_trend_panel(request: Any, obj: Any) -> dict[str, Any]:
    """The trends the risk picture lists: acceptances expiring, overdue
    controls per party (the occurrence trend is the occurrences app's part)."""
    return {
        "charts": [
            expiring_per_week(user=request.user, deployment=obj),
            overdue_controls_per_party(user=request.user, deployment=obj),
        ]
    }
