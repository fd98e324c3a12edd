"""Pages of the risk register: register and heat maps, risk and decision page,
assessments, controls, awaiting my decision, hazard library, matrices."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from missionsafety.core.exceptions import ConflictError, NotAllowed
from missionsafety.core.panels import panels_for
from missionsafety.core.selectors import paginate
from missionsafety.core.views import (
    AuthedRequest,
    render_page,
    run_service,
    run_service_with_messages,
)
from missionsafety.deployments.models import Phase
from missionsafety.deployments.selectors import deployment_get
from missionsafety.deployments.visibility import can
from missionsafety.organisations.scope import is_read_only
from missionsafety.risks import authority, selectors, services
from missionsafety.risks.forms import (
    AssessmentForm,
    ConsultationAnswerForm,
    ControlEditForm,
    ControlForm,
    CopyStartForm,
    DecisionForm,
    LibraryStartForm,
    NewRiskForm,
    RiskAttachmentForm,
    RiskForm,
    TransitionForm,
)
from missionsafety.risks.heatmap import heatmap
from missionsafety.risks.models import Control, Decision, Risk

S = Risk.Status


def _status(form: Any) -> int:
    return 422 if form.errors else 200


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    deployment: Any,
    title: str,
    risk: Risk | None = None,
    panels: list[dict[str, Any]] | None = None,
    status: int | None = None,
) -> HttpResponse:
    """The shared form page of the register (re-rendered with 422 on errors)."""
    return render(
        request,
        "risks/form.html",
        {
            "form": form,
            "deployment": deployment,
            "risk": risk,
            "title": title,
            "panels": panels or [],
        },
        status=status or _status(form),
    )


# -- register -------------------------------------------------------------


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


def _for_display(risks: list[Risk]) -> list[Risk]:
    """Status labels and acceptance dates worked out once per page, not by the
    template once per row (translation and date formatting per cell add up)."""
    labels = {value: str(label) for value, label in S.choices}
    today = timezone.localdate()
    dates: dict[Any, str] = {}
    for risk in risks:
        risk.status_label = labels.get(risk.status, risk.status)  # type: ignore[attr-defined]
        until = risk.acceptance_valid_until
        if until is not None and until not in dates:
            dates[until] = date_format(until, "j M Y")
        risk.valid_until_text = dates.get(until, "")  # type: ignore[attr-defined]
        risk.valid_until_expired = until is not None and until < today  # type: ignore[attr-defined]
    return risks


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
    return render_page(
        request,
        "risks/register.html",
        {
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
        },
        partial="results",
    )


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


# -- one risk -------------------------------------------------------------


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
    return render(request, "risks/detail.html", _risk_context(request, risk))


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


# -- controls -------------------------------------------------------------


@login_required
def control_add(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_get(user=request.user, pk=pk)
    form = ControlForm(
        request.POST or None,
        deployment=risk.deployment,
        initial={"owner_party": risk.owner_party_id},
    )
    if request.method == "POST" and form.is_valid():
        control = run_service(
            form,
            lambda: services.control_add(
                actor=request.user, risk=risk, **form.cleaned_data
            ),
        )
        if control is not None:
            messages.success(request, _("Control added."))
            return redirect("risks:detail", pk=pk)
    return _form_page(
        request,
        form,
        deployment=risk.deployment,
        risk=risk,
        title=_("New control for %(ref)s") % {"ref": risk.reference},
    )


def _propose_url(control: Control) -> str:
    """A thread to the owning party about this control."""
    return (
        reverse("feedback:thread_new", args=[control.deployment_id])
        + f"?subject=risks.control:{control.pk}&to={control.owner_party_id}"
    )


@login_required
def control_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    control = selectors.control_get(user=request.user, pk=pk)
    owner = services.may_change(request.user, control)
    reassign = services.may_reassign(request.user, control)
    if not owner and not reassign:
        # Named, with the way to ask: the control belongs to another party.
        # Reading is fine (inspectors read everything); an edit is refused.
        return render(
            request,
            "risks/control_refused.html",
            {
                "control": control,
                "deployment": control.deployment,
                "risk": control.risk,
                "propose_url": _propose_url(control)
                if can(request.user, control.deployment, *services.EDIT_ROLES)
                else "",
            },
            status=403 if request.method == "POST" else 200,
        )
    form = ControlEditForm(
        request.POST or None,
        control=control,
        may_change=owner,
        may_reassign=reassign,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        refused: list[NotAllowed] = []

        def call() -> Control:
            try:
                return services.control_update(
                    actor=request.user, control=control, version=version, **data
                )
            except NotAllowed as exc:
                refused.append(exc)
                raise

        result = run_service(form, call)
        if result is not None:
            messages.success(request, _("Control saved."))
            return redirect("risks:detail", pk=control.risk_id)
        if refused:
            return _form_page(
                request,
                form,
                deployment=control.deployment,
                risk=control.risk,
                title=_("Control of %(ref)s") % {"ref": control.risk.reference},
                status=403,
            )
    return _form_page(
        request,
        form,
        deployment=control.deployment,
        risk=control.risk,
        title=_("Control of %(ref)s") % {"ref": control.risk.reference},
    )


# -- awaiting my decision, library, matrices ------------------------------


@login_required
def awaiting(request: HttpRequest) -> HttpResponse:
    found = selectors.awaiting_for(user=request.user)
    if found["expired"]:
        _for_display(found["expired"])
    return render(
        request,
        "risks/awaiting.html",
        {**found, "shown": selectors.AWAITING_SHOWN},
    )


@login_required
def library(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    category = request.GET.get("category", "")[:12]
    page = paginate(selectors.library(q=q, category=category), request.GET.get("page"))
    return render_page(
        request,
        "risks/library.html",
        {
            "page": page,
            "q": q,
            "category": category,
            "categories": selectors.categories(),
            "control_kinds": dict(Control.Kind.choices),
        },
        partial="results",
    )


@login_required
def register_start(request: AuthedRequest, deployment_pk: int) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    sources = selectors.earlier_registers(user=request.user, deployment=deployment)
    mode = request.POST.get("mode", "")
    data = request.POST if request.method == "POST" else None
    default_party = next(iter(deployment.party_list), None)
    initial = {"owner_party": default_party.pk if default_party else None}
    if deployment.predecessor_id:
        initial["source"] = deployment.predecessor_id
    lib_form = LibraryStartForm(
        data if mode == "library" else None, deployment=deployment, initial=initial
    )
    copy_form = CopyStartForm(
        data if mode == "copy" else None,
        deployment=deployment,
        sources=sources,
        initial=initial,
    )
    if mode == "library" and lib_form.is_valid():
        created = run_service(
            lib_form,
            lambda: services.register_from_library(
                actor=request.user, deployment=deployment, **lib_form.cleaned_data
            ),
        )
        if created is not None:
            messages.success(
                request,
                _("%(n)s risks added from the library, with their typical controls.")
                % {"n": len(created)},
            )
            return redirect("risks:register", deployment_pk=deployment.pk)
    existing = selectors.register_titles(user=request.user, deployment=deployment)
    if mode == "copy" and copy_form.is_valid():
        copy_data: dict[str, Any] = dict(copy_form.cleaned_data)
        skip = (
            selectors.copy_duplicates(existing=existing, source=copy_data["source"])
            if copy_data.pop("skip_existing")
            else {}
        )
        created = run_service(
            copy_form,
            lambda: services.register_copy(
                actor=request.user, deployment=deployment, skip=list(skip), **copy_data
            ),
        )
        if created is not None:
            messages.success(
                request,
                _("%(n)s risks copied as new, unassessed items.") % {"n": len(created)},
            )
            if skip:
                messages.info(
                    request,
                    _("Skipped, already in this register: %(risks)s.")
                    % {"risks": ", ".join(str(r) for r in skip)},
                )
            return redirect("risks:register", deployment_pk=deployment.pk)
    present = set(
        Risk.objects.filter(deployment=deployment).values_list(
            "source_hazard_id", flat=True
        )
    )
    invalid = lib_form.errors or copy_form.errors
    hazards = list(selectors.library())
    similar = selectors.library_duplicates(existing=existing, hazards=hazards)
    for hazard in hazards:
        hazard.similar_risk = similar.get(hazard.pk)  # type: ignore[attr-defined]
    source = copy_form["source"].value() if mode == "copy" else initial.get("source")
    source_dep = (
        sources.filter(pk=int(str(source))).first() if str(source).isdigit() else None
    )
    return render(
        request,
        "risks/start.html",
        {
            "deployment": deployment,
            "lib_form": lib_form,
            "copy_form": copy_form,
            "hazards": hazards,
            "present": present,
            "copy_source": source_dep,
            "copy_duplicates": selectors.copy_duplicates(
                existing=existing, source=source_dep
            )
            if source_dep
            else {},
            "chosen": {int(x) for x in request.POST.getlist("hazards") if x.isdigit()},
            "can_edit": can(request.user, deployment, *services.EDIT_ROLES),
        },
        status=422 if invalid else 200,
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


# -- panels (registered in apps.py) ---------------------------------------


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
