"""The staff officer's desk in the register: import from Excel and bulk edits."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from missionsafety.core.exceptions import ConflictError
from missionsafety.core.uploads import attachment_response
from missionsafety.core.views import AuthedRequest, run_service
from missionsafety.deployments.selectors import deployment_get
from missionsafety.deployments.visibility import can
from missionsafety.risks import selectors, services
from missionsafety.risks.forms import BulkForm, ImportForm, RiskAttachmentForm
from missionsafety.risks.models import Risk

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def register_import(request: AuthedRequest, deployment_pk: int) -> HttpResponse:
    """Upload a workbook; a good one leads to its preview."""
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    posted = request.method == "POST"  # a post with no file is still a post
    form = ImportForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        pending = run_service(
            form,
            lambda: services.register_import_preview(
                actor=request.user,
                deployment=deployment,
                data=upload.read(services.imports.MAX_BYTES + 1),
                filename=upload.name,
            ),
        )
        if pending is not None:
            return redirect(
                "risks:import_preview",
                deployment_pk=deployment.pk,
                token=pending.token,
            )
    return render(
        request,
        "risks/import.html",
        {
            "deployment": deployment,
            "form": form,
            "can_edit": can(request.user, deployment, *services.EDIT_ROLES),
        },
        status=422 if form.errors else 200,
    )


@login_required
def register_import_template(
    request: AuthedRequest, deployment_pk: int
) -> HttpResponse:
    """An empty register workbook with the matrix's values as drop-down lists."""
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    response = HttpResponse(
        services.register_template(deployment=deployment), content_type=XLSX_TYPE
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{deployment.code}-register-template.xlsx"'
    )
    return response


@login_required
def register_import_preview(
    request: AuthedRequest, deployment_pk: int, token: str
) -> HttpResponse:
    """What the workbook would create and change, row by row; *Apply* writes it."""
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    pending = services.register_import_get(
        user=request.user, deployment=deployment, token=token
    )
    status = 200
    form = forms.Form(data={})  # carries the errors of *Apply*
    form.is_valid()
    if request.method == "POST":
        conflicts: list[ConflictError] = []

        def apply() -> dict[str, int]:
            try:
                return services.register_import_apply(
                    actor=request.user, pending=pending
                )
            except ConflictError as exc:
                conflicts.append(exc)
                raise

        counts = run_service(form, apply)
        if counts is not None:
            messages.success(
                request,
                _(
                    "Import applied: %(created)s created, %(updated)s updated, "
                    "%(assessed)s assessed."
                )
                % counts,
            )
            return redirect("risks:register", deployment_pk=deployment.pk)
        status = 409 if conflicts else 422
    return render(
        request,
        "risks/import_preview.html",
        {
            "deployment": deployment,
            "pending": pending,
            "form": form,
            "counts": {a: pending.count(a) for a in ("create", "update", "error")},
            "sections": [
                {"title": _("Risks"), "rows": pending.plan.get("risks", [])},
                {"title": _("Controls"), "rows": pending.plan.get("controls", [])},
            ],
        },
        status=status,
    )


# -- bulk edits -------------------------------------------------------------------


@login_required
@require_POST
def register_bulk(request: AuthedRequest, deployment_pk: int) -> HttpResponse:
    """One change for the selected risks, or for every risk matching the filter."""
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    form = BulkForm(request.POST, deployment=deployment)
    changed = None
    risks: list[Risk] = []
    if form.is_valid():
        data = form.cleaned_data
        if data["all"]:
            filters = selectors.RegisterFilters.from_params(request.POST)
            qs = selectors.register(
                user=request.user, deployment=deployment, filters=filters
            )
        else:
            ids = [int(v) for v in request.POST.getlist("risk") if v.isdigit()]
            qs = selectors.register(user=request.user, deployment=deployment).filter(
                pk__in=ids
            )
        risks = list(qs[: services.bulk.MAX_RISKS + 1])
        changed = run_service(
            form,
            lambda: services.risks_bulk_edit(
                actor=request.user,
                deployment=deployment,
                risks=risks,
                action=data["action"],
                owner_party=data["owner_party"],
                category=data["category"],
                phase=data["phase"],
                reason=data["reason"],
            ),
        )
    if changed is not None:
        messages.success(
            request,
            ngettext("%(n)s risk changed.", "%(n)s risks changed.", changed)
            % {"n": changed},
        )
        back = request.POST.get("next", "")
        if back.startswith(f"/deployments/{deployment.pk}/risks/"):
            return redirect(back)
        return redirect("risks:register", deployment_pk=deployment.pk)
    # The risks are listed one by one now: "all matching" would lose the filter.
    form.data = form.data.copy()  # type: ignore[attr-defined]
    form.data.pop("all", None)  # type: ignore[attr-defined]
    return render(
        request,
        "risks/bulk.html",
        {"deployment": deployment, "form": form, "risks": risks},
        status=422,
    )


# -- attachments --------------------------------------------------------------------


@login_required
@require_POST
def attachment_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Attach a document or photo to the risk or one of its controls."""
    risk = selectors.risk_get(user=request.user, pk=pk)
    form = RiskAttachmentForm(request.POST, request.FILES, risk=risk)
    if form.is_valid():
        data = form.cleaned_data
        added = run_service(
            form,
            lambda: services.risk_attachment_add(
                actor=request.user,
                risk=risk,
                upload=data["attachment"],
                control=data["control"],
            ),
        )
        if added is not None:
            messages.success(request, _("Attachment added."))
            return redirect("risks:detail", pk=risk.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("risks:detail", pk=risk.pk)


@login_required
def attachment_download(request: AuthedRequest, pk: int) -> FileResponse:
    """Serve a stored file to those who may see its risk; never a public URL."""
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    return attachment_response(attachment)
