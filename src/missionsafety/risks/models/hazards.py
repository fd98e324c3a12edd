"""The hazard library: categories and hazards."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from missionsafety.core.i18n import BilingualNameMixin, pick
from missionsafety.core.models import TimeStampedModel


class HazardCategory(BilingualNameMixin, models.Model):
    """A group of hazards, shared by the library, risks and lessons."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    class Meta:
        verbose_name = _("hazard category")
        verbose_name_plural = _("hazard categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Hazard(BilingualNameMixin, TimeStampedModel):
    """A standard hazard in the defence-wide library, with typical controls.

    ``typical_controls``: ``[{"kind": "engineer", "nl": "...", "en": "..."}]``.
    """

    category = models.ForeignKey(
        HazardCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    typical_cause = models.JSONField(_("typical cause"), default=dict)
    typical_consequence = models.JSONField(_("typical consequence"), default=dict)
    typical_controls = models.JSONField(_("typical controls"), default=list)
    active = models.BooleanField(_("active"), default=True)

    @property
    def description(self) -> str:
        return pick({"nl": self.description_nl, "en": self.description_en})

    class Meta:
        verbose_name = _("library hazard")
        verbose_name_plural = _("hazard library")
        ordering = ["category__code", "code"]

    def __str__(self) -> str:
        return self.name
