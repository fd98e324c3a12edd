"""Small builders for risk tests, through the services."""

from __future__ import annotations

from typing import Any

from missionsafety.risks import services
from missionsafety.risks.models import Risk


def make_risk(
    w: Any,
    *,
    actor: Any = None,
    deployment: Any = None,
    title: str = "Munitieopslag bij hoge temperaturen",
    owner_party: Any = None,
    controls: list[dict[str, Any]] | None = None,
) -> Risk:
    deployment = deployment or w.dep
    return services.risk_create(
        actor=actor or w.bde13_safety,
        deployment=deployment,
        title=title,
        hazard="Munitie in zeecontainers warmt op boven 50 °C.",
        owner_party=owner_party or w.party_bn,
        controls=controls or [],
    )


def assess(
    w: Any,
    risk: Risk,
    residual: tuple[str, str] = ("C", "I"),
    inherent: tuple[str, str] = ("A", "I"),
    actor: Any = None,
    **extra: Any,
) -> Any:
    return services.assessment_record(
        actor=actor or w.bde13_safety,
        risk=risk,
        inherent_probability=inherent[0],
        inherent_severity=inherent[1],
        residual_probability=residual[0],
        residual_severity=residual[1],
        **extra,
    )


def fresh(risk: Risk) -> Risk:
    return Risk.objects.select_related("deployment").get(pk=risk.pk)


def answerer(w: Any, party: Any) -> Any:
    """Who answers a consultation for a party of the shared world."""
    return {
        w.jfc.pk: w.jfc_safety,
        w.clas.pk: w.clas_safety,
        w.bde13.pk: w.bde13_safety,
        w.bn.pk: w.bn_commander,
        w.bde43.pk: w.bde43_safety,
    }[party.organisation_id]


def consult(
    w: Any, risk: Risk, *, answers: dict[Any, tuple[str, str]] | None = None
) -> list[Any]:
    """Ask the parties the rule names and let each answer (agree by default;
    ``answers`` maps a party to (answer, text))."""
    answers = answers or {}
    asked = services.consultation_request(actor=w.bde13_safety, risk=fresh(risk))
    for consultation in asked:
        answer, text = answers.get(consultation.party, ("agree", ""))
        services.consultation_answer(
            actor=answerer(w, consultation.party),
            consultation=consultation,
            answer=answer,
            text=text,
        )
    return asked
