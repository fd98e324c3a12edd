"""Builders the journey tests share: data made through the services, as users would."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from missionsafety.deployments import services as dep_services
from missionsafety.deployments.models import Party
from missionsafety.risks import services as risk_services

R = Party.PartyRole


def risk(
    w: Any,
    title: str = "Munitieopslag bij hoge temperaturen",
    *,
    deployment: Any = None,
    residual: tuple[str, str] | None = ("C", "I"),
    controls: list[dict[str, Any]] | None = None,
) -> Any:
    """A risk of the deployment (default ``w.dep``), assessed when ``residual``."""
    made = risk_services.risk_create(
        actor=w.bde13_safety,
        deployment=deployment or w.dep,
        title=title,
        hazard="Munitie in zeecontainers warmt op boven 50 °C.",
        owner_party=(deployment or w.dep).parties.get(organisation=w.bn),
        controls=controls or [],
    )
    if residual:
        risk_services.assessment_record(
            actor=w.bde13_safety,
            risk=made,
            inherent_probability="A",
            inherent_severity="I",
            residual_probability=residual[0],
            residual_severity=residual[1],
        )
    made.refresh_from_db()
    return made


def next_rotation(w: Any) -> Any:
    """The next rotation of ``w.dep``, in planning, with the same parties."""
    today = timezone.localdate()
    return dep_services.deployment_create(
        actor=w.bde13_safety,
        name="eFP Litouwen R13",
        code="EFP-R13",
        theatre="Litouwen",
        start_date=today + datetime.timedelta(days=120),
        end_date=today + datetime.timedelta(days=300),
        parties=[
            (w.jfc, R.OPERATIONAL_COMMAND),
            (w.clas, R.FORCE_PROVIDER),
            (w.bde13, R.PARENT_BRIGADE),
            (w.bn, R.DEPLOYED_UNIT),
        ],
        predecessor=w.dep,
    )


def report(w: Any, title: str, *, risks: list[Any], **options: Any) -> Any:
    """An occurrence the company leader reported yesterday, linked to ``risks``."""
    from missionsafety.occurrences import services as occurrence_services

    values = {
        "place": "Pabradė",
        "kind": "near_miss",
        "actual_category": 0,
        "potential_category": 2,
        **options,
    }
    occurrence, _created = occurrence_services.occurrence_report(
        actor=w.coy_leader,
        deployment=w.dep,
        occurred_at=timezone.now() - datetime.timedelta(days=1),
        unit=w.coy,
        title=title,
        risks=risks,
        **values,
    )
    return occurrence


def ask(w: Any, subject: Any, title: str, body: str) -> Any:
    """A question of 13 LBR to NLD JFC about ``subject``."""
    from missionsafety.feedback import services as feedback_services

    return feedback_services.thread_open(
        actor=w.bde13_safety,
        deployment=w.dep,
        to_party=w.party_jfc,
        subject=subject,
        title=title,
        body=body,
    )


def consulted(w: Any, subject: Any) -> None:
    """The parties the rule names are asked about ``subject`` and agree."""
    people = {
        w.jfc.pk: w.jfc_safety,
        w.clas.pk: w.clas_safety,
        w.bde13.pk: w.bde13_safety,
        w.bn.pk: w.bn_commander,
    }
    for consultation in risk_services.consultation_request(
        actor=w.bde13_safety, risk=subject
    ):
        risk_services.consultation_answer(
            actor=people[consultation.party.organisation_id],
            consultation=consultation,
            answer="agree",
        )
