"""Pages of observations: list, new, detail, edit, status moves and attachments."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from missionsafety.core.selectors import paginate
from missionsafety.core.uploads import attachment_response
from missionsafety.core.views import AuthedRequest, render_page, run_service
from missionsafety.deployments.selectors import deployment_get
from missionsafety.deployments.visibility import can
from missionsafety.lessons import selectors, services
from missionsafety.lessons.forms import (
    AttachmentForm,
    ObservationForm,
    ObservationTransitionForm,
    parse_tags,
)
from missionsafety.lessons.models import (
    OBSERVATION_TRANSITIONS,
    Lesson,
    Observation,
    Source,
)
from missionsafety.lessons.views.common import _flash_errors, _int
from missionsafety.organisations.scope import is_read_only


# -- observations --------------------------------------------------------------
@login_required
def observation_list(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    mine = request.GET.get("mine") == "1"
    deployment = None
    if dep_id := _int(request.GET.get("deployment")):
        deployment = deployment_get(user=request.user, pk=dep_id)
    qs = selectors.observation_list(
        user=request.user, deployment=deployment, status=status, mine=mine
    )
    return render_page(
        request,
        "lessons/observation_list.html",
        {
            "page": paginate(qs, request.GET.get("page")),
            "status": status,
            "statuses": Observation.Status.choices,
            "mine": mine,
            "deployment": deployment,
            "can_submit": not is_read_only(request.user),
        },
        partial="results",
    )


def _prefill(request: HttpRequest) -> dict[str, Any]:
    """The URL contract for "submit an observation from …" buttons."""
    params = request.GET
    initial: dict[str, Any] = {}
    if dep := _int(params.get("deployment")):
        initial["deployment"] = dep
    source = params.get("source", "")
    if source in Source.values:
        initial["source"] = source
    if params.get("object"):
        initial["source_object"] = params["object"][:100]
    for key in ("title", "observation"):
        if params.get(key):
            initial[key] = params[key][: 200 if key == "title" else 4000]
    return initial


@login_required
def observation_new(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        existing = _already_submitted(request)
        if existing is not None:
            messages.info(request, _("This observation was already saved; here it is."))
            return redirect("lessons:observation_detail", pk=existing.pk)
    form = ObservationForm(
        request.POST or None, user=request.user, initial=_prefill(request)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        obs = run_service(
            form,
            lambda: services.observation_submit(
                actor=request.user,
                deployment=data["deployment"],
                title=data["title"],
                observation=data["observation"],
                discussion=data["discussion"],
                conclusion=data["conclusion"],
                recommendation=data["recommendation"],
                source=data["source"],
                source_object=data["source_object"],
                kind=data["kind"],
                phase=data["phase"] or None,
                observed_on=data["observed_on"],
                tags=parse_tags(data["tags"]),
                categories=list(data["categories"]),
                releasability=data["releasability"],
                released_to=list(data["released_to"]),
                idempotency_key=data.get("idempotency_key"),
            ),
        )
        if obs is not None:
            messages.success(request, _("Observation submitted. Thank you."))
            return redirect("lessons:observation_detail", pk=obs.pk)
    return render(
        request,
        "lessons/observation_form.html",
        {"form": form, "title": _("New observation")},
        status=422 if form.errors else 200,
    )


def _already_submitted(request: AuthedRequest) -> Observation | None:
    """The observation this form already made (the same submission key)."""
    try:
        key = uuid.UUID(request.POST.get("idempotency_key", ""))
    except ValueError:
        return None
    return (
        selectors.observation_list(user=request.user)
        .filter(idempotency_key=key, originator=request.user)
        .first()
    )


@login_required
def observation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    obs = selectors.observation_get(user=request.user, pk=pk)
    user = request.user
    moves = []
    for to in sorted(OBSERVATION_TRANSITIONS[obs.status]):
        if to == Observation.Status.SUBMITTED:
            allowed = obs.originator_id == user.pk or can(
                user, obs.deployment, *services.VERIFY_ROLES
            )
        elif to == Observation.Status.IN_ANALYSIS:
            allowed = can(user, obs.deployment, "lessons_officer")
        else:
            allowed = can(user, obs.deployment, *services.VERIFY_ROLES)
        if allowed and not is_read_only(user):
            moves.append((to, Observation.Status(to).label))
    uses, use_deployments = selectors.uses_of(user=user, observation=obs)
    lesson_visible = (
        obs.lesson_id
        and Lesson.objects.visible_to(user).filter(pk=obs.lesson_id).exists()
    )
    return render(
        request,
        "lessons/observation_detail.html",
        {
            "obs": obs,
            "attachments": obs.attachments.all(),
            "moves": moves,
            "can_edit": not is_read_only(user)
            and services.can_edit_observation(user, obs),
            "can_attach": not is_read_only(user)
            and can(user, obs.deployment, *services.PARTICIPANT_ROLES),
            "can_group": obs.status == Observation.Status.VERIFIED
            and not obs.lesson_id
            and can(user, obs.deployment, "lessons_officer"),
            "attachment_form": AttachmentForm(),
            "uses": uses,
            "use_deployments": use_deployments,
            "lesson_visible": lesson_visible,
        },
    )


@login_required
def observation_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    obs = selectors.observation_get(user=request.user, pk=pk)
    initial = {
        "title": obs.title,
        "observed_on": obs.observed_on,
        "phase": obs.phase,
        "source": obs.source,
        "kind": obs.kind,
        "observation": obs.observation,
        "discussion": obs.discussion,
        "conclusion": obs.conclusion,
        "recommendation": obs.recommendation,
        "tags": ", ".join(obs.tags or []),
        "categories": list(obs.categories.all()),
        "releasability": obs.releasability,
        "released_to": list(obs.released_to.all()),
        "version": obs.version,
    }
    form = ObservationForm(
        request.POST or None, user=request.user, editing=True, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {
            k: data[k]
            for k in (
                "title",
                "observation",
                "discussion",
                "conclusion",
                "recommendation",
                "source",
                "kind",
            )
        }
        changes["tags"] = parse_tags(data["tags"])
        if data["phase"]:
            changes["phase"] = data["phase"]
        if data["observed_on"]:
            changes["observed_on"] = data["observed_on"]
        result = run_service(
            form,
            lambda: services.observation_update(
                actor=request.user,
                observation=obs,
                version=data.get("version"),
                categories=list(data["categories"]),
                releasability=data["releasability"],
                released_to=list(data["released_to"]),
                changes=changes,
            ),
        )
        if result is not None:
            messages.success(request, _("Observation saved."))
            return redirect("lessons:observation_detail", pk=pk)
    return render(
        request,
        "lessons/observation_form.html",
        {"form": form, "obs": obs, "title": _("Edit observation")},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def observation_transition(request: AuthedRequest, pk: int) -> HttpResponse:
    obs = selectors.observation_get(user=request.user, pk=pk)
    form = ObservationTransitionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        result = run_service(
            form,
            lambda: services.observation_transition(
                actor=request.user,
                observation=obs,
                to_status=data["to_status"],
                reason=data["reason"],
                version=data.get("version"),
            ),
        )
        if result is not None:
            messages.success(
                request,
                _("The observation is now %(state)s.")
                % {"state": result.get_status_display()},
            )
    _flash_errors(request, form, Observation)
    return redirect("lessons:observation_detail", pk=pk)


@login_required
@require_POST
def attachment_add(request: AuthedRequest, pk: int) -> HttpResponse:
    obs = selectors.observation_get(user=request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        result = run_service(
            form,
            lambda: services.attachment_add(
                actor=request.user, observation=obs, upload=form.cleaned_data["file"]
            ),
        )
        if result is not None:
            messages.success(request, _("File attached."))
    _flash_errors(request, form)
    return redirect("lessons:observation_detail", pk=pk)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    return attachment_response(attachment, inline_images=False)
