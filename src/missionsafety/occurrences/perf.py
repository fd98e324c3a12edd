"""Bulk generation of realistic occurrences for benchmarks and the reference data set.

``generate()`` writes occurrences straight into the table (``bulk_create`` in
batches, no audit record per row, no events): they are imported, not reported.
It then rebuilds the monthly counts the trend panels read
(``OccurrenceMonth``), so the generated data set is consistent.

Distributions: a few large deployments and many small ones (sizes follow a
Zipf-like curve unless given), mostly category 0–1 with a few 3–4, the four
kinds mixed (more unsafe situations and near misses than accidents), dates
spread over each deployment's period, older ones mostly closed, titles and
texts in Dutch (most) and English. Deterministic for a seed.

Use from another generator (e.g. a ``generate`` management command)::

    from missionsafety.occurrences.perf import Target, generate

    targets = [
        Target(deployment_id=d.id, unit_ids=[unit_id], start=d.start, end=d.end,
               reporter_ids=[user_id, ...])
        for d in deployments
    ]
    generate(targets=targets, total=1_000_000, seed=42)

When the project's reference data set generator (``missionsafety.perf``) is
installed, a step named ``occurrences`` is registered with it (see the end of
this module).
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from missionsafety.occurrences.models import Occurrence

KINDS = [
    (Occurrence.Kind.UNSAFE_SITUATION.value, 40),
    (Occurrence.Kind.NEAR_MISS.value, 35),
    (Occurrence.Kind.INCIDENT.value, 20),
    (Occurrence.Kind.ACCIDENT.value, 5),
]
ACTUAL = [(0, 55), (1, 30), (2, 10), (3, 4), (4, 1)]
POTENTIAL_STEP = [(0, 50), (1, 30), (2, 15), (3, 5)]

PLACES = [
    "Rukla, kazerne",
    "Rukla, hoofdpoort",
    "Pabrade, oefenterrein",
    "Gaižiūnai, schietbaan",
    "Camp Castor, Gao",
    "Camp Nathan Smith",
    "Erbil, basis",
    "Bamako, luchthaven",
    "Rukla, werkplaats",
    "MSR Amber, km 14",
    "Konvooiroute Tango",
    "Pristina, kamp Film City",
]
SUBJECTS_NL = [
    "Bijna-aanrijding met {v} bij {p}",
    "Losse munitie aangetroffen bij {p}",
    "Val van {v} tijdens laden",
    "Brandje in keuken bij {p}",
    "Voertuig {v} gekanteld op zachte berm",
    "Gehoorschade na schieten zonder gehoorbescherming",
    "Snijwond bij onderhoud {v}",
    "Gladheid op looproute bij {p}",
    "Onveilige opslag brandstof bij {p}",
    "Blikseminslag nabij {p}",
    "Verstuikte enkel tijdens mars",
    "Hitte-uitputting tijdens patrouille",
]
SUBJECTS_EN = [
    "Near miss with {v} at {p}",
    "Unexploded ordnance reported near {p}",
    "Vehicle {v} rolled over on soft verge",
    "Heat exhaustion during patrol",
    "Negligent discharge at the clearing bay",
    "Fuel spill at {p}",
    "Fall from {v} while loading",
]
VEHICLES = ["CV90", "Boxer", "Fennek", "Bushmaster", "DAF YAM", "Scania Gryphus"]
DESCRIPTIONS_NL = [
    "Tijdens de ochtendronde werd de situatie opgemerkt door de wachtcommandant. "
    "De omgeving is direct afgezet en de pelotonscommandant is ingelicht.",
    "Bij het achteruitrijden zag de bestuurder de wegwijzer niet; er was geen "
    "wegwijzer aangewezen. Niemand raakte gewond.",
    "De betrokken militair is door de geneeskundige dienst nagekeken en kon zijn "
    "taak hervatten. Oorzaak: vermoeidheid na een lange dienst.",
]
DESCRIPTIONS_EN = [
    "Observed during the morning round by the guard commander. The area was "
    "cordoned off and the platoon commander informed.",
    "While reversing, the driver did not see the ground guide; none had been "
    "assigned. No one was hurt.",
]
ACTIONS_NL = [
    "Gebied afgezet, EOD gewaarschuwd.",
    "Wegwijzer verplicht gesteld bij achteruitrijden.",
    "Toolbox meeting gehouden met het peloton.",
    "",
]


@dataclass
class Target:
    """One deployment to fill: where its occurrences happen, who reports them."""

    deployment_id: int
    unit_ids: Sequence[int]
    start: datetime.date
    end: datetime.date
    reporter_ids: Sequence[int] = field(default_factory=list)
    size: int | None = None  # how many occurrences; None: a share of the total


def zipf_sizes(n: int, total: int) -> list[int]:
    """``n`` sizes summing to ``total``: a few large deployments, many small."""
    if n <= 0:
        return []
    weights = [1 / (i + 5) ** 0.9 for i in range(1, n + 1)]
    factor = total / sum(weights)
    sizes = [int(w * factor) for w in weights]
    for i in range(total - sum(sizes)):
        sizes[i % n] += 1
    return sizes


def _pick(rng: random.Random, options: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _w in options], weights=[w for _v, w in options])[0]


def _status(rng: random.Random, age_days: int) -> str:
    s = Occurrence.Status
    if age_days > 120:
        return s.CLOSED if rng.random() < 0.92 else s.ACTIONS_OPEN
    if age_days > 30:
        return _pick(
            rng,
            [
                (s.CLOSED, 50),
                (s.ACTIONS_OPEN, 25),
                (s.INVESTIGATING, 15),
                (s.TRIAGED, 10),
            ],
        )
    return _pick(
        rng, [(s.REPORTED, 40), (s.TRIAGED, 30), (s.INVESTIGATING, 20), (s.CLOSED, 10)]
    )


def rows_for(
    target: Target, size: int, rng: random.Random, today: datetime.date
) -> list[Occurrence]:
    """Unsaved occurrences of one deployment (dates within its period, not future)."""
    first = target.start
    last = min(target.end, today)
    if last < first:
        first = last
    span_minutes = max(1, int((last - first).days * 1440 + 1439))
    base = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    now = timezone.now()
    rows = []
    for _i in range(size):
        when = min(now, base + datetime.timedelta(minutes=rng.randrange(span_minutes)))
        age = (today - when.date()).days
        kind = _pick(rng, KINDS)
        actual = _pick(rng, ACTUAL)
        potential = min(4, actual + _pick(rng, POTENTIAL_STEP))
        vehicle = rng.choice(VEHICLES)
        place = rng.choice(PLACES)
        english = rng.random() < 0.25
        title = rng.choice(SUBJECTS_EN if english else SUBJECTS_NL).format(
            v=vehicle, p=place.split(",")[0]
        )
        status = _status(rng, age)
        rows.append(
            Occurrence(
                deployment_id=target.deployment_id,
                # Set explicitly: the reference generator switches off auto_now.
                created_at=when,
                updated_at=when,
                occurred_at=when,
                place=place,
                unit_id=rng.choice(target.unit_ids),
                activity=rng.choice(["", "patrouille", "schietoefening", "konvooi"]),
                kind=kind,
                title=title,
                actual_category=actual,
                potential_category=potential,
                category_confirmed=status != Occurrence.Status.REPORTED,
                injuries="1 licht gewonde" if kind == "accident" else "",
                ammunition_involved=rng.random() < 0.04,
                immediate_actions=rng.choice(ACTIONS_NL),
                description=rng.choice(DESCRIPTIONS_EN if english else DESCRIPTIONS_NL),
                status=status,
                reported_by_id=rng.choice(target.reporter_ids)
                if target.reporter_ids
                else None,
                closed_at=when + datetime.timedelta(days=rng.randint(1, 60))
                if status == Occurrence.Status.CLOSED
                else None,
            )
        )
    return rows


def generate(
    *,
    targets: Sequence[Target],
    total: int | None = None,
    seed: int = 0,
    today: datetime.date | None = None,
    batch_size: int = 5000,
    out: Callable[[str], None] | None = None,
) -> int:
    """Bulk-create occurrences over the targets; returns how many were written.

    ``total`` is spread over the targets without a ``size`` (largest first,
    Zipf-like). Monthly counts of the touched deployments are rebuilt after.
    """
    rng = random.Random(f"{seed}:occurrences")
    today = today or timezone.localdate()
    open_ = [t for t in targets if t.size is None]
    shares = zipf_sizes(len(open_), total or 0)
    sizes = {id(t): s for t, s in zip(open_, shares, strict=True)}
    started = time.monotonic()
    written = 0
    batch: list[Occurrence] = []
    with transaction.atomic():
        for target in targets:
            size = target.size if target.size is not None else sizes[id(target)]
            remaining = size
            while remaining:
                chunk = min(remaining, batch_size)
                batch.extend(rows_for(target, chunk, rng, today))
                remaining -= chunk
                if len(batch) >= batch_size:
                    Occurrence.objects.bulk_create(batch, batch_size=batch_size)
                    written += len(batch)
                    batch = []
                    if out and written % 100_000 < batch_size:
                        out(
                            f"  {written:,} occurrences ({time.monotonic() - started:.0f} s)"
                        )
        if batch:
            Occurrence.objects.bulk_create(batch, batch_size=batch_size)
            written += len(batch)
    if out:
        out(f"  {written:,} occurrences in {time.monotonic() - started:.0f} s")
    return written


def _register_with_reference_generator() -> None:
    """Add an ``occurrences`` step to ``missionsafety generate`` when it exists."""
    try:
        from missionsafety.core.generation import GenContext, register
    except ImportError:
        return

    @register("occurrences", order=60, models=("occurrences.Occurrence",))
    def occurrences_step(ctx: GenContext) -> dict[str, int]:
        targets = []
        for dep in ctx.deployments:
            units = [org for role, (_pid, org) in dep.parties.items() if role]
            reporters = [u for org in units for u in ctx.users_by_org.get(org, [])[:5]]
            targets.append(
                Target(
                    deployment_id=dep.id,
                    unit_ids=units,
                    start=dep.start - datetime.timedelta(days=120),
                    end=dep.end,
                    reporter_ids=reporters,
                )
            )
        n = generate(
            targets=targets,
            total=ctx.n("occurrences"),
            seed=ctx.seed,
            today=ctx.today,
            out=ctx.out,
        )
        return {"occurrences": n}


_register_with_reference_generator()
