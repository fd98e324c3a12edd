"""The readiness gate and the compliance overview."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from missionsafety.core.kept import render_kept
from missionsafety.core.selectors import paginate
from missionsafety.core.views import run_service
from missionsafety.deployments.selectors import deployment_get
from missionsafety.evaluations import selectors, services
from missionsafety.evaluations.forms import WaiverForm
from missionsafety.evaluations.models import TIMELINESS


@login_required
def gate(request: HttpRequest, deployment_pk: int) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    status = services.gate_status(deployment)
    may_waive = (
        status["needs_waiver"]
        and deployment.phase == "readiness"
        and services.may_waive(request.user, deployment) is not None
        and status["waiver"] is None
    )
    form = WaiverForm(request.POST or None) if may_waive else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            waiver = run_service(
                form,
                lambda: services.gate_waive(
                    actor=request.user,
                    deployment=deployment,
                    rationale=form.cleaned_data["waiver_rationale"],
                ),
            )
            if waiver is not None:
                messages.success(request, _("Waiver recorded."))
                return redirect("evaluations:gate", deployment_pk=deployment.pk)
    return render(
        request,
        "evaluations/gate.html",
        {"deployment": deployment, "status": status, "waiver_form": form},
        status=422 if form is not None and form.errors else 200,
    )


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    def context() -> dict[str, Any]:
        rows = selectors.compliance_by_deployment(user=request.user)
        return {
            "page": paginate(rows, request.GET.get("page")),
            "totals": selectors.totals(rows),
            "timeliness": TIMELINESS,
        }

    # Kept per version of every deployment the reader sees.
    return render_kept(
        request, "evaluations/compliance.html", context, slot="dashboard", obj=None
    )
