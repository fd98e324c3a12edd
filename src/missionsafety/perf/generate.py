"""The reference data set of DESIGN.md section 5, scaled, deterministic for a seed.

Generated rows are *imported*, not audited: they are written with
``bulk_create`` in batches, with primary keys assigned here, and without a
change record per row. One change record (action ``generate``) summarises the
whole run. Generated deployments carry codes starting with ``GEN-`` so that a
database holding real deployments is recognised (and refused without --force).

The generator is a registry of per-concept steps that run in order and share a
``GenContext``. A step declares the models it needs; a step whose models are
not installed is skipped. To add a concept when its app lands (occurrences at
1,000,000 × scale, observations and lessons at 100,000 × scale, evaluations)::

    from missionsafety.core.generation import GenContext, register

    @register("occurrences", order=60, models=("occurrences.Occurrence",))
    def occurrences(ctx: GenContext) -> dict[str, int]:
        rng = ctx.rng("occurrences")
        for dep in ctx.deployments: ...          # ids, phases, dates, parties
        ctx.bulk(Occurrence, rows)               # explicit ids, batched
        return {"occurrences": n}

and import that module from ``STEP_MODULES`` below (or from the app's own
``perf.py``, which is imported when it exists).
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

from missionsafety.core.generation import (
    REFERENCE,
    STEPS,
    DeploymentInfo,
    GenContext,
    Step,
    register,
)

GENERATED_PREFIX = "GEN-"
GENERATED_PASSWORD = "missie-veilig"  # same as the demo; documented in the README
USERNAME_PREFIX = "gen."

# --------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------
# Modules with more steps (another app's ``missionsafety.<app>.perf`` is found too).
STEP_MODULES: list[str] = []


def steps() -> list[Step]:
    for module in STEP_MODULES:
        import_module(module)
    for app in settings.INSTALLED_APPS:
        if app.startswith("missionsafety."):
            try:
                import_module(f"{app}.perf")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.perf":
                    raise
    return sorted(STEPS.values(), key=lambda s: s.order)


@contextmanager
def manual_timestamps() -> Iterator[None]:
    """Let generated rows carry their own (past) creation times.

    ``auto_now``/``auto_now_add`` would stamp every row with the moment of
    generation; for this process only, the generator sets them itself.
    """
    changed: list[tuple[models.Field[Any, Any], bool, bool]] = []
    for model in apps.get_models():
        if not model.__module__.startswith("missionsafety."):
            continue
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                changed.append((f, f.auto_now, f.auto_now_add))  # type: ignore[attr-defined]
                f.auto_now = f.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for f, now, now_add in changed:
            f.auto_now, f.auto_now_add = now, now_add  # type: ignore[attr-defined]


def weighted(rng: random.Random, options: Sequence[tuple[Any, float]]) -> Any:
    values = [v for v, _w in options]
    weights = [w for _v, w in options]
    return rng.choices(values, weights=weights)[0]


def zipf_sizes(n: int, total: int, rng: random.Random, minimum: int = 1) -> list[int]:
    """``n`` sizes summing to about ``total``: a few large, many small."""
    weights = [1 / (i + 5) ** 0.9 for i in range(1, n + 1)]
    scale = total / sum(weights)
    sizes = [max(minimum, round(w * scale)) for w in weights]
    return sizes  # largest first; the caller decides who gets which


# --------------------------------------------------------------------------
# State of the database
# --------------------------------------------------------------------------
def database_state() -> dict[str, int]:
    from missionsafety.deployments.models import Deployment

    generated = Deployment.objects.filter(code__startswith=GENERATED_PREFIX).count()
    return {
        "generated": generated,
        "other": Deployment.objects.exclude(code__startswith=GENERATED_PREFIX).count(),
    }


def reset_sequences() -> None:
    """Explicit primary keys leave PostgreSQL sequences behind; move them on."""
    if connection.vendor != "postgresql":
        return
    models_ = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models_):
            cursor.execute(sql)


def run(
    *,
    scale: float,
    seed: int = 1,
    out: Callable[[str], None] = print,
    today: datetime.date | None = None,
) -> GenContext:
    """Generate every available concept; return counts and timings."""
    from missionsafety.audit.services import record_change
    from missionsafety.core.defaults import install_defaults
    from missionsafety.organisations.models import Organisation

    ctx = GenContext(
        scale=scale, seed=seed, today=today or timezone.localdate(), out=out
    )
    install_defaults()  # matrices, categories, templates (gone after a flush)
    started = time.perf_counter()
    with manual_timestamps():
        for step in steps():
            if not step.available():
                out(f"  {step.name:<14} skipped: its models are not installed")
                continue
            t0 = time.perf_counter()
            produced = step.run(ctx)
            ctx.timings[step.name] = time.perf_counter() - t0
            summary = ", ".join(f"{v:,} {k}" for k, v in produced.items())
            out(f"  {step.name:<14} {ctx.timings[step.name]:7.1f} s  {summary}")
    reset_sequences()
    ctx.timings["total"] = time.perf_counter() - started
    root = Organisation.objects.get(pk=ctx.orgs["DS"])
    record_change(
        actor=f"generate (scale {scale}, seed {seed})",
        obj=root,
        action="generate",
        after={
            "scale": scale,
            "seed": seed,
            "counts": ctx.counts,
            "seconds": {k: round(v, 1) for k, v in ctx.timings.items()},
            "note": "Imported reference data set; rows carry no change records.",
        },
    )
    if connection.vendor == "postgresql":
        # What autovacuum would do a minute after a bulk load: without it the
        # planner (and the search's date windows) work from empty statistics.
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        out(f"  {'analyze':<14} {time.perf_counter() - t0:7.1f} s")
    return ctx


def level_distribution() -> dict[str, int]:
    """Open risks per residual level (for the summary)."""
    from missionsafety.risks.models import Risk

    rows = (
        Risk.objects.values_list("residual_level")
        .annotate(n=models.Count("id"))
        .order_by()
    )
    return {level or "-": n for level, n in rows}


def describe(ctx: GenContext) -> str:
    largest = max((d.size for d in ctx.deployments), default=0)
    sizes = sorted(d.size for d in ctx.deployments)
    median = sizes[len(sizes) // 2] if sizes else 0
    return (
        f"largest register {largest:,} risks, median {median:,}; "
        f"levels {level_distribution()}; total {ctx.timings['total']:.1f} s"
    )


# The steps of this package register themselves on import; they import the
# registry above, so they come last. LAST_NAMES is used by other apps' steps.
from missionsafety.core.generation import LAST_NAMES  # noqa: E402
from missionsafety.perf import generate_organisations, generate_risks  # noqa: E402, F401

__all__ = [
    "GENERATED_PASSWORD",
    "LAST_NAMES",
    "REFERENCE",
    "DeploymentInfo",
    "GenContext",
    "register",
    "run",
]
