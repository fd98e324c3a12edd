"""One search over observations and lessons, on SQLite FTS5 or PostgreSQL.

Visibility and filters are one Django queryset over ``SearchEntry``; its
WHERE clause is compiled and joined to the database's full-text match, so
the releasability rules apply inside the same query as the ranking. Nothing
the user may not see is counted, faceted, ranked or quoted.
"""

from __future__ import annotations

import datetime
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import Q, QuerySet
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
# Results counted, faceted and paged at most; beyond it "more than 1,000".
CAP = 1000
# Best matches by words among which suggestions are boosted by category/theatre.
SUGGESTION_POOL = 200
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


def _tsquery(words: list[QueryWord], *, match_all: bool) -> tuple[str, list[str]]:
    groups, params = [], []
    for word, simple in tsquery_parts(words):
        groups.append(
            "(plainto_tsquery('dutch', %s) || plainto_tsquery('english', %s)"
            " || to_tsquery('simple', %s))"
        )
        params += [word, word, simple]
    return ("(" + (" && " if match_all else " || ").join(groups) + ")"), params


# PostgreSQL reads a common word's matches in date windows, newest first:
# the newest sixteenth of all entries, then (when the first window's density
# promises enough) an eighth, a quarter or half of them, else all.
WINDOW_FRACTIONS = (1 / 16, 1 / 8, 1 / 4, 1 / 2)
# Below this many entries one read of all matches is cheap enough.
WINDOW_MIN_ROWS = 20_000
# SQLite ranks every match with bm25 (about 2.5 µs each) up to this many
# matches; a search with more takes the newest ``CAP`` visible matches from
# the date index and puts those with the words in their title first.
RANK_ALL_MAX = 4_000
STATS_SECONDS = 300.0
_stats: dict[str, Any] = {"until": 0.0, "rows": 0, "windows": []}


def _table_stats() -> dict[str, Any]:
    """How many entries there are and, on PostgreSQL, where the newest
    windows of them start: pairs of the window's share of all entries and its
    first date, narrowest first.

    Read from the planner's statistics (PostgreSQL) or the highest id
    (SQLite), without a scan, and remembered for a few minutes. Only speed
    depends on them: a stale estimate makes a window wider or narrower, or
    ranks a few more or fewer matches, never a different visible result."""
    now = time.monotonic()
    if now < _stats["until"]:
        return _stats
    windows: list[tuple[float, datetime.date]] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.reltuples, s.histogram_bounds::text::date[]"
                " FROM pg_class c LEFT JOIN pg_stats s"
                " ON s.schemaname = current_schema() AND s.tablename = c.relname"
                " AND s.attname = 'date'"
                " WHERE c.relname = 'lessons_searchentry'"
                " AND c.relnamespace = current_schema()::regnamespace"
            )
            row = cursor.fetchone() or (0, None)
        else:
            cursor.execute("SELECT max(id), NULL FROM lessons_searchentry")
            row = cursor.fetchone() or (0, None)
    rows = int(row[0] or 0)
    if rows >= WINDOW_MIN_ROWS and row[1]:
        bounds = sorted(row[1])
        for f in sorted(WINDOW_FRACTIONS):
            start = bounds[int((1 - f) * (len(bounds) - 1))]
            if not windows or start < windows[-1][1]:
                windows.append((f, start))
    _stats.update(until=now + STATS_SECONDS, rows=rows, windows=windows)
    return _stats


def _date_cutoffs() -> list[tuple[float, datetime.date]]:
    """Where the newest windows of entries start (PostgreSQL), narrowest
    first (see ``_table_stats``)."""
    if connection.vendor != "postgresql":
        return []
    return list(_table_stats()["windows"])


# What a candidate row carries: enough to count facets and to boost.
CANDIDATE_FIELDS = [
    "id",
    "type",
    "kind",
    "phase",
    "status",
    "categories",
    "theatre",
    "theatre_key",
    "date",
]


@dataclass
class Candidate:
    id: int
    type: str
    kind: str
    phase: str
    status: str
    categories: str
    theatre: str
    theatre_key: str
    date: Any
    score: float = 0.0


def _ranked_candidates(
    filtered: QuerySet[SearchEntry],
    words: list[QueryWord],
    *,
    limit: int,
    match_all: bool = True,
) -> list[Candidate]:
    """The best ``limit`` visible matches, best first, without their texts.

    SQLite: the FTS5 table is the outer loop and delivers its rows in ``rank``
    order (bm25 with title 8, text 2, terms 1), so the entry table is read
    only until ``limit`` visible rows are found. PostgreSQL: the newest
    ``limit`` visible matches (found through the GIN index, read in date
    windows newest first, see ``_date_cutoffs``), ranked with ``ts_rank``
    among themselves; when fewer than ``limit`` match, that is every match."""
    where = _where(filtered)
    if where is None:
        return []
    where_sql, where_params = where
    columns = ", ".join(f"lessons_searchentry.{c}" for c in CANDIDATE_FIELDS)
    if connection.vendor == "postgresql":
        tsq, tsq_params = _tsquery(words, match_all=match_all)
        # The tsquery is written out (not a CTE) so that the planner folds it
        # to a constant. OFFSET 0 keeps the match in its own subquery, always
        # answered by the GIN index: scanning the date index and testing @@
        # row by row until enough match is far slower for all but the most
        # common words (and the planner misjudges which those are).
        sql = (
            f"SELECT {', '.join(f'cand.{c}' for c in CANDIDATE_FIELDS)},"
            f" ts_rank(cand.document, {tsq}) AS score FROM ("
            " SELECT * FROM ("
            f" SELECT {columns}, lessons_searchentry.document"
            " FROM lessons_searchentry"
            f" WHERE lessons_searchentry.document @@ {tsq} AND ({where_sql})"
            " {window} OFFSET 0) matches ORDER BY matches.date DESC, matches.id DESC"
            " LIMIT %s) cand"
            " ORDER BY score DESC, cand.date DESC, cand.id DESC"
        )
        params = [*tsq_params, *tsq_params, *where_params]
        # Newest windows first: when a window already holds ``limit`` visible
        # matches, they are the newest ``limit`` of all (everything outside is
        # older), and only the window's matches were read from the table.
        windows = _date_cutoffs()
        while True:
            share, cutoff = windows.pop(0) if windows else (1.0, None)
            window = "AND lessons_searchentry.date >= %s" if cutoff else ""
            with connection.cursor() as cursor:
                cursor.execute(
                    sql.replace("{window}", window),
                    [*params, *([cutoff] if cutoff else []), limit],
                )
                rows = cursor.fetchall()
            if cutoff is None or len(rows) >= limit:
                break
            # Short: skip the wider windows that would be short too, judged
            # by how densely this one matched.
            expected = len(rows) / share
            windows = [w for w in windows if expected * w[0] >= limit * 1.1]
        candidates = [Candidate(*row) for row in rows]
    else:
        fts = fts5_query(words, match_all=match_all)
        if match_all and _many_matches(fts):
            candidates = _newest_candidates(fts, where_sql, where_params, limit)
        else:
            sql = (
                f"SELECT {columns}, -lessons_search_fts.rank"
                " FROM lessons_search_fts JOIN lessons_searchentry"
                " ON lessons_searchentry.id = lessons_search_fts.rowid"
                " WHERE lessons_search_fts MATCH %s"
                " AND lessons_search_fts.rank MATCH 'bm25(8.0, 2.0, 1.0)'"
                f" AND ({where_sql})"
                " ORDER BY lessons_search_fts.rank LIMIT %s"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [fts, *where_params, limit])
                candidates = [Candidate(*row) for row in cursor.fetchall()]
    for c in candidates:
        if isinstance(c.date, str):
            c.date = datetime.date.fromisoformat(c.date)
    return candidates


def _many_matches(fts: str) -> bool:
    """More than ``RANK_ALL_MAX`` entries match (visible or not; SQLite).
    Counting a match in FTS5 costs a fraction of ranking it."""
    if _table_stats()["rows"] <= RANK_ALL_MAX:
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM lessons_search_fts WHERE lessons_search_fts MATCH %s",
            [fts],
        )
        (count,) = cursor.fetchone()
    return bool(count > RANK_ALL_MAX)


def _word_counts(words: list[QueryWord]) -> list[float]:
    """How many entries match each word: counted in FTS5 (SQLite, one query)
    or the planner's estimate from the document column's statistics of most
    common lexemes (PostgreSQL, one EXPLAIN a word, no scan)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            found = []
            for word in words:
                tsq, params = _tsquery([word], match_all=True)
                cursor.execute(
                    "EXPLAIN (FORMAT JSON) SELECT 1 FROM lessons_searchentry"
                    f" WHERE lessons_searchentry.document @@ {tsq}",
                    params,
                )
                plan = cursor.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
                found.append(float(plan[0]["Plan"]["Plan Rows"]))
            return found
        counts = ", ".join(
            "(SELECT count(*) FROM lessons_search_fts"
            " WHERE lessons_search_fts MATCH %s)"
            for _w in words
        )
        cursor.execute(f"SELECT {counts}", [fts5_query([w]) for w in words])
        return [float(n) for n in cursor.fetchone()]


def _distinctive(words: list[QueryWord]) -> list[tuple[list[QueryWord], bool]]:
    """What to look for when suggesting from a text: (words, all must match)
    in the order to try, until one finds enough.

    Any of a risk's words may match, so a title of six words can match half
    of all entries, each one ranked. The rarest words carry nearly all of
    the ranking's weight anyway: keep words, rarest first, while together
    they match at most ``RANK_ALL_MAX`` entries; should they find too little,
    the two rarest. When even the rarest matches more, the two rarest
    together, then the rarest alone. Small tables use every word."""
    if len(words) < 2 or _table_stats()["rows"] <= RANK_ALL_MAX:
        return [(words, False)]
    ranked = sorted(zip(_word_counts(words), range(len(words)), strict=True))
    rarest = [words[i] for _n, i in ranked[:2]]
    if ranked[0][0] > RANK_ALL_MAX:
        return [(rarest, True), (rarest[:1], False)]
    kept: list[int] = []
    total = 0.0
    for count, index in ranked:
        if total + count > RANK_ALL_MAX:
            break
        kept.append(index)
        total += count
    plans = [([words[i] for i in sorted(kept)], False)]
    if len(kept) < 2:
        plans.append((rarest, False))
    return plans


def _newest_candidates(
    fts: str, where_sql: str, where_params: list[Any], limit: int
) -> list[Candidate]:
    """The newest ``limit`` visible matches (SQLite), those with the words in
    the title first: the covering date index is read newest first and each
    row is tested against the set of matches, so no match is ranked."""
    columns = ", ".join(f"lessons_searchentry.{c}" for c in CANDIDATE_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM lessons_searchentry INDEXED BY search_list_idx"
            " WHERE lessons_searchentry.id IN (SELECT rowid FROM lessons_search_fts"
            " WHERE lessons_search_fts MATCH %s)"
            f" AND ({where_sql})"
            " ORDER BY lessons_searchentry.date DESC, lessons_searchentry.id DESC"
            " LIMIT %s",
            [fts, *where_params, limit],
        )
        candidates = [Candidate(*row) for row in cursor.fetchall()]
        cursor.execute(
            "SELECT rowid FROM lessons_search_fts WHERE lessons_search_fts MATCH %s",
            ["{title} : (" + fts + ")"],
        )
        in_title = {row[0] for row in cursor.fetchall()}
    for c in candidates:
        c.score = 1.0 if c.id in in_title else 0.0
    # The caller asks for one row more than it shows, to know there are more:
    # that row stays last. Stable: within each group the newest first.
    shown = sorted(candidates[: limit - 1], key=lambda c: -c.score)
    return shown + candidates[limit - 1 :]


def _hits(ids: list[int], words: list[QueryWord], *, match_all: bool) -> list[Hit]:
    """The result lines of these entries (in this order) with highlighted
    snippets: the snippet functions run for these rows only."""
    if not ids:
        return []
    columns = ", ".join(f"lessons_searchentry.{c}" for c in RESULT_FIELDS)
    marks = ", ".join(["%s"] * len(ids))
    if connection.vendor == "postgresql":
        tsq, tsq_params = _tsquery(words, match_all=match_all)
        sql = (
            f"SELECT {columns}, ts_headline('dutch', lessons_searchentry.text, {tsq},"
            " 'StartSel=\ue000, StopSel=\ue001, MaxWords=30, MinWords=12,"
            ' MaxFragments=2, FragmentDelimiter=" … "\')'
            f" FROM lessons_searchentry WHERE lessons_searchentry.id IN ({marks})"
        )
        params: list[str | int] = [*tsq_params, *ids]
    else:
        sql = (
            f"SELECT {columns},"
            " snippet(lessons_search_fts, 1, '\ue000', '\ue001', ' … ', 28)"
            " FROM lessons_search_fts JOIN lessons_searchentry"
            " ON lessons_searchentry.id = lessons_search_fts.rowid"
            " WHERE lessons_search_fts MATCH %s"
            f" AND lessons_search_fts.rowid IN ({marks})"
        )
        params = [fts5_query(words, match_all=match_all), *ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    by_id = {}
    for row in rows:
        values = dict(zip(RESULT_FIELDS, row[: len(RESULT_FIELDS)], strict=True))
        if isinstance(values["date"], str):
            values["date"] = datetime.date.fromisoformat(values["date"])
        by_id[values["id"]] = Hit(**values, snippet=highlight(row[-1] or ""))
    return [by_id[i] for i in ids if i in by_id]


def _boost(candidate: Candidate, categories: list[str], theatre_key: str) -> float:
    """Extra score for the same hazard category and the same theatre."""
    scale = 1.0 if connection.vendor == "postgresql" else 10.0
    extra = 0.0
    if categories and any(f"|{c}|" in candidate.categories for c in categories):
        extra += 0.5 * scale
    if theatre_key and candidate.theatre_key == theatre_key:
        extra += 0.2 * scale
    return extra


def _latest_candidates(qs: QuerySet[SearchEntry], *, limit: int) -> list[Candidate]:
    rows = qs.order_by("-date", "-id").values_list(*CANDIDATE_FIELDS)[:limit]
    return [Candidate(*row) for row in rows]


def _latest(ids: list[int]) -> list[Hit]:
    """Result lines without words: the start of the text as the snippet."""
    rows = SearchEntry.objects.filter(id__in=ids).values(*RESULT_FIELDS, "text")
    by_id = {}
    for row in rows:
        text = row.pop("text")
        snippet = text[:220] + ("…" if len(text) > 220 else "")
        by_id[row["id"]] = Hit(**row, snippet=highlight(snippet))
    return [by_id[i] for i in ids if i in by_id]


def _facets(candidates: list[Candidate], categories: list[Any]) -> dict:
    """Counts per facet value over the candidates (all matches, or the best
    ``CAP`` of them when there are more)."""
    fixed = {
        "type": SearchEntry.Type.choices,
        "kind": Kind.choices,
        "phase": Phase.choices,
        "state": [*Observation.Status.choices, *Lesson.Status.choices],
    }
    column = {"type": "type", "kind": "kind", "phase": "phase", "state": "status"}
    facets: dict[str, list[Facet]] = {}
    for facet, choices in fixed.items():
        counts = Counter(getattr(c, column[facet]) for c in candidates)
        facets[facet] = [
            Facet(value, str(label), counts[value])
            for value, label in choices
            if counts[value]
        ]
    codes = Counter(
        code for c in candidates for code in c.categories.split("|") if code
    )
    facets["category"] = [
        Facet(c.code, c.name, codes[c.code]) for c in categories if codes[c.code]
    ]
    theatres = Counter(c.theatre for c in candidates)
    facets["theatre"] = [
        Facet(t, t, n)
        for t, n in sorted(theatres.items(), key=lambda item: (-item[1], item[0]))[:12]
    ]
    return facets


def run_search(
    *,
    user: Any,
    q: str = "",
    filters: Filters | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    with_facets: bool = True,
) -> Results:
    """Visible observations and lessons matching the words and filters, ranked.

    At most ``CAP`` results are counted, faceted and paged: the best ones by
    relevance (or the newest without words). When more match, ``more`` is
    set and the page says "more than 1,000"; the counts are those of the
    results shown, never of rows the user may not see."""
    from missionsafety.risks.models import HazardCategory

    filters = filters or Filters()
    words = parse_query(q)
    filtered = filters.apply(SearchEntry.objects.visible_to(user))
    page = max(1, min(int(page or 1), CAP // per_page or 1))
    offset = (page - 1) * per_page
    if words:
        candidates = _ranked_candidates(filtered, words, limit=CAP + 1)
    else:
        candidates = _latest_candidates(filtered, limit=CAP + 1)
    more = len(candidates) > CAP
    candidates = candidates[:CAP]
    facets: dict[str, list[Facet]] = {}
    if with_facets and candidates:
        facets = _facets(candidates, list(HazardCategory.objects.order_by("code")))
    ids = [c.id for c in candidates[offset : offset + per_page]]
    hits = _hits(ids, words, match_all=True) if words else _latest(ids)
    scores = {c.id: c.score for c in candidates[offset : offset + per_page]}
    for hit in hits:
        hit.score = scores.get(hit.id, 0.0)
    return Results(
        hits=hits,
        total=len(candidates),
        more=more,
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
    words, boosted for the same hazard category and theatre. On a large
    table the rarest words are chosen first (``_distinctive``)."""
    qs = SearchEntry.objects.visible_to(user).exclude(
        status__in=[Observation.Status.REJECTED, Lesson.Status.CLOSED]
    )
    if exclude_deployment_id:
        qs = qs.exclude(deployment_id=exclude_deployment_id)
    all_words = parse_query(text)
    if all_words:
        candidates: list[Candidate] = []
        words, match_all = all_words, False
        for words, match_all in _distinctive(all_words):
            candidates = _ranked_candidates(
                qs, words, limit=SUGGESTION_POOL, match_all=match_all
            )
            if len(candidates) >= limit:
                break
        for c in candidates:
            c.score += _boost(c, categories, theatre_key)
        candidates.sort(key=lambda c: (-c.score, -c.date.toordinal(), -c.id))
        chosen = candidates[:limit]
        hits = _hits([c.id for c in chosen], words, match_all=match_all)
        scores = {c.id: c.score for c in chosen}
        for hit in hits:
            hit.score = scores[hit.id]
        return hits
    if not categories and not theatre_key:
        return []
    near = Q()
    for code in categories:
        near |= Q(categories__contains=f"|{code}|")
    if not categories:
        near = Q(theatre_key=theatre_key)
    return _latest([c.id for c in _latest_candidates(qs.filter(near), limit=limit)])
