"""What a search returns: filters, hits, facets, pages and highlighting."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from missionsafety.deployments.models import Phase
from missionsafety.lessons.models import Kind, Lesson, Observation, SearchEntry

START, STOP = "\ue000", "\ue001"  # highlight markers, removed from indexed text
PER_PAGE = 20


EMPTY = SafeString("")
RESULT_FIELDS = [
    "id",
    "type",
    "observation_id",
    "lesson_id",
    "deployment_id",
    "deployment_code",
    "theatre",
    "phase",
    "status",
    "kind",
    "categories",
    "date",
    "title",
]


@dataclass
class Filters:
    """What the user narrowed the search to (all optional)."""

    type: str = ""
    theatre: str = ""
    phase: str = ""
    category: str = ""
    kind: str = ""
    state: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    @classmethod
    def from_params(cls, params: Any) -> Filters:
        """Read GET parameters; unknown values are ignored, never an error."""

        def choice(name: str, allowed: set[str]) -> str:
            value = str(params.get(name) or "")[:60]
            return value if value in allowed else ""

        def day(name: str) -> datetime.date | None:
            try:
                return datetime.date.fromisoformat(str(params.get(name) or "")[:10])
            except ValueError:
                return None

        return cls(
            type=choice("type", set(SearchEntry.Type.values)),
            theatre=str(params.get("theatre") or "")[:120],
            phase=choice("phase", set(Phase.values)),
            category=str(params.get("category") or "")[:40],
            kind=choice("kind", set(Kind.values)),
            state=choice("state", STATES),
            date_from=day("date_from"),
            date_to=day("date_to"),
        )

    def apply(self, qs: QuerySet[SearchEntry]) -> QuerySet[SearchEntry]:
        if self.type:
            qs = qs.filter(type=self.type)
        if self.theatre:
            qs = qs.filter(theatre=self.theatre)
        if self.phase:
            qs = qs.filter(phase=self.phase)
        if self.category:
            qs = qs.filter(categories__contains=f"|{self.category}|")
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.state:
            qs = qs.filter(status=self.state)
        if self.date_from:
            qs = qs.filter(date__gte=self.date_from)
        if self.date_to:
            qs = qs.filter(date__lte=self.date_to)
        return qs

    def as_params(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items() if v}


STATES = set(Observation.Status.values) | set(Lesson.Status.values)


@dataclass
class Hit:
    """One result: enough to render a line without another query."""

    id: int
    type: str
    observation_id: int | None
    lesson_id: int | None
    deployment_id: int
    deployment_code: str
    theatre: str
    phase: str
    status: str
    kind: str
    categories: str
    date: datetime.date
    title: str
    snippet: SafeString = EMPTY
    score: float = 0.0

    @property
    def object_id(self) -> int:
        return self.observation_id or self.lesson_id or 0

    @property
    def key(self) -> str:
        return f"{self.type}:{self.object_id}"

    @property
    def category_codes(self) -> list[str]:
        return [c for c in self.categories.split("|") if c]


@dataclass
class Facet:
    value: str
    label: str
    count: int


@dataclass
class Results:
    hits: list[Hit]
    total: int  # counted up to CAP
    more: bool = False  # more than CAP match: total is CAP, the best CAP shown
    facets: dict[str, list[Facet]] = field(default_factory=dict)
    page: int = 1
    per_page: int = PER_PAGE
    words: list[str] = field(default_factory=list)

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def highlight(text: str) -> SafeString:
    """Escape a snippet and turn the database's markers into <mark>."""
    safe = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(safe)


def clean_text(text: str) -> str:
    return (text or "").replace(START, "").replace(STOP, "")
