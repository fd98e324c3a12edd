"""Heat maps as tables: a count per probability × severity cell, with its level.

A table rather than a drawing, so that screen readers announce each cell with its
row and column headers, the keyboard reaches only the cells that hold risks, and
the level is written in every cell instead of being shown by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from missionsafety.core.i18n import pick
from missionsafety.risks.models import RiskMatrix

# Levels the stylesheet colours (class ``level-<code>``); a matrix with other
# level codes still shows each level as text, on a neutral background.
STYLED_LEVELS = {"L", "M", "H", "EH"}


@dataclass(frozen=True)
class Axis:
    code: str
    name: str


@dataclass(frozen=True)
class Cell:
    count: int
    level: str
    level_name: str
    css: str
    url: str
    selected: bool


@dataclass(frozen=True)
class Row:
    severity: Axis
    cells: list[Cell]


@dataclass(frozen=True)
class HeatMap:
    caption: str
    kind: str
    probabilities: list[Axis]
    rows: list[Row]


def heatmap(
    *,
    matrix: RiskMatrix,
    counts: dict[tuple[str, str], int],
    kind: str,
    link: str,
    selected: str = "",
) -> HeatMap:
    """The matrix with its counts; ``link`` is the register URL with ``?`` or ``&``
    ready, ``kind`` is ``i`` (inherent) or ``r`` (residual)."""
    probabilities = [
        Axis(code=p["code"], name=pick(p.get("name"))) for p in matrix.probabilities
    ]
    names = {item["code"]: pick(item.get("name")) for item in matrix.levels}
    rows = []
    for sev in matrix.severities:
        cells = []
        for prob in probabilities:
            level = matrix.cells.get(sev["code"], {}).get(prob.code, "")
            key = f"{kind}:{prob.code}:{sev['code']}"
            count = counts.get((prob.code, sev["code"]), 0)
            cells.append(
                Cell(
                    count=count,
                    level=level,
                    level_name=names.get(level, level),
                    css=f"level-{level}" if level in STYLED_LEVELS else "level-other",
                    url=f"{link}cell={key}#register" if count else "",
                    selected=key == selected,
                )
            )
        rows.append(
            Row(
                severity=Axis(code=sev["code"], name=pick(sev.get("name"))), cells=cells
            )
        )
    caption = (
        _("Inherent risk: number of risks per probability and severity")
        if kind == "i"
        else _("Residual risk: number of risks per probability and severity")
    )
    return HeatMap(caption=caption, kind=kind, probabilities=probabilities, rows=rows)
