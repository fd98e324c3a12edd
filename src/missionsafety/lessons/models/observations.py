"""Observations (ODCR), their states and their attachments."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missionsafety.core.models import AttachmentBase, VersionedModel
from missionsafety.core.uploads import stored_name
from missionsafety.deployments.models import Phase
from missionsafety.deployments.visibility import DeploymentScopedQuerySet
from missionsafety.lessons.models.releasability import (
    Kind,
    Released,
    Source,
    released_q,
)
from missionsafety.organisations.scope import sees_everything


class ObservationQuerySet(DeploymentScopedQuerySet):
    def visible_to(self, user: Any) -> ObservationQuerySet:  # type: ignore[override]
        """Observations the user may see by deployment or releasability."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if sees_everything(user):
            return self
        return self.filter(
            released_q(
                user, through=Observation.released_to.through, fk="observation_id"
            )
        )


class Observation(Released, VersionedModel):
    """One lesson candidate in ODCR form: observation, discussion, conclusion,
    recommendation."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("rejected")
        IN_ANALYSIS = "in_analysis", _("in analysis")

    deployment = models.ForeignKey(
        "deployments.Deployment",
        verbose_name=_("deployment"),
        on_delete=models.CASCADE,
        related_name="observations",
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    observed_on = models.DateField(_("observed on"), default=timezone.localdate)
    title = models.CharField(_("title"), max_length=200)
    observation = models.TextField(
        _("observation"), help_text=_("What happened: facts only, no opinions.")
    )
    discussion = models.TextField(
        _("discussion"), blank=True, help_text=_("Why it happened; what it means.")
    )
    conclusion = models.TextField(_("conclusion"), blank=True)
    recommendation = models.TextField(
        _("recommendation"), blank=True, help_text=_("What should be done, by whom.")
    )
    originator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("originator"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="observations",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation of the originator"),
        on_delete=models.PROTECT,
        related_name="observations",
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_type = models.ForeignKey(
        ContentType,
        verbose_name=_("source object type"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_id = models.CharField(_("source object id"), max_length=40, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.ISSUE
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    idempotency_key = models.UUIDField(
        _("submission key"), unique=True, null=True, blank=True, editable=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    status_reason = models.TextField(_("reason"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lesson = models.ForeignKey(
        "Lesson",
        verbose_name=_("lesson"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observations",
    )

    objects = ObservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["deployment", "status"], name="obs_dep_status_idx"),
            models.Index(fields=["source_type", "source_id"], name="obs_source_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"W-{self.pk or 0:05d}"


# Which ODCR parts an observation needs in each state (enforced by the services).
REQUIRED_PARTS: dict[str, tuple[str, ...]] = {
    Observation.Status.SUBMITTED: ("title", "observation"),
    Observation.Status.REJECTED: ("title", "observation"),
    Observation.Status.VERIFIED: (
        "title",
        "observation",
        "discussion",
        "conclusion",
        "recommendation",
    ),
    Observation.Status.IN_ANALYSIS: (
        "title",
        "observation",
        "discussion",
        "conclusion",
        "recommendation",
    ),
}

# The moves an observation may make, and who makes them (see services).
OBSERVATION_TRANSITIONS: dict[str, set[str]] = {
    Observation.Status.SUBMITTED: {
        Observation.Status.VERIFIED,
        Observation.Status.REJECTED,
    },
    Observation.Status.REJECTED: {Observation.Status.SUBMITTED},
    Observation.Status.VERIFIED: {Observation.Status.IN_ANALYSIS},
    Observation.Status.IN_ANALYSIS: set(),
}


def attachment_path(instance: Attachment, filename: str) -> str:
    """An unguessable name; the original name is kept in the database."""
    return stored_name(f"lessons/{instance.observation_id}", filename)


class AttachmentQuerySet(models.QuerySet["Attachment"]):
    def visible_to(self, user: Any) -> AttachmentQuerySet:
        return self.filter(observation__in=Observation.objects.visible_to(user))


class Attachment(AttachmentBase):
    """A small file kept with an observation, outside the database."""

    observation = models.ForeignKey(
        Observation,
        verbose_name=_("observation"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    # The name the file had: called ``name`` here since the first version.
    original_name = None  # type: ignore[assignment]
    name = models.CharField(_("name"), max_length=200)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at"]

    def storage_folder(self) -> str:
        return f"lessons/{self.observation_id}"

    @property
    def filename(self) -> str:
        return str(self.name)

    @property
    def deployment_id(self) -> int:
        return self.observation.deployment_id
