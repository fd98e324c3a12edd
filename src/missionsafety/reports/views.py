"""The cross-deployment overview."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from missionsafety.core.kept import render_kept
from missionsafety.core.panels import panels_for
from missionsafety.core.selectors import paginate
from missionsafety.core.text import attachment_disposition
from missionsafety.reports import briefing, selectors


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    include_closed = request.GET.get("closed") == "1"

    def context() -> dict[str, Any]:
        page = paginate(
            selectors.overview_deployments(
                user=request.user, include_closed=include_closed
            ),
            request.GET.get("page"),
        )
        return {
            "page": page,
            "rows": selectors.overview_rows(deployments=list(page.object_list)),
            "include_closed": include_closed,
            "expiring_days": selectors.EXPIRING_DAYS,
            "panels": panels_for("dashboard", request, None),
        }

    # Kept per version of every deployment the reader sees.
    return render_kept(
        request,
        "reports/dashboard.html",
        context,
        slot="dashboard",
        obj=None,
        panels=True,
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


def _pdf(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = attachment_disposition(name, "pdf")
    return response


@login_required
def risk_picture_pdf(request: HttpRequest, deployment_pk: int) -> HttpResponse:
    """The deployment's risk picture for a briefing (1–3 pages)."""
    from missionsafety.deployments.selectors import deployment_get

    deployment = deployment_get(user=request.user, pk=deployment_pk)
    context = briefing.risk_picture_context(
        request, deployment=deployment, title=_("Risk picture")
    )
    pdf = briefing.render_pdf("reports/risk_picture_pdf.html", context, request)
    return _pdf(pdf, f"{deployment.code}-risk-picture")


@login_required
def register_worksheets_pdf(request: HttpRequest, deployment_pk: int) -> HttpResponse:
    """The worksheet of every risk of the register, one per page."""
    from missionsafety.deployments.selectors import deployment_get

    deployment = deployment_get(user=request.user, pk=deployment_pk)
    risks = briefing.worksheet_risks(user=request.user, deployment=deployment)
    pdf = briefing.render_worksheets_pdf(
        request, deployment=deployment, risks=risks, title=_("Risk worksheets")
    )
    return _pdf(pdf, f"{deployment.code}-worksheets")


@login_required
def risk_worksheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """One risk's worksheet, in the manner of DD Form 2977 / ATP 5-19."""
    from missionsafety.risks.selectors import risk_get

    risk = risk_get(user=request.user, pk=pk)
    context = briefing.worksheet_context(
        request, deployment=risk.deployment, risks=[risk], title=_("Risk worksheet")
    )
    pdf = briefing.render_pdf("reports/worksheets_pdf.html", context, request)
    return _pdf(pdf, f"{risk.deployment.code}-{risk.reference}-worksheet")
