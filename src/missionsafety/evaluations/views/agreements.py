"""Pages of the cooperation agreement: view, versions, setup, edit, signing and PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from missionsafety.core.text import attachment_disposition
from missionsafety.core.views import AuthedRequest, run_service
from missionsafety.deployments.selectors import deployment_get
from missionsafety.deployments.visibility import can
from missionsafety.evaluations import selectors, services
from missionsafety.evaluations.forms import MatrixForm, SignForm
from missionsafety.evaluations.models import Agreement
from missionsafety.evaluations.views.common import _flash_errors


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
