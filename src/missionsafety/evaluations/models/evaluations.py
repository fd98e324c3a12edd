"""Evaluation moments, their participants, findings, actions and gate waivers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missionsafety.core.i18n import ShippedTextsMixin
from missionsafety.core.models import TimeStampedModel, VersionedModel
from missionsafety.deployments.models import Party, Phase
from missionsafety.deployments.visibility import DeploymentScopedQuerySet
from missionsafety.evaluations.models.templates import EvaluationTemplate


class EvaluationQuerySet(DeploymentScopedQuerySet):
    def overdue(self, today: Any = None) -> EvaluationQuerySet:
        today = today or timezone.localdate()
        return self.filter(status=Evaluation.Status.SCHEDULED, due_date__lt=today)


class Evaluation(ShippedTextsMixin, VersionedModel):
    """One evaluation moment of a deployment: scheduled, held, reported, closed."""

    # A scheduled moment is named after its template ("… 3" when periodic, "…:
    # <occurrence>" for a hot wash): that name reads in the reader's language.
    SHIPPED_TEXT_FIELDS = ("title", "skipped_reason")
    NUMBERED_TEXT_FIELDS = ("title",)

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        HELD = "held", _("held")
        REPORTED = "reported", _("reported")
        CLOSED = "closed", _("closed")
        SKIPPED = "skipped", _("skipped")

    TRANSITIONS: dict[str, set[str]] = {
        Status.SCHEDULED: {Status.HELD, Status.SKIPPED},
        Status.HELD: {Status.REPORTED},
        Status.REPORTED: {Status.CLOSED},
        Status.CLOSED: set(),
        Status.SKIPPED: set(),
    }
    DONE = (Status.HELD, Status.REPORTED, Status.CLOSED)

    class GateDecision(models.TextChoices):
        GO = "go", _("go")
        NO_GO = "no_go", _("no-go")

    deployment = models.ForeignKey(
        "deployments.Deployment",
        verbose_name=_("deployment"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    template = models.ForeignKey(
        EvaluationTemplate,
        verbose_name=_("moment"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    slot = models.PositiveIntegerField(
        _("slot"),
        null=True,
        blank=True,
        help_text=_("Number of a scheduled moment (1, 2, … for periodic ones)."),
    )
    title = models.CharField(_("title"), max_length=200)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED
    )
    trigger_ref = models.CharField(
        _("triggered by"),
        max_length=100,
        blank=True,
        help_text=_("The object that triggered it, e.g. a serious occurrence."),
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    gate_decision = models.CharField(
        _("go / no-go"), max_length=8, choices=GateDecision.choices, blank=True
    )
    gate_rationale = models.TextField(_("rationale of the board"), blank=True)
    gate_checklist = models.JSONField(
        _("checklist when the board met"), default=list, blank=True
    )
    report = models.TextField(_("report"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    skipped_reason = models.TextField(_("reason for skipping"), blank=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deployment", "template", "slot"],
                condition=Q(slot__isnull=False),
                name="evaluation_slot_unique",
            )
        ]
        indexes = [
            # Compliance per deployment counts status, due date and date held
            # from this index alone (PostgreSQL reads only the index when the
            # id is in it).
            models.Index(
                fields=["deployment", "status", "due_date", "held_on", "id"],
                name="eval_dep_timeliness_idx",
            ),
            models.Index(fields=["status", "due_date"], name="eval_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_date:%d-%m-%Y})"

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == self.Status.SCHEDULED
            and self.due_date < timezone.localdate()
        )

    @property
    def is_done(self) -> bool:
        return self.status in self.DONE

    @property
    def timeliness(self) -> str:
        """on_time, late, overdue, skipped or upcoming — for compliance."""
        if self.status == self.Status.SKIPPED:
            return "skipped"
        if self.is_done and self.held_on:
            return "on_time" if self.held_on <= self.due_date else "late"
        return "overdue" if self.is_overdue else "upcoming"

    @property
    def timeliness_label(self) -> str:
        return str(dict(TIMELINESS)[self.timeliness])


TIMELINESS = [
    ("on_time", _("held on time")),
    ("late", _("held late")),
    ("overdue", _("overdue")),
    ("skipped", _("skipped")),
    ("upcoming", _("upcoming")),
]


class EvaluationParticipant(models.Model):
    """A party that took part in a held evaluation, with who was there."""

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.CASCADE, related_name="+"
    )
    names = models.CharField(_("who took part"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "party"], name="participant_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.party_id}: {self.names}"


class Finding(TimeStampedModel):
    """Something an evaluation found; becomes an observation or an action."""

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="findings",
    )
    deployment = models.ForeignKey(
        "deployments.Deployment", on_delete=models.CASCADE, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("finding"))

    objects = DeploymentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["evaluation", "number"]

    def __str__(self) -> str:
        return self.text[:80]


class Action(VersionedModel):
    """Follow-up of a finding, owned by a party and a person, with a due date."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")

    TRANSITIONS: dict[str, set[str]] = {
        Status.OPEN: {Status.DONE},
        Status.DONE: {Status.OPEN},
    }

    deployment = models.ForeignKey(
        "deployments.Deployment", on_delete=models.CASCADE, related_name="+"
    )
    finding = models.ForeignKey(
        Finding,
        verbose_name=_("finding"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    description = models.TextField(_("action"))
    owner_party = models.ForeignKey(
        Party, verbose_name=_("owner party"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DeploymentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.description[:80]


class GateWaiver(models.Model):
    """The accountable commander's waiver to deploy past open gate items."""

    deployment = models.ForeignKey(
        "deployments.Deployment",
        verbose_name=_("deployment"),
        on_delete=models.CASCADE,
        related_name="gate_waivers",
    )
    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("gate"),
        on_delete=models.CASCADE,
        related_name="waivers",
    )
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("waived by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    waived_for = models.ForeignKey(
        Party,
        verbose_name=_("accountable party"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    rationale = models.TextField(_("rationale"))
    open_items = models.JSONField(_("open items waived"), default=list)
    created_at = models.DateTimeField(_("waived at"), auto_now_add=True)

    objects = DeploymentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("gate waiver")
        verbose_name_plural = _("gate waivers")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        label = _("Waiver")  # outside the f-string, where makemessages finds it
        return f"{label} {self.created_at:%d-%m-%Y}"
