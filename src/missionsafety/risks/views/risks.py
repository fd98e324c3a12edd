"""Pages of one risk: create, detail, decide, consult, edit, assess and status moves."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from missionsafety.core.exceptions import ConflictError, NotAllowed
from missionsafety.core.kept import render_kept
from missionsafety.core.panels import panels_for
from missionsafety.core.views import (
    AuthedRequest,
    run_service,
    run_service_with_messages,
)
from missionsafety.deployments.selectors import deployment_get
from missionsafety.deployments.visibility import can
from missionsafety.organisations.scope import is_read_only
from missionsafety.risks import authority, selectors, services
from missionsafety.risks.forms import (
    AssessmentForm,
    ConsultationAnswerForm,
    DecisionForm,
    NewRiskForm,
    RiskAttachmentForm,
    RiskForm,
    TransitionForm,
)
from missionsafety.risks.models import Decision, Risk
from missionsafety.risks.views.common import S, _form_page, _status
from missionsafety.risks.views.controls import _propose_url


@login_required
def risk_create(request: HttpRequest, deployment_pk: int) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    form = NewRiskForm(request.POST or None, deployment=deployment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        risk = run_service(
            form,
            lambda: services.risk_create(
                actor=request.user,
                deployment=deployment,
                title=data["title"],
                hazard=data["hazard"],
                cause=data["cause"],
                consequence=data["consequence"],
                category=data["category"],
                activity=data["activity"],
                phases=data["phases"],
                owner_party=data["owner_party"],
                owner=data["owner"],
                controls=form.controls(),
            ),
        )
        if risk is not None:
            messages.success(
                request,
                _("Risk %(ref)s recorded. Now assess it.") % {"ref": risk.reference},
            )
            return redirect("risks:assess", pk=risk.pk)
    return _form_page(
        request,
        form,
        deployment=deployment,
        title=_("New risk"),
        panels=panels_for("risk_new", request, deployment),
    )


def _risk_context(request: AuthedRequest, risk: Risk, **extra: Any) -> dict[str, Any]:
    user = request.user
    deployment = risk.deployment
    matrix = authority.matrix_of(deployment)
    requirement = authority.requirement_for(risk)
    deciding = (
        authority.deciding_organisation(user, requirement, deployment)
        if requirement
        else None
    )
    if requirement is not None:
        authority.holders_of(requirement, deployment)
    controls = selectors.risk_controls(risk=risk)
    risk._prefetched_objects_cache = {"controls": controls}  # type: ignore[attr-defined]
    writer = not is_read_only(user)
    for control in controls:
        control.deployment = deployment
        control.editable = services.may_change(  # type: ignore[attr-defined]
            user, control
        ) or services.may_reassign(user, control)
        # The others propose a change to the owning party in a thread.
        control.propose_url = (  # type: ignore[attr-defined]
            _propose_url(control)
            if writer
            and not control.editable  # type: ignore[attr-defined]
            and can(user, deployment, *services.EDIT_ROLES)
            else ""
        )
    consult = (
        authority.required_consultation(risk, requirement.rule) if requirement else []
    )
    awaiting = bool(risk.status == S.AWAITING_DECISION and risk.current_assessment_id)
    consultations = selectors.risk_consultations(risk=risk)
    state = (
        services.consultation_state(
            risk=risk,
            rule=requirement.rule,
            organisation=deciding,
            consultations=consultations,
        )
        if requirement
        else []
    )
    required_ids = {p.pk for p in consult}
    asked_now = {
        c.party_id
        for c in consultations
        if c.assessment_id == risk.current_assessment_id
    }
    decision_form = extra.pop("decision_form", None)
    # Only who may decide now gets the form: a commander below the level the
    # rule (or an escalation) asks sees who holds the decision instead.
    # Nothing is chosen for the decider: no outcome, no party.
    if decision_form is None and awaiting and deciding is not None:
        decision_form = DecisionForm(
            risk=risk, initial={"assessment": risk.current_assessment_id}
        )
    return {
        "risk": risk,
        "deployment": deployment,
        "matrix": matrix,
        "assessments": selectors.risk_assessments(risk=risk),
        "controls": controls,
        "decisions": selectors.risk_decisions(risk=risk),
        "requirement": requirement,
        "deciding": deciding,
        "consult": consult,
        "consultation_rows": state,
        "other_answers": [
            c
            for c in consultations
            if c.assessment_id == risk.current_assessment_id
            and c.party_id not in required_ids
        ],
        "can_request_consultation": awaiting
        and bool(required_ids - asked_now)
        and can(user, deployment, *services.ANSWER_ROLES)
        and not is_read_only(user),
        "awaiting_decision": awaiting,
        "decision_form": decision_form,
        "can_edit": can(user, deployment, *services.EDIT_ROLES),
        "can_assess": can(user, deployment, *services.ASSESS_ROLES),
        "status_actions": _status_actions(risk),
        "attachments": selectors.risk_attachments(risk=risk),
        "attachment_form": RiskAttachmentForm(risk=risk)
        if can(user, deployment, *services.EDIT_ROLES)
        else None,
        "panels": panels_for("risk", request, risk),
        **extra,
    }


def _status_actions(risk: Risk) -> list[tuple[str, str]]:
    allowed = Risk.TRANSITIONS[risk.status]
    actions: list[tuple[str, str]] = []
    if (
        S.AWAITING_DECISION in allowed
        and risk.status != S.AWAITING_DECISION
        and risk.current_assessment_id
    ):
        actions.append((S.AWAITING_DECISION, _("Ask for a decision")))
    if S.MONITORED in allowed:
        actions.append((S.MONITORED, _("Monitor")))
    if S.CLOSED in allowed:
        actions.append((S.CLOSED, _("Close the risk")))
    return actions


@login_required
def risk_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_get(user=request.user, pk=pk)
    # Kept per version of the risk's deployment and of what its panels show.
    return render_kept(
        request,
        "risks/detail.html",
        lambda: _risk_context(request, risk),
        slot="risk",
        obj=risk,
        panels=True,
    )


@login_required
@require_POST
def risk_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_get(user=request.user, pk=pk)
    form = DecisionForm(request.POST, risk=risk)
    refused: list[NotAllowed] = []
    if form.is_valid():
        data = form.cleaned_data
        assessment = risk.assessments.filter(pk=data["assessment"]).first()

        def call() -> Decision:
            try:
                return services.decide(
                    outcome=data["outcome"],
                    actor=request.user,
                    risk=risk,
                    assessment=assessment,
                    consultation_note=data["consultation_note"],
                    conditions=data["conditions"],
                    valid_until=data["valid_until"],
                    rationale=data["rationale"],
                )
            except NotAllowed as exc:
                refused.append(exc)
                raise

        decision = run_service(form, call)
        if decision is not None:
            messages.success(
                request,
                _("Decision recorded: %(outcome)s.")
                % {"outcome": decision.get_outcome_display()},
            )
            return redirect("risks:detail", pk=risk.pk)
    risk = selectors.risk_get(user=request.user, pk=pk)
    return render(
        request,
        "risks/detail.html",
        _risk_context(request, risk, decision_form=form, refused=bool(refused)),
        status=403 if refused else 422,
    )


@login_required
@require_POST
def risk_consult(request: AuthedRequest, pk: int) -> HttpResponse:
    """Send the consultation request to the parties the rule names, in one go."""
    risk = selectors.risk_get(user=request.user, pk=pk)
    sent = run_service_with_messages(
        request,
        lambda: services.consultation_request(actor=request.user, risk=risk),
    )
    if sent:
        messages.success(
            request,
            _("Consultation requested from %(parties)s.")
            % {"parties": ", ".join(c.party.organisation.short_name for c in sent)},
        )
    return redirect(reverse("risks:detail", args=[risk.pk]) + "#consultation")


@login_required
def consultation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One party's consultation request: the risk, and the answer form."""
    consultation = selectors.consultation_get(user=request.user, pk=pk)
    risk = consultation.risk
    may = (
        services.may_answer(request.user, consultation)
        and not consultation.is_answered
        and not consultation.is_stale
        and not is_read_only(request.user)
    )
    form = ConsultationAnswerForm(request.POST or None) if may else None
    status = 200
    if request.method == "POST":
        form = form or ConsultationAnswerForm(request.POST)
        failed: list[Exception] = []
        if form.is_valid():
            data = form.cleaned_data

            def call() -> Any:
                try:
                    return services.consultation_answer(
                        actor=request.user,
                        consultation=consultation,
                        answer=data["answer"],
                        text=data["text"],
                    )
                except (NotAllowed, ConflictError) as exc:
                    failed.append(exc)
                    raise

            if run_service(form, call) is not None:
                messages.success(request, _("Your answer has been recorded."))
                return redirect("risks:consultation", pk=consultation.pk)
        status = 422
        if failed:
            status = 403 if isinstance(failed[0], NotAllowed) else 409
    return render(
        request,
        "risks/consultation.html",
        {
            "consultation": consultation,
            "risk": risk,
            "deployment": risk.deployment,
            "assessment": consultation.assessment,
            "controls": selectors.risk_controls(risk=risk),
            "form": form,
        },
        status=status,
    )


@login_required
def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_get(user=request.user, pk=pk)
    form = RiskForm(
        request.POST or None,
        deployment=risk.deployment,
        initial=RiskForm.initial_for(risk),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {k: data[k] for k in services.RISK_EDITABLE}
        result = run_service(
            form,
            lambda: services.risk_update(
                actor=request.user, risk=risk, version=data.get("version"), **changes
            ),
        )
        if result is not None:
            messages.success(request, _("Risk saved."))
            return redirect("risks:detail", pk=pk)
    return _form_page(
        request,
        form,
        deployment=risk.deployment,
        risk=risk,
        title=_("Edit risk %(ref)s") % {"ref": risk.reference},
    )


@login_required
def risk_assess(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_get(user=request.user, pk=pk)
    matrix = authority.matrix_of(risk.deployment)
    initial: dict[str, Any] = {"request_decision": True}
    current = risk.current_assessment
    if current is not None:
        initial |= {
            "inherent_probability": current.inherent_probability,
            "inherent_severity": current.inherent_severity,
            "residual_probability": current.residual_probability,
            "residual_severity": current.residual_severity,
            "controls_considered": current.controls_considered,
            "reason": "periodic",
        }
    form = AssessmentForm(request.POST or None, matrix=matrix, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assessment = run_service(
            form,
            lambda: services.assessment_record(actor=request.user, risk=risk, **data),
        )
        if assessment is not None:
            messages.success(
                request,
                _("Assessment recorded: residual level %(level)s.")
                % {"level": assessment.residual_level},
            )
            return redirect("risks:detail", pk=pk)
    return render(
        request,
        "risks/assess.html",
        {"form": form, "risk": risk, "deployment": risk.deployment, "matrix": matrix},
        status=_status(form),
    )


@login_required
@require_POST
def risk_status(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_get(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        result = run_service(
            form,
            lambda: services.risk_transition(
                actor=request.user,
                risk=risk,
                to_status=form.cleaned_data["to_status"],
                note=form.cleaned_data["note"],
            ),
        )
        if result is not None:
            messages.success(
                request,
                _("The risk is now %(status)s.")
                % {"status": result.get_status_display()},
            )
            return redirect("risks:detail", pk=pk)
    for error in form.errors.values():
        for message in error:
            messages.error(request, str(message))
    return redirect("risks:detail", pk=pk)
