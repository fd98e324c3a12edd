"""The register page of a deployment: its columns, filters and rows."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from missionsafety.core.kept import render_kept
from missionsafety.core.selectors import paginate
from missionsafety.core.views import AuthedRequest
from missionsafety.deployments.models import Phase
from missionsafety.deployments.selectors import deployment_get
from missionsafety.deployments.visibility import can
from missionsafety.risks import authority, selectors, services
from missionsafety.risks.heatmap import heatmap
from missionsafety.risks.views.common import S, _for_display

# What a row of the register shows: models are built field by field, so the
# page loads these columns only (of the risk and the objects it names).
REGISTER_COLUMNS = (
    "number",
    "title",
    "status",
    "stop_flag",
    "reassessment_required",
    "inherent_level",
    "residual_level",
    "residual_rank",
    "acceptance_expires_on",
    "category__name_nl",
    "category__name_en",
    "owner_party__organisation__short_name",
    "escalated_to__short_name",
)


def _filter_params(filters: selectors.RegisterFilters) -> list[tuple[str, str]]:
    """The filter as form fields, for "all risks matching the filter"."""
    params = []
    for name, value in vars(filters).items():
        if value is True:
            params.append((name, "1"))
        elif value and isinstance(value, str):
            params.append((name, value))
    return params


@login_required
def register(request: AuthedRequest, deployment_pk: int) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    filters = selectors.RegisterFilters.from_params(request.GET)

    def context() -> dict[str, Any]:
        page = paginate(
            selectors.register(
                user=request.user, deployment=deployment, filters=filters
            ).only(*REGISTER_COLUMNS),
            request.GET.get("page"),
        )
        page.object_list = _for_display(selectors.with_control_counts(page.object_list))
        matrix = authority.matrix_of(deployment)
        stats = selectors.register_stats(user=request.user, deployment=deployment)
        counts = selectors.heatmap_counts(
            user=request.user, deployment=deployment, stats=stats
        )
        params = request.GET.copy()
        for key in ("cell", "page"):
            params.pop(key, None)
        base = reverse("risks:register", args=[deployment.pk])
        link = f"{base}?{params.urlencode()}&" if params else f"{base}?"
        return {
            "deployment": deployment,
            "page": page,
            "filters": filters,
            "matrix": matrix,
            "summary": selectors.deployment_summary(
                user=request.user, deployment=deployment, stats=stats
            ),
            "heat_inherent": heatmap(
                matrix=matrix,
                counts=counts["inherent"],
                kind="i",
                link=link,
                selected=filters.cell,
            ),
            "heat_residual": heatmap(
                matrix=matrix,
                counts=counts["residual"],
                kind="r",
                link=link,
                selected=filters.cell,
            ),
            "statuses": S.choices,
            "phases": Phase.choices,
            "parties": deployment.party_list,
            "categories": selectors.categories(),
            "can_edit": can(request.user, deployment, *services.EDIT_ROLES),
            "today": timezone.localdate(),
            "bulk_actions": list(services.bulk.ACTIONS.items()),
            "bulk_filters": _filter_params(filters),
        }

    # The register follows only from the deployment's data: kept per version.
    return render_kept(
        request,
        "risks/register.html",
        context,
        slot="deployment",
        obj=deployment,
        partial="results",
    )
