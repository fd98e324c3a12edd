"""Observations and lessons at reference scale, generated in bulk.

``generate`` writes observations, lessons, their categories and releases and
their search entries with ``bulk_create`` and fills the full-text index in one
pass (SQLite: one INSERT … SELECT into the FTS5 table; PostgreSQL: the GIN
index built once after the rows). Rows are imported, not audited. The same
seed gives the same rows::

    from missionsafety.lessons.perf import generate

    generate(
        n_observations=50_000,
        n_lessons=50_000,
        deployments=[...],  # Deployment ids (their parties must exist)
        orgs=[...],  # Organisation ids to release to / act on (brigades, units)
        users=[...],  # User ids of originators (may be empty)
        seed=1,
    )

The texts are sentences from templates about hazards, places, equipment,
causes and measures, mostly Dutch and some English, with words drawn with
Zipf-like frequencies from a vocabulary of some thousands of words (a few
words are in many texts, most words in few), so searches match a realistic
fraction of the rows.
"""

from __future__ import annotations

from missionsafety.lessons.perf.dataset import (
    LESSON_STATUS,
    OBS_PHASES,
    OBS_STATUS,
    RELEASABILITY,
    SOURCES,
    generate,
)
from missionsafety.lessons.perf.vocabulary import EN, NL, TextMaker, Zipf

__all__ = [
    "EN",
    "LESSON_STATUS",
    "NL",
    "OBS_PHASES",
    "OBS_STATUS",
    "RELEASABILITY",
    "SOURCES",
    "TextMaker",
    "Zipf",
    "generate",
]
