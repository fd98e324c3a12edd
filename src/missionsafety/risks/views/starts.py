"""Starting a register from the hazard library or an earlier register."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from missionsafety.core.selectors import paginate
from missionsafety.core.views import AuthedRequest, render_page, run_service
from missionsafety.deployments.selectors import deployment_get
from missionsafety.deployments.visibility import can
from missionsafety.risks import selectors, services
from missionsafety.risks.forms import CopyStartForm, LibraryStartForm
from missionsafety.risks.models import Control, Risk


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
