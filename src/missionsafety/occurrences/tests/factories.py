"""Test helpers: risks with an acceptance, built directly on the risk models
(the register's own services may not be on this branch), and occurrences."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from missionsafety.risks.models import Assessment, Decision, Risk


def make_risk(
    w: Any,
    *,
    deployment: Any = None,
    title: str = "Verkeersongeval bij konvooi",
    level: str = "H",
    accepted_by: Any = None,
    owner: Any = None,
    owner_party: Any = None,
    expires_on: datetime.date | None = None,
) -> Risk:
    deployment = deployment or w.dep
    number = Risk.objects.filter(deployment=deployment).count() + 1
    risk = Risk.objects.create(
        deployment=deployment,
        number=number,
        title=title,
        hazard="Rijden in konvooi op besneeuwde wegen",
        owner_party=owner_party or deployment.parties.order_by("id").first(),
        owner=owner,
        status=Risk.Status.ACCEPTED if accepted_by else Risk.Status.ASSESSED,
        residual_level=level,
        residual_rank=["L", "M", "H", "EH"].index(level),
    )
    assessment = Assessment.objects.create(
        risk=risk,
        deployment=deployment,
        sequence=1,
        inherent_probability="B",
        inherent_severity="II",
        inherent_level="H",
        residual_probability="C",
        residual_severity="II",
        residual_level=level,
        residual_rank=risk.residual_rank,
        reason=Assessment.Reason.INITIAL,
        assessor=owner,
    )
    risk.current_assessment = assessment
    if accepted_by is not None:
        decision = Decision.objects.create(
            risk=risk,
            assessment=assessment,
            deployment=deployment,
            outcome=Decision.Outcome.ACCEPT,
            decided_by=accepted_by,
            level=level,
            rationale="Aanvaard met aanvullende maatregelen.",
            valid_until=expires_on
            or timezone.localdate() + datetime.timedelta(days=30),
        )
        risk.accepted_decision = decision
        risk.acceptance_expires_on = decision.valid_until
    risk.save()
    return risk


def bulk_occurrences(
    deployment: Any, unit: Any, n: int, label: str = "Voorval", **extra: Any
) -> None:
    """``n`` occurrences written directly (as an import would), newest first,
    titled "<label> 0", "<label> 1"…, ``spacing`` hours apart (``offset`` earlier)."""
    from missionsafety.occurrences.models import Occurrence

    spacing = extra.pop("spacing", 1)
    offset = extra.pop("offset", 0)
    now = timezone.now()
    Occurrence.objects.bulk_create(
        Occurrence(
            deployment=deployment,
            occurred_at=now - datetime.timedelta(hours=spacing * i + offset + 1),
            place="Rukla",
            unit=unit,
            kind=extra.get("kind", "near_miss"),
            title=f"{label} {i}",
            actual_category=extra.get("category", i % 5),
            potential_category=extra.get("category", i % 5),
        )
        for i in range(n)
    )
