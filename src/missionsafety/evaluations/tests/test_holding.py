"""Holding an evaluation: participants, required answers, findings, actions."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from missionsafety.core.exceptions import ConflictError, ValidationError
from missionsafety.evaluations import services
from missionsafety.evaluations.models import Action, Evaluation

ANSWERS = {"reassessment": "Verkeer herbeoordeeld", "trends": "Twee bijna-ongevallen"}


def _review(world: Any) -> Evaluation:
    return Evaluation.objects.get(
        deployment=world.dep, template__code="periodic_review", slot=1
    )


def _hold(world: Any, evaluation: Evaluation, **overrides: Any) -> Evaluation:
    kwargs = {
        "actor": world.jfc_safety,
        "evaluation": evaluation,
        "version": evaluation.version,
        "held_on": world.today,
        "participants": {world.party_jfc.pk: "MAJ Bakker", world.party_bn.pk: "AOO"},
        "answers": ANSWERS,
        "findings": ["Strooicapaciteit schiet tekort", ""],
    }
    kwargs.update(overrides)
    return services.evaluation_hold(**kwargs)


def test_held_jointly_with_findings(world: Any) -> None:
    review = _hold(world, _review(world))
    assert review.status == "held"
    assert review.timeliness == "late"  # due 30 days ago
    assert {p.party_id for p in review.participants.all()} == {
        world.party_jfc.pk,
        world.party_bn.pk,
    }
    assert [f.text for f in review.findings.all()] == ["Strooicapaciteit schiet tekort"]


def test_required_answers_and_parties_are_enforced_and_nothing_is_written(
    world: Any,
) -> None:
    review = _review(world)
    with pytest.raises(ValidationError) as exc:
        _hold(
            world,
            review,
            answers={"reassessment": " "},
            participants={world.party_bn.pk: ""},
        )
    errors = exc.value.message_dict
    assert "answer_reassessment" in errors and "answer_trends" in errors
    assert "operational command" in " ".join(errors["participants"])
    review.refresh_from_db()
    assert review.status == "scheduled"
    assert not review.findings.exists() and not review.participants.exists()


def test_not_in_the_future_and_not_twice(world: Any) -> None:
    review = _review(world)
    with pytest.raises(ValidationError):
        _hold(world, review, held_on=world.today + datetime.timedelta(days=1))
    _hold(world, review)
    with pytest.raises(ConflictError):
        _hold(world, review)  # stale version
    fresh = Evaluation.objects.get(pk=review.pk)
    with pytest.raises(ValidationError):
        _hold(world, fresh)  # held cannot be held again


def test_report_close_and_skip(world: Any) -> None:
    review = _hold(world, _review(world))
    review = services.evaluation_report(
        actor=world.jfc_safety, evaluation=review, version=review.version, report="OK"
    )
    review = services.evaluation_close(
        actor=world.jfc_safety, evaluation=review, version=review.version
    )
    assert review.status == "closed"
    other = Evaluation.objects.get(
        deployment=world.dep, template__code="periodic_review", slot=2
    )
    with pytest.raises(ValidationError):
        services.evaluation_skip(
            actor=world.jfc_safety, evaluation=other, version=other.version, reason=""
        )
    other = services.evaluation_skip(
        actor=world.jfc_safety,
        evaluation=other,
        version=other.version,
        reason="Samengevoegd met de mid-tour",
    )
    assert other.timeliness == "skipped"


def test_a_finding_becomes_an_action_with_owner_and_due_date(world: Any) -> None:
    review = _hold(world, _review(world))
    finding = review.findings.get()
    with pytest.raises(ValidationError) as exc:
        services.action_create(
            actor=world.jfc_safety,
            finding=finding,
            description="Strooiroute afspreken",
            owner_party=world.party_bn,
            owner=world.clas_safety,  # not of 42 BLJ
            due_date=world.today - datetime.timedelta(days=1),
        )
    assert {"owner", "due_date"} <= set(exc.value.message_dict)
    action = services.action_create(
        actor=world.jfc_safety,
        finding=finding,
        description="Strooiroute afspreken",
        owner_party=world.party_bn,
        owner=world.coy_commander,  # B-company is within 42 BLJ
        due_date=world.today + datetime.timedelta(days=14),
    )
    assert Action.objects.get(pk=action.pk).owner == world.coy_commander
