"""Pages for observations, lessons, search and the learning loop."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from missionsafety.core.selectors import get_visible, paginate
from missionsafety.core.uploads import attachment_response
from missionsafety.core.views import AuthedRequest, render_page, run_service
from missionsafety.deployments.selectors import deployment_get
from missionsafety.deployments.visibility import can
from missionsafety.lessons import search, selectors, services
from missionsafety.lessons.forms import (
    AttachmentForm,
    LessonForm,
    LessonTransitionForm,
    ObservationForm,
    ObservationTransitionForm,
    ReviewForm,
    UseForm,
    parse_tags,
)
from missionsafety.lessons.models import (
    OBSERVATION_TRANSITIONS,
    Kind,
    Lesson,
    Observation,
    Source,
)
from missionsafety.organisations.scope import is_read_only
from missionsafety.risks.models import HazardCategory, Risk


def _int(value: Any) -> int | None:
    try:
        return int(str(value)[:12])
    except (TypeError, ValueError):
        return None


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


def _flash_errors(request: HttpRequest, form: Any, model: Any = None) -> None:
    for field, errors in form.errors.items():
        for error in errors:
            label = form.fields[field].label if field in form.fields else ""
            if not label and model is not None:
                # A part the service found missing: name it (it is not on the form).
                fields = {f.name: f for f in model._meta.get_fields()}
                label = getattr(fields.get(field), "verbose_name", "")
            messages.error(request, f"{label}: {error}" if label else error)


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


# -- lessons -----------------------------------------------------------------
@login_required
def lesson_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    qs = selectors.lesson_list(user=request.user, status=status, overdue=overdue)
    return render_page(
        request,
        "lessons/lesson_list.html",
        {
            "page": paginate(qs, request.GET.get("page")),
            "status": status,
            "overdue": overdue,
            "statuses": Lesson.Status.choices,
        },
        partial="results",
    )


@login_required
def lesson_new(request: AuthedRequest) -> HttpResponse:
    candidates = selectors.groupable_observations(user=request.user)
    initial: dict[str, Any] = {}
    if obs_id := _int(request.GET.get("observation")):
        first = candidates.filter(pk=obs_id).first()
        if first is not None:
            initial = {"observations": [first.pk], "title": first.title}
    form = LessonForm(request.POST or None, observations=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = list(data["observations"])
        lesson = run_service(
            form,
            lambda: services.lesson_create(
                actor=request.user,
                title=data["title"],
                observations=chosen,
                root_cause=data["root_cause"],
                remedial_action=data["remedial_action"],
                action_body=data["action_body"],
                tasking_authority=data["tasking_authority"],
                due_date=data["due_date"],
                releasability=data["releasability"] or None,
                released_to=list(data["released_to"]),
                categories=list(data["categories"]) or None,
            ),
        )
        if lesson is not None:
            messages.success(request, _("Lesson identified."))
            return redirect("lessons:lesson_detail", pk=lesson.pk)
    return render(
        request,
        "lessons/lesson_form.html",
        {"form": form, "title": _("New lesson"), "empty": not candidates.exists()},
        status=422 if form.errors else 200,
    )


@login_required
def lesson_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    lesson = selectors.lesson_get(user=request.user, pk=pk)
    uses, use_deployments = selectors.uses_of(user=request.user, lesson=lesson)
    moves = (
        []
        if is_read_only(request.user)
        else [
            (to, Lesson.Status(to).label)
            for to in services.allowed_moves(request.user, lesson)
        ]
    )
    return render(
        request,
        "lessons/lesson_detail.html",
        {
            "lesson": lesson,
            "observations": selectors.lesson_observations(
                user=request.user, lesson=lesson
            ),
            "uses": uses,
            "use_deployments": use_deployments,
            "moves": moves,
            "can_edit": not is_read_only(request.user)
            and can(request.user, lesson.deployment, "lessons_officer")
            and lesson.status not in {Lesson.Status.VALIDATED, Lesson.Status.CLOSED},
        },
    )


@login_required
def lesson_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    lesson = selectors.lesson_get(user=request.user, pk=pk)
    initial = {
        "title": lesson.title,
        "root_cause": lesson.root_cause,
        "remedial_action": lesson.remedial_action,
        "action_body": lesson.action_body,
        "tasking_authority": lesson.tasking_authority,
        "due_date": lesson.due_date,
        "categories": list(lesson.categories.all()),
        "releasability": lesson.releasability,
        "released_to": list(lesson.released_to.all()),
        "version": lesson.version,
    }
    form = LessonForm(request.POST or None, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = run_service(
            form,
            lambda: services.lesson_update(
                actor=request.user,
                lesson=lesson,
                version=data.get("version"),
                releasability=data["releasability"],
                released_to=list(data["released_to"]),
                categories=list(data["categories"]),
                **{
                    k: data[k]
                    for k in (
                        "title",
                        "root_cause",
                        "remedial_action",
                        "action_body",
                        "tasking_authority",
                        "due_date",
                    )
                },
            ),
        )
        if result is not None:
            messages.success(request, _("Lesson saved."))
            return redirect("lessons:lesson_detail", pk=pk)
    return render(
        request,
        "lessons/lesson_form.html",
        {"form": form, "lesson": lesson, "title": _("Edit lesson")},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def lesson_transition(request: AuthedRequest, pk: int) -> HttpResponse:
    lesson = selectors.lesson_get(user=request.user, pk=pk)
    form = LessonTransitionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        result = run_service(
            form,
            lambda: services.lesson_transition(
                actor=request.user,
                lesson=lesson,
                to_status=data["to_status"],
                reason=data["reason"],
                validation_evidence=data["validation_evidence"] or None,
                version=data.get("version"),
            ),
        )
        if result is not None:
            messages.success(
                request,
                _("The lesson is now %(state)s.")
                % {"state": result.get_status_display()},
            )
    _flash_errors(request, form)
    return redirect("lessons:lesson_detail", pk=pk)


# -- search ------------------------------------------------------------------
@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:300]
    filters = search.Filters.from_params(request.GET)
    page = _int(request.GET.get("page")) or 1
    results = search.run_search(user=request.user, q=q, filters=filters, page=page)
    return render_page(
        request,
        "lessons/search.html",
        {
            "q": q,
            "filters": filters,
            "results": results,
            "kinds": Kind.choices,
            "labels": _labels(),
        },
        partial="results",
    )


def _labels() -> dict[str, str]:
    labels = {v: str(label) for v, label in Observation.Status.choices}
    labels |= {v: str(label) for v, label in Lesson.Status.choices}
    return labels


# -- the learning loop ---------------------------------------------------------
@login_required
def suggest(request: HttpRequest, deployment_pk: int) -> HttpResponse:
    """HTMX partial for the new-risk form: GET title, hazard, category (code or
    id), cause → suggestions from earlier deployments."""
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    text = " ".join(
        request.GET.get(k, "")[:300] for k in ("title", "hazard", "cause")
    ).strip()
    categories = _category_codes(request.GET.getlist("category"))
    hits = selectors.form_suggestions(
        user=request.user, deployment=deployment, text=text, categories=categories
    )
    return render(
        request,
        "lessons/_suggestions.html",
        {"hits": hits, "labels": _labels(), "risk": None, "taken": set()},
    )


def _category_codes(values: list[str]) -> list[str]:
    codes, ids = [], []
    for value in values[:5]:
        value = value.strip()[:40]
        if value.isdigit():
            ids.append(int(value))
        elif value:
            codes.append(value)
    if ids:
        codes += list(
            HazardCategory.objects.filter(pk__in=ids).values_list("code", flat=True)
        )
    return codes


def _risk_get(user: Any, pk: int) -> Risk:
    return get_visible(Risk.objects.select_related("deployment"), user, pk=pk)


@login_required
@require_POST
def use_add(request: AuthedRequest, risk_pk: int) -> HttpResponse:
    risk = _risk_get(request.user, risk_pk)
    form = UseForm(request.POST)
    if form.is_valid():
        kind, pk = form.cleaned_data["target"].split(":")
        observation = lesson = None
        if kind == "observation":
            observation = selectors.observation_get(user=request.user, pk=pk)
        else:
            lesson = selectors.lesson_get(user=request.user, pk=pk)
        result = run_service(
            form,
            lambda: services.lesson_use_add(
                actor=request.user,
                risk=risk,
                observation=observation,
                lesson=lesson,
                note=form.cleaned_data["note"],
            ),
        )
        if result is not None:
            messages.success(request, _("Marked as taken into account on this risk."))
    _flash_errors(request, form)
    return redirect(_back(request, risk))


def _back(request: HttpRequest, risk: Risk) -> str:
    """Back to the page the button was on (the risk page), if it is ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return reverse("deployments:detail", kwargs={"pk": risk.deployment_id})


@login_required
@require_POST
def review_add(request: AuthedRequest, deployment_pk: int) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        lesson = selectors.lesson_get(user=request.user, pk=form.cleaned_data["lesson"])
        result = run_service(
            form,
            lambda: services.lesson_review_add(
                actor=request.user,
                deployment=deployment,
                lesson=lesson,
                note=form.cleaned_data["note"],
            ),
        )
        if result is not None:
            messages.success(
                request, _("Lesson marked as reviewed for this deployment.")
            )
    _flash_errors(request, form)
    return redirect("deployments:detail", pk=deployment_pk)
