"""The risks router and the lookups its endpoints share."""

from typing import Any

from ninja import Field, Router

from missionsafety.core.api import Paging
from missionsafety.deployments.models import Party
from missionsafety.organisations.models import User
from missionsafety.risks import authority, selectors
from missionsafety.risks.api.schemas import (
    AssessmentOut,
    ControlOut,
    DecisionOut,
    RequirementOut,
    RiskDetailOut,
)
from missionsafety.risks.models import HazardCategory, Risk

router = Router(tags=["risks"])


def _party(party_id: int | None) -> Party | None:
    if party_id is None:
        return None
    return Party.objects.select_related("organisation").filter(pk=party_id).first()


def _user(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def _category(category_id: int | None) -> HazardCategory | None:
    if category_id is None:
        return None
    return HazardCategory.objects.filter(pk=category_id).first()


def _resolve(changes: dict[str, Any]) -> dict[str, Any]:
    """Turn ``*_id`` fields of a PATCH body into the objects the services take."""
    lookups = {
        "owner_party_id": ("owner_party", _party),
        "owner_id": ("owner", _user),
        "implementer_id": ("implementer", _user),
        "category_id": ("category", _category),
    }
    for key, (name, lookup) in lookups.items():
        if key in changes:
            changes[name] = lookup(changes.pop(key))
    return changes


def _detail(user: Any, risk_id: int) -> Risk:
    risk = selectors.risk_get(user=user, pk=risk_id)
    risk.assessments_list = selectors.risk_assessments(risk=risk)  # type: ignore[attr-defined]
    controls = selectors.risk_controls(risk=risk)
    risk._prefetched_objects_cache = {"controls": controls}  # type: ignore[attr-defined]
    requirement = authority.requirement_for(risk)
    if requirement is not None:
        authority.holders_of(requirement, risk.deployment)
    risk.api_requirement = (  # type: ignore[attr-defined]
        {
            "level": requirement.level,
            "chain": requirement.chain,
            "min_echelon": requirement.echelon,
            "authority": requirement.text,
            "consult": requirement.rule.consult,
            "validity_days": requirement.rule.validity_days,
            "holders": requirement.holders,
        }
        if requirement
        else None
    )
    risk.decision_list = selectors.risk_decisions(risk=risk)  # type: ignore[attr-defined]
    return risk


class _DetailOut(RiskDetailOut):
    assessments: list[AssessmentOut] = Field(..., alias="assessments_list")
    controls: list[ControlOut] = Field(..., alias="controls.all")
    decisions: list[DecisionOut] = Field(..., alias="decision_list")
    authority_required: RequirementOut | None = Field(None, alias="api_requirement")


class RegisterPagination(Paging):
    """Limit/offset, with control counts added to the page only."""

    def paginate_queryset(self, queryset, pagination, request, **params):  # type: ignore[no-untyped-def,override]
        page = super().paginate_queryset(queryset, pagination, request, **params)
        key = self.items_attribute
        page[key] = selectors.with_control_counts(page[key])
        return page
