"""What awaits a decision, the risk matrices, and the risk panels on other apps' pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from missionsafety.core.kept import render_kept
from missionsafety.organisations.scope import is_read_only
from missionsafety.risks import selectors
from missionsafety.risks.views.common import _for_display


@login_required
def awaiting(request: HttpRequest) -> HttpResponse:
    def context() -> dict[str, Any]:
        found = selectors.awaiting_for(user=request.user)
        if found["expired"]:
            _for_display(found["expired"])
        return {**found, "shown": selectors.awaiting.AWAITING_SHOWN}

    # Kept per version of every deployment the commander sees.
    return render_kept(
        request, "risks/awaiting.html", context, slot="dashboard", obj=None
    )


@login_required
def matrices(request: HttpRequest) -> HttpResponse:
    return render(
        request, "risks/matrices.html", {"matrices": list(selectors.matrices())}
    )


@login_required
def matrix_detail(request: HttpRequest, pk: int) -> HttpResponse:
    matrix = get_object_or_404(selectors.matrices(), pk=pk)
    rules = sorted(
        matrix.rules.all(), key=lambda r: (r.chain != "army", matrix.rank(r.level))
    )
    return render(
        request,
        "risks/matrix.html",
        {
            "matrix": matrix,
            "rules": rules,
            "in_use": matrix.in_use,
            "can_admin": request.user.is_staff and not is_read_only(request.user),
        },
    )


def deployment_panel(request: HttpRequest, deployment: Any) -> dict[str, Any] | None:
    summary = selectors.deployment_summary(user=request.user, deployment=deployment)
    return {"deployment": deployment, "summary": summary}


def organisation_panel(
    request: HttpRequest, organisation: Any
) -> dict[str, Any] | None:
    controls = selectors.organisation_controls(
        user=request.user, organisation=organisation
    )
    if not controls:
        return None
    return {"organisation": organisation, "controls": controls}
