"""Pages for observations, lessons, search and the learning loop."""

from __future__ import annotations

from missionsafety.lessons.views.lessons import (
    lesson_detail,
    lesson_edit,
    lesson_list,
    lesson_new,
    lesson_transition,
)
from missionsafety.lessons.views.observations import (
    attachment_add,
    attachment_download,
    observation_detail,
    observation_edit,
    observation_list,
    observation_new,
    observation_transition,
)
from missionsafety.lessons.views.search_pages import search_page, suggest
from missionsafety.lessons.views.uses import review_add, use_add

__all__ = [
    "attachment_add",
    "attachment_download",
    "lesson_detail",
    "lesson_edit",
    "lesson_list",
    "lesson_new",
    "lesson_transition",
    "observation_detail",
    "observation_edit",
    "observation_list",
    "observation_new",
    "observation_transition",
    "review_add",
    "search_page",
    "suggest",
    "use_add",
]
