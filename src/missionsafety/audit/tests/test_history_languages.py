"""Change records read in the reader's language: the CSV's object types and
actions in words, objects named as they read now (a party's role too), and
stored references such as "occurrences.occurrence:11" as the object's name."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from missionsafety.audit.models import ChangeRecord
from missionsafety.audit.presentation import RAW_REFERENCE, with_changes
from missionsafety.audit.services import record_change
from missionsafety.occurrences.models import Occurrence
from missionsafety.risks.tests.factories import assess, make_risk

pytestmark = pytest.mark.django_db


def make_occurrence(world: Any) -> Occurrence:
    from django.utils import timezone

    from missionsafety.occurrences.services import occurrence_report

    occurrence, _created = occurrence_report(
        actor=world.bde13_safety,
        deployment=world.dep,
        occurred_at=timezone.now(),
        place="Pabradė",
        unit=world.bn,
        kind="near_miss",
        title="Boxer gleed van de tankbaan",
        actual_category=0,
        potential_category=2,
    )
    return occurrence


def history_csv(client: Any, world: Any, language: str) -> list[list[str]]:
    client.cookies.load({"missionsafety_language": language})
    url = reverse("audit:deployment_csv", kwargs={"deployment_pk": world.dep.pk})
    response = client.get(url)
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize(
    ("language", "risk", "assessed", "party_role"),
    [
        ("en", "Risk", "assessed", "force provider"),
        ("nl", "Risico", "beoordeeld", "gereedsteller"),
    ],
)
def test_the_history_csv_uses_words_in_the_readers_language(
    world: Any,
    client_for: Any,
    language: str,
    risk: str,
    assessed: str,
    party_role: str,
) -> None:
    assess(world, make_risk(world))
    # A record of the force provider's party, made by a Dutch reader.
    with translation.override("nl"):
        record_change(actor=world.jfc_safety, obj=world.party_clas, action="update")
    rows = history_csv(client_for(world.bde13_safety), world, language)
    body = rows[1:]
    assert body
    types = {row[3] for row in body}
    actions = {row[5] for row in body}
    assert risk in types
    assert not any("." in t for t in types)  # no app.model names
    assert assessed in actions
    assert not actions & {"create", "assess", "update"}  # no raw action codes
    assert any(party_role in row[4] for row in body if row[4].startswith("Staf CLAS"))
    for row in body:
        assert not any(RAW_REFERENCE.match(cell) for cell in row[3:7])


def test_a_stored_reference_reads_as_the_object(world: Any) -> None:
    occurrence = make_occurrence(world)
    assert isinstance(occurrence, Occurrence)
    risk = make_risk(world)
    record_change(
        actor=world.bde13_safety,
        obj=risk,
        action="update",
        before={"reassessment_reason": ""},
        after={"reassessment_reason": f"occurrences.occurrence:{occurrence.pk}"},
    )
    record = ChangeRecord.objects.filter(object_id=str(risk.pk)).order_by("seq").last()
    for language, kind in (("en", "Occurrence"), ("nl", "Voorval")):
        with translation.override(language):
            [shown] = with_changes([record], world.bde13_safety)
            [change] = shown.changes  # type: ignore[attr-defined]
            assert change["after"] == f"{kind} {occurrence}"


def test_the_evaluation_page_links_the_occurrence_that_triggered_it(
    world: Any, client_for: Any
) -> None:
    from missionsafety.evaluations.models import EvaluationTemplate
    from missionsafety.evaluations.services import evaluation_create

    occurrence = make_occurrence(world)
    evaluation = evaluation_create(
        actor=world.bde13_safety,
        deployment=world.dep,
        template=EvaluationTemplate.objects.get(
            trigger=EvaluationTemplate.Trigger.OCCURRENCE
        ),
        trigger_ref=f"occurrences.occurrence:{occurrence.pk}",
        check_roles=False,
    )
    client = client_for(world.bde13_safety)
    client.cookies.load({"missionsafety_language": "en"})
    html = client.get(reverse("evaluations:detail", args=[evaluation.pk])).content
    page = html.decode()
    assert "occurrences.occurrence:" not in page
    assert f"Occurrence {occurrence}" in page
    assert reverse("occurrences:detail", args=[occurrence.pk]) in page


def test_agreement_cells_read_as_steps_parties_and_tasks(world: Any) -> None:
    from missionsafety.evaluations import defaults, services
    from missionsafety.evaluations.models import ProcessStep

    with translation.override("nl"):
        agreement = services.agreement_setup(
            actor=world.jfc_safety, deployment=world.dep
        )
    record = ChangeRecord.objects.filter(
        object_id=str(agreement.pk), content_type__model="agreement"
    ).last()
    assert record is not None
    step = ProcessStep.objects.get(code="context")
    _raci, nl, en = defaults.DEFAULT_MATRIX["context"][world.party_jfc.role]
    for language, name, tasks in (("en", step.name_en, en), ("nl", step.name_nl, nl)):
        with translation.override(language):
            [shown] = with_changes([record], world.inspector)
            cells = next(
                c
                for c in shown.changes  # type: ignore[attr-defined]
                if c["key"] == "cells"
            )
            assert f"{name} · {world.party_jfc}" in cells["after"]
            assert tasks in cells["after"]
