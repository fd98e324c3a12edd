"""Every read of agreements, evaluations and compliance a user makes."""

from __future__ import annotations

from collections import Counter
from typing import Any, cast

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from missionsafety.core.selectors import get_visible
from missionsafety.deployments.models import Deployment, Party
from missionsafety.evaluations.models import (
    Action,
    Agreement,
    AgreementAssignment,
    CalendarToken,
    Evaluation,
    EvaluationParticipant,
    Finding,
    ProcessStep,
)

E = Evaluation.Status


def agreement_versions(*, user: Any, deployment: Deployment) -> QuerySet[Agreement]:
    # visible_to is typed on the untyped DeploymentScopedQuerySet: name the model.
    return cast(
        "QuerySet[Agreement]",
        Agreement.objects.visible_to(user)
        .filter(deployment=deployment)
        .select_related("created_by")
        .annotate(signed=Count("signatures"))
        .order_by("-number"),
    )


def agreement_get(*, user: Any, deployment: Deployment, number: int) -> Agreement:
    return get_visible(
        Agreement.objects.filter(deployment=deployment), user, number=number
    )


def agreement_matrix(agreement: Agreement) -> dict[str, Any]:
    """Rows of steps with one cell per party, the parties, and the signatures."""
    assignments = list(
        AgreementAssignment.objects.filter(agreement=agreement).select_related(
            "party__organisation", "party__point_of_contact"
        )
    )
    party_map = {a.party_id: a.party for a in assignments}
    parties = sorted(
        party_map.values(),
        key=lambda p: (
            list(Party.PartyRole.values).index(p.role),
            p.organisation.short_name,
        ),
    )
    cells = {(a.step_id, a.party_id): a for a in assignments}
    steps = ProcessStep.objects.filter(
        pk__in={a.step_id for a in assignments}
    ).order_by("order", "code")
    signatures = {
        s.party_id: s for s in agreement.signatures.select_related("signed_by")
    }
    return {
        "parties": parties,
        "rows": [
            {"step": step, "cells": [cells.get((step.pk, p.pk)) for p in parties]}
            for step in steps
        ],
        "signatures": [
            {"party": p, "signature": signatures.get(p.pk)} for p in parties
        ],
        "unsigned": [p for p in parties if p.pk not in signatures],
    }


def evaluation_list(
    *, user: Any, deployment: Deployment | None = None, timeliness: str = ""
) -> QuerySet[Evaluation]:
    qs = (
        Evaluation.objects.visible_to(user)
        .select_related("template", "deployment")
        .order_by("due_date", "id")
    )
    if deployment is not None:
        qs = qs.filter(deployment=deployment)
    today = timezone.localdate()
    filters = {
        "overdue": Q(status=E.SCHEDULED, due_date__lt=today),
        "upcoming": Q(status=E.SCHEDULED, due_date__gte=today),
        "skipped": Q(status=E.SKIPPED),
        "held": Q(status__in=Evaluation.DONE),
    }
    if timeliness in filters:
        qs = qs.filter(filters[timeliness])
    return qs


def evaluation_get(*, user: Any, pk: Any) -> Evaluation:
    return get_visible(
        Evaluation.objects.select_related(
            "template", "deployment", "held_by"
        ).prefetch_related(
            Prefetch(
                "participants",
                queryset=EvaluationParticipant.objects.select_related(
                    "party__organisation"
                ),
            ),
            Prefetch(
                "findings",
                queryset=Finding.objects.prefetch_related(
                    Prefetch(
                        "actions",
                        queryset=Action.objects.select_related(
                            "owner", "owner_party__organisation"
                        ),
                    )
                ),
            ),
        ),
        user,
        pk=pk,
    )


def finding_get(*, user: Any, pk: Any) -> Finding:
    return get_visible(
        Finding.objects.select_related(
            "evaluation__deployment", "evaluation__template"
        ),
        user,
        pk=pk,
    )


def _timeliness_counts() -> dict[str, Count]:
    """Count expressions for held on time, held late, overdue, skipped, upcoming."""
    today = timezone.localdate()
    done = Q(status__in=Evaluation.DONE)
    return {
        "on_time": Count("id", filter=done & Q(held_on__lte=F("due_date"))),
        "late": Count("id", filter=done & Q(held_on__gt=F("due_date"))),
        "overdue": Count("id", filter=Q(status=E.SCHEDULED, due_date__lt=today)),
        "skipped": Count("id", filter=Q(status=E.SKIPPED)),
        "upcoming": Count("id", filter=Q(status=E.SCHEDULED, due_date__gte=today)),
    }


def compliance(qs: QuerySet[Evaluation]) -> dict[str, int]:
    """Compliance counts of a set of moments, in one query."""
    row = qs.aggregate(**_timeliness_counts())
    return {k: int(v or 0) for k, v in row.items()}


def compliance_by_deployment(*, user: Any) -> list[dict[str, Any]]:
    """One row of compliance counts per visible deployment that has moments,
    most overdue first, then by code.

    The counts are grouped by deployment alone, from eval_dep_timeliness_idx
    (no rows read, no join); codes and names come from a second query, in the
    database's order of codes."""
    counts = (
        Evaluation.objects.visible_to(user)
        .values("deployment_id")
        .annotate(**_timeliness_counts())
        .order_by()
    )
    names = {
        pk: (rank, code, name)
        for rank, (pk, code, name) in enumerate(
            Deployment.objects.visible_to(user)
            .order_by("code")
            .values_list("pk", "code", "name")
        )
    }
    rows = []
    for row in counts:  # fresh dicts: completed in place
        found = names.get(row["deployment_id"])
        if found is None:  # deleted meanwhile
            continue
        row["rank"], row["deployment__code"], row["deployment__name"] = found
        rows.append(row)
    rows.sort(key=lambda r: (-r["overdue"], r["rank"]))
    return rows


def totals(rows: list[dict[str, Any]]) -> dict[str, int]:
    counter: Counter[str] = Counter()
    for row in rows:
        for key in ("on_time", "late", "overdue", "skipped", "upcoming"):
            counter[key] += row[key]
    return dict(counter)


def calendar_tokens(*, user: Any) -> QuerySet[CalendarToken]:
    return (
        CalendarToken.objects.filter(user=user)
        .select_related("party__organisation", "party__deployment")
        .order_by("-created_at")
    )


def calendar_parties(*, user: Any) -> QuerySet[Party]:
    """Parties the user acts for (their organisation or one above it)."""
    from missionsafety.organisations.scope import user_scope_ids

    return (
        Party.objects.visible_to(user)
        .filter(organisation_id__in=user_scope_ids(user))
        .exclude(deployment__phase="closed")
        .select_related("organisation", "deployment")
        .order_by("deployment__code", "organisation__short_name")
    )


def party_moments(party: Party, *, with_skipped: bool = False) -> list[Evaluation]:
    """The moments a party takes part in (every moment when the method names nobody).

    A calendar feed asks ``with_skipped``: a calendar that showed a moment
    needs it again, cancelled, to drop it.
    """
    qs = (
        Evaluation.objects.filter(deployment_id=party.deployment_id)
        .select_related("template", "deployment")
        .order_by("due_date")
    )
    if not with_skipped:
        qs = qs.exclude(status=E.SKIPPED)
    return [
        e
        for e in qs
        if not e.template.participant_roles
        or party.role in e.template.participant_roles
    ]
