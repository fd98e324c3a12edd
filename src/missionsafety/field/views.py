"""Pages: open sync conflicts and their resolution; the field package download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from missionsafety.core.exceptions import NotAllowed
from missionsafety.deployments.models import Deployment
from missionsafety.field import selectors
from missionsafety.field.display import describe, describe_all
from missionsafety.field.models import Conflict
from missionsafety.field.services import conflict_resolve


@login_required
def conflicts(request: HttpRequest) -> HttpResponse:
    deployment = None
    if request.GET.get("deployment", "").isdigit():
        deployment = get_object_or_404(
            Deployment.objects.visible_to(request.user),
            pk=int(request.GET["deployment"]),
        )
    rows = selectors.conflict_list(user=request.user, deployment=deployment)
    return render(
        request,
        "field/conflicts.html",
        {"conflicts": describe_all(rows), "deployment": deployment},
    )


@login_required
def conflict_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conflict = selectors.conflict_get(user=request.user, pk=pk)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        choice = request.POST.get("choice", "")
        try:
            conflict_resolve(
                actor=request.user,
                conflict=conflict,
                choice=choice,
                value=request.POST.get("value", ""),
            )
        except ValidationError as exc:
            errors = exc.message_dict
            status = 422
        except NotAllowed as exc:
            errors = {"choice": [exc.message]}
            status = 403
        else:
            messages.success(request, _("Conflict resolved."))
            return redirect(f"{_conflicts_url()}?deployment={conflict.deployment_id}")
    return render(
        request,
        "field/conflict.html",
        {
            "conflict": conflict,
            "is_review": conflict.kind == Conflict.Kind.SUPERSEDED,
            "is_open": conflict.status == Conflict.Status.OPEN,
            "view": describe(conflict),
            "errors": errors,
            "posted": request.POST,
        },
        status=status,
    )


def _conflicts_url() -> str:
    from django.urls import reverse

    return reverse("field:conflicts")


@login_required
@require_POST
def package(request: HttpRequest, deployment_pk: int) -> HttpResponse:
    from missionsafety.field.package import package_export

    deployment = get_object_or_404(
        Deployment.objects.visible_to(request.user), pk=deployment_pk
    )
    try:
        data = package_export(
            actor=request.user,
            deployment=deployment,
            url=request.build_absolute_uri("/").rstrip("/"),
        )
    except NotAllowed:
        raise Http404 from None
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = (
        f'attachment; filename="{deployment.code}-field-package.msf"'
    )
    return response
