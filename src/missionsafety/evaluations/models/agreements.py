"""The cooperation agreement (TVB/RACI): process steps, agreements, cells and signatures."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from missionsafety.core.i18n import BilingualNameMixin, ShippedTextsMixin
from missionsafety.core.models import TimeStampedModel
from missionsafety.deployments.models import Party, Phase
from missionsafety.deployments.visibility import DeploymentScopedQuerySet

PARTY_ROLES = set(Party.PartyRole.values)


class ProcessStep(BilingualNameMixin, models.Model):
    """One step of the standard mission-safety process: a row of the agreement."""

    class IsoStage(models.TextChoices):
        CONTEXT = "context", _("scope, context and criteria")
        IDENTIFICATION = "identification", _("risk identification")
        ANALYSIS = "analysis", _("risk analysis")
        EVALUATION = "evaluation", _("risk evaluation")
        TREATMENT = "treatment", _("risk treatment")
        MONITORING = "monitoring", _("monitoring and review")
        RECORDING = "recording", _("recording and reporting")
        COMMUNICATION = "communication", _("communication and consultation")

    class RmStep(models.IntegerChoices):
        IDENTIFY = 1, _("1 identify hazards")
        ASSESS = 2, _("2 assess hazards")
        DECIDE = 3, _("3 develop controls and make risk decisions")
        IMPLEMENT = 4, _("4 implement controls")
        SUPERVISE = 5, _("5 supervise and evaluate")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    iso_stage = models.CharField(
        _("ISO 31000 stage"), max_length=20, choices=IsoStage.choices
    )
    rm_step = models.PositiveSmallIntegerField(
        _("risk-management step"), choices=RmStep.choices
    )
    phases = models.JSONField(
        _("phases"), default=list, help_text=_("Phases the step applies to.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        bad = [p for p in self.phases or [] if p not in Phase.values]
        if bad or not isinstance(self.phases, list):
            raise ValidationError({"phases": _("Use phase codes, e.g. “deployed”.")})

    @property
    def phase_labels(self) -> list[str]:
        return [str(Phase(p).label) for p in self.phases if p in Phase.values]


class Agreement(TimeStampedModel):
    """One version of a deployment's cooperation agreement (TVB/RACI matrix)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_SIGNATURE = "in_signature", _("in signature")
        IN_FORCE = "in_force", _("in force")
        SUPERSEDED = "superseded", _("superseded")

    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.IN_SIGNATURE, Status.SUPERSEDED},
        Status.IN_SIGNATURE: {Status.IN_FORCE, Status.SUPERSEDED},
        Status.IN_FORCE: {Status.SUPERSEDED},
        Status.SUPERSEDED: set(),
    }

    deployment = models.ForeignKey(
        "deployments.Deployment",
        verbose_name=_("deployment"),
        on_delete=models.CASCADE,
        related_name="agreements",
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    note = models.TextField(_("note on this version"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("sent for signature at"), null=True)
    in_force_at = models.DateTimeField(_("in force since"), null=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True)

    objects = DeploymentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["deployment", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["deployment", "number"], name="agreement_number_unique"
            ),
            models.UniqueConstraint(
                fields=["deployment"],
                condition=Q(status="in_force"),
                name="one_agreement_in_force",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Agreement')} v{self.number}"


class AgreementAssignment(ShippedTextsMixin, models.Model):
    """One cell: a party's R/A/C/I for a process step, with its tasks and authorities."""

    # The default task texts read in the reader's language until edited.
    SHIPPED_TEXT_FIELDS = ("tasks",)

    class Raci(models.TextChoices):
        RESPONSIBLE = "R", _("R — responsible")
        ACCOUNTABLE = "A", _("A — accountable")
        CONSULTED = "C", _("C — consulted")
        INFORMED = "I", _("I — informed")
        NONE = "", _("— (no part)")

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    step = models.ForeignKey(
        ProcessStep,
        verbose_name=_("process step"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.CASCADE, related_name="+"
    )
    raci = models.CharField(
        _("R/A/C/I"), max_length=1, choices=Raci.choices, blank=True
    )
    tasks = models.CharField(_("tasks and authorities"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("agreement assignment")
        verbose_name_plural = _("agreement assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "step", "party"], name="assignment_once_per_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.step_id}/{self.party_id}: {self.raci}"


class AgreementSignature(models.Model):
    """A party commander's signature under one version of the agreement."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="signatures",
    )
    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.CASCADE, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_as = models.CharField(_("signed as"), max_length=200, blank=True)
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "party"], name="one_signature_per_party"
            )
        ]

    def __str__(self) -> str:
        return f"{self.party_id} · {self.signed_by}"
