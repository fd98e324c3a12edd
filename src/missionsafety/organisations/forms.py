from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("name"),
        max_length=100,
        help_text=_(
            "What the token is for, e.g. “calendar sync” or “reporting script”."
        ),
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("language"),
        required=False,
        help_text=_(
            "Pages, e-mails and reminders are written in this language. "
            "“As my browser” takes the browser's language at each log-in."
        ),
    )

    def __init__(self, *args: Any, browser: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = dict(settings.LANGUAGES)
        automatic = str(_("As my browser"))
        if browser in names:
            automatic = f"{automatic} ({names[browser]})"
        field = self.fields["language"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", automatic),
            *[(code, name) for code, name in settings.LANGUAGES],
        ]
