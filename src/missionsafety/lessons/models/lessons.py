"""Lessons, their states, their uses and their reviews."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missionsafety.core.models import VersionedModel
from missionsafety.deployments.visibility import DeploymentScopedQuerySet
from missionsafety.lessons.models.observations import Observation
from missionsafety.lessons.models.releasability import Released, released_q
from missionsafety.organisations.scope import sees_everything


class LessonQuerySet(DeploymentScopedQuerySet):
    def visible_to(self, user: Any) -> LessonQuerySet:  # type: ignore[override]
        """Lessons the user may see by releasability, or must act on."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if sees_everything(user):
            return self
        return self.filter(
            released_q(
                user,
                through=Lesson.released_to.through,
                fk="lesson_id",
                extra_org_fields=("action_body", "tasking_authority"),
            )
        )


class Lesson(Released, VersionedModel):
    """What is done about one or more observations, until validated."""

    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("identified")
        ENDORSED = "endorsed", _("endorsed")
        TASKED = "tasked", _("tasked")
        IMPLEMENTED = "implemented", _("implemented")
        VALIDATED = "validated", _("validated (lesson learned)")
        CLOSED = "closed", _("closed without action")

    deployment = models.ForeignKey(
        "deployments.Deployment",
        verbose_name=_("deployment"),
        on_delete=models.CASCADE,
        related_name="lessons",
    )
    title = models.CharField(_("title"), max_length=200)
    identified_on = models.DateField(_("identified on"), default=timezone.localdate)
    root_cause = models.TextField(_("root cause"), blank=True)
    remedial_action = models.TextField(_("remedial action"), blank=True)
    action_body = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("action body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lessons_to_act_on",
        help_text=_("The organisation that carries out the remedial action."),
    )
    tasking_authority = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("tasking authority"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lessons_tasked",
        help_text=_("Its commander endorses the lesson and tasks the action body."),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    validation_evidence = models.TextField(_("validation evidence"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IDENTIFIED
    )
    status_reason = models.TextField(_("reason of the last step"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("identified by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = LessonQuerySet.as_manager()

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="lesson_status_due_idx"),
            # A deployment's lessons by state, and its overdue remedial actions.
            models.Index(
                fields=["deployment", "status", "due_date"], name="lesson_dep_due_idx"
            ),
            # An action body's overdue remedial actions (organisation page).
            models.Index(
                fields=["action_body", "status", "due_date"],
                name="lesson_body_due_idx",
            ),
            # Earlier rotations' lessons, newest first, with the visibility
            # columns: the deployment page's panel sorts thousands of them
            # without reading their texts.
            models.Index(
                fields=[
                    "deployment",
                    "status",
                    "identified_on",
                    "releasability",
                    "action_body",
                    "tasking_authority",
                ],
                name="lesson_dep_list_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"L-{self.pk or 0:05d}"


LS = Lesson.Status
# The moves a lesson may make. Who makes each one is in services.LESSON_MOVES.
LESSON_TRANSITIONS: dict[str, set[str]] = {
    LS.IDENTIFIED: {LS.ENDORSED, LS.CLOSED},
    LS.ENDORSED: {LS.TASKED, LS.CLOSED},
    LS.TASKED: {LS.IMPLEMENTED, LS.CLOSED},
    LS.IMPLEMENTED: {LS.VALIDATED, LS.TASKED, LS.CLOSED},
    LS.VALIDATED: set(),
    LS.CLOSED: set(),
}
OPEN_ACTION_STATES = {LS.ENDORSED, LS.TASKED}


class LessonUse(models.Model):
    """An observation or lesson taken into account on a risk of a later deployment."""

    risk = models.ForeignKey(
        "risks.Risk",
        verbose_name=_("risk"),
        on_delete=models.CASCADE,
        related_name="lesson_uses",
    )
    deployment = models.ForeignKey(
        "deployments.Deployment",
        verbose_name=_("deployment"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    observation = models.ForeignKey(
        Observation,
        verbose_name=_("observation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="uses",
    )
    lesson = models.ForeignKey(
        Lesson,
        verbose_name=_("lesson"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="uses",
    )
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = DeploymentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("lesson taken into account")
        verbose_name_plural = _("lessons taken into account")
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(observation__isnull=False, lesson__isnull=True)
                | Q(observation__isnull=True, lesson__isnull=False),
                name="lessonuse_one_target",
            ),
            models.UniqueConstraint(
                fields=["risk", "observation"], name="lessonuse_once_per_observation"
            ),
            models.UniqueConstraint(
                fields=["risk", "lesson"], name="lessonuse_once_per_lesson"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.risk} ← {self.observation or self.lesson}"


class LessonReview(models.Model):
    """A lesson of an earlier rotation explicitly reviewed for a deployment."""

    deployment = models.ForeignKey(
        "deployments.Deployment",
        verbose_name=_("deployment"),
        on_delete=models.CASCADE,
        related_name="lesson_reviews",
    )
    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = DeploymentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("lesson reviewed")
        verbose_name_plural = _("lessons reviewed")
        constraints = [
            models.UniqueConstraint(
                fields=["deployment", "lesson"], name="lessonreview_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deployment_id} ← {self.lesson}"
