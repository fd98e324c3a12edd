"""The registry of the reference data set generator (``missionsafety generate``).

An app adds the rows of its concept with a step in its own ``perf.py``::

    from missionsafety.core.generation import GenContext, register

    @register("occurrences", order=60, models=("occurrences.Occurrence",))
    def occurrences(ctx: GenContext) -> dict[str, int]:
        rng = ctx.rng("occurrences")
        for dep in ctx.deployments: ...          # ids, phases, dates, parties
        ctx.bulk(Occurrence, rows)               # explicit ids, batched
        return {"occurrences": n}

The generator itself, which imports every app's ``perf.py`` and runs the
steps in order, belongs to the project package (``missionsafety.perf``).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone

# Per concept at scale 1 (DESIGN.md section 5).
REFERENCE = {
    "users": 5_000,
    "deployments": 1_000,
    "risks": 100_000,
    "controls": 300_000,
    "occurrences": 1_000_000,
    "observations": 100_000,
    "lessons": 100_000,
}


@dataclass
class Step:
    name: str
    order: int
    models: tuple[str, ...]
    run: Callable[[GenContext], dict[str, int]]

    def available(self) -> bool:
        for label in self.models:
            try:
                apps.get_model(label)
            except LookupError:
                return False
        return True


STEPS: dict[str, Step] = {}


def register(
    name: str, *, order: int, models: tuple[str, ...] = ()
) -> Callable[[Callable[[GenContext], dict[str, int]]], Any]:
    """Add a generation step; steps run by ``order``."""

    def wrap(func: Callable[[GenContext], dict[str, int]]) -> Any:
        STEPS[name] = Step(name=name, order=order, models=models, run=func)
        return func

    return wrap


# --------------------------------------------------------------------------
# Shared context
# --------------------------------------------------------------------------
@dataclass
class DeploymentInfo:
    id: int
    code: str
    phase: str
    start: datetime.date
    end: datetime.date
    # party role -> (party id, organisation id)
    parties: dict[str, tuple[int, int]] = field(default_factory=dict)
    size: int = 0

    @property
    def party_ids(self) -> list[int]:
        return [pid for pid, _org in self.parties.values()]


@dataclass
class GenContext:
    scale: float
    seed: int
    today: datetime.date
    out: Callable[[str], None] = print
    batch_size: int = 2000
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    # Filled by the steps, read by later ones.
    orgs: dict[str, int] = field(default_factory=dict)  # short name -> id
    org_echelon: dict[int, int] = field(default_factory=dict)
    org_parent: dict[int, int | None] = field(default_factory=dict)
    brigades: list[int] = field(default_factory=list)
    battalions: list[int] = field(default_factory=list)
    users_by_org: dict[int, list[int]] = field(default_factory=dict)
    commanders: dict[int, int] = field(default_factory=dict)  # org id -> user id
    users: list[int] = field(default_factory=list)
    deployments: list[DeploymentInfo] = field(default_factory=list)
    _next_ids: dict[type[models.Model], int] = field(default_factory=dict)

    def n(self, concept: str, minimum: int = 1) -> int:
        """How many rows of a concept at this scale."""
        return max(minimum, round(REFERENCE[concept] * self.scale))

    def rng(self, name: str) -> random.Random:
        """A random source per step, so adding a step changes no other step."""
        return random.Random(f"{self.seed}:{name}")

    def next_id(self, model: type[models.Model]) -> int:
        if model not in self._next_ids:
            top = model._default_manager.aggregate(m=models.Max("pk"))["m"]
            self._next_ids[model] = (top or 0) + 1
        value = self._next_ids[model]
        self._next_ids[model] = value + 1
        return value

    def bulk(self, model: type[models.Model], rows: list[Any]) -> None:
        if rows:
            model._default_manager.bulk_create(rows, batch_size=self.batch_size)
            key = model._meta.label_lower
            self.counts[key] = self.counts.get(key, 0) + len(rows)

    def now_at(self, day: datetime.date, rng: random.Random) -> datetime.datetime:
        moment = datetime.datetime.combine(day, datetime.time(7, 0)) + (
            datetime.timedelta(minutes=rng.randint(0, 11 * 60))
        )
        return timezone.make_aware(moment, datetime.UTC)


# Names of generated people (shared by every app's steps).
FIRST_NAMES = [
    "Sanne", "Pieter", "Marco", "Anouk", "Daan", "Fleur", "Joris", "Lotte", "Bram",
    "Eva", "Thijs", "Iris", "Ruben", "Noor", "Sem", "Lisa", "Youssef", "Fatima",
    "Kevin", "Mila", "Jeroen", "Esther", "Bas", "Wendy", "Niels", "Priya",
]  # fmt: skip
LAST_NAMES = [
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
    "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Dijk", "Dekker", "Brouwer",
    "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "Kok", "Jacobs",
    "El Amrani", "Yilmaz", "Haddou",
]  # fmt: skip
