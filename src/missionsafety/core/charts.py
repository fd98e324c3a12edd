"""Charts drawn on the server as SVG, without any script.

A chart never stands alone: the page puts the same figures in a table next to it
for screen readers and printing, so the drawing is ``aria-hidden``. Values are
written on the bars, so that the chart is readable without colour too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_W, BAR_GAP, CHART_H, LABEL_H, LEGEND_H = 36, 8, 110, 30, 18
# Distinguishable in colour and, with the values written on each part, in grey.
PALETTE = (
    "#3d6b47",
    "#c9a227",
    "#b55d1c",
    "#9b2226",
    "#2f5d8a",
    "#6d597a",
    "#7f7f7f",
    "#1b998b",
)


@dataclass
class Series:
    """One stacked part of every bar: its name, colour and a value per bar."""

    label: str
    values: list[int]
    colour: str = ""


@dataclass
class StackedChart:
    """Bars (one per period) made of the parts of each series."""

    title: str
    periods: list[str]
    short: list[str]
    series: list[Series] = field(default_factory=list)

    @property
    def totals(self) -> list[int]:
        return [sum(s.values[i] for s in self.series) for i in range(len(self.periods))]

    @property
    def total(self) -> int:
        return sum(self.totals)

    def table_rows(self) -> list[dict[str, Any]]:
        """One row per period: its label, a cell per series and the total."""
        return [
            {
                "label": period,
                "cells": [s.values[i] for s in self.series],
                "total": self.totals[i],
            }
            for i, period in enumerate(self.periods)
        ]

    def as_context(self, **extra: Any) -> dict[str, Any]:
        return {
            "title": self.title,
            "columns": [s.label for s in self.series],
            "rows": self.table_rows(),
            "total": self.total,
            "svg": stacked_bar_svg(self),
            **extra,
        }


def stacked_bar_svg(chart: StackedChart) -> SafeString:
    """Vertical stacked bars with each part's value written in it (when it fits)
    and the bar's total above it, and a legend of the series below."""
    for i, series in enumerate(chart.series):
        if not series.colour:
            series.colour = PALETTE[i % len(PALETTE)]
    totals = chart.totals
    peak = max([*totals, 1])
    bars_w = len(chart.periods) * (BAR_W + BAR_GAP) + BAR_GAP
    legend_rows = max(1, (len(chart.series) + 3) // 4)
    width = max(bars_w, 4 * 120)
    height = CHART_H + LABEL_H + legend_rows * LEGEND_H
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" aria-hidden="true" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
        f"<title>{escape(chart.title)}</title>"
    ]
    usable = CHART_H - 14
    for i, short in enumerate(chart.short):
        x = BAR_GAP + i * (BAR_W + BAR_GAP)
        y = CHART_H
        for series in chart.series:
            value = series.values[i]
            if not value:
                continue
            h = max(1, round(usable * value / peak))
            y -= h
            parts.append(
                f'<rect x="{x}" y="{y}" width="{BAR_W}" height="{h}" '
                f'fill="{series.colour}" stroke="#fff" stroke-width="0.5"/>'
            )
            if h >= 12 and len(chart.series) > 1:
                parts.append(
                    f'<text x="{x + BAR_W / 2}" y="{y + h / 2 + 4}" '
                    f'text-anchor="middle" font-size="10" fill="#fff">{value}</text>'
                )
        parts.append(
            f'<text x="{x + BAR_W / 2}" y="{y - 3}" text-anchor="middle" '
            f'font-size="11">{totals[i]}</text>'
            f'<text x="{x + BAR_W / 2}" y="{CHART_H + 14}" text-anchor="middle" '
            f'font-size="10">{escape(short)}</text>'
        )
    for i, series in enumerate(chart.series):
        x = BAR_GAP + (i % 4) * 120
        y = CHART_H + LABEL_H + (i // 4) * LEGEND_H
        parts.append(
            f'<rect x="{x}" y="{y - 10}" width="10" height="10" '
            f'fill="{series.colour}"/>'
            f'<text x="{x + 14}" y="{y}" font-size="10">'
            f"{escape(series.label[:20])}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
