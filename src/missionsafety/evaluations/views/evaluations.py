"""Pages of evaluation moments: the list, planning, holding, reporting and findings."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from missionsafety.audit.presentation import reference_link
from missionsafety.core.kept import render_kept
from missionsafety.core.selectors import paginate
from missionsafety.core.views import AuthedRequest, run_service
from missionsafety.deployments.selectors import deployment_get
from missionsafety.deployments.visibility import can
from missionsafety.evaluations import selectors, services
from missionsafety.evaluations.forms import (
    ActionForm,
    FindingForm,
    HoldForm,
    NewEvaluationForm,
    ReportForm,
    SkipForm,
)
from missionsafety.evaluations.views.common import _flash_errors, _post_form_action


@login_required
def deployment_evaluations(request: AuthedRequest, deployment_pk: int) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    show = request.GET.get("show", "")

    def context() -> dict[str, Any]:
        qs = selectors.evaluation_list(
            user=request.user, deployment=deployment, timeliness=show
        )
        return {
            "deployment": deployment,
            "page": paginate(qs, request.GET.get("page")),
            "show": show,
            "counts": selectors.compliance(
                selectors.evaluation_list(user=request.user, deployment=deployment)
            ),
            "filters": [
                ("overdue", _("overdue")),
                ("upcoming", _("upcoming")),
                ("held", _("held")),
                ("skipped", _("skipped")),
            ],
            "can_plan": can(request.user, deployment, *services.EVALUATION_ROLES),
        }

    # Kept per version of the deployment.
    return render_kept(
        request,
        "evaluations/list.html",
        context,
        slot="deployment",
        obj=deployment,
        partial="results",
    )


@login_required
@require_POST
def schedule(request: AuthedRequest, deployment_pk: int) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=deployment_pk)

    def call() -> Any:
        from missionsafety.deployments.visibility import require

        require(request.user, deployment, *services.EVALUATION_ROLES)
        return services.evaluations_schedule(actor=request.user, deployment=deployment)

    result = _flash_errors(request, call)
    if result is not None:
        messages.success(
            request,
            _(
                "Schedule updated: %(created)s added, %(moved)s moved, %(dropped)s dropped."
            )
            % result,
        )
    return redirect("evaluations:deployment", deployment_pk=deployment.pk)


@login_required
def evaluation_new(request: HttpRequest, deployment_pk: int) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    form = NewEvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        evaluation = run_service(
            form,
            lambda: services.evaluation_create(
                actor=request.user,
                deployment=deployment,
                template=data["template"],
                title=data["title"],
                due_date=data["due_date"],
            ),
        )
        if evaluation is not None:
            return redirect("evaluations:detail", pk=evaluation.pk)
    return render(
        request,
        "evaluations/form.html",
        {"deployment": deployment, "form": form, "title": _("Plan an evaluation")},
        status=422 if form.errors else 200,
    )


def _observation_url(evaluation: Any, finding: Any) -> str | None:
    try:
        base = reverse("lessons:observation_new")
    except NoReverseMatch:
        return None
    params = {
        "deployment": evaluation.deployment_id,
        "source": "evaluation",
        "object": f"evaluations.evaluation:{evaluation.pk}",
        "title": finding.text[:150],
    }
    return f"{base}?{urlencode(params)}"


@login_required
def evaluation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    deployment = evaluation.deployment
    manage = can(request.user, deployment, *services.EVALUATION_ROLES)
    findings = [
        {"finding": f, "observation_url": _observation_url(evaluation, f)}
        for f in evaluation.findings.all()
    ]
    questions = [
        {**q, "answer": evaluation.answers.get(q["key"], "")}
        for q in evaluation.template.questions
    ]
    status = evaluation.status
    return render(
        request,
        "evaluations/detail.html",
        {
            "evaluation": evaluation,
            "deployment": deployment,
            "trigger": reference_link(evaluation.trigger_ref, request.user)
            if evaluation.trigger_ref
            else None,
            "questions": questions,
            "findings": findings,
            "can_manage": manage,
            "can_hold": manage and status == "scheduled",
            "report_form": ReportForm(initial={"version": evaluation.version})
            if manage and status == "held"
            else None,
            "can_close": manage and status == "reported",
            "finding_form": FindingForm()
            if manage and evaluation.is_done and status != "closed"
            else None,
        },
    )


@login_required
def evaluation_hold(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    deployment = evaluation.deployment
    parties = list(deployment.parties.select_related("organisation"))
    form = HoldForm(request.POST or None, evaluation=evaluation, parties=parties)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = run_service(
            form,
            lambda: services.evaluation_hold(
                actor=request.user,
                evaluation=evaluation,
                version=data.get("version"),
                held_on=data["held_on"],
                participants=form.participant_map(),
                answers=form.answer_map(),
                findings=form.finding_lines(),
                gate_decision=data.get("gate_decision", ""),
                gate_rationale=data.get("gate_rationale", ""),
            ),
        )
        if result is not None:
            messages.success(request, _("Evaluation recorded as held."))
            return redirect("evaluations:detail", pk=pk)
    gate = None
    if evaluation.template.is_gate:
        from missionsafety.evaluations.gate import compute_checklist

        gate = compute_checklist(deployment)
    return render(
        request,
        "evaluations/hold.html",
        {
            "evaluation": evaluation,
            "deployment": deployment,
            "form": form,
            "checklist": gate,
        },
        status=422 if form.errors else 200,
    )


@login_required
def evaluation_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_form_action(
        request,
        pk,
        ReportForm,
        lambda e, d: services.evaluation_report(
            actor=request.user,
            evaluation=e,
            version=d.get("version"),
            report=d["report"],
        ),
        _("Report recorded."),
        _("Report"),
    )


@login_required
def evaluation_skip(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_form_action(
        request,
        pk,
        SkipForm,
        lambda e, d: services.evaluation_skip(
            actor=request.user,
            evaluation=e,
            version=d.get("version"),
            reason=d["skipped_reason"],
        ),
        _("Moment skipped; the reason shows in compliance."),
        _("Skip this moment"),
    )


@login_required
@require_POST
def evaluation_close(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    if _flash_errors(
        request,
        lambda: services.evaluation_close(
            actor=request.user, evaluation=evaluation, version=evaluation.version
        ),
    ):
        messages.success(request, _("Evaluation closed."))
    return redirect("evaluations:detail", pk=pk)


@login_required
@require_POST
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    if _flash_errors(
        request,
        lambda: services.finding_add(
            actor=request.user, evaluation=evaluation, text=request.POST.get("text", "")
        ),
    ):
        messages.success(request, _("Finding added."))
    return redirect("evaluations:detail", pk=pk)


@login_required
def finding_action(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.finding_get(user=request.user, pk=pk)
    deployment = finding.evaluation.deployment
    form = ActionForm(
        request.POST or None,
        deployment=deployment,
        initial={"description": finding.text},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action = run_service(
            form,
            lambda: services.action_create(
                actor=request.user,
                finding=finding,
                description=data["description"],
                owner_party=data["owner_party"],
                owner=data["owner"],
                due_date=data["due_date"],
            ),
        )
        if action is not None:
            messages.success(request, _("Action created."))
            return redirect("evaluations:detail", pk=finding.evaluation_id)
    return render(
        request,
        "evaluations/form.html",
        {
            "deployment": deployment,
            "evaluation": finding.evaluation,
            "finding": finding,
            "form": form,
            "title": _("Finding → action"),
        },
        status=422 if form.errors else 200,
    )
