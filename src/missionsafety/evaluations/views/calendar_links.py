"""Secret calendar links: making and revoking them."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from missionsafety.core.views import run_service
from missionsafety.evaluations import selectors, services
from missionsafety.evaluations.forms import CalendarForm
from missionsafety.evaluations.models import CalendarToken


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    parties = selectors.calendar_parties(user=request.user)
    form = CalendarForm(request.POST or None, parties=parties)
    new_url = None
    if request.method == "POST" and form.is_valid():
        raw = run_service(
            form,
            lambda: services.calendar_token_create(
                actor=request.user, party=form.cleaned_data["party"]
            ),
        )
        if raw is not None:
            new_url = request.build_absolute_uri(
                reverse("api:evaluations_ics") + "?" + urlencode({"token": raw})
            )
            form = CalendarForm(parties=parties)
    return render(
        request,
        "evaluations/calendar.html",
        {
            "form": form,
            "new_url": new_url,
            "tokens": selectors.calendar_tokens(user=request.user),
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def calendar_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(CalendarToken, pk=pk, user=request.user)
    services.calendar_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Calendar link revoked."))
    return redirect("evaluations:calendar")
