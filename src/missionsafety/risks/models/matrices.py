"""Risk matrices and the rules of who may accept which level."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from missionsafety.core.i18n import pick
from missionsafety.core.models import TimeStampedModel, VersionedModel


class RiskMatrix(VersionedModel):
    """A versioned matrix: probability × severity → risk level, plus acceptance rules.

    ``probabilities``: ``[{"code": "A", "name": {"nl":..,"en":..}, "description": {..}}]``
    from most to least likely. ``severities``: the same, most severe first.
    ``levels``: ``[{"code": "L", "name": {..}, "colour": "#hex"}]`` lowest first.
    ``cells``: ``{severity_code: {probability_code: level_code}}``.
    """

    code = models.SlugField(_("code"), max_length=60)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    probabilities = models.JSONField(_("probability levels"), default=list)
    severities = models.JSONField(_("severity levels"), default=list)
    levels = models.JSONField(_("risk levels"), default=list)
    cells = models.JSONField(_("cells"), default=dict)
    is_default = models.BooleanField(_("default for new deployments"), default=False)

    class Meta:
        verbose_name = _("risk matrix")
        verbose_name_plural = _("risk matrices")
        ordering = ["code", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "revision"], name="matrix_code_revision_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (r{self.revision})"

    # -- matrix maths ------------------------------------------------------
    @property
    def level_codes(self) -> list[str]:
        return [level["code"] for level in self.levels]

    @property
    def probability_codes(self) -> list[str]:
        return [p["code"] for p in self.probabilities]

    @property
    def severity_codes(self) -> list[str]:
        return [s["code"] for s in self.severities]

    def level_for(self, probability: str, severity: str) -> str:
        """The risk level of a cell; KeyError when the cell is not in the matrix."""
        return str(self.cells[severity][probability])

    def rank(self, level: str) -> int:
        """Position of a level, 0 for the lowest; -1 for an unknown level."""
        try:
            return self.level_codes.index(level)
        except ValueError:
            return -1

    def level_info(self, level: str) -> dict[str, Any]:
        for item in self.levels:
            if item["code"] == level:
                return item
        return {"code": level, "name": level, "colour": "#cccccc"}

    def level_name(self, level: str) -> str:
        return pick(self.level_info(level).get("name"))

    def level_colour(self, level: str) -> str:
        return str(self.level_info(level).get("colour", "#cccccc"))

    @property
    def in_use(self) -> bool:
        """Whether a deployment uses the matrix (then it can no longer change)."""
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "deployments" in cache:
            return bool(cache["deployments"])
        return self.deployments.exists()


class AcceptanceRule(TimeStampedModel):
    """Who may accept a residual level in a chain, whom to consult, for how long."""

    class Chain(models.TextChoices):
        ARMY = "army", _("army chain (preparation phases)")
        OPERATIONAL = "operational", _("operational chain (deployed phases)")

    class Consult(models.TextChoices):
        NONE = "none", _("nobody")
        CONTROL_OWNERS = "control_owners", _("owners of its controls")
        BRIGADE_ARMY_CONTROLS = (
            "brigade_army_controls",
            _("brigade, army staff and owners of its controls"),
        )
        ALL = "all", _("all parties")

    matrix = models.ForeignKey(
        RiskMatrix,
        verbose_name=_("matrix"),
        on_delete=models.CASCADE,
        related_name="rules",
    )
    level = models.CharField(_("residual level"), max_length=10)
    chain = models.CharField(_("chain"), max_length=12, choices=Chain.choices)
    min_echelon = models.PositiveSmallIntegerField(
        _("minimum echelon of the commander"),
        help_text=_("Echelon of the organisation whose commander may decide."),
    )
    authority = models.JSONField(
        _("authority"),
        default=dict,
        help_text=_('Who decides, in both languages: {"nl": ..., "en": ...}.'),
    )
    consult = models.CharField(
        _("must be consulted"), max_length=30, choices=Consult.choices
    )
    validity_days = models.PositiveIntegerField(_("acceptance valid for (days)"))

    class Meta:
        verbose_name = _("acceptance rule")
        verbose_name_plural = _("acceptance rules")
        ordering = ["matrix", "chain", "min_echelon"]
        constraints = [
            models.UniqueConstraint(
                fields=["matrix", "level", "chain"], name="rule_once_per_level_chain"
            )
        ]

    def __str__(self) -> str:
        return f"{self.level} / {self.chain}: {pick(self.authority)}"
