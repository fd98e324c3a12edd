"""Trends over time: open risks per residual level and overdue controls per
party at the end of each past week, derived from the dated assessments, the
change records and the controls' due dates, in a fixed number of queries."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from missionsafety.audit.models import ChangeRecord
from missionsafety.risks import history, services, trends
from missionsafety.risks.models import Assessment, Control, Risk, TrendSnapshot
from missionsafety.risks.tests.factories import assess, make_risk

pytestmark = pytest.mark.django_db


def _ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def _records(obj: Any) -> Any:
    return ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )


def _column(chart: dict[str, Any], label: str) -> list[int]:
    index = chart["columns"].index(label)
    return [row["cells"][index] for row in chart["rows"]]


def test_open_risks_per_level_follow_the_assessments_and_the_closing(
    world: Any,
) -> None:
    # Identified 40 days ago, assessed H 30 days ago, reassessed L 10 days ago.
    lowered = make_risk(world, title="Konvooi bij nacht")
    assess(world, lowered, residual=("C", "I"))  # H
    assess(world, lowered, residual=("D", "III"))  # L
    Risk.objects.filter(pk=lowered.pk).update(created_at=_ago(40))
    first, second = Assessment.objects.filter(risk=lowered).order_by("pk")
    Assessment.objects.filter(pk=first.pk).update(assessed_at=_ago(30))
    Assessment.objects.filter(pk=second.pk).update(assessed_at=_ago(10))
    # Open since 40 days, closed 20 days ago: counted until then.
    closed = make_risk(world, title="Oude kazerne")
    assess(world, closed, residual=("C", "I"))  # H
    services.risk_transition(
        actor=world.bde13_safety, risk=closed, to_status=Risk.Status.CLOSED
    )
    Risk.objects.filter(pk=closed.pk).update(created_at=_ago(40))
    Assessment.objects.filter(risk=closed).update(assessed_at=_ago(40))
    _records(closed).filter(after__status="closed").update(created_at=_ago(20))

    with translation.override("en"):
        chart = trends.open_risks_per_level(
            user=world.bde13_safety, deployment=world.dep
        )

    # Points: 49, 42, 35, 28, 21, 14, 7 and 0 days ago.
    assert _column(chart, "H") == [0, 0, 1, 2, 2, 1, 0, 0]
    assert _column(chart, "L") == [0, 0, 0, 0, 0, 0, 1, 1]
    assert _column(chart, "not assessed") == [0, 0, 1, 0, 0, 0, 0, 0]
    assert [row["total"] for row in chart["rows"]] == [0, 0, 2, 2, 2, 1, 1, 1]


def test_overdue_controls_per_party_until_they_were_implemented(world: Any) -> None:
    risk = make_risk(world, title="Munitieopslag")
    late = services.control_add(
        actor=world.bde13_safety,
        risk=risk,
        description="Koelcontainers",
        kind=Control.Kind.ENGINEER,
        owner_party=world.party_bde13,
    )
    open_still = services.control_add(
        actor=world.bde13_safety,
        risk=risk,
        description="Temperatuurlog",
        kind=Control.Kind.ADMINISTRATE,
        owner_party=world.party_jfc,
    )
    services.control_update(
        actor=world.bde13_safety,
        control=late,
        version=late.version,
        status=Control.Status.IMPLEMENTED,
    )
    Control.objects.filter(pk__in=[late.pk, open_still.pk]).update(
        created_at=_ago(45), due_date=timezone.localdate() - datetime.timedelta(30)
    )
    _records(late).filter(action="create").update(created_at=_ago(45))
    _records(late).exclude(action="create").update(created_at=_ago(10))

    chart = trends.overdue_controls_per_party(
        user=world.bde13_safety, deployment=world.dep
    )

    # Due 30 days ago: overdue from the point 28 days ago; the 13 LBR control
    # until it was implemented 10 days ago, the NLD JFC one still.
    assert _column(chart, "13 LBR") == [0, 0, 0, 1, 1, 1, 0, 0]
    assert _column(chart, "NLD JFC") == [0, 0, 0, 1, 1, 1, 1, 1]
    assert "<svg" in chart["svg"] and "NLD JFC" in chart["svg"]


def test_the_charts_and_their_tables_are_on_the_deployment_page_and_overview(
    world: Any, client_for: Any
) -> None:
    risk = make_risk(world, title="Munitieopslag")
    assess(world, risk, residual=("C", "I"))
    client = client_for(world.jfc_safety)
    client.cookies.load({"missionsafety_language": "en"})
    for url in (
        reverse("deployments:detail", args=[world.dep.pk]),
        reverse("reports:dashboard"),
    ):
        text = client.get(url).content.decode()
        section = text.split('id="trends"')[1].split("</section>")[0]
        assert "Open risks per residual level" in section
        assert "Overdue controls per party" in section
        assert "<th>H</th>" in section  # the table alternative, a column per level
        assert "No overdue controls in these weeks." in section
    client.cookies.load({"missionsafety_language": "nl"})
    text = client.get(reverse("reports:dashboard")).content.decode()
    assert "Open risico’s per restrisiconiveau" in text


def test_the_history_costs_the_same_queries_for_a_larger_register(
    world: Any, django_assert_num_queries: Any
) -> None:
    points = history.history_points()
    make_risk(world, title="Eerste")
    history.derive([world.dep.pk], points)  # warm the content type cache
    with django_assert_num_queries(6):
        small = history.derive([world.dep.pk, world.other.pk], points)
    for n in range(15):
        risk = make_risk(world, title=f"Risico {n}")
        assess(world, risk, residual=("C", "I"))
        services.control_add(
            actor=world.bde13_safety,
            risk=risk,
            description="Maatregel",
            kind=Control.Kind.PROTECT,
            owner_party=world.party_bde13,
        )
    Control.objects.update(due_date=timezone.localdate() - datetime.timedelta(20))
    with django_assert_num_queries(6):
        large = history.derive([world.dep.pk, world.other.pk], points)
    assert small[world.dep.pk]["levels"][""][-1] == 1
    assert large[world.dep.pk]["levels"]["H"][-1] == 15
    # Made today, due 20 days ago: overdue at today's point only.
    owner = str(world.party_bde13.organisation_id)
    assert large[world.dep.pk]["owners"][owner] == [0] * 7 + [15]
    assert large[world.other.pk]["levels"] == large[world.other.pk]["owners"] == {}


def test_a_kept_history_is_used_until_its_deployment_changes(
    world: Any, django_assert_num_queries: Any
) -> None:
    risk = make_risk(world, title="Munitieopslag")
    assess(world, risk, residual=("C", "I"))
    ids = [world.dep.pk, world.other.pk]
    first = history.histories(ids)
    assert TrendSnapshot.objects.count() == 2
    # Nothing changed: the kept rows, in two queries for any number of deployments.
    with django_assert_num_queries(2):
        assert history.histories(ids) == first
    # A change in the other deployment derives that one again, not this one.
    other = make_risk(
        world,
        title="Elders",
        deployment=world.other,
        actor=world.bde43_safety,
        owner_party=world.other_party,
    )
    kept_dep = TrendSnapshot.objects.get(deployment=world.dep)
    history.histories(ids)
    assert TrendSnapshot.objects.get(deployment=world.dep).seq == kept_dep.seq
    assert history.summed(history.histories([world.other.pk]), "levels") == {
        "": [0] * 7 + [1]
    }
    # A change in this deployment shows at once.
    services.risk_transition(
        actor=world.bde13_safety, risk=risk, to_status=Risk.Status.CLOSED
    )
    assert history.summed(history.histories([world.dep.pk]), "levels") == {}
    # A new day derives again (the weeks moved).
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    history.histories([world.dep.pk], tomorrow)
    assert TrendSnapshot.objects.get(deployment=world.dep).day == tomorrow
    assert other.deployment_id == world.other.pk


def test_the_trends_command_derives_every_deployment_for_the_day(world: Any) -> None:
    out = io.StringIO()
    call_command("trends", stdout=out)
    assert "Trend histories of 2 deployments ready" in out.getvalue()
    assert set(TrendSnapshot.objects.values_list("deployment_id", "day")) == {
        (world.dep.pk, timezone.localdate()),
        (world.other.pk, timezone.localdate()),
    }
