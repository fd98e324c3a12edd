"""The staff officer's desk in the register: import from Excel and bulk edits."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from missionsafety.core.exceptions import ConflictError
from missionsafety.core.permissions import can
from missionsafety.core.views import AuthedRequest, run_service
from missionsafety.deployments.selectors import deployment_get
from missionsafety.risks import services
from missionsafety.risks.forms import ImportForm

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def register_import(request: AuthedRequest, deployment_pk: int) -> HttpResponse:
    """Upload a workbook; a good one leads to its preview."""
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
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
