"""Reading a deployment's register: filters, sorting and control counts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from missionsafety.deployments.models import Deployment
from missionsafety.risks.models import Control, Risk

S = Risk.Status

SORTS = {
    "number": ("number",),
    "-number": ("-number",),
    "title": ("title", "number"),
    "-title": ("-title", "number"),
    "level": ("residual_rank", "number"),
    "-level": ("-residual_rank", "number"),
    "status": ("status", "number"),
    "-status": ("-status", "number"),
    "owner": ("owner_party__organisation__short_name", "number"),
    "-owner": ("-owner_party__organisation__short_name", "number"),
    "expiry": ("acceptance_expires_on", "number"),
    "-expiry": ("-acceptance_expires_on", "number"),
}


def _overdue_controls() -> Q:
    return Q(status__in=Control.OPEN_STATUSES, due_date__lt=timezone.localdate())


@dataclass
class RegisterFilters:
    """What the register is filtered and sorted by (GET parameters)."""

    level: str = ""
    status: str = ""
    owner: str = ""
    category: str = ""
    phase: str = ""
    overdue: bool = False
    stop: bool = False
    expired: bool = False
    cell: str = ""  # "r:B:II" (residual) or "i:A:I" (inherent)
    q: str = ""
    sort: str = "-level"

    @classmethod
    def from_params(cls, params: Any) -> RegisterFilters:
        def flag(name: str) -> bool:
            return str(params.get(name, "")).lower() in {"1", "true", "on", "yes"}

        sort = params.get("sort", "-level") or "-level"
        return cls(
            level=str(params.get("level", ""))[:10],
            status=str(params.get("status", ""))[:20],
            owner=str(params.get("owner", ""))[:12],
            category=str(params.get("category", ""))[:12],
            phase=str(params.get("phase", ""))[:20],
            overdue=flag("overdue"),
            stop=flag("stop"),
            expired=flag("expired"),
            cell=str(params.get("cell", ""))[:20],
            q=str(params.get("q", ""))[:100],
            sort=sort if sort in SORTS else "-level",
        )

    @property
    def active(self) -> bool:
        return any(
            [
                self.level,
                self.status,
                self.owner,
                self.category,
                self.phase,
                self.overdue,
                self.stop,
                self.expired,
                self.cell,
                self.q,
            ]
        )


def risk_base() -> QuerySet[Risk]:
    return Risk.objects.select_related(
        "owner_party__organisation",
        "category",
        "owner",
        "current_assessment",
        "escalated_to",
    )


def register(
    *, user: Any, deployment: Deployment, filters: RegisterFilters | None = None
) -> QuerySet[Risk]:
    """The deployment's risks, filtered and sorted (control counts are added to
    the shown page by ``with_control_counts``: counting over the whole register
    before the page is cut would cost a join over every control)."""
    f = filters or RegisterFilters()
    qs = (
        Risk.objects.visible_to(user)
        .filter(deployment=deployment)
        .select_related("owner_party__organisation", "category", "escalated_to")
    )
    if f.level:
        qs = qs.filter(residual_level=f.level)
    if f.status == "open":
        qs = qs.exclude(status=S.CLOSED)
    elif f.status in S.values:
        qs = qs.filter(status=f.status)
    if f.owner.isdigit():
        qs = qs.filter(owner_party_id=int(f.owner))
    if f.category.isdigit():
        qs = qs.filter(category_id=int(f.category))
    if f.phase:
        qs = qs.annotate(phases_text=Cast("phases", TextField())).filter(
            phases_text__contains=f'"{f.phase}"'
        )
    if f.overdue:
        # The deployment's overdue controls are a short range of ctl_due_idx;
        # an EXISTS per risk would visit every control of the register.
        qs = qs.filter(
            pk__in=Control.objects.filter(
                _overdue_controls(), deployment=deployment
            ).values("risk_id")
        )
    if f.stop:
        qs = qs.filter(stop_flag=True)
    if f.expired:
        qs = qs.filter(
            status__in=(S.ACCEPTED, S.MONITORED),
            acceptance_expires_on__lt=timezone.localdate(),
        )
    if f.cell:
        parts = f.cell.split(":")
        if len(parts) == 3 and parts[0] in {"r", "i"}:
            prefix = "residual" if parts[0] == "r" else "inherent"
            qs = qs.exclude(status=S.CLOSED).filter(
                **{
                    f"current_assessment__{prefix}_probability": parts[1],
                    f"current_assessment__{prefix}_severity": parts[2],
                }
            )
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(hazard__icontains=f.q))
    return qs.order_by(*SORTS[f.sort])


def with_control_counts(risks: Any) -> list[Risk]:
    """Set ``n_controls`` and ``n_overdue`` on a page of risks, in one query."""
    rows = list(risks)
    counts = {
        row["risk_id"]: row
        for row in Control.objects.filter(risk_id__in=[r.pk for r in rows])
        .values("risk_id")
        .annotate(
            total=Count("id"),
            overdue=Count("id", filter=_overdue_controls()),
        )
        .order_by()
    }
    for risk in rows:
        row: Mapping[str, Any] = counts.get(risk.pk, {})
        risk.n_controls = row.get("total", 0)  # type: ignore[attr-defined]
        risk.n_overdue = row.get("overdue", 0)  # type: ignore[attr-defined]
    return rows
