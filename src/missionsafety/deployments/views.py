"""Pages for deployments: my deployments, one deployment, its parties and phase."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from missionsafety.core.exceptions import NotAllowed
from missionsafety.core.kept import render_kept
from missionsafety.core.panels import panels_for
from missionsafety.core.selectors import paginate
from missionsafety.core.views import AuthedRequest, run_service
from missionsafety.deployments import services
from missionsafety.deployments.forms import (
    ContactForm,
    DeploymentForm,
    NewDeploymentForm,
    PartyForm,
    PhaseForm,
)
from missionsafety.deployments.models import Party, Phase
from missionsafety.deployments.selectors import (
    deployment_get,
    deployment_list,
    field_deployments,
    phase_history,
)
from missionsafety.deployments.services import MANAGING_ROLES
from missionsafety.deployments.visibility import can
from missionsafety.organisations.scope import is_read_only


@login_required
def my_deployments(request: AuthedRequest) -> HttpResponse:
    phase = request.GET.get("phase") or None
    if phase not in Phase.values:
        phase = None
    q = request.GET.get("q", "")[:100]

    def context() -> dict[str, Any]:
        page = paginate(
            deployment_list(user=request.user, phase=phase, q=q),
            request.GET.get("page"),
        )
        # Reporting in two taps: the deployments this user is out on come first.
        field = [
            {"deployment": d, "actions": panels_for("field_actions", request, d)}
            for d in field_deployments(user=request.user, limit=3)
        ]
        return {
            "field": [f for f in field if f["actions"]],
            "page": page,
            "phase": phase,
            "q": q,
            "phases": Phase.choices,
            "can_create": not is_read_only(request.user),
        }

    # Kept per version of every deployment the reader sees.
    return render_kept(
        request,
        "deployments/list.html",
        context,
        slot="dashboard",
        obj=None,
        partial="results",
    )


def _detail_context(
    request: AuthedRequest, deployment: Any, phase_form: PhaseForm | None = None
) -> dict[str, Any]:
    manage = can(request.user, deployment, *MANAGING_ROLES)
    for party in deployment.party_list:
        party.deployment = deployment
        party.may_set_contact = services.may_set_contact(request.user, party)  # type: ignore[attr-defined]
    if phase_form is None and manage and deployment.allowed_phases():
        phase_form = PhaseForm(deployment=deployment)
    return {
        "deployment": deployment,
        "parties": deployment.party_list,
        "can_manage": manage,
        "phase_form": phase_form,
        "party_form": PartyForm() if manage else None,
        "phase_history": phase_history(deployment=deployment),
        "phases": Phase.choices,
        "panels": panels_for("deployment", request, deployment),
        "field_actions": panels_for("field_actions", request, deployment),
    }


@login_required
def deployment_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=pk)
    return render(
        request, "deployments/detail.html", _detail_context(request, deployment)
    )


@login_required
def deployment_create(request: AuthedRequest) -> HttpResponse:
    form = NewDeploymentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        deployment = run_service(
            form,
            lambda: services.deployment_create(
                actor=request.user,
                name=data["name"],
                code=data["code"],
                theatre=data["theatre"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                description=data["description"],
                predecessor=data["predecessor"],
                parties=[(data["own_organisation"], data["own_role"])],
            ),
        )
        if deployment is not None:
            messages.success(
                request, _("Deployment created. Now add the other parties.")
            )
            return redirect("deployments:detail", pk=deployment.pk)
    return render(
        request,
        "deployments/form.html",
        {"form": form, "title": _("New deployment")},
        status=422 if form.errors else 200,
    )


@login_required
def deployment_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=pk)
    form = DeploymentForm(request.POST or None, instance=deployment, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {f: data[f] for f in DeploymentForm.Meta.fields}
        fresh = deployment_get(user=request.user, pk=pk)
        result = run_service(
            form,
            lambda: services.deployment_update(
                actor=request.user,
                deployment=fresh,
                version=data.get("version"),
                **changes,
            ),
        )
        if result is not None:
            messages.success(request, _("Deployment saved."))
            return redirect("deployments:detail", pk=pk)
    return render(
        request,
        "deployments/form.html",
        {"form": form, "deployment": deployment, "title": _("Edit deployment")},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def deployment_phase(request: AuthedRequest, pk: int) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=pk)
    form = PhaseForm(request.POST, deployment=deployment)
    if form.is_valid():
        data = form.cleaned_data
        options = (
            {"waiver_rationale": data["waiver_rationale"]}
            if data.get("waiver_rationale")
            else {}
        )
        refused: list[NotAllowed] = []

        def call() -> Any:
            try:
                return services.deployment_move_phase(
                    actor=request.user,
                    deployment=deployment,
                    to_phase=data["to_phase"],
                    note=data["note"],
                    version=data.get("version"),
                    early_reason=data["early_reason"],
                    **options,
                )
            except NotAllowed as exc:
                refused.append(exc)
                raise

        result = run_service(form, call)
        if refused:
            messages.error(request, refused[0].message)
            return redirect("deployments:detail", pk=pk)
        if result is not None:
            messages.success(
                request,
                _("Phase moved to %(phase)s.") % {"phase": result.get_phase_display()},
            )
            return redirect("deployments:detail", pk=pk)
    # The page again, the form open with what was typed and why it was refused
    # (a move to deployed long before the start asks for a reason).
    return render(
        request,
        "deployments/detail.html",
        _detail_context(request, deployment_get(user=request.user, pk=pk), form),
        status=422,
    )


@login_required
def party_add(request: AuthedRequest, pk: int) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=pk)
    form = PartyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        party = run_service(
            form,
            lambda: services.party_add(
                actor=request.user,
                deployment=deployment,
                organisation=data["organisation"],
                role=data["role"],
                point_of_contact=data["point_of_contact"],
                contact_note=data["contact_note"],
            ),
        )
        if party is not None:
            messages.success(
                request, _("%(org)s added as a party.") % {"org": party.organisation}
            )
            return redirect("deployments:detail", pk=pk)
    return render(
        request,
        "deployments/party_form.html",
        {"form": form, "deployment": deployment},
        status=422 if form.errors else 200,
    )


@login_required
def party_contact(request: AuthedRequest, pk: int, party_pk: int) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=pk)
    party = get_object_or_404(
        Party.objects.select_related("organisation", "point_of_contact"),
        pk=party_pk,
        deployment=deployment,
    )
    party.deployment = deployment
    if not services.may_set_contact(request.user, party):
        raise PermissionDenied(
            _(
                "Only the commander or a safety officer of %(org)s names its point "
                "of contact (and the deployment's creator while it is in planning)."
            )
            % {"org": party.organisation.short_name}
        )
    form = ContactForm(request.POST or None, party=party)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = run_service(
            form,
            lambda: services.party_set_contact(
                actor=request.user,
                party=party,
                point_of_contact=data["point_of_contact"],
                contact_note=data["contact_note"],
            ),
        )
        if result is not None:
            messages.success(
                request,
                _("Point of contact of %(org)s saved.")
                % {"org": party.organisation.short_name},
            )
            return redirect(reverse("deployments:detail", args=[pk]) + "#parties")
    return render(
        request,
        "deployments/contact_form.html",
        {"form": form, "deployment": deployment, "party": party},
        status=422 if form.errors else 200,
    )
