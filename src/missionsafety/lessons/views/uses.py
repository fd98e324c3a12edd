"""Recording from a page that a lesson was used, and reviewing it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from missionsafety.core.selectors import get_visible
from missionsafety.core.views import AuthedRequest, run_service
from missionsafety.deployments.selectors import deployment_get
from missionsafety.lessons import selectors, services
from missionsafety.lessons.forms import ReviewForm, UseForm
from missionsafety.lessons.views.common import _flash_errors
from missionsafety.risks.models import Risk


def _risk_get(user: Any, pk: int) -> Risk:
    return get_visible(Risk.objects.select_related("deployment"), user, pk=pk)


@login_required
@require_POST
def use_add(request: AuthedRequest, risk_pk: int) -> HttpResponse:
    risk = _risk_get(request.user, risk_pk)
    form = UseForm(request.POST)
    if form.is_valid():
        kind, pk = form.cleaned_data["target"].split(":")
        observation = lesson = None
        if kind == "observation":
            observation = selectors.observation_get(user=request.user, pk=pk)
        else:
            lesson = selectors.lesson_get(user=request.user, pk=pk)
        result = run_service(
            form,
            lambda: services.lesson_use_add(
                actor=request.user,
                risk=risk,
                observation=observation,
                lesson=lesson,
                note=form.cleaned_data["note"],
            ),
        )
        if result is not None:
            messages.success(request, _("Marked as taken into account on this risk."))
    _flash_errors(request, form)
    return redirect(_back(request, risk))


def _back(request: HttpRequest, risk: Risk) -> str:
    """Back to the page the button was on (the risk page), if it is ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return reverse("deployments:detail", kwargs={"pk": risk.deployment_id})


@login_required
@require_POST
def review_add(request: AuthedRequest, deployment_pk: int) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        lesson = selectors.lesson_get(user=request.user, pk=form.cleaned_data["lesson"])
        result = run_service(
            form,
            lambda: services.lesson_review_add(
                actor=request.user,
                deployment=deployment,
                lesson=lesson,
                note=form.cleaned_data["note"],
            ),
        )
        if result is not None:
            messages.success(
                request, _("Lesson marked as reviewed for this deployment.")
            )
    _flash_errors(request, form)
    return redirect("deployments:detail", pk=deployment_pk)
