from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "missionsafety.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_remember_browser_language, dispatch_uid="ms-lang")


def _remember_browser_language(
    sender: object, request: Any, user: Any, **_kw: object
) -> None:
    """Without a chosen language, e-mails follow the browser of the last log-in
    (its language cookie, else its Accept-Language)."""
    from django.conf import settings
    from django.utils.translation import get_language_from_request

    from missionsafety.organisations.services import user_language_seen

    if request is None or user is None:
        return
    cookies = getattr(request, "COOKIES", {}) or {}
    meta = getattr(request, "META", {}) or {}
    if settings.LANGUAGE_COOKIE_NAME not in cookies and not meta.get(
        "HTTP_ACCEPT_LANGUAGE"
    ):
        return  # the browser said nothing (a test client, a script)
    user_language_seen(user=user, language=get_language_from_request(request))
