"""The trend panels read monthly counts that the services keep right."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from missionsafety.occurrences import services
from missionsafety.occurrences.access import make_occurrence
from missionsafety.occurrences.models import OccurrenceMonth, month_of
from missionsafety.occurrences.selectors import occurrence_trend
from missionsafety.occurrences.tests.factories import bulk_occurrences

pytestmark = pytest.mark.django_db


def _months(world: Any) -> dict[tuple[datetime.date, str], tuple[int, int]]:
    return {
        (m.month, m.kind): (m.total, m.serious)
        for m in OccurrenceMonth.objects.filter(deployment=world.dep)
        if m.total
    }


def test_report_edit_and_triage_move_the_counts(world: Any) -> None:
    occurrence = make_occurrence(world, kind="near_miss")
    this_month = month_of(occurrence.occurred_at)
    assert _months(world) == {(this_month, "near_miss"): (1, 0)}

    earlier = occurrence.occurred_at - datetime.timedelta(days=40)
    occurrence = services.occurrence_update(
        actor=world.coy_commander,
        occurrence=occurrence,
        version=occurrence.version,
        occurred_at=earlier,
        kind="accident",
    )
    assert _months(world) == {(month_of(earlier), "accident"): (1, 0)}

    services.occurrence_triage(
        actor=world.bde13_safety,
        occurrence=occurrence,
        version=occurrence.version,
        actual_category=3,
        potential_category=4,
    )
    assert _months(world) == {(month_of(earlier), "accident"): (1, 1)}
    trend = occurrence_trend(user=world.bde13_safety, deployment=world.dep)
    assert trend["total"] == 1 and trend["serious"] == 1


def test_rebuild_gives_what_the_services_kept(world: Any) -> None:
    make_occurrence(world, kind="incident", actual_category=3)
    make_occurrence(
        world,
        kind="incident",
        occurred_at=timezone.now() - datetime.timedelta(days=70),
    )
    make_occurrence(world, kind="near_miss")
    kept = _months(world)
    OccurrenceMonth.objects.all().delete()
    assert services.rebuild_month_counts() == len(kept)
    assert _months(world) == kept


def test_trend_of_bulk_imported_rows_after_rebuild(world: Any) -> None:
    bulk_occurrences(world.dep, world.coy, 10, "Import", kind="unsafe_situation")
    services.rebuild_month_counts(deployment_ids=[world.dep.pk])
    trend = occurrence_trend(user=world.jfc_safety)
    assert trend["total"] == 10
    assert trend["serious"] == 4  # categories 3 and 4
    # Nobody outside the deployment sees its counts.
    assert occurrence_trend(user=world.bde43_safety)["total"] == 0


def test_trend_is_one_query_whatever_the_rows(
    world: Any, django_assert_num_queries: Any
) -> None:
    for _i in range(3):
        make_occurrence(world)
    occurrence_trend(user=world.inspector)  # memberships cached on the user
    with django_assert_num_queries(1):
        assert occurrence_trend(user=world.inspector)["total"] == 3
