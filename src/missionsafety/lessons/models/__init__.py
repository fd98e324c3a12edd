"""Observations in ODCR form, lessons drawn from them, and their search index.

Who sees an observation or a lesson (``visible_to``), decided in the query:

- the deployment's parties, by the normal deployment visibility, always;
- releasability "all of defence": everybody with a current membership;
- releasability "named organisations": members of those organisations and of
  the units below them up to their formation — the same climb as deployment
  visibility (a battalion of 11 LMB sees what is released to 11 LMB; 43
  MECHBRIG does not see what is released to Staf CLAS only);
- a lesson also to members of its action body and tasking authority, who
  must act on it;
- auditors see everything.
"""

from __future__ import annotations

from missionsafety.lessons.models.lessons import (
    LESSON_TRANSITIONS,
    LS,
    OPEN_ACTION_STATES,
    Lesson,
    LessonQuerySet,
    LessonReview,
    LessonUse,
)
from missionsafety.lessons.models.observations import (
    OBSERVATION_TRANSITIONS,
    REQUIRED_PARTS,
    Attachment,
    AttachmentQuerySet,
    Observation,
    ObservationQuerySet,
    attachment_path,
)
from missionsafety.lessons.models.releasability import (
    Kind,
    Releasability,
    Released,
    Source,
    released_q,
)
from missionsafety.lessons.models.search_entries import SearchEntry, SearchEntryQuerySet

__all__ = [
    "LESSON_TRANSITIONS",
    "LS",
    "OBSERVATION_TRANSITIONS",
    "OPEN_ACTION_STATES",
    "REQUIRED_PARTS",
    "Attachment",
    "AttachmentQuerySet",
    "Kind",
    "Lesson",
    "LessonQuerySet",
    "LessonReview",
    "LessonUse",
    "Observation",
    "ObservationQuerySet",
    "Releasability",
    "Released",
    "SearchEntry",
    "SearchEntryQuerySet",
    "Source",
    "attachment_path",
    "released_q",
]
