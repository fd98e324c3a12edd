from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OccurrencesConfig(AppConfig):
    name = "missionsafety.occurrences"
    label = "occurrences"
    verbose_name = _("Occurrences")
