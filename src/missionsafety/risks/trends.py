"""Trend charts of the register, drawn on the server as SVG, each with its table.

Acceptances expiring per week: the accepted and monitored risks whose acceptance
runs out in each of the coming weeks, and those already expired.

Open risks per residual level and overdue controls per party, at the end of
each of the last weeks: each deployment's history is derived from what the
register keeps and kept until the deployment changes (``risks.history``); a
chart adds up the histories of the deployments in view.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from missionsafety.core.charts import Series, StackedChart
from missionsafety.deployments.models import Deployment
from missionsafety.organisations.models import Organisation
from missionsafety.risks import history

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


def expiring_per_week(
    *,
    user: Any,
    deployment: Any = None,
    today: datetime.date | None = None,
    kept: list[history.History] | None = None,
) -> dict[str, Any]:
    """Acceptances running out per week for the coming weeks, and expired ones."""
    today = today or timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    if kept is None:
        kept = history.histories(_in_view(user, deployment), today)
    counts = history.summed(kept, "expiring").get("all") or [0] * (WEEKS + 1)
    expired, weeks = counts[0], counts[1:]
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


# Levels of the shipped matrices, lowest first; other codes follow by name.
LEVEL_ORDER = ("L", "M", "H", "EH")
LEVEL_COLOURS = {"L": "#3d6b47", "M": "#c9a227", "H": "#b55d1c", "EH": "#9b2226"}


def _period_labels(points: list[datetime.date]) -> tuple[list[str], list[str]]:
    long = [
        _("week ending %(date)s") % {"date": date_format(d, "j M Y")} for d in points
    ]
    return long, [date_format(d, "j/n") for d in points]


def _in_view(user: Any, deployment: Any) -> Any:
    """The deployments a chart covers: one, or every one the user sees."""
    if deployment is not None:
        return [deployment.pk]
    return Deployment.objects.visible_to(user).values("pk")


def _level_key(code: str) -> tuple[int, str]:
    if code in LEVEL_ORDER:
        return (LEVEL_ORDER.index(code), code)
    return (len(LEVEL_ORDER), code)


def open_risks_per_level(
    *,
    user: Any,
    deployment: Any = None,
    today: datetime.date | None = None,
    kept: list[history.History] | None = None,
) -> dict[str, Any]:
    """How many risks were open at the end of each past week, per the residual
    level of their last assessment by then (not yet assessed in its own part)."""
    points = history.history_points(today)
    if kept is None:
        kept = history.histories(_in_view(user, deployment), today)
    counts = history.summed(kept, "levels")
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


def overdue_controls_per_party(
    *,
    user: Any,
    deployment: Any = None,
    today: datetime.date | None = None,
    kept: list[history.History] | None = None,
) -> dict[str, Any]:
    """How many controls were overdue at the end of each past week (open and
    past their due date then), per the party that owns them now."""
    points = history.history_points(today)
    if kept is None:
        kept = history.histories(_in_view(user, deployment), today)
    per_owner = history.summed(kept, "owners")
    names = dict(
        Organisation.objects.filter(pk__in=[int(k) for k in per_owner]).values_list(
            "pk", "short_name"
        )
    )
    counts: dict[str, list[int]] = {}
    for owner, values in per_owner.items():
        into = counts.setdefault(names.get(int(owner), "?"), [0] * len(values))
        for i, n in enumerate(values):
            into[i] += n
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
    kept = history.histories(_in_view(request.user, obj))
    return {
        "charts": [
            open_risks_per_level(user=request.user, deployment=obj, kept=kept),
            expiring_per_week(user=request.user, deployment=obj, kept=kept),
            overdue_controls_per_party(user=request.user, deployment=obj, kept=kept),
        ]
    }


def briefing_trend_panel(request: Any, obj: Any) -> dict[str, Any]:
    """The trends the risk picture lists: acceptances expiring, overdue
    controls per party (the occurrence trend is the occurrences app's part)."""
    kept = history.histories(_in_view(request.user, obj))
    return {
        "charts": [
            expiring_per_week(user=request.user, deployment=obj, kept=kept),
            overdue_controls_per_party(user=request.user, deployment=obj, kept=kept),
        ]
    }
