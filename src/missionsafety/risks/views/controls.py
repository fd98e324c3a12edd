"""Pages that add and change a risk's controls."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from missionsafety.core.exceptions import NotAllowed
from missionsafety.core.views import AuthedRequest, run_service
from missionsafety.deployments.visibility import can
from missionsafety.risks import selectors, services
from missionsafety.risks.forms import ControlEditForm, ControlForm
from missionsafety.risks.models import Control
from missionsafety.risks.views.common import _form_page


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
