"""Risks that are already in a register: the same library hazard, or a very
similar title (differing by a word ending, a typo, punctuation or case)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from difflib import SequenceMatcher
from typing import Any, TypeVar

K = TypeVar("K")

# Titles at least this alike (difflib's ratio) count as the same risk.
THRESHOLD = 0.85


def normalise(title: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", title.lower()).split())


def _trigrams(text: str) -> set[str]:
    padded = f"  {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def already_there(
    candidates: Mapping[K, tuple[str, int | None]], existing: Iterable[Any]
) -> dict[K, Any]:
    """For each candidate (title, library hazard id), the existing risk it repeats.

    ``existing``: risks with ``title`` and ``source_hazard_id``. A trigram index
    keeps it to a few exact comparisons per candidate, whatever the register's size.
    """
    risks = list(existing)
    by_hazard = {r.source_hazard_id: r for r in risks if r.source_hazard_id}
    titles = [normalise(r.title) for r in risks]
    exact = {t: r for t, r in zip(titles, risks, strict=True)}
    index: dict[str, list[int]] = {}
    grams = [_trigrams(t) for t in titles]
    for i, g in enumerate(grams):
        for gram in g:
            index.setdefault(gram, []).append(i)
    found: dict[K, Any] = {}
    for key, (title, hazard_id) in candidates.items():
        if hazard_id and hazard_id in by_hazard:
            found[key] = by_hazard[hazard_id]
            continue
        text = normalise(title)
        if text in exact:
            found[key] = exact[text]
            continue
        mine = _trigrams(text)
        shared = Counter(i for gram in mine for i in index.get(gram, ()))
        for i, n in shared.most_common(5):
            if n < THRESHOLD * max(len(mine), len(grams[i])) * 0.6:
                break
            if SequenceMatcher(None, text, titles[i]).ratio() >= THRESHOLD:
                found[key] = risks[i]
                break
    return found
