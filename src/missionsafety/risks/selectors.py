"""Every read of the risk register a user makes."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone

from missionsafety.core.selectors import get_visible
from missionsafety.deployments.models import Deployment, Party, Phase
from missionsafety.risks import authority
from missionsafety.risks.models import (
    Assessment,
    Consultation,
    Control,
    Decision,
    Hazard,
    HazardCategory,
    Risk,
    RiskAttachment,
    RiskMatrix,
)
from missionsafety.risks.similar import already_there

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


def risk_get(*, user: Any, pk: Any) -> Risk:
    """One risk the user may see (404 otherwise), with what its page needs."""
    # Rarely set relations are prefetched (no query when empty): joining all
    # of them made PostgreSQL spend longer planning the query than running it.
    return get_visible(
        risk_base()
        .select_related("deployment__matrix")
        .prefetch_related(
            "source_hazard",
            "copied_from__deployment",
            Prefetch(
                "deployment__parties",
                queryset=Party.objects.select_related("organisation"),
            ),
        ),
        user,
        pk=pk,
    )


def risk_controls(*, risk: Risk) -> list[Control]:
    controls = list(
        risk.controls.select_related("owner_party__organisation", "implementer")
    )
    return controls


def risk_assessments(*, risk: Risk) -> list[Assessment]:
    return list(risk.assessments.select_related("assessor").order_by("-sequence"))


def risk_decisions(*, risk: Risk) -> list[Decision]:
    return list(
        risk.decisions.select_related(
            "decided_by", "decided_for", "escalated_to", "assessment"
        )
        .prefetch_related(
            Prefetch(
                "parties_consulted",
                queryset=Party.objects.select_related("organisation"),
            ),
            Prefetch(
                "consultations",
                queryset=Consultation.objects.select_related(
                    "party__organisation", "answered_by", "assessment", "risk"
                ),
            ),
        )
        .order_by("-decided_at", "-pk")
    )


def risk_consultations(*, risk: Risk) -> list[Consultation]:
    """Every request about the risk, on any assessment, newest first."""
    return list(
        risk.consultations.select_related(
            "party__organisation", "answered_by", "requested_by", "assessment"
        ).order_by("-requested_at", "party_id")
    )


def consultation_get(*, user: Any, pk: Any) -> Consultation:
    """One consultation request the user may see (404 otherwise)."""
    return get_visible(
        Consultation.objects.select_related(
            "risk__deployment",
            "risk__current_assessment",
            "assessment",
            "party__organisation",
            "answered_by",
            "requested_by",
        ),
        user,
        pk=pk,
    )


def control_get(*, user: Any, pk: Any) -> Control:
    return get_visible(
        Control.objects.select_related(
            "risk",
            "risk__deployment",
            "owner_party__organisation",
            "implementer",
            "deployment",
        ).prefetch_related(
            Prefetch(
                "deployment__parties",
                queryset=Party.objects.select_related("organisation"),
            )
        ),
        user,
        pk=pk,
    )


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


AWAITING_CANDIDATES = 500  # risks considered per list, highest residual first
AWAITING_SHOWN = 100  # rows shown per list


@dataclass
class _Candidate:
    """What the authority rules read of a risk, without building the model."""

    pk: int
    deployment_id: int
    residual_level: str
    escalation_echelon: int | None
    escalated_to_id: int | None
    deployment: Any = None
    escalated_to: Any = None


def awaiting_for(*, user: Any) -> dict[str, Any]:
    """What the user, as commander, must decide: risks awaiting a decision whose
    required authority they hold (escalated ones included), and expired
    acceptances that need review — of deployments that are not closed.

    A constant number of narrow queries: the candidates as plain tuples (one
    query per index: status and rank, status and expiry), their deployments,
    parties, organisations and matrices once each, and at the end the risks
    shown. The authority is checked candidate by candidate, highest residual
    first, until a list is full."""
    from missionsafety.organisations.models import Organisation
    from missionsafety.organisations.scope import current_memberships

    empty: dict[str, Any] = {"awaiting": [], "expired": [], "more": False}
    if not any(m.role == "commander" for m in current_memberships(user)):
        return empty
    today = timezone.localdate()
    base = (
        Risk.objects.visible_to(user)
        .exclude(residual_level="")
        .exclude(deployment__phase=Phase.CLOSED)
        .order_by("-residual_rank", "deployment_id", "number")
    )
    fields = (
        "pk",
        "deployment_id",
        "residual_level",
        "escalation_echelon",
        "escalated_to_id",
    )
    lists = {
        "awaiting": base.filter(status=S.AWAITING_DECISION),
        "expired": base.filter(
            status__in=(S.ACCEPTED, S.MONITORED), acceptance_expires_on__lt=today
        ),
    }
    candidates = {
        key: [_Candidate(*row) for row in qs.values_list(*fields)[:AWAITING_CANDIDATES]]
        for key, qs in lists.items()
    }
    everyone = [c for rows in candidates.values() for c in rows]
    dep_ids = {c.deployment_id for c in everyone}
    deployments = {
        d.pk: d
        for d in Deployment.objects.filter(pk__in=dep_ids).only(
            "pk", "code", "name", "phase", "matrix_id"
        )
    }
    party_rows: dict[int, list[tuple[int, int, str]]] = {}
    for pk, dep_id, org_id, role in Party.objects.filter(
        deployment_id__in=dep_ids
    ).values_list("pk", "deployment_id", "organisation_id", "role"):
        party_rows.setdefault(dep_id, []).append((pk, org_id, role))
    # What the authority rules and the page read of an organisation.
    organisations = Organisation.objects.only(
        "pk", "short_name", "kind", "echelon", "path"
    ).in_bulk(
        {org for rows in party_rows.values() for _pk, org, _role in rows}
        | {c.escalated_to_id for c in everyone if c.escalated_to_id}
    )
    matrices = {
        m.pk: m
        for m in RiskMatrix.objects.filter(
            pk__in={d.matrix_id for d in deployments.values() if d.matrix_id}
        ).prefetch_related("rules")
    }
    for m in matrices.values():
        m._rule_list = list(m.rules.all())  # type: ignore[attr-defined]
    default: list[RiskMatrix] = []

    def deployment_of(dep_id: int) -> Deployment:
        d = deployments[dep_id]
        if "party_list" not in d.__dict__:  # parties built once, when needed
            d.__dict__["party_list"] = [
                Party(
                    pk=pk,
                    deployment_id=d.pk,
                    organisation=organisations[org],
                    role=role,
                )
                for pk, org, role in party_rows.get(d.pk, [])
            ]
            if d.matrix_id is not None:
                d.matrix = matrices[d.matrix_id]
            else:  # the default matrix, looked up once for all of them
                if not default:
                    default.append(authority.matrix_of(Deployment(matrix_id=None)))
                d._default_matrix = default[0]  # type: ignore[attr-defined]
        return d

    found: dict[str, Any] = {"more": False}
    chosen: dict[str, list[tuple[_Candidate, Any]]] = {}
    for key, rows in candidates.items():
        chosen[key] = []
        for c in rows:
            c.deployment = deployment_of(c.deployment_id)
            c.escalated_to = organisations.get(c.escalated_to_id)  # type: ignore[arg-type]
            requirement = authority.requirement_for(c)  # type: ignore[arg-type]
            if requirement is None or (
                authority.deciding_organisation(user, requirement, c.deployment) is None
            ):
                continue
            if len(chosen[key]) == AWAITING_SHOWN:
                found["more"] = True
                break
            chosen[key].append((c, requirement))
    # What the page shows of a risk (a model per row is built field by field).
    shown = Risk.objects.only(
        "pk",
        "deployment_id",
        "number",
        "title",
        "status",
        "stop_flag",
        "residual_level",
        "residual_rank",
        "acceptance_expires_on",
        "escalated_to_id",
    ).in_bulk([c.pk for rows in chosen.values() for c, _r in rows])
    for key, picked in chosen.items():
        risks = []
        for c, requirement in picked:
            risk = shown[c.pk]
            risk.deployment = c.deployment
            risk.escalated_to = c.escalated_to
            risk.requirement = requirement  # type: ignore[attr-defined]
            risks.append(risk)
        risks.sort(key=lambda r: (-r.residual_rank, r.deployment.code, r.number))
        found[key] = risks
    return found


def library(*, q: str = "", category: str = "") -> QuerySet[Hazard]:
    qs = Hazard.objects.filter(active=True).select_related("category")
    if category.isdigit():
        qs = qs.filter(category_id=int(category))
    if q:
        qs = qs.filter(
            Q(name_nl__icontains=q)
            | Q(name_en__icontains=q)
            | Q(description_nl__icontains=q)
            | Q(description_en__icontains=q)
        )
    return qs.order_by("category__code", "code")


def categories() -> list[HazardCategory]:
    return list(HazardCategory.objects.order_by("code"))


def matrices() -> QuerySet[RiskMatrix]:
    return RiskMatrix.objects.prefetch_related("rules").order_by("code", "-revision")


def earlier_registers(*, user: Any, deployment: Deployment) -> QuerySet[Deployment]:
    """Other deployments the user may see that have risks to copy."""
    return (
        Deployment.objects.visible_to(user)
        .exclude(pk=deployment.pk)
        .filter(Exists(Risk.objects.filter(deployment=OuterRef("pk"))))
        .order_by("-start_date")
    )


def expiring_soon(days: int = 14) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def risk_attachments(*, risk: Risk) -> list[RiskAttachment]:
    """The files of a risk and its controls, oldest first."""
    return list(risk.attachments.select_related("control").order_by("pk"))


def attachment_get(*, user: Any, pk: Any) -> RiskAttachment:
    """One attachment of a risk the user may see (404 otherwise)."""
    return get_visible(RiskAttachment.objects.select_related("risk"), user, pk=pk)


def register_titles(*, user: Any, deployment: Deployment) -> list[Risk]:
    """The open risks of a register with what a duplicate check reads (one query)."""
    return list(
        Risk.objects.visible_to(user)
        .filter(deployment=deployment)
        .exclude(status=S.CLOSED)
        .only("id", "number", "title", "source_hazard_id")
        .order_by("number")
    )


def library_duplicates(*, existing: list[Risk], hazards: Any) -> dict[int, Risk]:
    """Library hazards already in the register: by origin or a very similar title
    (in either language)."""
    found: dict[int, Risk] = {}
    for lang in ("nl", "en"):
        candidates = {
            h.pk: (getattr(h, f"name_{lang}") or h.name_nl, h.pk)
            for h in hazards
            if h.pk not in found
        }
        found.update(already_there(candidates, existing))
    return found


def copy_duplicates(*, existing: list[Risk], source: Deployment) -> dict[Risk, Risk]:
    """Risks of an earlier register already in this one: same library hazard,
    copied before, or a very similar title."""
    old = list(
        Risk.objects.filter(deployment=source)
        .only("id", "number", "title", "source_hazard_id")
        .order_by("number")
    )
    copied = {
        r.copied_from_id: r
        for r in Risk.objects.filter(
            pk__in=[r.pk for r in existing], copied_from__isnull=False
        ).only("id", "number", "title", "copied_from_id")
    }
    found: dict[Risk, Risk] = {r: copied[r.pk] for r in old if r.pk in copied}
    found.update(
        already_there(
            {r: (r.title, r.source_hazard_id) for r in old if r not in found},
            existing,
        )
    )
    return found
