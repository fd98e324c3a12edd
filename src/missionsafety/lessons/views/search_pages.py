"""The search page and the suggestions shown while typing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from missionsafety.core.kept import render_kept
from missionsafety.deployments.selectors import deployment_get
from missionsafety.lessons import search, selectors
from missionsafety.lessons.apps import LESSON_SOURCES
from missionsafety.lessons.models import Kind, Lesson, Observation
from missionsafety.lessons.views.common import _int
from missionsafety.risks.models import HazardCategory


# -- search ------------------------------------------------------------------
@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:300]
    filters = search.Filters.from_params(request.GET)
    page = _int(request.GET.get("page")) or 1

    def context() -> dict[str, Any]:
        return {
            "q": q,
            "filters": filters,
            "results": search.run_search(
                user=request.user, q=q, filters=filters, page=page
            ),
            "kinds": Kind.choices,
            "labels": _labels(),
        }

    # Kept per version of every lesson, observation, party and deployment
    # (the index is written with them) and of what the reader sees.
    return render_kept(
        request,
        "lessons/search.html",
        context,
        slot="dashboard",
        obj=None,
        partial="results",
        also=LESSON_SOURCES,
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
