"""Reads for the cross-deployment overview: aggregated in the database, a
constant number of queries whatever the number of deployments and risks."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, cast

from django.db.models import Count, Q
from django.utils import timezone

from missionsafety.deployments.models import Deployment, Phase
from missionsafety.risks.models import Control, Risk, RiskMatrix
from missionsafety.risks.selectors import overall_level

EXPIRING_DAYS = 14
S = Risk.Status


def overview_deployments(*, user: Any, include_closed: bool = False) -> Any:
    # Without the matrix: its JSON columns in every row made the database sort
    # wide rows to show fifty; ``overview_rows`` loads the few matrices once.
    qs = Deployment.objects.visible_to(user).only(
        "pk", "code", "name", "phase", "start_date", "matrix_id"
    )
    if not include_closed:
        qs = qs.exclude(phase=Phase.CLOSED)
    return qs.order_by("-start_date", "code")


def overview_rows(*, deployments: list[Deployment]) -> list[dict[str, Any]]:
    """One row per deployment: overall residual level, risks per level, stop
    flags, acceptances expiring and expired, overdue controls, awaiting decision."""
    ids = [d.pk for d in deployments]
    if not ids:
        return []
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=EXPIRING_DAYS)
    matrices = RiskMatrix.objects.in_bulk(
        {d.matrix_id for d in deployments if d.matrix_id is not None}
    )
    default = None
    if any(d.matrix_id is None for d in deployments):
        default = (
            RiskMatrix.objects.filter(is_default=True).order_by("-revision").first()
        )
    codes = sorted(
        {c for m in (*matrices.values(), default) if m for c in m.level_codes}
    )
    accepted = Q(status__in=(S.ACCEPTED, S.MONITORED))
    # One pass over the deployments' open risks, one row per deployment with
    # the per-level counts among its columns: in the order of
    # risk_dep_summary_idx, which holds every column read, so neither the rows
    # nor a sort are needed.
    counted = (
        Risk.objects.filter(deployment_id__in=ids)
        .exclude(status=S.CLOSED)
        .values("deployment_id")
        .annotate(
            total=Count("id"),
            stop=Count("id", filter=Q(stop_flag=True)),
            awaiting=Count("id", filter=Q(status=S.AWAITING_DECISION)),
            expired=Count("id", filter=accepted & Q(acceptance_expires_on__lt=today)),
            expiring=Count(
                "id",
                filter=accepted
                & Q(acceptance_expires_on__gte=today, acceptance_expires_on__lte=soon),
            ),
            **{
                f"level_{i}": Count("id", filter=Q(residual_level=code))
                for i, code in enumerate(codes)
            },
        )
        .order_by()
    )
    totals = {row["deployment_id"]: cast("dict[str, Any]", row) for row in counted}
    per_level = {
        dep_id: {c: row[f"level_{i}"] for i, c in enumerate(codes) if row[f"level_{i}"]}
        for dep_id, row in totals.items()
    }
    overdue = dict(
        Control.objects.filter(
            deployment_id__in=ids,
            # Redundant for the result, not for PostgreSQL's planner: without
            # it the join read every open risk of every deployment.
            risk__deployment_id__in=ids,
            status__in=Control.OPEN_STATUSES,
            due_date__lt=today,
        )
        .exclude(risk__status=S.CLOSED)
        .values_list("deployment_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    phases = {value: str(label) for value, label in Phase.choices}  # once a page
    rows = []
    for d in deployments:
        matrix = matrices.get(d.matrix_id) or default  # type: ignore[arg-type]
        levels = per_level.get(d.pk, {})
        t: Mapping[str, Any] = totals.get(d.pk, {})
        rows.append(
            {
                "deployment": d,
                "phase": phases.get(d.phase, d.phase),
                "overall": overall_level(matrix, levels) if matrix else "",
                "levels": [
                    {"code": c, "count": levels.get(c, 0)}
                    for c in (matrix.level_codes if matrix else [])
                ],
                "total": t.get("total", 0),
                "stop": t.get("stop", 0),
                "awaiting": t.get("awaiting", 0),
                "expired": t.get("expired", 0),
                "expiring": t.get("expiring", 0),
                "overdue": overdue.get(d.pk, 0),
            }
        )
    return rows
