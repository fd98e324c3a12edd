"""Search: Dutch and English stems, compounds, safe queries, facets, visibility.

Runs on SQLite (FTS5) and, with DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from missionsafety.core.text import has_control_characters
from missionsafety.lessons import services
from missionsafety.lessons.models import SearchEntry
from missionsafety.lessons.search import Filters, run_search


def titles(user: Any, q: str, **filters: Any) -> list[str]:
    results = run_search(user=user, q=q, filters=Filters(**filters))
    return [h.title for h in results.hits]


def test_dutch_compound_finds_the_parts(loop: Any) -> None:
    assert loop.fuzes.title in titles(loop.w.jfc_safety, "munitieopslag hitte")


def test_english_question_finds_the_dutch_observation(loop: Any) -> None:
    assert loop.fuzes.title in titles(loop.w.jfc_safety, "ammunition storage heat")
    assert loop.fuzes.title in titles(loop.w.jfc_safety, "fuzes")


def test_dutch_plural_and_stem(loop: Any) -> None:
    assert loop.fuzes.title in titles(loop.w.jfc_safety, "ontsteker containers")


def test_words_must_all_match(loop: Any) -> None:
    assert titles(loop.w.jfc_safety, "munitie helikopter") == []


@pytest.mark.parametrize(
    "q",
    [
        '"munitie',
        "munitie AND OR NOT",
        "NEAR(munitie hitte)",
        "munitie* hitte^ {title}: x",
        "title:munitie",
        "' OR 1=1 --",
        "!!! && || ()",
        "munitie " * 400,
        "é" * 5000,
        "\x00\ue000munitie\ue001",
        "-hitte",
    ],
)
def test_hostile_queries_never_error(loop: Any, client_for: Any, q: str) -> None:
    page = client_for(loop.w.bde43_safety).get(reverse("lessons:search"), {"q": q})
    assert page.status_code == 200
    assert loop.secret.title not in page.content.decode()
    api = client_for(loop.w.jfc_safety).get("/api/v1/search", {"q": q[:2000]})
    if has_control_characters(q):  # refused at input, naming the parameter
        assert api.status_code == 422
        assert '"q"' in api.content.decode()
    else:
        assert api.status_code == 200


def test_snippets_are_escaped(world: Any) -> None:
    services.observation_submit(
        actor=world.coy_leader,
        deployment=world.dep,
        title="<script>alert(1)</script> hitte",
        observation="<b>hitte</b> in de <script>tent</script>",
        source="aar",
    )
    hit = run_search(user=world.jfc_safety, q="hitte").hits[0]
    assert "<script>" not in hit.snippet
    assert "<mark>" in hit.snippet


def test_facets_count_only_what_the_user_sees(loop: Any) -> None:
    w = loop.w
    mine = run_search(user=w.bde13_safety, q="munitie")
    theirs = run_search(user=w.bde43_safety, q="munitie")
    assert mine.total == 3
    assert theirs.total == 1
    assert {f.value: f.count for f in theirs.facets["category"]} == {
        "climate": 1,
        "weapons-ammo": 1,
    }
    assert [(f.value, f.count) for f in theirs.facets["theatre"]] == [("Mali (Gao)", 1)]
    auditor = run_search(user=w.inspector, q="munitie")
    assert auditor.total == 3


def test_filters(loop: Any) -> None:
    w = loop.w
    assert titles(w.bde13_safety, "munitie", category="climate") == [loop.fuzes.title]
    assert titles(w.bde13_safety, "munitie", theatre="Litouwen") == []
    assert len(titles(w.bde13_safety, "", type="observation")) == 3
    assert titles(w.bde13_safety, "munitie", kind="good_practice") == []
    assert titles(w.bde13_safety, "munitie", state="verified") == []


def test_unknown_filter_values_are_ignored(loop: Any, client_for: Any) -> None:
    page = client_for(loop.w.bde13_safety).get(
        reverse("lessons:search"),
        {"q": "munitie", "state": "nonsense", "date_from": "31-31-2020", "page": "x"},
    )
    assert page.status_code == 200
    assert page.context["results"].total == 3


def test_the_index_follows_every_write(loop: Any) -> None:
    w = loop.w
    obs = services.observation_update(
        actor=w.bde13_safety,
        observation=loop.parties_only,
        version=loop.parties_only.version,
        title="Kisten in de zon bij de helikopterlandplaats",
    )
    assert obs.title in titles(w.bde13_safety, "helikopter")
    services.observation_update(
        actor=w.bde13_safety,
        observation=obs,
        version=obs.version,
        releasability="defence",
    )
    assert obs.title in titles(w.bde43_safety, "helikopter")


def test_reindex_rebuilds(loop: Any) -> None:
    SearchEntry.objects.all().delete()
    assert titles(loop.w.jfc_safety, "munitieopslag hitte") == []
    call_command("reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert loop.fuzes.title in titles(loop.w.jfc_safety, "munitieopslag hitte")


def test_api_search_has_the_same_facets(loop: Any, api_for: Any) -> None:
    body = (
        api_for(loop.w.bde43_safety)
        .get("/api/v1/search", {"q": "munitieopslag hitte"})
        .json()
    )
    assert body["total"] == 1
    assert body["items"][0]["title"] == loop.fuzes.title
    assert body["items"][0]["type"] == "observation"
    assert {f["value"] for f in body["facets"]["category"]} == {
        "climate",
        "weapons-ammo",
    }
