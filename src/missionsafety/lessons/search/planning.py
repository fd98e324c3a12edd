"""How a search is planned: the text query, table statistics, date windows and word counts."""

from __future__ import annotations

import datetime
import json
import time
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import QuerySet

from missionsafety.lessons.models import SearchEntry
from missionsafety.lessons.text import QueryWord, fts5_query, tsquery_parts


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
