"""Trend charts of the register, drawn on the server as SVG, each with its table.

Acceptances expiring per week: the accepted and monitored risks whose acceptance
runs out in each of the coming weeks, and those already expired (one grouped
query, whatever the number of risks).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, Count, DateField, F, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from missionsafety.risks.models import Risk

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
    }


def trend_panel(request: Any, obj: Any) -> dict[str, Any]:
    """The trend charts of a deployment (obj) or of every visible one (None)."""
    return {"charts": [expiring_per_week(user=request.user, deployment=obj)]}
