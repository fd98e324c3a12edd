from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "missionsafety.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django import forms

        from missionsafety.core import lookups
        from missionsafety.core.text import refuse_control_characters

        lookups.register()

        # Every text field of every form refuses control characters, with a
        # field error; the API does the same through InSchema and TextParser.
        forms.CharField.default_validators = [refuse_control_characters]
