"""Pages for occurrences: report, lists, the occurrence page and its follow-up."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from missionsafety.core.kept import render_kept
from missionsafety.core.uploads import attachment_response
from missionsafety.core.views import (
    AuthedRequest,
    run_service,
    run_service_with_messages,
)
from missionsafety.deployments.selectors import deployment_get
from missionsafety.deployments.visibility import can
from missionsafety.occurrences import services
from missionsafety.occurrences.forms import (
    ActionForm,
    AttachmentForm,
    EditForm,
    PersonForm,
    ReportForm,
    TransitionForm,
    TriageForm,
)
from missionsafety.occurrences.models import Occurrence
from missionsafety.occurrences.rules import (
    REPORTING_ROLES,
    TRIAGE_ROLES,
    may_edit_personal_data,
)
from missionsafety.occurrences.selectors import (
    OccurrenceFilters,
    action_get,
    attachment_get,
    categories,
    occurrence_get,
    occurrence_page,
    person_get,
    persons_for,
)
from missionsafety.organisations.scope import is_read_only

PER_PAGE = 50


def _list_context(request: HttpRequest, deployment: Any = None) -> dict[str, Any]:
    filters = OccurrenceFilters.from_params(request.GET)
    page = occurrence_page(
        user=request.user,
        deployment=deployment,
        filters=filters,
        page=request.GET.get("page"),
        per_page=PER_PAGE,
    )
    return {
        "page": page,
        "filters": filters,
        "kinds": Occurrence.Kind.choices,
        "statuses": Occurrence.Status.choices,
        "categories": range(5),
        "deployment": deployment,
    }


@login_required
def occurrence_mine(request: HttpRequest) -> HttpResponse:
    """Occurrences across every deployment the user may see."""
    # Kept per version of every deployment the reader sees.
    return render_kept(
        request,
        "occurrences/list.html",
        lambda: _list_context(request),
        slot="dashboard",
        obj=None,
        partial="results",
    )


@login_required
def occurrence_list_view(request: AuthedRequest, deployment_pk: int) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=deployment_pk)

    def context() -> dict[str, Any]:
        found = _list_context(request, deployment)
        found["can_report"] = can(request.user, deployment, *REPORTING_ROLES)
        return found

    # Kept per version of the deployment.
    return render_kept(
        request,
        "occurrences/list.html",
        context,
        slot="deployment",
        obj=deployment,
        partial="results",
    )


@login_required
def occurrence_report(request: AuthedRequest, deployment_pk: int) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    if request.method == "POST":
        existing = _already_submitted(request)
        if existing is not None:
            messages.info(request, _("This report was already saved; here it is."))
            return redirect("occurrences:detail", pk=existing.pk)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        deployment=deployment,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        uploads = [data["attachment"]] if data.get("attachment") else []
        persons = (
            [{"name": data["person_name"], "medical_details": data["person_medical"]}]
            if data.get("person_name")
            else []
        )
        result = run_service(
            form,
            lambda: services.occurrence_report(
                actor=request.user,
                deployment=deployment,
                occurred_at=data["occurred_at"],
                place=data["place"],
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                unit=data["unit"],
                activity=data["activity"],
                kind=data["kind"],
                title=data["title"],
                actual_category=data["actual_category"],
                potential_category=data["potential_category"],
                injuries=data["injuries"],
                damage=data["damage"],
                ammunition_involved=data["ammunition_involved"],
                immediate_actions=data["immediate_actions"],
                description=data["description"],
                risks=list(data["risks"]),
                attachments=uploads,
                persons=persons,
                idempotency_key=data.get("idempotency_key") or uuid.uuid4(),
            ),
        )
        if result is not None:
            occurrence, created = result
            if created:
                messages.success(
                    request,
                    _("Occurrence %(ref)s reported. Thank you.")
                    % {"ref": occurrence.reference},
                )
            else:
                messages.info(request, _("This report was already saved; here it is."))
            return redirect("occurrences:detail", pk=occurrence.pk)
    return render(
        request,
        "occurrences/report.html",
        {"form": form, "deployment": deployment, "categories": categories()},
        status=422 if form.errors else 200,
    )


def _already_submitted(request: AuthedRequest) -> Occurrence | None:
    try:
        key = uuid.UUID(request.POST.get("idempotency_key", ""))
    except ValueError:
        return None
    return (
        Occurrence.objects.visible_to(request.user).filter(idempotency_key=key).first()
    )


@login_required
def occurrence_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    occurrence = occurrence_get(user=request.user, pk=pk)
    return render(
        request, "occurrences/detail.html", _detail_context(request, occurrence)
    )


def _detail_context(
    request: AuthedRequest, occurrence: Occurrence, **forms: Any
) -> dict[str, Any]:
    user = request.user
    deployment = occurrence.deployment
    triage = can(user, deployment, *TRIAGE_ROLES)
    open_ = occurrence.status != Occurrence.Status.CLOSED
    context: dict[str, Any] = {
        "occurrence": occurrence,
        "deployment": deployment,
        "persons": persons_for(user=user, occurrence=occurrence),
        "can_edit_persons": open_ and may_edit_personal_data(user, occurrence),
        "can_triage": triage and open_,
        "can_edit": open_
        and (
            triage
            or (
                occurrence.reported_by_id == user.pk
                and occurrence.status == Occurrence.Status.REPORTED
                and not is_read_only(user)
            )
        ),
        "can_attach": open_ and can(user, deployment, *REPORTING_ROLES),
        "transitions": [
            (s, Occurrence.Status(s).label) for s in occurrence.allowed_statuses()
        ]
        if triage
        else [],
        "actions": list(occurrence.actions.all()),
        "attachments": list(occurrence.attachments.all()),
        "risks": list(occurrence.risks.all()),
        "categories": {c.number: c for c in categories()},
    }
    if context["can_triage"]:
        context["action_form"] = forms.get("action_form") or ActionForm(
            deployment=deployment
        )
    if context["can_attach"]:
        context["attachment_form"] = forms.get("attachment_form") or AttachmentForm()
    if context["can_edit_persons"]:
        context["person_form"] = forms.get("person_form") or PersonForm()
    context["transition_error"] = forms.get("transition_error")
    return context


@login_required
def occurrence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    occurrence = occurrence_get(user=request.user, pk=pk)
    initial = {
        f: getattr(occurrence, f)
        for f in (
            "kind",
            "title",
            "occurred_at",
            "place",
            "latitude",
            "longitude",
            "unit",
            "activity",
            "actual_category",
            "potential_category",
            "injuries",
            "damage",
            "ammunition_involved",
            "immediate_actions",
            "description",
        )
    }
    initial["version"] = occurrence.version
    form = EditForm(
        request.POST or None,
        initial=initial,
        user=request.user,
        deployment=occurrence.deployment,
    )
    del form.fields["risks"]
    del form.fields["idempotency_key"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {k: data[k] for k in initial if k != "version"}
        result = run_service(
            form,
            lambda: services.occurrence_update(
                actor=request.user,
                occurrence=occurrence,
                version=data.get("version"),
                **changes,
            ),
        )
        if result is not None:
            messages.success(request, _("Occurrence saved."))
            return redirect("occurrences:detail", pk=pk)
    return render(
        request,
        "occurrences/form.html",
        {
            "form": form,
            "occurrence": occurrence,
            "title": _("Edit occurrence %(ref)s") % {"ref": occurrence.reference},
        },
        status=422 if form.errors else 200,
    )


@login_required
def occurrence_triage(request: HttpRequest, pk: int) -> HttpResponse:
    occurrence = occurrence_get(user=request.user, pk=pk)
    form = TriageForm(request.POST or None, occurrence=occurrence)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = run_service(
            form,
            lambda: services.occurrence_triage(
                actor=request.user,
                occurrence=occurrence,
                version=data.get("version"),
                actual_category=data["actual_category"],
                potential_category=data["potential_category"],
                investigation_level=data["investigation_level"],
                risks=list(data["risks"]),
                note=data["note"],
            ),
        )
        if result is not None:
            messages.success(request, _("Triage saved."))
            return redirect("occurrences:detail", pk=pk)
    return render(
        request,
        "occurrences/form.html",
        {
            "form": form,
            "occurrence": occurrence,
            "categories": categories(),
            "title": _("Triage %(ref)s") % {"ref": occurrence.reference},
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def occurrence_transition(request: HttpRequest, pk: int) -> HttpResponse:
    occurrence = occurrence_get(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        result = run_service(
            form,
            lambda: services.occurrence_transition(
                actor=request.user,
                occurrence=occurrence,
                to_status=data["to_status"],
                version=data.get("version"),
            ),
        )
        if result is not None:
            messages.success(
                request,
                _("Occurrence is now %(status)s.")
                % {"status": result.get_status_display()},
            )
            return redirect("occurrences:detail", pk=pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("occurrences:detail", pk=pk)


def _section_post(
    request: AuthedRequest,
    occurrence: Occurrence,
    form: Any,
    form_key: str,
    call: Any,
    success: str,
) -> HttpResponse:
    """Handle a form of one section of the occurrence page: save, or re-show it."""
    if form.is_valid() and run_service(form, lambda: call(form.cleaned_data)):
        messages.success(request, success)
        return redirect("occurrences:detail", pk=occurrence.pk)
    occurrence = occurrence_get(user=request.user, pk=occurrence.pk)
    return render(
        request,
        "occurrences/detail.html",
        _detail_context(request, occurrence, **{form_key: form}),
        status=422,
    )


@login_required
@require_POST
def action_add(request: AuthedRequest, pk: int) -> HttpResponse:
    occurrence = occurrence_get(user=request.user, pk=pk)
    return _section_post(
        request,
        occurrence,
        ActionForm(request.POST, deployment=occurrence.deployment),
        "action_form",
        lambda data: services.action_add(
            actor=request.user,
            occurrence=occurrence,
            description=data["description"],
            owner=data["owner"],
            due_date=data["due_date"],
        ),
        _("Action added."),
    )


@login_required
@require_POST
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    action = action_get(user=request.user, pk=pk)
    result = run_service_with_messages(
        request,
        lambda: services.action_complete(
            actor=request.user, action=action, note=request.POST.get("note", "")[:2000]
        ),
    )
    if result is not None:
        messages.success(request, _("Action done."))
    return redirect("occurrences:detail", pk=action.occurrence_id)


@login_required
@require_POST
def person_add(request: AuthedRequest, pk: int) -> HttpResponse:
    occurrence = occurrence_get(user=request.user, pk=pk)
    if persons_for(user=request.user, occurrence=occurrence) is None:
        raise Http404
    return _section_post(
        request,
        occurrence,
        PersonForm(request.POST),
        "person_form",
        lambda data: services.person_add(
            actor=request.user,
            occurrence=occurrence,
            name=data["name"],
            role_in_occurrence=data["role_in_occurrence"],
            medical_details=data["medical_details"],
        ),
        _("Person added."),
    )


@login_required
@require_POST
def person_remove(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_get(user=request.user, pk=pk)
    run_service_with_messages(
        request, lambda: services.person_remove(actor=request.user, person=person)
    )
    return redirect("occurrences:detail", pk=person.occurrence_id)


@login_required
@require_POST
def attachment_add(request: AuthedRequest, pk: int) -> HttpResponse:
    occurrence = occurrence_get(user=request.user, pk=pk)
    return _section_post(
        request,
        occurrence,
        AttachmentForm(request.POST, request.FILES),
        "attachment_form",
        lambda data: services.attachment_add(
            actor=request.user, occurrence=occurrence, upload=data["attachment"]
        ),
        _("Attachment added."),
    )


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Serve a stored file to those who may see its occurrence; never a public URL."""
    attachment = attachment_get(user=request.user, pk=pk)
    return attachment_response(attachment)
