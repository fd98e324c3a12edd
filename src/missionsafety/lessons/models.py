"""Observations in ODCR form, lessons drawn from them, and their search index.

Who sees an observation or a lesson (``visible_to``), decided in the query:

- the deployment's parties, by the normal deployment visibility, always;
- releasability "all of defence": everybody with a current membership;
- releasability "named organisations": members of those organisations and of
  the units below them up to their formation — the same climb as deployment
  visibility (a battalion of 11 LMB sees what is released to 11 LMB; 43
  MECHBRIG does not see what is released to Staf CLAS only);
- a lesson also to members of its action body and tasking authority, who
  must act on it;
- auditors see everything.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missionsafety.core.models import (
    AttachmentBase,
    VersionedModel,
)
from missionsafety.core.uploads import stored_name
from missionsafety.deployments.models import Phase
from missionsafety.deployments.visibility import (
    DeploymentScopedQuerySet,
    visible_deployment_ids,
)
from missionsafety.organisations.scope import (
    current_memberships,
    sees_everything,
    user_scope_ids,
)


class Releasability(models.TextChoices):
    PARTIES = "parties", _("the deployment's parties")
    DEFENCE = "defence", _("all of defence")
    ORGANISATIONS = "organisations", _("named organisations (and the parties)")


class Source(models.TextChoices):
    AAR = "aar", _("after action review")
    HOT_WASH = "hot_wash", _("hot wash")
    OCCURRENCE = "occurrence", _("occurrence")
    REVIEW = "review", _("periodic review")
    EVALUATION = "evaluation", _("evaluation")
    FEEDBACK = "feedback", _("feedback thread")
    OTHER = "other", _("other")


class Kind(models.TextChoices):
    ISSUE = "issue", _("issue")
    GOOD_PRACTICE = "good_practice", _("good practice")


def released_q(
    user: Any, *, through: Any, fk: str, extra_org_fields: tuple[str, ...] = ()
) -> Q:
    """The rows a user may see by deployment, releasability or named audience."""
    scope = user_scope_ids(user)
    q = Q(deployment_id__in=visible_deployment_ids(user))
    if current_memberships(user):
        q |= Q(releasability=Releasability.DEFENCE)
    if scope:
        q |= Q(
            releasability=Releasability.ORGANISATIONS,
            id__in=through.objects.filter(organisation_id__in=scope).values(fk),
        )
        for name in extra_org_fields:
            q |= Q(**{f"{name}_id__in": scope})
    return q


class Released(models.Model):
    """Hazard categories and who the row is released to beyond the parties."""

    categories = models.ManyToManyField(
        "risks.HazardCategory",
        verbose_name=_("hazard categories"),
        blank=True,
        related_name="%(class)ss",
    )
    releasability = models.CharField(
        _("releasability"),
        max_length=20,
        choices=Releasability.choices,
        default=Releasability.PARTIES,
    )
    released_to = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("released to"),
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


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


class SearchEntryQuerySet(models.QuerySet["SearchEntry"]):
    def visible_to(self, user: Any) -> SearchEntryQuerySet:
        """Entries of observations and lessons the user may see (same rules)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if sees_everything(user):
            return self
        scope = user_scope_ids(user)
        q = Q(deployment_id__in=visible_deployment_ids(user))
        if current_memberships(user):
            q |= Q(releasability=Releasability.DEFENCE)
        if scope:
            # The audience holds named organisations (if released to them) and
            # a lesson's action body and tasking authority.
            q |= Q(
                id__in=SearchEntry.audience.through.objects.filter(
                    organisation_id__in=scope
                ).values("searchentry_id")
            )
        return self.filter(q)


class SearchEntry(models.Model):
    """One observation or lesson as the search sees it, with its visibility.

    The full-text index is kept by the database: on SQLite an FTS5 table
    filled by triggers, on PostgreSQL a generated, GIN-indexed ``document``
    column (both created in migration 0002).
    """

    class Type(models.TextChoices):
        OBSERVATION = "observation", _("observation")
        LESSON = "lesson", _("lesson")

    type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    observation = models.OneToOneField(
        Observation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="search_entry",
    )
    lesson = models.OneToOneField(
        Lesson,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="search_entry",
    )
    deployment = models.ForeignKey(
        "deployments.Deployment", on_delete=models.CASCADE, related_name="+"
    )
    deployment_code = models.CharField(max_length=40)
    theatre = models.CharField(max_length=120)
    theatre_key = models.CharField(max_length=60, db_index=True)
    phase = models.CharField(max_length=20)
    status = models.CharField(max_length=20)
    kind = models.CharField(max_length=20, blank=True)
    categories = models.CharField(max_length=400, blank=True)  # "|code|code|"
    date = models.DateField()
    releasability = models.CharField(max_length=20)
    audience = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="+"
    )
    title = models.CharField(max_length=200)
    text = models.TextField()
    terms = models.TextField()

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["deployment"], name="search_dep_idx"),
            models.Index(fields=["releasability"], name="search_rel_idx"),
            # Date windows of a common word's matches (PostgreSQL: ANDed with
            # the full-text index's bitmap; the list index is too wide).
            models.Index(fields=["date"], name="search_date_idx"),
            # The newest first with the columns of facets, filters and
            # visibility: a search without words reads only this index.
            models.Index(
                fields=[
                    "date",
                    "id",
                    "type",
                    "kind",
                    "phase",
                    "status",
                    "theatre",
                    "theatre_key",
                    "deployment",
                    "releasability",
                    "categories",
                ],
                name="search_list_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title
