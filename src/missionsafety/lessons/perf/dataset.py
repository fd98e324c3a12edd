"""Generating many observations and lessons at once, with their search index, for measurement."""

from __future__ import annotations

import bisect
import datetime
import importlib
import itertools
import random
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from missionsafety.lessons.perf.vocabulary import TextMaker

# Hazard category by the words of a title (first hit wins), else random.
_CATEGORY_HINTS = [
    ("munitie", "weapons-ammo"),
    ("ammunition", "weapons-ammo"),
    ("schot", "weapons-ammo"),
    ("discharge", "weapons-ammo"),
    ("IED", "hostile"),
    ("vuur", "hostile"),
    ("fire", "fire"),
    ("mijn", "hostile"),
    ("landmine", "hostile"),
    ("ordnance", "hostile"),
    ("hitte", "climate"),
    ("heat", "climate"),
    ("koude", "climate"),
    ("bevriezing", "climate"),
    ("frostbite", "climate"),
    ("ijzel", "climate"),
    ("vermoeidheid", "human"),
    ("fatigue", "human"),
    ("verdrinking", "water"),
    ("drowning", "water"),
    ("verkeer", "traffic"),
    ("collision", "traffic"),
    ("aanrijding", "traffic"),
    ("kantelen", "vehicle"),
    ("rollover", "vehicle"),
    ("voertuig", "vehicle"),
    ("malaria", "medical"),
    ("dengue", "medical"),
    ("vergiftiging", "medical"),
    ("brand", "fire"),
    ("koolmonoxide", "fire"),
    ("hoogte", "work"),
    ("height", "work"),
    ("hijs", "work"),
    ("lifting", "work"),
    ("elektro", "work"),
    ("landing", "aviation"),
    ("zandstorm", "environment"),
]


def _weighted(rng: random.Random, options: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([v for v, _w in options], [w for _v, w in options])[0]


OBS_STATUS = [
    ("submitted", 25),
    ("verified", 45),
    ("in_analysis", 20),
    ("rejected", 10),
]
LESSON_STATUS = [
    ("identified", 25), ("endorsed", 12), ("tasked", 20), ("implemented", 10),
    ("validated", 28), ("closed", 5),
]  # fmt: skip
RELEASABILITY = [("parties", 60), ("defence", 30), ("organisations", 10)]
SOURCES = [("aar", 40), ("hot_wash", 20), ("occurrence", 20), ("review", 10),
           ("evaluation", 5), ("feedback", 5)]  # fmt: skip
OBS_PHASES = [("deployed", 70), ("readiness", 10), ("preparation", 8),
              ("redeployment", 7), ("post_deployment", 5)]  # fmt: skip


# -- generation ----------------------------------------------------------------
def generate(
    *,
    n_observations: int,
    n_lessons: int,
    deployments: Iterable[int],
    orgs: Sequence[int],
    users: Sequence[int] = (),
    seed: int = 1,
    today: datetime.date | None = None,
    batch_size: int = 2000,
    out: Callable[[str], None] = lambda _s: None,
) -> dict[str, int]:
    """Bulk-create observations and lessons spread over the deployments (a few
    large, many small), with categories, releases and the search index.

    ``deployments``: ids of existing deployments (with their parties);
    ``orgs``: organisation ids that rows may be released to and lessons acted
    on by; ``users``: originators. Returns the number of rows per kind."""
    from missionsafety.deployments.models import Deployment, Party
    from missionsafety.lessons.models import Lesson, Observation
    from missionsafety.risks.models import HazardCategory

    rng = random.Random(f"lessons:{seed}")
    maker = TextMaker(random.Random(f"lessons-text:{seed}"))
    today = today or timezone.localdate()
    deps = list(Deployment.objects.filter(pk__in=list(deployments)).order_by("pk"))
    if not deps:
        raise ValueError("generate needs at least one deployment")
    units: dict[int, int] = {}
    for dep_id, org_id, role in Party.objects.filter(deployment__in=deps).values_list(
        "deployment_id", "organisation_id", "role"
    ):
        if role == "deployed_unit" or dep_id not in units:
            units[dep_id] = org_id
    order = deps[:]
    rng.shuffle(order)  # which deployment is large is random, sizes are Zipf
    dep_weights = list(
        itertools.accumulate(1 / (i + 5) ** 0.9 for i in range(1, len(order) + 1))
    )
    categories = {c.code: c.pk for c in HazardCategory.objects.all()}
    category_codes = sorted(categories)
    orgs = list(orgs) or sorted(set(units.values()))
    users = list(users)

    def pick_deployment() -> Any:
        return order[bisect.bisect(dep_weights, rng.random() * dep_weights[-1])]

    def day_in(dep: Any) -> datetime.date:
        start = min(dep.start_date, today)
        end = max(start, min(dep.end_date, today))
        return start + datetime.timedelta(days=rng.randint(0, (end - start).days))

    def codes_for(title: str) -> list[str]:
        if not category_codes:
            return []
        found = [code for hint, code in _CATEGORY_HINTS if hint in title]
        codes = found[:1] or [rng.choice(category_codes)]
        if rng.random() < 0.3:
            codes.append(rng.choice(category_codes))
        return sorted({c for c in codes if c in categories})

    def release(rel: str) -> list[int]:
        return (
            rng.sample(orgs, k=min(len(orgs), rng.randint(1, 2)))
            if rel == ("organisations")
            else []
        )

    def lang() -> str:
        return "en" if rng.random() < 0.2 else "nl"

    now = timezone.now()
    clock = random.Random(f"lessons-clock:{seed}")

    def moment(day: datetime.date) -> datetime.datetime:
        """When a row was written (used where auto timestamps are switched off)."""
        at = datetime.datetime.combine(day, datetime.time(7)) + datetime.timedelta(
            minutes=clock.randint(0, 11 * 60)
        )
        return timezone.make_aware(at, datetime.UTC)

    obs_rows: list[tuple[Any, list[str], list[int]]] = []
    for _i in range(n_observations):
        dep = pick_deployment()
        language, status = lang(), _weighted(rng, OBS_STATUS)
        rel = _weighted(rng, RELEASABILITY)
        full = status in ("verified", "in_analysis") or rng.random() < 0.5
        maker.topic(language)
        title = maker.title()
        day = day_in(dep)
        obs = Observation(
            deployment=dep,
            phase=_weighted(rng, OBS_PHASES),
            observed_on=day,
            created_at=moment(day),
            updated_at=moment(day),
            title=title,
            observation=maker.text(2, 5),
            discussion=maker.text(1, 3) if full else "",
            conclusion=maker.text(1, 1) if full else "",
            recommendation=maker.text(1, 2) if full else "",
            originator_id=rng.choice(users) if users else None,
            organisation_id=units.get(dep.pk) or rng.choice(orgs),
            source=_weighted(rng, SOURCES),
            kind="good_practice" if rng.random() < 0.25 else "issue",
            tags=[maker.current["tail"]] if rng.random() < 0.3 else [],
            status=status,
            status_changed_at=now,
            releasability=rel,
        )
        obs_rows.append((obs, codes_for(title), release(rel)))
    lesson_rows: list[tuple[Any, list[str], list[int]]] = []
    for _i in range(n_lessons):
        dep = pick_deployment()
        language, status = lang(), _weighted(rng, LESSON_STATUS)
        rel = _weighted(rng, RELEASABILITY)
        maker.topic(language)
        title = maker.title()
        advanced = status not in ("identified",)
        day = day_in(dep)
        lesson = Lesson(
            deployment=dep,
            title=title,
            identified_on=day,
            created_at=moment(day),
            updated_at=moment(day),
            root_cause=maker.text(1, 3),
            remedial_action=maker.text(1, 2),
            action_body_id=rng.choice(orgs) if advanced else None,
            tasking_authority_id=rng.choice(orgs) if advanced else None,
            due_date=day_in(dep) + datetime.timedelta(days=rng.randint(30, 180))
            if advanced
            else None,
            validation_evidence=maker.text(1, 1) if status == "validated" else "",
            status=status,
            status_changed_at=now,
            created_by_id=rng.choice(users) if users else None,
            releasability=rel,
        )
        lesson_rows.append((lesson, codes_for(title), release(rel)))
    with transaction.atomic():
        _write(Observation, obs_rows, categories, batch_size)
        _write(Lesson, lesson_rows, categories, batch_size)
        entries = _index(obs_rows, lesson_rows, batch_size)
    out(
        f"lessons: {n_observations} observations, {n_lessons} lessons, {entries} entries"
    )
    return {"observations": n_observations, "lessons": n_lessons, "entries": entries}


def _write(
    model: Any,
    rows: list[tuple[Any, list[str], list[int]]],
    categories: dict[str, int],
    batch_size: int,
) -> None:
    """Rows, then their categories and releases (ids come back from the insert)."""
    model.objects.bulk_create([r[0] for r in rows], batch_size=batch_size)
    fk = f"{model._meta.model_name}_id"
    cats, rels = model.categories.through, model.released_to.through
    cats.objects.bulk_create(
        (
            cats(**{fk: obj.pk, "hazardcategory_id": categories[c]})
            for obj, codes, _r in rows
            for c in codes
        ),
        batch_size=batch_size * 2,
    )
    rels.objects.bulk_create(
        (
            rels(**{fk: obj.pk, "organisation_id": org})
            for obj, _c, released in rows
            for org in released
        ),
        batch_size=batch_size * 2,
    )


def _index(
    obs_rows: list[tuple[Any, list[str], list[int]]],
    lesson_rows: list[tuple[Any, list[str], list[int]]],
    batch_size: int,
) -> int:
    """Search entries in bulk; the full-text index filled once, not per row."""
    from missionsafety.lessons.index import lesson_entry, observation_entry
    from missionsafety.lessons.models import SearchEntry

    entries = [(observation_entry(o, codes), rel) for o, codes, rel in obs_rows]
    entries += [
        (
            lesson_entry(le, codes),
            sorted(
                {*rel, *(i for i in (le.action_body_id, le.tasking_authority_id) if i)}
            ),
        )
        for le, codes, rel in lesson_rows
    ]
    if not entries:
        return 0
    with _bulk_fulltext():
        created = SearchEntry.objects.bulk_create(
            [e for e, _a in entries], batch_size=batch_size
        )
    through = SearchEntry.audience.through
    through.objects.bulk_create(
        (
            through(searchentry_id=entry.pk, organisation_id=org)
            for entry, (_e, audience) in zip(created, entries, strict=True)
            for org in audience
        ),
        batch_size=batch_size * 2,
    )
    return len(created)


class _bulk_fulltext:
    """Within a transaction: insert entries without per-row index upkeep,
    then fill the full-text index for the new rows in one statement."""

    def __enter__(self) -> None:
        from missionsafety.lessons.models import SearchEntry

        migration = importlib.import_module(
            "missionsafety.lessons.migrations.0002_search_index"
        )
        self.migration = migration
        self.first = (
            SearchEntry.objects.order_by("-id").values_list("id", flat=True).first()
            or 0
        )
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("DROP TRIGGER lessons_search_ai")
            elif connection.vendor == "postgresql":
                cursor.execute("DROP INDEX lessons_search_document_idx")

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            return  # the transaction rolls the DDL back with the rows
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "INSERT INTO lessons_search_fts(rowid, title, text, terms)"
                    " SELECT id, title, text, terms FROM lessons_searchentry"
                    " WHERE id > %s",
                    [self.first],
                )
                cursor.execute(self.migration.SQLITE_UP[1])
            elif connection.vendor == "postgresql":
                # Foreign keys are checked at commit; an index cannot be built
                # on a table with checks pending, so check them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(self.migration.POSTGRES_UP[1])
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# The reference data set (``missionsafety generate``), where it is installed:
# observations and lessons over its deployments, released to and acted on by
# its brigades and battalions.
try:
    from missionsafety.core.generation import GenContext, register
except ImportError:  # pragma: no cover - without the reference generator
    pass
else:

    @register("lessons", order=70, models=("lessons.Observation", "lessons.Lesson"))
    def gen_lessons(ctx: GenContext) -> dict[str, int]:
        return generate(
            n_observations=ctx.n("observations"),
            n_lessons=ctx.n("lessons"),
            deployments=[d.id for d in ctx.deployments],
            orgs=[*ctx.brigades, *ctx.battalions],
            users=ctx.users,
            seed=ctx.seed,
            today=ctx.today,
            batch_size=ctx.batch_size,
        )
