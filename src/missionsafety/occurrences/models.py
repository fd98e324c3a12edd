"""Occurrence reports (voorvallen), their investigation, people and attachments."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from missionsafety.core.models import (
    AttachmentBase,
    TimeStampedModel,
    VersionedModel,
)
from missionsafety.core.uploads import stored_name
from missionsafety.deployments.visibility import DeploymentScopedQuerySet

CATEGORY_MIN, CATEGORY_MAX = 0, 4
# DESIGN.md §3: "category 3 or higher, or potential severity critical or worse"
# forces reassessment. We map the potential category onto matrix severity:
# potential category 4 ≈ catastrophic (I), 3 ≈ critical (II), 2 ≈ moderate (III),
# 0–1 ≈ negligible (IV). So "critical or worse" is potential category ≥ 3.
SERIOUS_CATEGORY = 3

category_validators = [
    MinValueValidator(CATEGORY_MIN, _("Categories run from 0 to 4.")),
    MaxValueValidator(CATEGORY_MAX, _("Categories run from 0 to 4.")),
]


class OccurrenceCategory(models.Model):
    """One step of the 0–4 category scale, with its definition (editable)."""

    number = models.PositiveSmallIntegerField(
        _("category"), unique=True, validators=category_validators
    )
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    definition_nl = models.TextField(_("definition (Dutch)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)

    class Meta:
        verbose_name = _("occurrence category")
        verbose_name_plural = _("occurrence categories")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} — {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "nl")[:2] == "en" else self.name_nl

    @property
    def definition(self) -> str:
        if (get_language() or "nl")[:2] == "en":
            return self.definition_en or self.definition_nl
        return self.definition_nl


class Occurrence(VersionedModel):
    """Something that happened: an unsafe situation, near miss, incident or accident."""

    class Kind(models.TextChoices):
        UNSAFE_SITUATION = "unsafe_situation", _("unsafe situation")
        NEAR_MISS = "near_miss", _("near miss")
        INCIDENT = "incident", _("incident")
        ACCIDENT = "accident", _("accident")

    class Status(models.TextChoices):
        REPORTED = "reported", _("reported")
        TRIAGED = "triaged", _("triaged")
        INVESTIGATING = "investigating", _("investigating")
        ACTIONS_OPEN = "actions_open", _("actions open")
        CLOSED = "closed", _("closed")

    class InvestigationLevel(models.TextChoices):
        UNIT = "unit", _("unit investigation")
        BOARD = "board", _("board of inquiry")
        INSPECTORATE = "inspectorate", _("inspectorate (IVD)")

    TRANSITIONS: dict[str, set[str]] = {
        Status.REPORTED: {Status.TRIAGED},
        Status.TRIAGED: {Status.INVESTIGATING, Status.ACTIONS_OPEN, Status.CLOSED},
        Status.INVESTIGATING: {Status.ACTIONS_OPEN, Status.CLOSED},
        Status.ACTIONS_OPEN: {Status.INVESTIGATING, Status.CLOSED},
        Status.CLOSED: set(),
    }

    deployment = models.ForeignKey(
        "deployments.Deployment",
        verbose_name=_("deployment"),
        on_delete=models.CASCADE,
        related_name="occurrences",
    )
    occurred_at = models.DateTimeField(_("when"))
    place = models.CharField(_("where"), max_length=200)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    unit = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="occurrences",
    )
    activity = models.CharField(_("activity"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("short title"), max_length=200)
    actual_category = models.PositiveSmallIntegerField(
        _("actual category"), validators=category_validators
    )
    potential_category = models.PositiveSmallIntegerField(
        _("potential category"), validators=category_validators
    )
    category_confirmed = models.BooleanField(_("category confirmed"), default=False)
    injuries = models.TextField(
        _("injuries"),
        blank=True,
        help_text=_("Number and nature of injuries, without names."),
    )
    damage = models.TextField(_("damage"), blank=True)
    ammunition_involved = models.BooleanField(
        _("ammunition or explosives involved"), default=False
    )
    immediate_actions = models.TextField(_("immediate actions"), blank=True)
    description = models.TextField(_("what happened"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REPORTED
    )
    investigation_level = models.CharField(
        _("investigation level"),
        max_length=20,
        choices=InvestigationLevel.choices,
        blank=True,
    )
    triage_note = models.TextField(_("triage note"), blank=True)
    risks = models.ManyToManyField(
        "risks.Risk",
        verbose_name=_("linked risks"),
        blank=True,
        related_name="occurrences",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="reported_occurrences",
    )
    idempotency_key = models.UUIDField(
        _("submission key"), unique=True, null=True, blank=True, editable=False
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = DeploymentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        ordering = ["-occurred_at", "-id"]
        # The lists are newest first, filtered by deployment (or the user's
        # deployments) and at most a few of kind, category, status and
        # ammunition: an index per filter that also serves the ordering, so a
        # page and its (capped) count read only matching rows.
        indexes = [
            models.Index(
                fields=["deployment", "-occurred_at", "-id"], name="occ_dep_when_idx"
            ),
            # The other filter columns trail, so that a combination of filters
            # is checked in the index without reading rows.
            models.Index(
                fields=[
                    "deployment",
                    "status",
                    "-occurred_at",
                    "-id",
                    "kind",
                    "actual_category",
                    "ammunition_involved",
                ],
                name="occ_dep_status_when_idx",
            ),
            models.Index(
                fields=[
                    "deployment",
                    "kind",
                    "-occurred_at",
                    "-id",
                    "actual_category",
                    "status",
                    "ammunition_involved",
                ],
                name="occ_dep_kind_when_idx",
            ),
            models.Index(
                fields=[
                    "deployment",
                    "actual_category",
                    "-occurred_at",
                    "-id",
                    "kind",
                    "status",
                    "ammunition_involved",
                ],
                name="occ_dep_cat_when_idx",
            ),
            models.Index(
                fields=["deployment", "-occurred_at", "-id"],
                condition=models.Q(ammunition_involved=True),
                name="occ_dep_ammo_when_idx",
            ),
            # Across deployments (auditors, and users with many deployments):
            # the deployment is in the index so that visibility is checked
            # without reading the row.
            models.Index(
                fields=["-occurred_at", "-id", "deployment"], name="occ_when_dep_idx"
            ),
            models.Index(
                fields=["kind", "-occurred_at", "-id"], name="occ_kind_when_idx"
            ),
            models.Index(
                fields=["actual_category", "-occurred_at", "-id"],
                name="occ_cat_when_idx",
            ),
            models.Index(
                fields=["status", "-occurred_at", "-id"], name="occ_status_when_idx"
            ),
            models.Index(
                fields=["-occurred_at", "-id"],
                condition=models.Q(ammunition_involved=True),
                name="occ_ammo_when_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(actual_category__lte=CATEGORY_MAX)
                & models.Q(potential_category__lte=CATEGORY_MAX),
                name="occurrence_category_in_scale",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"V-{self.pk or 0:05d}"

    @property
    def is_serious(self) -> bool:
        """Category 3 or more, actual or potential (see SERIOUS_CATEGORY)."""
        return max(self.actual_category, self.potential_category) >= SERIOUS_CATEGORY

    @property
    def max_category(self) -> int:
        return max(self.actual_category, self.potential_category)

    def allowed_statuses(self) -> list[str]:
        order = list(self.Status.values)
        return sorted(self.TRANSITIONS[self.status], key=order.index)


def month_of(moment: Any) -> Any:
    """The first day of the month (local time) of a moment: a trend bucket."""
    from django.utils import timezone

    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.date().replace(day=1)


class OccurrenceMonth(models.Model):
    """How many occurrences a deployment had in a month, per kind.

    Kept by the services (report, edit, triage) so that the trend panels read
    a few rows instead of counting occurrences; rebuilt from the occurrences
    by ``services.rebuild_month_counts`` (and the migration that added it).
    Months are calendar months in the site's time zone.
    """

    deployment = models.ForeignKey(
        "deployments.Deployment", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"))
    kind = models.CharField(_("kind"), max_length=20, choices=Occurrence.Kind.choices)
    total = models.PositiveIntegerField(_("occurrences"), default=0)
    serious = models.PositiveIntegerField(_("serious occurrences"), default=0)

    objects = DeploymentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("occurrences per month")
        verbose_name_plural = _("occurrences per month")
        constraints = [
            models.UniqueConstraint(
                fields=["deployment", "month", "kind"], name="occ_month_once"
            )
        ]
        indexes = [models.Index(fields=["month"], name="occ_month_idx")]

    def __str__(self) -> str:
        return f"{self.deployment_id} {self.month:%Y-%m} {self.kind}: {self.total}"


class OccurrenceAction(TimeStampedModel):
    """A follow-up action of an investigation, with owner and due date."""

    occurrence = models.ForeignKey(
        Occurrence,
        verbose_name=_("occurrence"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    deployment = models.ForeignKey(
        "deployments.Deployment", on_delete=models.CASCADE, related_name="+"
    )
    description = models.TextField(_("action"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="occurrence_actions",
    )
    due_date = models.DateField(_("due date"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_note = models.TextField(_("result"), blank=True)

    objects = DeploymentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("occurrence action")
        verbose_name_plural = _("occurrence actions")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class PersonInvolved(TimeStampedModel):
    """Personal data of someone involved: visible to few, purged after retention."""

    occurrence = models.ForeignKey(
        Occurrence,
        verbose_name=_("occurrence"),
        on_delete=models.CASCADE,
        related_name="persons",
    )
    deployment = models.ForeignKey(
        "deployments.Deployment", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    role_in_occurrence = models.CharField(
        _("involvement"),
        max_length=120,
        blank=True,
        help_text=_("For example: driver, casualty, witness."),
    )
    medical_details = models.TextField(_("medical details"), blank=True)

    objects = DeploymentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("person involved")
        verbose_name_plural = _("people involved")
        ordering = ["occurrence", "id"]

    def __str__(self) -> str:
        # Never the name: this string ends up in the audit trail.
        return f"{_('person involved')} #{self.pk}"


def attachment_path(instance: Attachment, filename: str) -> str:
    """An unguessable name; the original name is kept in the database."""
    return stored_name("occurrences", filename)


class Attachment(AttachmentBase):
    """A photo or document of an occurrence, served only through a checked view."""

    STORAGE_FOLDER = "occurrences"

    occurrence = models.ForeignKey(
        Occurrence,
        verbose_name=_("occurrence"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    deployment = models.ForeignKey(
        "deployments.Deployment", on_delete=models.CASCADE, related_name="+"
    )

    objects = DeploymentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["occurrence", "id"]

    def delete_file(self) -> Any:
        if self.file:
            self.file.delete(save=False)
