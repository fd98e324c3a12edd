"""Reading what a new register can start from: the library, matrices and earlier registers."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from missionsafety.deployments.models import Deployment
from missionsafety.risks.models import Hazard, HazardCategory, Risk, RiskMatrix
from missionsafety.risks.selectors.listing import S
from missionsafety.risks.similar import already_there


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
