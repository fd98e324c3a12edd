"""Deployments, the parties to them and the phases they move through."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from missionsafety.core.models import TimeStampedModel, VersionedModel
from missionsafety.deployments.visibility import DeploymentScopedQuerySet
from missionsafety.organisations.scope import sees_everything


class Phase(models.TextChoices):
    PLANNING = "planning", _("planning")
    PREPARATION = "preparation", _("preparation")
    READINESS = "readiness", _("readiness")
    DEPLOYED = "deployed", _("deployed")
    REDEPLOYMENT = "redeployment", _("redeployment")
    POST_DEPLOYMENT = "post_deployment", _("post-deployment")
    CLOSED = "closed", _("closed")


PHASE_ORDER = [value for value, _label in Phase.choices]

# The only moves the phase machine allows.
TRANSITIONS: dict[str, set[str]] = {
    Phase.PLANNING: {Phase.PREPARATION},
    Phase.PREPARATION: {Phase.READINESS},
    Phase.READINESS: {Phase.DEPLOYED},
    Phase.DEPLOYED: {Phase.REDEPLOYMENT},
    Phase.REDEPLOYMENT: {Phase.POST_DEPLOYMENT},
    Phase.POST_DEPLOYMENT: {Phase.CLOSED},
    Phase.CLOSED: set(),
}

# Phases in which the army chain decides on risk; in the others the operational.
PREPARATION_PHASES = {Phase.PLANNING, Phase.PREPARATION, Phase.READINESS}
OPERATIONAL_PHASES = {Phase.DEPLOYED, Phase.REDEPLOYMENT}


class DeploymentQuerySet(models.QuerySet["Deployment"]):
    def visible_to(self, user: Any) -> DeploymentQuerySet:
        """Deployments where one of the user's organisations (or an ancestor) is a party."""
        from missionsafety.organisations.scope import user_scope_ids

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if sees_everything(user):
            return self
        return self.filter(
            id__in=Party.objects.filter(
                organisation_id__in=user_scope_ids(user)
            ).values("deployment_id")
        )

    def open(self) -> DeploymentQuerySet:
        return self.exclude(phase=Phase.CLOSED)


class Deployment(VersionedModel):
    """One employment abroad (possibly one rotation of a longer one)."""

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Short reference used in orders, e.g. EUTM-MLI-R7."),
    )
    theatre = models.CharField(
        _("theatre"), max_length=120, help_text=_("Country or region of deployment.")
    )
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start of deployment"))
    end_date = models.DateField(_("end of deployment"))
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.PLANNING
    )
    phase_changed_at = models.DateTimeField(_("phase changed at"), null=True)
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("previous rotation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
    )
    matrix = models.ForeignKey(
        "risks.RiskMatrix",
        verbose_name=_("risk matrix"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deployments",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DeploymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="deployment_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @cached_property
    def party_list(self) -> list[Party]:
        """The parties, loaded once per object (prefetch ``parties`` to share)."""
        return list(self.parties.all())

    def allowed_phases(self) -> list[str]:
        return sorted(TRANSITIONS[self.phase], key=PHASE_ORDER.index)

    @property
    def is_operational(self) -> bool:
        return self.phase in OPERATIONAL_PHASES


class Party(TimeStampedModel):
    """An organisation's part in one deployment."""

    class PartyRole(models.TextChoices):
        OPERATIONAL_COMMAND = "operational_command", _("operational command")
        FORCE_PROVIDER = "force_provider", _("force provider")
        PARENT_BRIGADE = "parent_brigade", _("parent brigade")
        DEPLOYED_UNIT = "deployed_unit", _("deployed unit")
        SUPPORTING = "supporting", _("supporting")

    deployment = models.ForeignKey(
        Deployment,
        verbose_name=_("deployment"),
        on_delete=models.CASCADE,
        related_name="parties",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="parties",
    )
    role = models.CharField(_("party role"), max_length=30, choices=PartyRole.choices)
    point_of_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("point of contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_for",
    )
    contact_note = models.CharField(
        _("contact details"),
        max_length=200,
        blank=True,
        help_text=_("Function mailbox, phone or radio call sign."),
    )

    objects = DeploymentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["deployment", "role", "organisation__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["deployment", "organisation"], name="party_once_per_deployment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class PhaseChange(models.Model):
    """A dated move of a deployment from one phase to the next."""

    deployment = models.ForeignKey(
        Deployment,
        verbose_name=_("deployment"),
        on_delete=models.CASCADE,
        related_name="phase_changes",
    )
    from_phase = models.CharField(_("from"), max_length=20, choices=Phase.choices)
    to_phase = models.CharField(_("to"), max_length=20, choices=Phase.choices)
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    objects = DeploymentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        ordering = ["deployment", "changed_at"]

    def __str__(self) -> str:
        return f"{self.from_phase} → {self.to_phase}"
