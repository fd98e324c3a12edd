"""Pages for the organisation tree and one's own account."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from missionsafety.core.kept import render_kept
from missionsafety.core.panels import panels_for
from missionsafety.core.views import AuthedRequest
from missionsafety.organisations import services
from missionsafety.organisations.forms import LanguageForm, TokenForm
from missionsafety.organisations.models import ApiToken
from missionsafety.organisations.selectors import (
    organisation_get,
    organisation_members,
    organisation_tree,
)


@login_required
def tree(request: AuthedRequest) -> HttpResponse:
    show_archived = request.GET.get("archived") == "1"

    # Kept per version of the organisations (and of what the reader sees).
    return render_kept(
        request,
        "organisations/tree.html",
        lambda: {
            "organisations": organisation_tree(
                user=request.user, include_archived=show_archived
            ),
            "show_archived": show_archived,
        },
        slot="dashboard",
        obj=None,
    )


@login_required
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    organisation = organisation_get(user=request.user, pk=pk)
    # Kept per version of what the reader sees and of the panels' sources.
    return render_kept(
        request,
        "organisations/detail.html",
        lambda: {
            "organisation": organisation,
            "members": organisation_members(organisation=organisation),
            "children": organisation.children.order_by("short_name"),
            "panels": panels_for("organisation", request, organisation),
        },
        slot="organisation",
        obj=organisation,
        panels=True,
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        services.password_changed(user=self.request.user)  # type: ignore[arg-type]
        messages.success(self.request, _("Your password has been changed."))
        return response


@login_required
def tokens(request: AuthedRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        new_token = services.token_create(
            actor=request.user, user=request.user, name=form.cleaned_data["name"]
        )
        form = TokenForm()
    return render(
        request,
        "organisations/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": ApiToken.objects.filter(user=request.user).order_by(
                "-created_at"
            ),
        },
    )


@login_required
@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("organisations:tokens")


@login_required
def account(request: AuthedRequest) -> HttpResponse:
    """One's own settings: the language of pages, e-mails and reminders."""
    user = request.user
    browser = user.language if not user.language_chosen else ""
    initial = {"language": user.language if user.language_chosen else ""}
    form = LanguageForm(request.POST or None, initial=initial, browser=browser)
    if request.method == "POST" and form.is_valid():
        services.user_language_set(
            actor=user, user=user, language=form.cleaned_data["language"]
        )
        code = user.preferred_language
        translation.activate(code)
        messages.success(request, _("Your settings have been saved."))
        response = redirect("organisations:account")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
        return response
    return render(request, "organisations/account.html", {"form": form})
