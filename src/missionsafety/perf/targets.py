"""What the benchmark's scenarios ask for: the largest register, its people."""

from __future__ import annotations

import contextlib
from typing import Any


def probe_targets() -> dict[str, Any]:
    """Ids and usernames the scenarios need, read from the configured database."""
    from django.db.models import Count

    from missionsafety.deployments.models import Deployment, Party
    from missionsafety.organisations.models import Membership

    sizes = list(
        Deployment.objects.exclude(phase="closed")
        .annotate(n=Count("risks"))
        .order_by("-n", "pk")
        .values_list("pk", "n")
    )
    if not sizes:
        raise RuntimeError("no open deployment: generate the data set first")
    largest = sizes[0][0]
    parties = {p.role: p for p in Party.objects.filter(deployment_id=largest)}
    brigade = parties["parent_brigade"].organisation_id
    # A median register among the deployments the same brigade takes part in.
    own = [
        pk
        for pk, _n in sizes
        if Party.objects.filter(deployment_id=pk, organisation_id=brigade).exists()
    ]
    typical = own[len(own) // 2]
    battalion = parties["deployed_unit"].organisation_id
    party_orgs = [p.organisation_id for p in parties.values()]

    def member(role: str, **where: Any) -> str | None:
        m = (
            Membership.objects.current()
            .filter(role=role, user__is_active=True, **where)
            .order_by("pk")
            .select_related("user")
            .first()
        )
        return m.user.username if m else None

    fallback = member("safety_officer", organisation_id=brigade) or member(
        "safety_officer"
    )
    targets: dict[str, Any] = {
        "deployment": largest,
        "deployment_risks": sizes[0][1],
        "deployment_typical": typical,
        "organisation": brigade,
        "party": parties["deployed_unit"].pk,
        "unit": battalion,
        "personas": {
            "brigade": fallback,
            "jfc": member("safety_officer", organisation__short_name="NLD JFC")
            or fallback,
            "commander": member("commander", organisation_id=brigade)
            or member("commander", organisation_id__in=party_orgs)
            or fallback,
            # In the deployment phases the operational line decides: the
            # deployed unit's commander holds (or escalates) a decision.
            "line_commander": member("commander", organisation_id=battalion)
            or member("commander", organisation_id__in=party_orgs)
            or fallback,
            "company": member("contributor", organisation__parent_id=battalion)
            or member("contributor", organisation_id=battalion)
            or fallback,
            "auditor": member("auditor") or fallback,
        },
    }
    with contextlib.suppress(ImportError, LookupError):
        from missionsafety.risks.models import Risk

        risk = (
            Risk.objects.filter(deployment_id=largest, current_assessment__isnull=False)
            .order_by("number")
            .first()
        )
        if risk is not None:
            targets["risk"] = risk.pk
            targets["assessment"] = risk.current_assessment_id
        targets["write_risks"] = write_risks(largest)
    return targets


WRITE_RISKS = 200  # risks the writes take in turn (see scenarios.own_risk)


def write_risks(deployment: int) -> list[list[int]]:
    """[risk, current assessment] of open assessed risks of the deployment for
    the writes, those awaiting a decision first, then the others by number."""
    from missionsafety.risks.models import Risk

    assessed = (
        Risk.objects.filter(deployment_id=deployment, current_assessment__isnull=False)
        .exclude(status=Risk.Status.CLOSED)
        .order_by("number")
    )
    fields = ("pk", "current_assessment_id")
    awaiting = assessed.filter(status=Risk.Status.AWAITING_DECISION)
    rows = list(awaiting.values_list(*fields)[:WRITE_RISKS])
    rows += assessed.exclude(status=Risk.Status.AWAITING_DECISION).values_list(*fields)[
        : WRITE_RISKS - len(rows)
    ]
    return [list(row) for row in rows]
