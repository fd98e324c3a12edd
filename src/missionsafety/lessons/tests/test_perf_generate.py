"""The bulk generator of observations and lessons (reference data set)."""

from __future__ import annotations

from typing import Any

from missionsafety.lessons import services
from missionsafety.lessons.models import Lesson, Observation, SearchEntry
from missionsafety.lessons.perf import generate
from missionsafety.lessons.search import run_search


def _generate(w: Any, seed: int = 3) -> dict[str, int]:
    # Released to / acted on by 13 LBR and 42 BLJ only, never 43 MECHBRIG.
    return generate(
        n_observations=40,
        n_lessons=15,
        deployments=[w.dep.pk, w.other.pk],
        orgs=[w.bde13.pk, w.bn.pk],
        users=[w.coy_leader.pk],
        seed=seed,
    )


def test_generates_searchable_rows_with_their_index(world: Any) -> None:
    counts = _generate(world)
    assert counts == {"observations": 40, "lessons": 15, "entries": 55}
    assert SearchEntry.objects.count() == 55
    obs = Observation.objects.order_by("id").first()
    assert obs is not None
    word = obs.title.split()[0]
    found = run_search(user=world.inspector, q=word)
    assert obs.pk in {h.observation_id for h in found.hits} or found.more
    assert {o.status for o in Observation.objects.all()} <= set(
        Observation.Status.values
    )
    assert Lesson.objects.exclude(releasability="parties").exists()


def test_generated_rows_keep_their_visibility(world: Any) -> None:
    _generate(world)
    # 43 MECHBRIG is a party to w.other only: of w.dep it sees only what is
    # released to all of defence.
    seen = run_search(user=world.bde43_safety, q="", per_page=100).hits
    for hit in seen:
        entry = SearchEntry.objects.get(pk=hit.id)
        if entry.deployment_id == world.dep.pk:
            assert entry.releasability == "defence"


def test_the_index_still_follows_writes_after_generating(world: Any) -> None:
    _generate(world)
    obs = services.observation_submit(
        actor=world.coy_leader,
        deployment=world.dep,
        title="Zeldzaamwoord bij de poort",
        observation="Een zeldzaamwoord in de tekst.",
        source="aar",
    )
    assert [
        h.observation_id
        for h in run_search(user=world.inspector, q="zeldzaamwoord").hits
    ] == [obs.pk]


def test_the_same_seed_gives_the_same_rows(world: Any) -> None:
    _generate(world, seed=9)
    first = list(Observation.objects.order_by("id").values_list("title", "observation"))
    Observation.objects.all().delete()
    _generate(world, seed=9)
    again = list(Observation.objects.order_by("id").values_list("title", "observation"))
    assert again == first
