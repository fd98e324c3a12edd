"""What waits for a user's decision, and which decisions expire soon."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from missionsafety.deployments.models import Deployment, Party, Phase
from missionsafety.risks import authority
from missionsafety.risks.models import Risk, RiskMatrix
from missionsafety.risks.selectors.listing import S

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


def expiring_soon(days: int = 14) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)
