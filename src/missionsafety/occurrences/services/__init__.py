"""Every write to occurrences, their investigation, people and attachments."""

from __future__ import annotations

from missionsafety.occurrences.services.actions import action_add, action_complete
from missionsafety.occurrences.services.attachments import attachment_add
from missionsafety.occurrences.services.checks import (
    CLOCK_SKEW,
    EARLIEST,
    EDITABLE_FIELDS,
)
from missionsafety.occurrences.services.counts import rebuild_month_counts
from missionsafety.occurrences.services.people import (
    person_add,
    person_remove,
    purge_personal_data,
)
from missionsafety.occurrences.services.reporting import (
    occurrence_report,
    occurrence_transition,
    occurrence_triage,
    occurrence_update,
)

__all__ = [
    "CLOCK_SKEW",
    "EARLIEST",
    "EDITABLE_FIELDS",
    "action_add",
    "action_complete",
    "attachment_add",
    "occurrence_report",
    "occurrence_transition",
    "occurrence_triage",
    "occurrence_update",
    "person_add",
    "person_remove",
    "purge_personal_data",
    "rebuild_month_counts",
]
