"""Heat maps drawn on the server as SVG: counts per cell, each cell a link."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from missionsafety.core.i18n import pick
from missionsafety.risks.models import RiskMatrix

CELL_W, CELL_H, LABEL_W, HEAD_H = 58, 40, 120, 34


def _text_colour(hex_colour: str) -> str:
    value = hex_colour.lstrip("#")
    try:
        r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return "#000"
    return "#000" if (r * 299 + g * 587 + b * 114) / 1000 > 140 else "#fff"


def heatmap_svg(
    *,
    matrix: RiskMatrix,
    counts: dict[tuple[str, str], int],
    kind: str,
    link: str,
    selected: str = "",
) -> SafeString:
    """An SVG of the matrix; ``link`` is the register URL with ``?`` or ``&`` ready."""
    probs = matrix.probabilities
    sevs = matrix.severities
    width = LABEL_W + CELL_W * len(probs)
    height = HEAD_H + CELL_H * len(sevs) + 18
    title = _("inherent risk") if kind == "i" else _("residual risk")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="system-ui,sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
    ]
    for x, prob in enumerate(probs):
        cx = LABEL_W + x * CELL_W + CELL_W / 2
        parts.append(
            f'<text x="{cx}" y="14" text-anchor="middle" font-weight="700">'
            f"{escape(prob['code'])}</text>"
            f'<text x="{cx}" y="28" text-anchor="middle" font-size="9" fill="#555">'
            f"{escape(pick(prob.get('name'))[:11])}</text>"
        )
    for y, sev in enumerate(sevs):
        top = HEAD_H + y * CELL_H
        parts.append(
            f'<text x="4" y="{top + CELL_H / 2 + 4}" font-size="11">'
            f'<tspan font-weight="700">{escape(sev["code"])}</tspan> '
            f"{escape(pick(sev.get('name'))[:14])}</text>"
        )
        for x, prob in enumerate(probs):
            level = matrix.cells.get(sev["code"], {}).get(prob["code"], "")
            colour = matrix.level_colour(level)
            n = counts.get((prob["code"], sev["code"]), 0)
            cell = f"{kind}:{prob['code']}:{sev['code']}"
            left = LABEL_W + x * CELL_W
            stroke = (
                'stroke="#000" stroke-width="3"'
                if cell == selected
                else 'stroke="#fff" stroke-width="1"'
            )
            label = _("%(n)s risks in %(p)s × %(s)s (%(level)s)") % {
                "n": n,
                "p": prob["code"],
                "s": sev["code"],
                "level": level,
            }
            parts.append(
                f'<a href="{escape(link)}cell={cell}#register" aria-label="{escape(label)}">'
                f'<rect x="{left}" y="{top}" width="{CELL_W}" height="{CELL_H}" '
                f'fill="{escape(colour)}" {stroke}/>'
                f'<text x="{left + CELL_W / 2}" y="{top + CELL_H / 2 + 5}" '
                f'text-anchor="middle" font-size="{15 if n else 11}" '
                f'font-weight="{700 if n else 400}" fill="{_text_colour(colour)}">'
                f"{n if n else '·'}</text></a>"
            )
    axes = escape(_("probability →")) + "  ·  " + escape(_("severity ↓"))
    parts.append(
        f'<text x="{LABEL_W}" y="{height - 4}" font-size="10" fill="#555">'
        f"{axes}</text></svg>"
    )
    return mark_safe("".join(parts))
