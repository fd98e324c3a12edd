"""Pages of lessons: list, new, detail, edit and status moves."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from missionsafety.core.selectors import paginate
from missionsafety.core.views import AuthedRequest, render_page, run_service
from missionsafety.deployments.visibility import can
from missionsafety.lessons import selectors, services
from missionsafety.lessons.forms import LessonForm, LessonTransitionForm
from missionsafety.lessons.models import Lesson
from missionsafety.lessons.views.common import _flash_errors, _int
from missionsafety.organisations.scope import is_read_only


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
