"""Kept trend histories (see ``missionsafety.risks.history``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrendSnapshot(models.Model):
    """A deployment's weekly history as derived on ``day``, valid while the
    deployment's last change record is still ``seq``. Derived data, kept to
    save work: deleting every row loses nothing."""

    deployment = models.OneToOneField(
        "deployments.Deployment",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("deployment"),
    )
    day = models.DateField(_("day"))
    seq = models.BigIntegerField(_("last change record"))
    data = models.JSONField(_("counts"))

    class Meta:
        verbose_name = _("trend snapshot")
        verbose_name_plural = _("trend snapshots")

    def __str__(self) -> str:
        return f"{self.deployment_id} {self.day}"
