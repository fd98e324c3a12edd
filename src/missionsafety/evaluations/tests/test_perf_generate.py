"""Generated agreements and evaluation moments read like a real history."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from missionsafety.deployments.models import Deployment
from missionsafety.evaluations import selectors, services
from missionsafety.evaluations.models import Agreement, Evaluation
from missionsafety.occurrences.models import Occurrence
from missionsafety.organisations.models import User

E = Evaluation.Status


@pytest.fixture
def generated(db: Any) -> None:
    call_command("generate", "--scale", "0.005", "--seed", "3", stdout=StringIO())


def test_every_agreement_in_force_is_complete_and_signed(generated: None) -> None:
    in_force = Agreement.objects.filter(status=Agreement.Status.IN_FORCE)
    assert in_force.exists()
    steps = services._steps()
    for agreement in in_force.select_related("deployment"):
        parties = list(agreement.deployment.parties.all())
        services.validate_cells(services.agreement_cells(agreement), steps, parties)
        signed = {s.party_id for s in agreement.signatures.all()}
        assert signed == {p.pk for p in parties}


def test_moments_are_held_skipped_or_open_as_they_fell_due(generated: None) -> None:
    today = timezone.localdate()
    moments = Evaluation.objects.all()
    counts = selectors.compliance(moments)
    assert counts["on_time"] > counts["late"] > 0
    assert (
        moments.filter(status=E.CLOSED).count() > moments.filter(status=E.HELD).count()
    )
    # What a closed deployment never held was skipped when it closed.
    closed = moments.filter(deployment__phase="closed")
    assert not closed.filter(status=E.SCHEDULED, due_date__lt=today).exists()
    assert not moments.filter(status=E.SCHEDULED, held_on__isnull=False).exists()
    for moment in moments.filter(status__in=Evaluation.DONE).select_related("template")[
        :50
    ]:
        assert moment.held_on is not None and moment.held_on <= today
        assert moment.participants.exists()
        for question in moment.template.questions:
            if question["required"]:
                assert moment.answers[question["key"]]


def test_a_hot_wash_follows_each_occurrence_of_the_highest_category(
    generated: None,
) -> None:
    worst = Occurrence.objects.filter(actual_category=4)
    washes = Evaluation.objects.filter(template__code="hot_wash")
    assert worst.exists()
    assert sorted(washes.values_list("trigger_ref", flat=True)) == sorted(
        f"occurrences.occurrence:{pk}" for pk in worst.values_list("pk", flat=True)
    )


def test_compliance_and_moments_pages_show_the_generated_history(
    generated: None, client_for: Any
) -> None:
    jfc = User.objects.filter(
        memberships__organisation__short_name="NLD JFC",
        memberships__role="safety_officer",
    ).first()
    deployment = Deployment.objects.filter(evaluations__isnull=False).first()
    assert jfc is not None and deployment is not None
    client = client_for(jfc)
    page = client.get(reverse("evaluations:compliance"))
    assert deployment.code in page.content.decode()
    moments = client.get(
        reverse("evaluations:deployment", kwargs={"deployment_pk": deployment.pk})
    )
    assert moments.status_code == 200
