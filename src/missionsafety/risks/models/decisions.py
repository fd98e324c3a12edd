"""Consultations of other parties and decisions on an assessment."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missionsafety.deployments.visibility import DeploymentScopedQuerySet
from missionsafety.risks.models.register import Assessment, Risk


class Consultation(models.Model):
    """A request to one party for its view on a risk's assessment, and its answer."""

    class Answer(models.TextChoices):
        AGREE = "agree", _("agree")
        CONDITIONS = "agree_with_conditions", _("agree with conditions")
        OBJECT = "object", _("object")

    risk = models.ForeignKey(
        Risk,
        verbose_name=_("risk"),
        on_delete=models.CASCADE,
        related_name="consultations",
    )
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    deployment = models.ForeignKey(
        "deployments.Deployment", on_delete=models.CASCADE, related_name="+"
    )
    party = models.ForeignKey(
        "deployments.Party",
        verbose_name=_("party consulted"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    answer = models.CharField(
        _("answer"), max_length=30, choices=Answer.choices, blank=True
    )
    answer_text = models.TextField(_("conditions or objection"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = DeploymentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["risk", "-requested_at", "party_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "party"], name="consultation_once_per_party"
            )
        ]

    def __str__(self) -> str:
        return f"{self.risk.reference} → {self.party.organisation}"

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)

    @property
    def is_stale(self) -> bool:
        """Asked about an assessment that a newer one has replaced."""
        return self.assessment_id != self.risk.current_assessment_id

    @property
    def is_objection(self) -> bool:
        return self.answer == self.Answer.OBJECT

    def as_record(self) -> dict[str, Any]:
        """What a decision keeps of the answer it rests on."""
        return {
            "consultation": self.pk,
            "party": self.party.organisation.short_name,
            "answer": self.answer,
            "text": self.answer_text,
            "answered_by": str(self.answered_by) if self.answered_by else None,
            "answered_at": self.answered_at.isoformat() if self.answered_at else None,
        }


class Decision(models.Model):
    """An append-only decision on one assessment: accept, reject or escalate."""

    class Outcome(models.TextChoices):
        ACCEPT = "accept", _("accept")
        REJECT = "reject", _("reject (back to re-work)")
        ESCALATE = "escalate", _("escalate")

    risk = models.ForeignKey(
        Risk, verbose_name=_("risk"), on_delete=models.CASCADE, related_name="decisions"
    )
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    deployment = models.ForeignKey(
        "deployments.Deployment", on_delete=models.CASCADE, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Not auto_now_add: an import or the demo may record an earlier decision.
    decided_at = models.DateTimeField(
        _("decided at"), default=timezone.now, editable=False
    )
    decided_for = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("in the name of"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    level = models.CharField(_("residual level decided on"), max_length=10)
    authority_required = models.JSONField(_("authority required"), default=dict)
    authority_held = models.CharField(_("authority held"), max_length=300, blank=True)
    parties_consulted = models.ManyToManyField(
        "deployments.Party",
        verbose_name=_("parties consulted"),
        blank=True,
        related_name="+",
    )
    escalated_to = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("escalated to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consultations = models.ManyToManyField(
        Consultation,
        verbose_name=_("answers the decision rests on"),
        blank=True,
        related_name="decisions",
    )
    consultation_record = models.JSONField(
        _("answers as they stood"), default=list, blank=True
    )
    consultation_note = models.TextField(
        _("consultation outside the system"),
        blank=True,
        help_text=_("Who was consulted, when and how."),
    )
    conditions = models.TextField(_("conditions"), blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    rationale = models.TextField(_("rationale"))

    objects = DeploymentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["risk", "-decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment"],
                condition=Q(outcome="accept"),
                name="one_acceptance_per_assessment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.risk.reference}: {self.get_outcome_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Decisions are append-only.")
        super().save(*args, **kwargs)
