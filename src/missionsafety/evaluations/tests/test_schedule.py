"""Evaluation moments are scheduled from the deployment's dates and phases."""

from __future__ import annotations

import datetime
from typing import Any

from missionsafety.deployments import services as dep_services
from missionsafety.evaluations import services
from missionsafety.evaluations.models import Evaluation, EvaluationTemplate

D = datetime.timedelta


def test_moving_phase_schedules_every_standard_moment(world: Any) -> None:
    dep = world.dep  # walked to deployed: start 60 days ago, end in 120 days
    codes = set(
        Evaluation.objects.filter(deployment=dep).values_list(
            "template__code", flat=True
        )
    )
    assert codes == {
        "kickoff",
        "pre_departure_gate",
        "toa_handover",
        "periodic_review",
        "mid_tour",
        "end_of_tour",
        "cold_evaluation",
        "validation_check",
    }
    reviews = Evaluation.objects.filter(
        deployment=dep, template__code="periodic_review"
    ).order_by("slot")
    # Monthly in the deployed phase, the last before the end-of-tour AAR
    # (seven days before the end of this six-month tour): five, not six.
    assert [r.due_date for r in reviews] == [
        dep.start_date + D(days=30 * k) for k in range(1, 6)
    ]
    aar = Evaluation.objects.get(deployment=dep, template__code="end_of_tour")
    assert all(r.due_date < aar.due_date for r in reviews)
    mid = Evaluation.objects.get(deployment=dep, template__code="mid_tour")
    assert mid.due_date == dep.start_date + (dep.end_date - dep.start_date) / 2
    first = reviews[0]
    assert first.is_overdue and first.timeliness == "overdue"


def test_changing_dates_moves_scheduled_moments_and_drops_extra_ones(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    dep = world.dep
    held = Evaluation.objects.get(deployment=dep, template__is_gate=True)
    with django_capture_on_commit_callbacks(execute=True):
        dep_services.deployment_update(
            actor=world.jfc_safety,
            deployment=dep,
            version=dep.version,
            end_date=dep.start_date + D(days=100),
        )
    reviews = Evaluation.objects.filter(
        deployment=dep, template__code="periodic_review"
    )
    assert reviews.count() == 3
    end = Evaluation.objects.get(deployment=dep, template__code="end_of_tour")
    assert end.due_date == dep.start_date + D(days=93)
    gate = Evaluation.objects.get(pk=held.pk)
    assert gate.held_on == held.held_on and gate.due_date == held.due_date


def test_rescheduling_is_idempotent(world: Any) -> None:
    result = services.evaluations_schedule(actor=world.jfc_safety, deployment=world.dep)
    assert result == {"created": 0, "moved": 0, "dropped": 0}


def test_a_serious_occurrence_calls_for_a_hot_wash(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import datetime

    from django.utils import timezone

    from missionsafety.core.events import publish
    from missionsafety.occurrences.services import occurrence_report

    with django_capture_on_commit_callbacks(execute=True):
        occurrence, _created = occurrence_report(
            actor=world.coy_commander,
            deployment=world.dep,
            occurred_at=timezone.now() - datetime.timedelta(hours=2),
            place="Pabrade",
            unit=world.coy,
            kind="accident",
            title="Voertuig gekanteld",
            actual_category=3,
            potential_category=3,
        )
    with django_capture_on_commit_callbacks(execute=True):
        publish("occurrence.serious", occurrence=occurrence, actor=world.coy_commander)
    washes = Evaluation.objects.filter(deployment=world.dep, template__code="hot_wash")
    assert washes.count() == 1
    wash = washes.get()
    assert wash.trigger_ref == f"occurrences.occurrence:{occurrence.pk}"
    assert wash.due_date == world.today + D(days=3)
    assert "Voertuig gekanteld" in wash.title


def test_a_phase_start_anchor_schedules_from_the_phase_change(world: Any) -> None:
    EvaluationTemplate.objects.create(
        code="prep_check",
        name_nl="Controle gereedstelling",
        name_en="Preparation check",
        phase="preparation",
        trigger="date",
        anchor="phase_start",
        offset_days=10,
        form={"questions": [], "participants": []},
    )
    dep = world.other
    services.evaluations_schedule(actor=world.bde43_safety, deployment=dep)
    assert not Evaluation.objects.filter(deployment=dep, template__code="prep_check")
    dep_services.deployment_move_phase(
        actor=world.bde43_safety, deployment=dep, to_phase="preparation"
    )
    check = Evaluation.objects.get(deployment=dep, template__code="prep_check")
    assert check.due_date == world.today + D(days=10)


def test_closing_a_deployment_records_unheld_moments_as_skipped(world: Any) -> None:
    from missionsafety.testing import walk

    dep = walk(world.dep, world.jfc_safety, "closed")
    open_moments = Evaluation.objects.filter(deployment=dep, status="scheduled")
    assert not open_moments.exists()
    skipped = Evaluation.objects.filter(deployment=dep, status="skipped").first()
    assert skipped is not None
    assert "closed" in skipped.skipped_reason


def test_no_deployed_moment_after_an_early_redeployment(world: Any) -> None:
    dep = dep_services.deployment_move_phase(
        actor=world.jfc_safety, deployment=world.dep, to_phase="redeployment"
    )
    reviews = Evaluation.objects.filter(
        deployment=dep, template__code="periodic_review", status="scheduled"
    )
    # Entered today: the reviews still to come of the deployed phase are dropped.
    assert reviews.exists()
    assert all(r.due_date < world.today for r in reviews)


def test_the_calendar_confirms_held_and_scheduled_moments_and_cancels_skipped(
    world: Any, client_for: Any
) -> None:
    from django.urls import reverse
    from icalendar import Calendar

    moments = Evaluation.objects.filter(
        deployment=world.dep, template__code="periodic_review"
    ).order_by("slot")
    held, skipped, scheduled = moments[0], moments[1], moments[2]
    Evaluation.objects.filter(pk=held.pk).update(
        status="held", held_on=held.due_date + D(days=1)
    )
    Evaluation.objects.filter(pk=skipped.pk).update(status="skipped")
    response = client_for(world.bn_commander).post(
        reverse("evaluations:calendar"), {"party": world.party_bn.pk}
    )
    feed_url = response.context["new_url"].replace("http://testserver", "")
    feed = Calendar.from_ical(client_for(world.bn_commander).get(feed_url).content)
    events = {str(e["uid"]).split("@")[0]: e for e in feed.walk("VEVENT")}
    held_event = events[f"evaluation-{held.pk}"]
    assert str(held_event["status"]) == "CONFIRMED"
    assert f"Gehouden op {(held.due_date + D(days=1)).isoformat()}" in str(
        held_event["description"]
    )
    assert str(events[f"evaluation-{scheduled.pk}"]["status"]) == "CONFIRMED"
    assert str(events[f"evaluation-{skipped.pk}"]["status"]) == "CANCELLED"
