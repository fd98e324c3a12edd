"""Import a register from a workbook in the export's layout: preview, then apply.

The preview reads every row, names every bad cell, and keeps the plan (what to
create and change, and the versions it was based on) in a ``RegisterImport``;
*Apply* writes that plan, all of it or nothing, through the register services.
Cells are read as values (formulas as their last computed value); no text is
ever evaluated, whatever it starts with.
"""

from __future__ import annotations

from missionsafety.risks.services.imports.sheets import (
    CONTROL_COLUMNS,
    CONTROL_SHEET,
    CONTROLS_PER_RISK,
    LANGUAGES,
    MAX_BYTES,
    MAX_ROWS,
    PREVIEW_HOURS,
    RISK_COLUMNS,
    RISK_SHEET,
)
from missionsafety.risks.services.imports.workflow import (
    register_import_apply,
    register_import_get,
    register_import_preview,
    register_template,
)

__all__ = [
    "CONTROLS_PER_RISK",
    "CONTROL_COLUMNS",
    "CONTROL_SHEET",
    "LANGUAGES",
    "MAX_BYTES",
    "MAX_ROWS",
    "PREVIEW_HOURS",
    "RISK_COLUMNS",
    "RISK_SHEET",
    "register_import_apply",
    "register_import_get",
    "register_import_preview",
    "register_template",
]
