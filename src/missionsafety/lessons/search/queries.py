"""The two searches the pages run: results for a query, and suggestions while typing."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from missionsafety.lessons.models import Lesson, Observation, SearchEntry
from missionsafety.lessons.search.candidates import (
    Candidate,
    _boost,
    _facets,
    _hits,
    _latest,
    _latest_candidates,
    _ranked_candidates,
)
from missionsafety.lessons.search.planning import _distinctive
from missionsafety.lessons.search.results import PER_PAGE, Facet, Filters, Hit, Results
from missionsafety.lessons.text import parse_query

# Results counted, faceted and paged at most; beyond it "more than 1,000".
CAP = 1000
# Best matches by words among which suggestions are boosted by category/theatre.
SUGGESTION_POOL = 200


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
