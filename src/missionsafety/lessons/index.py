"""Keep the search entry of each observation and lesson up to date.

The services call ``index_observation`` / ``index_lesson`` in the same
transaction as the change; the database fills its full-text index from the
entry (FTS5 triggers on SQLite, a generated column on PostgreSQL).
``reindex`` rebuilds every entry (``missionsafety reindex``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from missionsafety.lessons.models import (
    Lesson,
    Observation,
    Releasability,
    SearchEntry,
)
from missionsafety.lessons.search import clean_text
from missionsafety.lessons.text import index_terms, words


@functools.lru_cache(maxsize=4096)
def theatre_key(theatre: str) -> str:
    """The country of a theatre: "Litouwen (Rukla)" → "litouwen"."""
    found = words(theatre)
    return found[0][:60] if found else ""


def _categories(codes: Iterable[str]) -> str:
    codes = sorted(set(codes))
    return "|" + "|".join(codes) + "|" if codes else ""


def observation_entry(obs: Observation, category_codes: list[str]) -> SearchEntry:
    """An unsaved entry for an observation (its deployment must be loaded)."""
    dep = obs.deployment
    text = "\n".join(
        part
        for part in (
            obs.observation,
            obs.discussion,
            obs.conclusion,
            obs.recommendation,
            " ".join(obs.tags or []),
        )
        if part
    )
    return SearchEntry(
        type=SearchEntry.Type.OBSERVATION,
        observation=obs,
        deployment_id=obs.deployment_id,
        deployment_code=dep.code,
        theatre=dep.theatre,
        theatre_key=theatre_key(dep.theatre),
        phase=obs.phase,
        status=obs.status,
        kind=obs.kind,
        categories=_categories(category_codes),
        date=obs.observed_on,
        releasability=obs.releasability,
        title=clean_text(obs.title),
        text=clean_text(text),
        terms=index_terms(f"{obs.title}\n{text}"),
    )


def lesson_entry(lesson: Lesson, category_codes: list[str]) -> SearchEntry:
    """An unsaved entry for a lesson (its deployment must be loaded)."""
    dep = lesson.deployment
    text = "\n".join(
        part
        for part in (
            lesson.root_cause,
            lesson.remedial_action,
            lesson.validation_evidence,
        )
        if part
    )
    return SearchEntry(
        type=SearchEntry.Type.LESSON,
        lesson=lesson,
        deployment_id=lesson.deployment_id,
        deployment_code=dep.code,
        theatre=dep.theatre,
        theatre_key=theatre_key(dep.theatre),
        phase=dep.phase,
        status=lesson.status,
        kind="",
        categories=_categories(category_codes),
        date=lesson.identified_on,
        releasability=lesson.releasability,
        title=clean_text(lesson.title),
        text=clean_text(text),
        terms=index_terms(f"{lesson.title}\n{text}"),
    )


def observation_audience(obs: Observation) -> list[int]:
    if obs.releasability != Releasability.ORGANISATIONS:
        return []
    return [o.pk for o in obs.released_to.all()]


def lesson_audience(lesson: Lesson) -> list[int]:
    ids = (
        [o.pk for o in lesson.released_to.all()]
        if lesson.releasability == Releasability.ORGANISATIONS
        else []
    )
    ids += [i for i in (lesson.action_body_id, lesson.tasking_authority_id) if i]
    return sorted(set(ids))


def _save(entry: SearchEntry, audience: list[int], lookup: dict[str, Any]) -> None:
    fields = {
        f.attname: getattr(entry, f.attname)
        for f in SearchEntry._meta.concrete_fields
        if not f.primary_key
    }
    if SearchEntry.objects.filter(**lookup).update(**fields):
        entry = SearchEntry.objects.only("id").get(**lookup)
    else:
        entry.save()
    entry.audience.set(audience)


def index_observation(obs: Observation) -> None:
    codes = list(obs.categories.values_list("code", flat=True))
    _save(
        observation_entry(obs, codes),
        observation_audience(obs),
        {"observation_id": obs.pk},
    )


def index_lesson(lesson: Lesson) -> None:
    codes = list(lesson.categories.values_list("code", flat=True))
    _save(
        lesson_entry(lesson, codes), lesson_audience(lesson), {"lesson_id": lesson.pk}
    )


def _bulk(entries: list[tuple[SearchEntry, list[int]]]) -> None:
    created = SearchEntry.objects.bulk_create([e for e, _a in entries])
    through = SearchEntry.audience.through
    through.objects.bulk_create(
        [
            through(searchentry_id=entry.pk, organisation_id=org_id)
            for entry, (_e, audience) in zip(created, entries, strict=True)
            for org_id in audience
        ]
    )


@transaction.atomic
def index_many(
    *, observation_ids: list[int] | None = None, lesson_ids: list[int] | None = None
) -> int:
    """Replace the entries of these observations and lessons in bulk."""
    count = 0
    if observation_ids:
        SearchEntry.objects.filter(observation_id__in=observation_ids).delete()
        for chunk in _chunks(observation_ids, 2000):
            observations = Observation.objects.filter(pk__in=chunk).select_related(
                "deployment"
            )
            observations = observations.prefetch_related("categories", "released_to")
            batch = [
                (
                    observation_entry(o, [c.code for c in o.categories.all()]),
                    observation_audience(o),
                )
                for o in observations
            ]
            _bulk(batch)
            count += len(batch)
    if lesson_ids:
        SearchEntry.objects.filter(lesson_id__in=lesson_ids).delete()
        for chunk in _chunks(lesson_ids, 2000):
            lessons = (
                Lesson.objects.filter(pk__in=chunk)
                .select_related("deployment")
                .prefetch_related("categories", "released_to")
            )
            batch = [
                (
                    lesson_entry(le, [c.code for c in le.categories.all()]),
                    lesson_audience(le),
                )
                for le in lessons
            ]
            _bulk(batch)
            count += len(batch)
    return count


def _chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


@transaction.atomic
def reindex() -> int:
    """Rebuild every entry and the database's full-text index."""
    SearchEntry.objects.all().delete()
    count = index_many(
        observation_ids=list(Observation.objects.values_list("id", flat=True)),
        lesson_ids=list(Lesson.objects.values_list("id", flat=True)),
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO lessons_search_fts(lessons_search_fts) VALUES ('rebuild')"
            )
    return count
