"""Texts the system writes read in the reader's language: the demo's
evaluation moments, agreement tasks and library risks in English for an
English reader and in Dutch for a Dutch one; once someone edits such a
text, it reads as written."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from missionsafety.evaluations import defaults
from missionsafety.evaluations.models import (
    AgreementAssignment,
    Evaluation,
    EvaluationTemplate,
)
from missionsafety.risks import services as risk_services
from missionsafety.risks.models import Control, Hazard, Risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db: Any) -> Any:
    from missionsafety.demo import load_all

    return load_all()


def page(user: Any, language: str, url: str) -> str:
    client = Client()
    client.force_login(user)
    client.cookies["missionsafety_language"] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_demo_reads_in_the_readers_language(demo: Any, language: str) -> None:
    other = "nl" if language == "en" else "en"
    user = demo.user("bde13.safety")
    r11 = demo.deployment("EFP-LTU-R11")
    hazard = Hazard.objects.get(code="cold-injury")
    risk = Risk.objects.get(deployment=r11, source_hazard=hazard)

    register = page(user, language, reverse("risks:register", args=[r11.pk]))
    assert getattr(hazard, f"name_{language}") in register
    assert getattr(hazard, f"name_{other}") not in register

    detail = page(user, language, reverse("risks:detail", args=[risk.pk]))
    assert getattr(hazard, f"description_{language}") in detail
    assert hazard.typical_controls[0][language] in detail
    assert hazard.typical_controls[0][other] not in detail

    # Evaluation moments of the deployment that has its schedule.
    scheduled = Evaluation.objects.filter(
        slot__isnull=False, deployment__code="EFP-LTU-R12"
    ).select_related("template", "deployment")
    evaluation = scheduled.filter(
        template__trigger=EvaluationTemplate.Trigger.DATE
    ).first()
    assert evaluation is not None
    template = evaluation.template
    moments = page(
        user,
        language,
        reverse("evaluations:deployment", args=[evaluation.deployment_id]),
    )
    assert getattr(template, f"name_{language}") in moments
    assert getattr(template, f"name_{other}") not in moments

    # The hot wash after an occurrence: the moment's name in the reader's
    # language, the words about the occurrence as written.
    wash = Evaluation.objects.get(
        deployment__code="EFP-LTU-R12", template__code="hot_wash"
    )
    html = page(user, language, reverse("evaluations:detail", args=[wash.pk]))
    wash_name = getattr(wash.template, f"name_{language}")
    assert f"{wash_name}: YPR van de weg geraakt" in html

    # The agreement's default task texts.
    cell = (
        AgreementAssignment.objects.exclude(tasks="")
        .filter(agreement__deployment__code="EFP-LTU-R12")
        .select_related("agreement", "step", "party")
        .first()
    )
    assert cell is not None
    _raci, nl, en = defaults.DEFAULT_MATRIX[cell.step.code][cell.party.role]
    agreement = page(
        user,
        language,
        reverse("evaluations:agreement", args=[cell.agreement.deployment_id]),
    )
    assert (en if language == "en" else nl) in agreement
    assert (nl if language == "en" else en) not in agreement


def test_a_library_risk_reads_as_written_once_edited(world: Any) -> None:
    hazard = Hazard.objects.get(code="cold-injury")
    [risk] = risk_services.register_from_library(
        actor=world.bde13_safety,
        deployment=world.dep,
        hazards=[hazard],
        owner_party=world.party_bn,
    )
    with translation.override("en"):
        loaded = Risk.objects.get(pk=risk.pk)
        assert (loaded.title, loaded.hazard) == (hazard.name_en, hazard.description_en)
        control = Control.objects.filter(risk=risk).first()
        assert control is not None
        assert control.description == hazard.typical_controls[0]["en"]
    with translation.override("nl"):
        loaded = Risk.objects.get(pk=risk.pk)
        assert loaded.title == hazard.name_nl
        risk_services.risk_update(
            actor=world.bde13_safety,
            risk=loaded,
            version=loaded.version,
            title="Koudeletsel tijdens de nachtwacht",
        )
    with translation.override("en"):
        loaded = Risk.objects.get(pk=risk.pk)
        assert loaded.title == "Koudeletsel tijdens de nachtwacht"
        assert loaded.hazard == hazard.description_en  # not edited


def test_periodic_and_hot_wash_moments_keep_their_own_words(world: Any) -> None:
    from missionsafety.core.i18n import shipped_text

    template = EvaluationTemplate.objects.get(code="kickoff")
    with translation.override("en"):
        assert shipped_text(f"{template.name_nl} 3", numbered=True) == (
            f"{template.name_en} 3"
        )
        assert shipped_text(f"{template.name_nl}: Boxer gekanteld", numbered=True) == (
            f"{template.name_en}: Boxer gekanteld"
        )
        assert shipped_text(f"{template.name_nl} extra", numbered=True) == (
            f"{template.name_nl} extra"
        )
