"""Across the two languages: the bilingual safety thesaurus in search and in
the suggestions of the learning loop (SQLite FTS5 and, with DATABASE_URL,
PostgreSQL full-text search)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from missionsafety.lessons import selectors, services
from missionsafety.lessons.access import make_risk
from missionsafety.lessons.search import run_search
from missionsafety.lessons.tests.conftest import R, make_earlier
from missionsafety.lessons.text import (
    MAX_GROUPS_PER_WORD,
    SYNONYMS,
    canonical_keys,
    load_groups,
    parse_query,
)


@pytest.fixture
def bilingual(world: Any) -> SimpleNamespace:
    """An earlier deployment with one English and one Dutch observation,
    released to all of defence, and none sharing a word with the other
    language's question."""
    w = world
    s = SimpleNamespace(w=w)
    earlier = make_earlier(
        w,
        "EFP-LTU-R9",
        "Litouwen (Rukla)",
        [(w.jfc, R.OPERATIONAL_COMMAND), (w.clas, R.FORCE_PROVIDER)],
    )
    s.black_ice = services.observation_submit(
        actor=w.jfc_safety,
        deployment=earlier,
        title="Trucks slid off the road on black ice",
        observation="Two trucks slid into the verge on black ice during a night drive.",
        source="aar",
        releasability="defence",
    )
    s.ammo = services.observation_submit(
        actor=w.jfc_safety,
        deployment=earlier,
        title="Munitiedepot zonder bliksemafleiding",
        observation="Het munitiedepot had geen bliksemafleiding; onweer trok over.",
        source="review",
        releasability="defence",
    )
    return s


def found(user: Any, q: str) -> list[str]:
    return [h.title for h in run_search(user=user, q=q).hits]


@pytest.mark.parametrize(
    "q", ["ijzel", "gladheid", "IJzel op de weg", "black ice", "icy roads"]
)
def test_dutch_words_for_black_ice_find_the_english_observation(
    bilingual: Any, q: str
) -> None:
    assert bilingual.black_ice.title in found(bilingual.w.bde43_safety, q)


@pytest.mark.parametrize(
    "q", ["ammunition storage", "ammunition depot lightning", "munitieopslag onweer"]
)
def test_english_words_find_the_dutch_observation(bilingual: Any, q: str) -> None:
    assert bilingual.ammo.title in found(bilingual.w.bde43_safety, q)


def test_the_thesaurus_does_not_match_everything(bilingual: Any) -> None:
    assert found(bilingual.w.bde43_safety, "hitte") == []
    assert found(bilingual.w.bde43_safety, "black ice munitie") == []


def test_the_search_page_highlights_the_other_language(
    bilingual: Any, client_for: Any
) -> None:
    page = client_for(bilingual.w.bde43_safety).get(
        reverse("lessons:search"), {"q": "ijzel"}
    )
    assert bilingual.black_ice.title in page.content.decode()


def test_an_english_lesson_is_suggested_for_a_dutch_risk(bilingual: Any) -> None:
    w = bilingual.w
    dutch = make_risk(w.dep, title="Voertuigen glijden van de weg door ijzel")
    english = make_risk(w.dep, title="Vehicles slide off the road on black ice")
    for risk in (dutch, english):
        hits = selectors.risk_suggestions(user=w.bde13_safety, risk=risk)
        assert bilingual.black_ice.pk in [h.observation_id for h in hits], risk.title


def test_a_dutch_lesson_is_suggested_for_an_english_risk(
    bilingual: Any, client_for: Any
) -> None:
    w = bilingual.w
    risk = make_risk(w.dep, title="Lightning strike on the ammunition storage")
    hits = selectors.risk_suggestions(user=w.bde13_safety, risk=risk)
    assert bilingual.ammo.pk in [h.observation_id for h in hits]
    # The same while typing on the new-risk form, in both wordings.
    for title in (
        "Lightning strike on ammunition storage",
        "Blikseminslag munitieopslag",
    ):
        response = client_for(w.bde13_safety).get(
            reverse("lessons:suggest", kwargs={"deployment_pk": w.dep.pk}),
            {"title": title},
        )
        assert bilingual.ammo.title in response.content.decode(), title


def test_the_thesaurus_ships_hundreds_of_bilingual_groups() -> None:
    groups = load_groups()
    assert len(groups) >= 250
    assert groups == SYNONYMS
    assert canonical_keys("black ice") == canonical_keys("ijzel")
    assert canonical_keys("hitte") == canonical_keys("heat")
    assert canonical_keys("ammunition storage") == canonical_keys("munitieopslag")


def test_query_expansion_is_capped() -> None:
    words = parse_query("ammunition storage heat missing " * 20)
    assert len(words) == 4
    assert all(len(w.alternatives) <= 2 + MAX_GROUPS_PER_WORD for w in words)
