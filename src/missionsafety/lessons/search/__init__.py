"""One search over observations and lessons, on SQLite FTS5 or PostgreSQL.

Visibility and filters are one Django queryset over ``SearchEntry``; its
WHERE clause is compiled and joined to the database's full-text match, so
the releasability rules apply inside the same query as the ranking. Nothing
the user may not see is counted, faceted, ranked or quoted.
"""

from __future__ import annotations

from missionsafety.lessons.search.candidates import CANDIDATE_FIELDS, Candidate
from missionsafety.lessons.search.planning import (
    RANK_ALL_MAX,
    STATS_SECONDS,
    WINDOW_FRACTIONS,
    WINDOW_MIN_ROWS,
    _date_cutoffs,
    _distinctive,
    _stats,
    _word_counts,
)
from missionsafety.lessons.search.queries import (
    CAP,
    SUGGESTION_POOL,
    run_search,
    suggestions,
)
from missionsafety.lessons.search.results import (
    EMPTY,
    PER_PAGE,
    RESULT_FIELDS,
    START,
    STATES,
    STOP,
    Facet,
    Filters,
    Hit,
    Results,
    clean_text,
    highlight,
)

__all__ = [
    "CANDIDATE_FIELDS",
    "CAP",
    "EMPTY",
    "PER_PAGE",
    "RANK_ALL_MAX",
    "RESULT_FIELDS",
    "START",
    "STATES",
    "STATS_SECONDS",
    "STOP",
    "SUGGESTION_POOL",
    "WINDOW_FRACTIONS",
    "WINDOW_MIN_ROWS",
    "Candidate",
    "Facet",
    "Filters",
    "Hit",
    "Results",
    "_date_cutoffs",
    "_distinctive",
    "_stats",
    "_word_counts",
    "clean_text",
    "highlight",
    "run_search",
    "suggestions",
]
