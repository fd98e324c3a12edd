"""Finding, ranking and reading the candidate rows of a search."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from missionsafety.deployments.models import Phase
from missionsafety.lessons.models import Kind, Lesson, Observation, SearchEntry
from missionsafety.lessons.search.planning import (
    _date_cutoffs,
    _many_matches,
    _tsquery,
    _where,
)
from missionsafety.lessons.search.results import RESULT_FIELDS, Facet, Hit, highlight
from missionsafety.lessons.text import QueryWord, fts5_query

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
