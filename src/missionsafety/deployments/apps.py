from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeploymentsConfig(AppConfig):
    name = "missionsafety.deployments"
    label = "deployments"
    verbose_name = _("Deployments")
