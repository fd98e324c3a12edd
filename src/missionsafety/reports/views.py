"""The cross-deployment overview."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from missionsafety.core.panels import panels_for
from missionsafety.core.selectors import paginate
from missionsafety.core.text import attachment_disposition
from missionsafety.reports import selectors


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    include_closed = request.GET.get("closed") == "1"
    page = paginate(
        selectors.overview_deployments(
            user=request.user, include_closed=include_closed
        ),
        request.GET.get("page"),
    )
    rows = selectors.overview_rows(deployments=list(page.object_list))
    return render(
        request,
        "reports/dashboard.html",
        {
            "page": page,
            "rows": rows,
            "include_closed": include_closed,
            "expiring_days": selectors.EXPIRING_DAYS,
            "panels": panels_for("dashboard", request, None),
        },
    )


@login_required
def register_xlsx(request: HttpRequest, deployment_pk: int) -> HttpResponse:
    """The deployment's register (risks, controls, decisions) as a workbook."""
    from missionsafety.deployments.selectors import deployment_get
    from missionsafety.reports.exports import register_workbook

    deployment = deployment_get(user=request.user, pk=deployment_pk)
    response = HttpResponse(
        register_workbook(user=request.user, deployment=deployment),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = attachment_disposition(
        f"{deployment.code}-register", "xlsx"
    )
    return response
