"""The register's summary and heat maps (one grouped query) agree with the
register after every kind of service write."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from missionsafety.risks import selectors, services
from missionsafety.risks.models import Risk
from missionsafety.risks.tests.factories import assess, fresh, make_risk


def _expected(world: Any) -> dict[str, Any]:
    """The counts, worked out row by row from the register itself."""
    today = timezone.localdate()
    open_risks = [
        r
        for r in Risk.objects.filter(deployment=world.dep).select_related(
            "current_assessment"
        )
        if r.status != Risk.Status.CLOSED
    ]
    inherent: dict[tuple[str, str], int] = {}
    residual: dict[tuple[str, str], int] = {}
    for r in open_risks:
        a = r.current_assessment
        if a is not None:
            key = (a.inherent_probability, a.inherent_severity)
            inherent[key] = inherent.get(key, 0) + 1
            key = (a.residual_probability, a.residual_severity)
            residual[key] = residual.get(key, 0) + 1
    return {
        "inherent": inherent,
        "residual": residual,
        "total": len(open_risks),
        "stop": sum(r.stop_flag for r in open_risks),
        "awaiting": sum(r.status == Risk.Status.AWAITING_DECISION for r in open_risks),
        "expired": sum(
            r.status in (Risk.Status.ACCEPTED, Risk.Status.MONITORED)
            and r.acceptance_expires_on is not None
            and r.acceptance_expires_on < today
            for r in open_risks
        ),
        "unassessed": sum(r.current_assessment_id is None for r in open_risks),
        "levels": {
            c: sum(r.residual_level == c for r in open_risks)
            for c in ("L", "M", "H", "EH")
        },
    }


def _check(world: Any) -> None:
    user = world.bde13_safety
    summary = selectors.deployment_summary(user=user, deployment=world.dep)
    heat = selectors.heatmap_counts(user=user, deployment=world.dep)
    want = _expected(world)
    assert heat == {"inherent": want["inherent"], "residual": want["residual"]}
    for key in ("total", "stop", "awaiting", "expired", "unassessed"):
        assert summary[key] == want[key], key
    assert {row["code"]: row["count"] for row in summary["levels"]} == want["levels"]


def test_counts_follow_every_service_write(world: Any) -> None:
    _check(world)
    first = make_risk(world, title="Konvooi bij nacht")
    second = make_risk(world, title="Hitte op de schietbaan")
    _check(world)  # two unassessed
    a1 = assess(world, first, residual=("D", "III"))  # L, awaiting a decision
    assess(world, second, residual=("C", "II"), inherent=("A", "I"))  # H
    _check(world)
    services.decision_accept(
        actor=world.coy_commander, risk=fresh(first), assessment=a1
    )
    _check(world)  # accepted, no longer awaiting
    assess(world, fresh(first), residual=("C", "III"), reason="occurrence")  # M > L
    assert fresh(first).stop_flag
    _check(world)  # stop flag counted, awaiting again
    a2 = fresh(second).current_assessment
    services.decision_reject(
        actor=world.bn_commander,
        risk=fresh(second),
        assessment=a2,
        rationale="Meer maatregelen nodig.",
    )
    _check(world)
    services.risk_transition(
        actor=world.bde13_safety, risk=fresh(second), to_status=Risk.Status.CLOSED
    )
    _check(world)  # closed risks leave every count


def test_an_expired_acceptance_is_counted(world: Any) -> None:
    risk = make_risk(world)
    a = assess(world, risk, residual=("D", "III"))
    services.decision_accept(actor=world.coy_commander, risk=fresh(risk), assessment=a)
    Risk.objects.filter(pk=risk.pk).update(
        acceptance_expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    _check(world)
    summary = selectors.deployment_summary(
        user=world.bde13_safety, deployment=world.dep
    )
    assert summary["expired"] == 1


def test_outsider_counts_nothing(world: Any) -> None:
    assess(world, make_risk(world), residual=("D", "III"))
    stats = selectors.register_stats(user=world.bde43_safety, deployment=world.dep)
    assert stats.total == 0 and stats.residual == {}
