"""One search over observations and lessons, on SQLite FTS5 or PostgreSQL.

Visibility and filters are one Django queryset over ``SearchEntry``; its
WHERE clause is compiled and joined to the database's full-text match, so
the releasability rules apply inside the same query as the ranking. Nothing
the user may not see is counted, faceted, ranked or quoted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from missionsafety.deployments.models import Phase
from missionsafety.lessons.models import (
    Kind,
    Lesson,
    Observation,
    SearchEntry,
)
from missionsafety.lessons.text import (
    QueryWord,
    fts5_query,
    parse_query,
    tsquery_parts,
)

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
    total: int
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


def _where(qs: QuerySet[SearchEntry]) -> tuple[str, list[Any]] | None:
    """The compiled WHERE of a queryset over SearchEntry (None: matches nothing)."""
    compiler = qs.query.get_compiler(connection=connection)
    try:
        sql, params = qs.query.where.as_sql(compiler, connection)
    except EmptyResultSet:
        return None
    except FullResultSet:
        return "1=1", []
    return (sql or "1=1"), list(params)


def _fts_ids_sql(match: str) -> tuple[str, list[Any]]:
    return (
        "lessons_searchentry.id IN (SELECT rowid FROM lessons_search_fts "
        "WHERE lessons_search_fts MATCH %s)",
        [match],
    )


def _tsquery(words: list[QueryWord], *, match_all: bool) -> tuple[str, list[str]]:
    groups, params = [], []
    for word, simple in tsquery_parts(words):
        groups.append(
            "(plainto_tsquery('dutch', %s) || plainto_tsquery('english', %s)"
            " || to_tsquery('simple', %s))"
        )
        params += [word, word, simple]
    return ("(" + (" && " if match_all else " || ").join(groups) + ")"), params


def _match(
    qs: QuerySet[SearchEntry], words: list[QueryWord], *, match_all: bool = True
) -> QuerySet[SearchEntry]:
    if not words:
        return qs
    if connection.vendor == "postgresql":
        sql, params = _tsquery(words, match_all=match_all)
        return qs.extra(where=[f"lessons_searchentry.document @@ {sql}"], params=params)
    sql, params = _fts_ids_sql(fts5_query(words, match_all=match_all))
    return qs.extra(where=[sql], params=params)


def _ranked(
    filtered: QuerySet[SearchEntry],
    words: list[QueryWord],
    *,
    limit: int,
    offset: int = 0,
    match_all: bool = True,
    boost_categories: list[str] | None = None,
    boost_theatre: str = "",
) -> list[Hit]:
    """Ranked hits with highlighted snippets, in one query."""
    where = _where(filtered)
    if where is None:
        return []
    where_sql, where_params = where
    columns = ", ".join(f"lessons_searchentry.{c}" for c in RESULT_FIELDS)
    boost_sql, boost_params = _boost(boost_categories or [], boost_theatre)
    if connection.vendor == "postgresql":
        tsq, tsq_params = _tsquery(words, match_all=match_all)
        sql = (
            f"WITH tq AS (SELECT {tsq} AS q), hits AS ("
            " SELECT lessons_searchentry.id AS hit_id,"
            f" ts_rank(lessons_searchentry.document, tq.q) + {boost_sql} AS score"
            " FROM lessons_searchentry, tq"
            f" WHERE lessons_searchentry.document @@ tq.q AND ({where_sql})"
            " ORDER BY score DESC, lessons_searchentry.date DESC LIMIT %s OFFSET %s)"
            f" SELECT {columns}, hits.score,"
            " ts_headline('dutch', lessons_searchentry.text, tq.q,"
            " 'StartSel=\ue000, StopSel=\ue001, MaxWords=30, MinWords=12,"
            ' MaxFragments=2, FragmentDelimiter=" … "\')'
            " FROM hits JOIN lessons_searchentry ON lessons_searchentry.id = hits.hit_id,"
            " tq ORDER BY hits.score DESC, lessons_searchentry.date DESC"
        )
        params = [*tsq_params, *boost_params, *where_params, limit, offset]
    else:
        match = fts5_query(words, match_all=match_all)
        sql = (
            f"SELECT {columns},"
            f" -bm25(lessons_search_fts, 8.0, 2.0, 1.0) + {boost_sql} AS score,"
            " snippet(lessons_search_fts, 1, '\ue000', '\ue001', ' … ', 28)"
            " FROM lessons_search_fts JOIN lessons_searchentry"
            " ON lessons_searchentry.id = lessons_search_fts.rowid"
            f" WHERE lessons_search_fts MATCH %s AND ({where_sql})"
            " ORDER BY score DESC, lessons_searchentry.date DESC LIMIT %s OFFSET %s"
        )
        params = [*boost_params, match, *where_params, limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    hits = []
    for row in rows:
        values = dict(zip(RESULT_FIELDS, row[: len(RESULT_FIELDS)], strict=True))
        if isinstance(values["date"], str):
            values["date"] = datetime.date.fromisoformat(values["date"])
        score, snippet = row[len(RESULT_FIELDS)], row[len(RESULT_FIELDS) + 1]
        hits.append(Hit(**values, snippet=highlight(snippet or ""), score=score))
    return hits


def _boost(categories: list[str], theatre_key: str) -> tuple[str, list[Any]]:
    """Extra score for the same hazard category and the same theatre."""
    vendor_scale = 1.0 if connection.vendor == "postgresql" else 10.0
    parts, params = ["0"], []
    if categories:
        likes = " OR ".join(
            "lessons_searchentry.categories LIKE %s" for _c in categories
        )
        parts.append(f"(CASE WHEN {likes} THEN {0.5 * vendor_scale} ELSE 0 END)")
        params += [f"%|{c}|%" for c in categories]
    if theatre_key:
        parts.append(
            "(CASE WHEN lessons_searchentry.theatre_key = %s"
            f" THEN {0.2 * vendor_scale} ELSE 0 END)"
        )
        params.append(theatre_key)
    return "(" + " + ".join(parts) + ")", params


def _latest(qs: QuerySet[SearchEntry], *, limit: int, offset: int = 0) -> list[Hit]:
    rows = qs.order_by("-date", "-id").values(*RESULT_FIELDS, "text")[
        offset : offset + limit
    ]
    hits = []
    for row in rows:
        text = row.pop("text")
        snippet = text[:220] + ("…" if len(text) > 220 else "")
        hits.append(Hit(**row, snippet=highlight(snippet)))
    return hits


def _facets(qs: QuerySet[SearchEntry], categories: list[Any]) -> tuple[int, dict]:
    """Total and counts per facet value: one aggregate and one group-by."""
    fixed = {
        "type": SearchEntry.Type.choices,
        "kind": Kind.choices,
        "phase": Phase.choices,
        "state": [*Observation.Status.choices, *Lesson.Status.choices],
    }
    column = {"type": "type", "kind": "kind", "phase": "phase", "state": "status"}
    aggregates: dict[str, Any] = {"total": Count("id")}
    for facet, choices in fixed.items():
        for value, _label in choices:
            aggregates[f"{facet}__{value}"] = Count(
                "id", filter=Q(**{column[facet]: value})
            )
    for category in categories:
        aggregates[f"category__{category.code}"] = Count(
            "id", filter=Q(categories__contains=f"|{category.code}|")
        )
    counts = qs.aggregate(**aggregates)
    facets: dict[str, list[Facet]] = {}
    for facet, choices in fixed.items():
        facets[facet] = [
            Facet(value, str(label), counts[f"{facet}__{value}"])
            for value, label in choices
            if counts[f"{facet}__{value}"]
        ]
    facets["category"] = [
        Facet(c.code, c.name, counts[f"category__{c.code}"])
        for c in categories
        if counts[f"category__{c.code}"]
    ]
    theatres = (
        qs.order_by()
        .values("theatre")
        .annotate(n=Count("id"))
        .order_by("-n", "theatre")[:12]
    )
    facets["theatre"] = [Facet(t["theatre"], t["theatre"], t["n"]) for t in theatres]
    return counts["total"], facets


def run_search(
    *,
    user: Any,
    q: str = "",
    filters: Filters | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    with_facets: bool = True,
) -> Results:
    """Visible observations and lessons matching the words and filters, ranked."""
    from missionsafety.risks.models import HazardCategory

    filters = filters or Filters()
    words = parse_query(q)
    filtered = filters.apply(SearchEntry.objects.visible_to(user))
    matched = _match(filtered, words)
    page = max(1, min(int(page or 1), 500))
    offset = (page - 1) * per_page
    if with_facets:
        categories = list(HazardCategory.objects.order_by("code"))
        total, facets = _facets(matched, categories)
    else:
        total, facets = matched.count(), {}
    if not total:
        hits: list[Hit] = []
    elif words:
        hits = _ranked(filtered, words, limit=per_page, offset=offset)
    else:
        hits = _latest(filtered, limit=per_page, offset=offset)
    return Results(
        hits=hits,
        total=total,
        facets=facets,
        page=page,
        per_page=per_page,
        words=[w.word for w in words],
    )


def suggestions(
    *,
    user: Any,
    text: str,
    categories: list[str],
    theatre_key: str,
    exclude_deployment_id: int | None,
    limit: int = 5,
) -> list[Hit]:
    """Observations and lessons of other deployments that fit a risk: matching
    words, boosted for the same hazard category and theatre. One query."""
    qs = SearchEntry.objects.visible_to(user).exclude(
        status__in=[Observation.Status.REJECTED, Lesson.Status.CLOSED]
    )
    if exclude_deployment_id:
        qs = qs.exclude(deployment_id=exclude_deployment_id)
    words = parse_query(text)
    if words:
        return _ranked(
            qs,
            words,
            limit=limit,
            match_all=False,
            boost_categories=categories,
            boost_theatre=theatre_key,
        )
    if not categories and not theatre_key:
        return []
    near = Q()
    for code in categories:
        near |= Q(categories__contains=f"|{code}|")
    if not categories:
        near = Q(theatre_key=theatre_key)
    return _latest(qs.filter(near), limit=limit)
