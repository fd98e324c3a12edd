"""Very common words: PostgreSQL reads the matches in date windows, newest
first; SQLite takes the newest visible matches from the date index instead
of ranking every match.

Whatever the windows, a search finds the same results as one read of all
matches: the newest visible matches, ranked. Windows only decide how much of
the table is read."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection

from missionsafety.lessons import search, services
from missionsafety.lessons.models import Releasability, SearchEntry
from missionsafety.lessons.search import run_search
from missionsafety.lessons.text import parse_query

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="date windows are a PostgreSQL plan (SQLite ranks in FTS5)",
)
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="the newest-first path for very common words is SQLite's",
)


@pytest.fixture
def spread(loop: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Ten munitie observations, one per month back from today, half released
    to all of defence and half to the deployment's parties; a cap of 3."""
    w = loop.w
    for n in range(10):
        services.observation_submit(
            actor=w.coy_leader,
            deployment=w.dep,
            title=f"Munitie nat {n}",
            observation="Munitiekisten stonden buiten in de regen.",
            source="aar",
            observed_on=w.today - datetime.timedelta(days=30 * n),
            releasability=Releasability.DEFENCE if n % 2 else Releasability.PARTIES,
        )
    monkeypatch.setattr(search.queries, "CAP", 3)
    return loop


def windows(days: list[int], today: datetime.date) -> list[tuple[float, Any]]:
    shares = [1 / 16, 1 / 8, 1 / 4, 1 / 2]
    return [
        (s, today - datetime.timedelta(days=d))
        for s, d in zip(shares, days, strict=False)
    ]


def titles(user: Any, q: str = "munitie") -> list[str]:
    results = run_search(user=user, q=q)
    return [h.title for h in results.hits] + [f"more={results.more}"]


@postgresql_only
@pytest.mark.parametrize(
    "days",
    [
        [45, 100, 200, 400],  # the first window holds two: then a wider one
        [0, 1, 2, 3],  # every window short: all matches
        [400, 800, 1600, 3200],  # the first window holds everything
        [-30],  # a window of the future: nothing in it
    ],
)
def test_windows_find_what_one_read_finds(
    spread: Any, monkeypatch: pytest.MonkeyPatch, days: list[int]
) -> None:
    w = spread.w
    users = [w.jfc_safety, w.bde43_safety, w.coy_leader]
    monkeypatch.setattr(search.candidates, "_date_cutoffs", lambda: [])
    expected = {u.username: titles(u) for u in users}
    assert expected[w.jfc_safety.username][-1] == "more=True"
    monkeypatch.setattr(
        search.candidates, "_date_cutoffs", lambda: windows(days, w.today)
    )
    for user in users:
        assert titles(user) == expected[user.username], user.username


@postgresql_only
def test_a_short_window_is_widened_not_trusted(
    spread: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The newest sixteenth holds one match: the next window is chosen by how
    # densely that one matched, and the result is still the newest three.
    w = spread.w
    monkeypatch.setattr(
        search.candidates, "_date_cutoffs", lambda: windows([10, 70, 200, 400], w.today)
    )
    results = run_search(user=w.jfc_safety, q="munitie")
    newest = sorted((h.date for h in results.hits), reverse=True)
    assert newest[0] == w.today
    assert len(results.hits) == 3 and results.more


@postgresql_only
def test_cutoffs_come_from_the_statistics(
    spread: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search.planning, "WINDOW_MIN_ROWS", 0)
    monkeypatch.setitem(search._stats, "until", 0.0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE lessons_searchentry")
    found = search._date_cutoffs()
    assert found, "statistics of the date column give windows"
    shares = [s for s, _d in found]
    dates = [d for _s, d in found]
    assert shares == sorted(shares) and dates == sorted(dates, reverse=True)
    assert all(d <= spread.w.today for d in dates)
    # Few rows: no windows (one read of all matches is cheap).
    monkeypatch.setattr(search.planning, "WINDOW_MIN_ROWS", 10**9)
    monkeypatch.setitem(search._stats, "until", 0.0)
    assert search._date_cutoffs() == []


@pytest.fixture
def common(spread: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """As ``spread``, with "munitie" counted as a very common word."""
    monkeypatch.setattr(search.planning, "RANK_ALL_MAX", 2)
    monkeypatch.setitem(search._stats, "until", float("inf"))
    monkeypatch.setitem(search._stats, "rows", 10**6)
    return spread


def newest_matching(user: Any, word: str, n: int) -> list[SearchEntry]:
    """The newest n entries the user may see with the word in title or text,
    those with it in the title first (what the page should show)."""
    entries = [
        e
        for e in SearchEntry.objects.visible_to(user).order_by("-date", "-id")
        if word in f"{e.title} {e.text}".lower()
    ][:n]
    return sorted(entries, key=lambda e: word not in e.title.lower())


@sqlite_only
def test_very_common_words_show_the_newest_title_matches_first(
    common: Any,
) -> None:
    w = common.w
    results = run_search(user=w.jfc_safety, q="munitie")
    assert results.more is True
    expected = newest_matching(w.jfc_safety, "munitie", 3)
    assert [h.id for h in results.hits] == [e.id for e in expected]
    assert "Munitie nat 0" in [h.title for h in results.hits]


@sqlite_only
def test_very_common_words_never_show_what_the_user_may_not_see(
    common: Any,
) -> None:
    w = common.w
    hits = run_search(user=w.bde43_safety, q="munitie").hits
    expected = newest_matching(w.bde43_safety, "munitie", 3)
    assert [h.id for h in hits] == [e.id for e in expected]
    # Only what is released to all of defence: odd-numbered new ones, and
    # never the even ones meant for the deployment's parties.
    titles_seen = {h.title for h in hits}
    assert "Munitie nat 1" in titles_seen
    assert not titles_seen & {"Munitie nat 0", "Munitie nat 2", "Munitie nat 4"}


@sqlite_only
def test_title_matches_come_before_newer_text_matches(
    common: Any,
) -> None:
    w = common.w
    services.observation_submit(
        actor=w.coy_leader,
        deployment=w.dep,
        title="Regen in het kamp",
        observation="Munitie en rantsoenen werden nat.",
        source="aar",
        observed_on=w.today,
    )
    results = run_search(user=w.jfc_safety, q="munitie", per_page=3)
    titles = [h.title for h in results.hits]
    # The newest match has the word only in its text: among the newest
    # three it comes after those with the word in the title.
    assert titles[-1] == "Regen in het kamp"


@sqlite_only
def test_suggestions_keep_the_rare_words_of_a_long_title(common: Any) -> None:
    # "munitie" matches a dozen entries, "ontstekers" one: with at most two
    # matches to rank, the suggestion looks for the rare word first, then
    # for the two rarest.
    plans = search._distinctive(parse_query("Munitie en ontstekers"))
    assert [([w.word for w in ws], all_) for ws, all_ in plans] == [
        (["ontstekers"], False),
        (["ontstekers", "munitie"], False),
    ]
    # Every word common: the two rarest together, then the rarest alone.
    plans = search._distinctive(parse_query("Munitie nat"))
    assert [(len(ws), all_) for ws, all_ in plans] == [(2, True), (1, False)]
    hits = search.suggestions(
        user=common.w.bde13_safety,
        text="Munitie en ontstekers",
        categories=[],
        theatre_key="",
        exclude_deployment_id=common.w.dep.pk,
    )
    assert hits and hits[0].title == common.fuzes.title


@postgresql_only
def test_word_counts_come_from_the_planner(spread: Any) -> None:
    # PostgreSQL has no cheap count of a word's matches: the planner's
    # estimate from the column's statistics ranks the words instead.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE lessons_searchentry")
    counts = search._word_counts(parse_query("munitie ontstekers"))
    assert len(counts) == 2 and all(n >= 0 for n in counts)
    assert counts[0] >= counts[1]  # munitie is in more entries than ontstekers
