"""Pages for the agreement, evaluation moments, the gate and calendar links."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from missionsafety.audit.presentation import reference_link
from missionsafety.core.exceptions import ConflictError, NotAllowed, ValidationError
from missionsafety.core.selectors import paginate
from missionsafety.core.text import attachment_disposition
from missionsafety.core.views import AuthedRequest, render_page, run_service
from missionsafety.deployments.selectors import deployment_get
from missionsafety.deployments.visibility import can
from missionsafety.evaluations import selectors, services
from missionsafety.evaluations.forms import (
    ActionForm,
    CalendarForm,
    FindingForm,
    HoldForm,
    MatrixForm,
    NewEvaluationForm,
    ReportForm,
    SignForm,
    SkipForm,
    WaiverForm,
)
from missionsafety.evaluations.models import TIMELINESS, Agreement, CalendarToken


def _flash_errors(request: HttpRequest, call: Any) -> Any:
    """Run a service from a button; show its error as a message."""
    try:
        return call()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except (ConflictError, NotAllowed) as exc:
        messages.error(request, exc.message)
    return None


# -- agreement ----------------------------------------------------------------


def _agreement_context(
    request: AuthedRequest, deployment: Any, agreement: Any
) -> dict[str, Any]:
    user = request.user
    matrix = selectors.agreement_matrix(agreement) if agreement else None
    signable = services.signable_parties(user, agreement) if agreement else []
    return {
        "deployment": deployment,
        "agreement": agreement,
        "matrix": matrix,
        "versions": selectors.agreement_versions(user=user, deployment=deployment),
        "can_edit": can(user, deployment, *services.AGREEMENT_ROLES),
        "sign_form": SignForm(
            parties=signable,
            initial={
                "number": agreement.number,
                # One party to sign for: the button is all that is left to click.
                "party": signable[0].pk if len(signable) == 1 else None,
            },
        )
        if signable
        else None,
        "is_current": agreement is not None
        and agreement.status != Agreement.Status.SUPERSEDED,
        "can_submit": agreement is not None
        and agreement.status == Agreement.Status.DRAFT
        and can(user, deployment, *services.AGREEMENT_ROLES),
    }


@login_required
def agreement(request: AuthedRequest, deployment_pk: int) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    current = services.current_agreement(deployment)
    in_force = Agreement.objects.filter(
        deployment=deployment, status=Agreement.Status.IN_FORCE
    ).first()
    context = _agreement_context(request, deployment, current)
    context["in_force"] = in_force
    return render(request, "evaluations/agreement.html", context)


@login_required
def agreement_version(
    request: AuthedRequest, deployment_pk: int, number: int
) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    version = selectors.agreement_get(
        user=request.user, deployment=deployment, number=number
    )
    context = _agreement_context(request, deployment, version)
    context["in_force"] = None
    return render(request, "evaluations/agreement.html", context)


@login_required
@require_POST
def agreement_setup(request: HttpRequest, deployment_pk: int) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    if _flash_errors(
        request,
        lambda: services.agreement_setup(actor=request.user, deployment=deployment),
    ):
        messages.success(
            request, _("Agreement set up from the default. Check and adjust it.")
        )
    return redirect("evaluations:agreement", deployment_pk=deployment.pk)


@login_required
def agreement_edit(request: HttpRequest, deployment_pk: int) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    current = services.current_agreement(deployment)
    if current is None:
        raise Http404
    matrix = selectors.agreement_matrix(current)
    form = MatrixForm(request.POST or None, matrix=matrix, version=current.number)
    if request.method == "POST" and form.is_valid():
        result = run_service(
            form,
            lambda: services.agreement_update(
                actor=request.user,
                agreement=current,
                version=form.cleaned_data.get("version"),
                cells=form.cells(),
                note=form.cleaned_data.get("note", ""),
            ),
        )
        if result is not None:
            if result.pk != current.pk:
                messages.success(
                    request,
                    _("Saved as version %(n)s; it needs signing again.")
                    % {"n": result.number},
                )
            else:
                messages.success(request, _("Agreement saved."))
            return redirect("evaluations:agreement", deployment_pk=deployment.pk)
    return render(
        request,
        "evaluations/agreement_edit.html",
        {"deployment": deployment, "agreement": current, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def agreement_submit(request: HttpRequest, deployment_pk: int) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    current = services.current_agreement(deployment)
    if current is None:
        raise Http404
    if _flash_errors(
        request,
        lambda: services.agreement_submit(actor=request.user, agreement=current),
    ):
        messages.success(request, _("Sent to the party commanders for signature."))
    return redirect("evaluations:agreement", deployment_pk=deployment.pk)


@login_required
@require_POST
def agreement_sign(request: HttpRequest, deployment_pk: int) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    try:
        number = int(request.POST.get("number", ""))
    except ValueError as exc:
        raise Http404 from exc
    version = selectors.agreement_get(
        user=request.user, deployment=deployment, number=number
    )
    party = deployment.parties.filter(pk=request.POST.get("party") or 0).first()
    if party is None:
        messages.error(request, _("Choose the party you sign for."))
    elif _flash_errors(
        request,
        lambda: services.agreement_sign(
            actor=request.user, agreement=version, party=party
        ),
    ):
        messages.success(
            request, _("Signed for %(org)s.") % {"org": party.organisation.short_name}
        )
    return redirect("evaluations:agreement", deployment_pk=deployment.pk)


@login_required
def agreement_pdf(
    request: HttpRequest, deployment_pk: int, number: int
) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    version = selectors.agreement_get(
        user=request.user, deployment=deployment, number=number
    )
    from weasyprint import HTML

    html = render_to_string(
        "evaluations/agreement_pdf.html",
        {
            "deployment": deployment,
            "agreement": version,
            "matrix": selectors.agreement_matrix(version),
        },
        request=request,
    )
    pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = attachment_disposition(
        f"agreement-{deployment.code}-v{version.number}", "pdf"
    )
    return response


# -- evaluations --------------------------------------------------------------


@login_required
def deployment_evaluations(request: AuthedRequest, deployment_pk: int) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    show = request.GET.get("show", "")
    qs = selectors.evaluation_list(
        user=request.user, deployment=deployment, timeliness=show
    )
    page = paginate(qs, request.GET.get("page"))
    return render_page(
        request,
        "evaluations/list.html",
        {
            "deployment": deployment,
            "page": page,
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
        },
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


def _post_form_action(
    request: HttpRequest,
    pk: int,
    form_class: Any,
    call: Any,
    done: str,
    template_title: str,
) -> HttpResponse:
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    form = form_class(request.POST or None, initial={"version": evaluation.version})
    if request.method == "POST" and form.is_valid():
        result = run_service(form, lambda: call(evaluation, form.cleaned_data))
        if result is not None:
            messages.success(request, done)
            return redirect("evaluations:detail", pk=pk)
    return render(
        request,
        "evaluations/form.html",
        {
            "deployment": evaluation.deployment,
            "evaluation": evaluation,
            "form": form,
            "title": template_title,
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


# -- gate ---------------------------------------------------------------------


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


# -- across deployments -------------------------------------------------------


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    rows = selectors.compliance_by_deployment(user=request.user)
    page = paginate(rows, request.GET.get("page"))
    return render(
        request,
        "evaluations/compliance.html",
        {"page": page, "totals": selectors.totals(rows), "timeliness": TIMELINESS},
    )


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    parties = selectors.calendar_parties(user=request.user)
    form = CalendarForm(request.POST or None, parties=parties)
    new_url = None
    if request.method == "POST" and form.is_valid():
        raw = run_service(
            form,
            lambda: services.calendar_token_create(
                actor=request.user, party=form.cleaned_data["party"]
            ),
        )
        if raw is not None:
            new_url = request.build_absolute_uri(
                reverse("api:evaluations_ics") + "?" + urlencode({"token": raw})
            )
            form = CalendarForm(parties=parties)
    return render(
        request,
        "evaluations/calendar.html",
        {
            "form": form,
            "new_url": new_url,
            "tokens": selectors.calendar_tokens(user=request.user),
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def calendar_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(CalendarToken, pk=pk, user=request.user)
    services.calendar_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Calendar link revoked."))
    return redirect("evaluations:calendar")
