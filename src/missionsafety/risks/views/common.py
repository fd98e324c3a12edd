"""Helpers the risk pages share: status shorthands, form pages and rows for display."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format

from missionsafety.risks.models import Risk

S = Risk.Status


def _status(form: Any) -> int:
    return 422 if form.errors else 200


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    deployment: Any,
    title: str,
    risk: Risk | None = None,
    panels: list[dict[str, Any]] | None = None,
    status: int | None = None,
) -> HttpResponse:
    """The shared form page of the register (re-rendered with 422 on errors)."""
    return render(
        request,
        "risks/form.html",
        {
            "form": form,
            "deployment": deployment,
            "risk": risk,
            "title": title,
            "panels": panels or [],
        },
        status=status or _status(form),
    )


def _for_display(risks: list[Risk]) -> list[Risk]:
    """Status labels and acceptance dates worked out once per page, not by the
    template once per row (translation and date formatting per cell add up)."""
    labels = {value: str(label) for value, label in S.choices}
    today = timezone.localdate()
    dates: dict[Any, str] = {}
    for risk in risks:
        risk.status_label = labels.get(risk.status, risk.status)  # type: ignore[attr-defined]
        until = risk.acceptance_valid_until
        if until is not None and until not in dates:
            dates[until] = date_format(until, "j M Y")
        risk.valid_until_text = dates.get(until, "")  # type: ignore[attr-defined]
        risk.valid_until_expired = until is not None and until < today  # type: ignore[attr-defined]
    return risks
