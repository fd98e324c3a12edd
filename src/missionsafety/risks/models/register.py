"""The risk register: risks, their assessments and register imports in progress."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missionsafety.core.i18n import ShippedTextsMixin
from missionsafety.core.models import VersionedModel
from missionsafety.deployments.visibility import DeploymentScopedQuerySet
from missionsafety.risks.models.hazards import Hazard, HazardCategory


class Risk(ShippedTextsMixin, VersionedModel):
    """One hazard for one deployment, with its current assessment and decision."""

    # Copied from the hazard library (``source_hazard``): the library's words
    # read in the reader's language until someone edits them.
    SHIPPED_TEXT_FIELDS = ("title", "hazard", "cause", "consequence")

    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("identified")
        ASSESSED = "assessed", _("assessed")
        AWAITING_DECISION = "awaiting_decision", _("awaiting decision")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected (re-work)")
        MONITORED = "monitored", _("monitored")
        CLOSED = "closed", _("closed")

    deployment = models.ForeignKey(
        "deployments.Deployment",
        verbose_name=_("deployment"),
        on_delete=models.CASCADE,
        related_name="risks",
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    hazard = models.TextField(_("hazard"))
    cause = models.TextField(_("cause"), blank=True)
    consequence = models.TextField(_("consequence"), blank=True)
    category = models.ForeignKey(
        HazardCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="risks",
    )
    activity = models.CharField(_("activity"), max_length=200, blank=True)
    phases = models.JSONField(
        _("phases"),
        default=list,
        blank=True,
        help_text=_("Phases the risk applies to."),
    )
    owner_party = models.ForeignKey(
        "deployments.Party",
        verbose_name=_("owner party"),
        on_delete=models.PROTECT,
        related_name="owned_risks",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("risk owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_risks",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IDENTIFIED
    )
    source_hazard = models.ForeignKey(
        Hazard,
        verbose_name=_("library hazard"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="risks",
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    # Denormalised from the current assessment and decision, kept by the services,
    # so that register lists, filters and heat maps are single queries.
    current_assessment = models.ForeignKey(
        "Assessment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    inherent_level = models.CharField(_("inherent level"), max_length=10, blank=True)
    residual_level = models.CharField(_("residual level"), max_length=10, blank=True)
    residual_rank = models.SmallIntegerField(_("residual rank"), default=-1)
    accepted_decision = models.ForeignKey(
        "Decision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acceptance_expires_on = models.DateField(
        _("acceptance expires on"), null=True, blank=True
    )
    stop_flag = models.BooleanField(
        _("stop: re-approval needed"),
        default=False,
        help_text=_("Residual level rose above the level that was accepted."),
    )
    reassessment_required = models.BooleanField(
        _("reassessment required"), default=False
    )
    reassessment_reason = models.CharField(
        _("reason for reassessment"), max_length=300, blank=True
    )
    # Set by an escalation: the decision now lies with this organisation's
    # commander (at least this echelon); cleared by a new assessment or decision.
    escalated_to = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("escalated to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    escalation_echelon = models.PositiveSmallIntegerField(
        _("echelon required after escalation"), null=True, blank=True
    )

    objects = DeploymentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["deployment", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["deployment", "number"], name="risk_number_per_deployment"
            )
        ]
        indexes = [
            # The register's default order (highest residual first, then
            # number): pages, deep ones too, are read off the index unsorted.
            models.Index(
                fields=["deployment", "-residual_rank", "number"],
                name="risk_dep_rank_idx",
            ),
            # What the register's summary and heat maps, the overview and the
            # expired acceptances of "awaiting my decision" count and list, per
            # deployment and status: read off the index without the (wide) rows.
            models.Index(
                fields=[
                    "deployment",
                    "status",
                    "acceptance_expires_on",
                    "residual_level",
                    "stop_flag",
                    "current_assessment",
                    "residual_rank",
                    "number",
                    "escalation_echelon",
                    "escalated_to",
                    "id",  # PostgreSQL reads only the index when the id is in it
                ],
                name="risk_dep_summary_idx",
            ),
            models.Index(
                fields=["acceptance_expires_on"], name="risk_accept_expiry_idx"
            ),
            # Awaiting my decision across every deployment a commander sees:
            # awaiting ones highest first, expired acceptances by date.
            models.Index(
                fields=["status", "-residual_rank", "deployment", "number"],
                name="risk_status_rank_idx",
            ),
            models.Index(
                fields=["status", "acceptance_expires_on"],
                name="risk_status_expiry_idx",
            ),
        ]

    # The risk's status machine; decisions and assessments move it (services).
    TRANSITIONS: dict[str, set[str]] = {
        Status.IDENTIFIED: {Status.ASSESSED, Status.AWAITING_DECISION, Status.CLOSED},
        Status.ASSESSED: {Status.ASSESSED, Status.AWAITING_DECISION, Status.CLOSED},
        Status.AWAITING_DECISION: {
            Status.AWAITING_DECISION,
            Status.ACCEPTED,
            Status.REJECTED,
            Status.CLOSED,
        },
        Status.ACCEPTED: {Status.MONITORED, Status.AWAITING_DECISION, Status.CLOSED},
        Status.REJECTED: {Status.ASSESSED, Status.AWAITING_DECISION, Status.CLOSED},
        Status.MONITORED: {Status.AWAITING_DECISION, Status.CLOSED},
        Status.CLOSED: set(),
    }
    OPEN_STATUSES = (
        Status.IDENTIFIED,
        Status.ASSESSED,
        Status.AWAITING_DECISION,
        Status.ACCEPTED,
        Status.REJECTED,
        Status.MONITORED,
    )

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def acceptance_valid_until(self) -> Any:
        """The end of the acceptance that covers the risk now (None if none does)."""
        if self.status in (self.Status.ACCEPTED, self.Status.MONITORED):
            return self.acceptance_expires_on
        return None

    @property
    def acceptance_expired(self) -> bool:
        """An acceptance that ran out and needs review."""

        return (
            self.status in (self.Status.ACCEPTED, self.Status.MONITORED)
            and self.acceptance_expires_on is not None
            and self.acceptance_expires_on < timezone.localdate()
        )

    @property
    def reference(self) -> str:
        return f"R-{self.number:03d}"


class Assessment(models.Model):
    """A dated, immutable snapshot of a risk's analysis."""

    class Reason(models.TextChoices):
        INITIAL = "initial", _("initial assessment")
        PERIODIC = "periodic", _("periodic review")
        CHANGED = "changed", _("changed circumstances")
        OCCURRENCE = "occurrence", _("after an occurrence")

    risk = models.ForeignKey(
        Risk,
        verbose_name=_("risk"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    deployment = models.ForeignKey(
        "deployments.Deployment", on_delete=models.CASCADE, related_name="+"
    )
    sequence = models.PositiveIntegerField(_("sequence"))
    inherent_probability = models.CharField(_("inherent probability"), max_length=4)
    inherent_severity = models.CharField(_("inherent severity"), max_length=4)
    inherent_level = models.CharField(_("inherent level"), max_length=10)
    controls_considered = models.TextField(_("controls considered"), blank=True)
    residual_probability = models.CharField(_("residual probability"), max_length=4)
    residual_severity = models.CharField(_("residual severity"), max_length=4)
    residual_level = models.CharField(_("residual level"), max_length=10)
    residual_rank = models.SmallIntegerField(_("residual rank"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assessed_at = models.DateTimeField(_("assessed at"), auto_now_add=True)

    objects = DeploymentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["risk", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["risk", "sequence"], name="assessment_sequence_per_risk"
            )
        ]

    def __str__(self) -> str:
        return f"{self.risk.reference} #{self.sequence}: {self.residual_level}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Assessments are immutable; record a new one.")
        super().save(*args, **kwargs)


class RegisterImport(models.Model):
    """A previewed workbook import, kept so that *Apply* applies what was shown.

    ``plan``: ``{"risks": [...], "controls": [...]}``, one entry per changed or
    bad row with its action (create, update, error), the values to write and the
    versions the preview was based on.
    """

    token = models.UUIDField(_("token"), unique=True)
    deployment = models.ForeignKey(
        "deployments.Deployment",
        verbose_name=_("deployment"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("previewed at"), auto_now_add=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    plan = models.JSONField(_("plan"), default=dict)
    unchanged = models.PositiveIntegerField(_("unchanged rows"), default=0)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    objects = DeploymentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def rows(self) -> list[dict[str, Any]]:
        return [*self.plan.get("risks", []), *self.plan.get("controls", [])]

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["action"] == "error"]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r["action"] == action)
