"""Counts and summaries of registers: heat maps, deployment summaries, controls per organisation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, Count, Value, When
from django.utils import timezone

from missionsafety.deployments.models import Deployment
from missionsafety.risks import authority
from missionsafety.risks.models import Control, Risk, RiskMatrix
from missionsafety.risks.selectors.listing import S, _overdue_controls


@dataclass
class RegisterStats:
    """Counts of a deployment's open risks, from two grouped queries."""

    inherent: dict[tuple[str, str], int]
    residual: dict[tuple[str, str], int]
    per_level: dict[str, int]
    total: int = 0
    stop: int = 0
    awaiting: int = 0
    expired: int = 0
    unassessed: int = 0


def register_stats(*, user: Any, deployment: Deployment) -> RegisterStats:
    """Heat maps and the summary of the deployment's open risks in two queries.

    Grouping gives at most a few hundred groups whatever the size of the
    register; the sums are made here. The counts read the risk rows alone;
    the cells join only the deployment's own assessments (naming their
    deployment lets PostgreSQL use its index instead of hashing every
    assessment of every deployment)."""
    today = timezone.localdate()
    open_risks = (
        Risk.objects.visible_to(user)
        .filter(deployment=deployment)
        .exclude(status=S.CLOSED)
    )
    stats = RegisterStats(inherent={}, residual={}, per_level={})
    for level, status, stop, expired, unassessed, n in (
        open_risks.annotate(
            expired=Case(
                When(acceptance_expires_on__lt=today, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            unassessed=Case(
                When(current_assessment__isnull=True, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .values_list("residual_level", "status", "stop_flag", "expired", "unassessed")
        .annotate(n=Count("id"))
        .order_by()
    ):
        stats.total += n
        if unassessed:
            stats.unassessed += n
        if level:
            stats.per_level[level] = stats.per_level.get(level, 0) + n
        if stop:
            stats.stop += n
        if status == S.AWAITING_DECISION:
            stats.awaiting += n
        elif expired and status in (S.ACCEPTED, S.MONITORED):
            stats.expired += n
    a = "current_assessment__"
    for ip, isv, rp, rs, n in (
        open_risks.filter(**{f"{a}deployment": deployment})
        .values_list(
            f"{a}inherent_probability",
            f"{a}inherent_severity",
            f"{a}residual_probability",
            f"{a}residual_severity",
        )
        .annotate(n=Count("id"))
        .order_by()
    ):
        stats.inherent[ip, isv] = stats.inherent.get((ip, isv), 0) + n
        stats.residual[rp, rs] = stats.residual.get((rp, rs), 0) + n
    return stats


def heatmap_counts(
    *, user: Any, deployment: Deployment, stats: RegisterStats | None = None
) -> dict[str, dict[tuple[str, str], int]]:
    """Open risks per cell (probability, severity), inherent and residual."""
    stats = stats or register_stats(user=user, deployment=deployment)
    return {"inherent": stats.inherent, "residual": stats.residual}


def deployment_summary(
    *, user: Any, deployment: Deployment, stats: RegisterStats | None = None
) -> dict[str, Any]:
    """Overall residual level and counts for the deployment page (constant queries)."""
    stats = stats or register_stats(user=user, deployment=deployment)
    matrix = authority.matrix_of(deployment)
    overdue = list(
        Control.objects.visible_to(user)
        .filter(_overdue_controls(), deployment=deployment)
        .exclude(risk__status=S.CLOSED)
        .select_related("risk", "owner_party__organisation")
        .only(
            "id",
            "description",
            "due_date",
            "status",
            "risk__number",
            "risk__title",
            "owner_party__organisation__short_name",
        )
        .order_by("due_date", "pk")[:10]
    )
    stopped = list(
        Risk.objects.visible_to(user)
        .filter(deployment=deployment, stop_flag=True)
        .exclude(status=S.CLOSED)
        .only("id", "number", "title", "residual_level", "residual_rank")
        .order_by("-residual_rank", "number")[:10]
    )
    return {
        "matrix": matrix,
        "overall": overall_level(matrix, stats.per_level),
        "levels": [
            {"code": c, "count": stats.per_level.get(c, 0)} for c in matrix.level_codes
        ],
        "overdue": overdue,
        "stopped": stopped,
        "total": stats.total,
        "stop": stats.stop,
        "awaiting": stats.awaiting,
        "expired": stats.expired,
        "unassessed": stats.unassessed,
    }


def overall_level(matrix: RiskMatrix, per_level: dict[str, int]) -> str:
    """The highest residual level among open risks ('' when none assessed)."""
    present = [c for c in matrix.level_codes if per_level.get(c)]
    return present[-1] if present else ""


def organisation_controls(*, user: Any, organisation: Any) -> list[Control]:
    """Open controls owned by the organisation's parties, overdue first."""
    return list(
        Control.objects.visible_to(user)
        .filter(
            owner_party__organisation=organisation,
            status__in=Control.OPEN_STATUSES,
        )
        .exclude(risk__status=S.CLOSED)
        .select_related("risk", "deployment")
        .order_by("due_date", "pk")[:25]
    )
