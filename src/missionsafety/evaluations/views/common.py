"""Helpers the evaluation pages share: running a service from a button or form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from missionsafety.core.exceptions import ConflictError, NotAllowed, ValidationError
from missionsafety.core.views import run_service
from missionsafety.evaluations import selectors


def _flash_errors(request: HttpRequest, call: Any) -> Any:
    """Run a service from a button; show its error as a message."""
    try:
        return call()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except (ConflictError, NotAllowed) as exc:
        messages.error(request, exc.message)
    return None


def _post_form_action(
    request: HttpRequest,
    pk: int,
    form_class: Any,
    call: Any,
    done: str,
    template_title: str,
) -> HttpResponse:
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    form = form_class(request.POST or None, initial={"version": evaluation.version})
    if request.method == "POST" and form.is_valid():
        result = run_service(form, lambda: call(evaluation, form.cleaned_data))
        if result is not None:
            messages.success(request, done)
            return redirect("evaluations:detail", pk=pk)
    return render(
        request,
        "evaluations/form.html",
        {
            "deployment": evaluation.deployment,
            "evaluation": evaluation,
            "form": form,
            "title": template_title,
        },
        status=422 if form.errors else 200,
    )
