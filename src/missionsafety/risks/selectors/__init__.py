"""Every read of the risk register a user makes."""

from __future__ import annotations

from missionsafety.risks.selectors.awaiting import (
    AWAITING_CANDIDATES,
    AWAITING_SHOWN,
    awaiting_for,
    expiring_soon,
)
from missionsafety.risks.selectors.listing import (
    SORTS,
    RegisterFilters,
    S,
    register,
    risk_base,
    with_control_counts,
)
from missionsafety.risks.selectors.reuse import (
    categories,
    copy_duplicates,
    earlier_registers,
    library,
    library_duplicates,
    matrices,
    register_titles,
)
from missionsafety.risks.selectors.risks import (
    attachment_get,
    consultation_get,
    control_get,
    risk_assessments,
    risk_attachments,
    risk_consultations,
    risk_controls,
    risk_decisions,
    risk_get,
)
from missionsafety.risks.selectors.stats import (
    RegisterStats,
    deployment_summary,
    heatmap_counts,
    organisation_controls,
    overall_level,
    register_stats,
)

__all__ = [
    "AWAITING_CANDIDATES",
    "AWAITING_SHOWN",
    "SORTS",
    "RegisterFilters",
    "RegisterStats",
    "S",
    "attachment_get",
    "awaiting_for",
    "categories",
    "consultation_get",
    "control_get",
    "copy_duplicates",
    "deployment_summary",
    "earlier_registers",
    "expiring_soon",
    "heatmap_counts",
    "library",
    "library_duplicates",
    "matrices",
    "organisation_controls",
    "overall_level",
    "register",
    "register_stats",
    "register_titles",
    "risk_assessments",
    "risk_attachments",
    "risk_base",
    "risk_consultations",
    "risk_controls",
    "risk_decisions",
    "risk_get",
    "with_control_counts",
]
