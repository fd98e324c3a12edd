"""Risk matrices, the risk register, assessments, controls and decisions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missionsafety.core.i18n import BilingualNameMixin, ShippedTextsMixin, pick
from missionsafety.core.models import (
    AttachmentBase,
    TimeStampedModel,
    VersionedModel,
)
from missionsafety.deployments.visibility import DeploymentScopedQuerySet


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


class HazardCategory(BilingualNameMixin, models.Model):
    """A group of hazards, shared by the library, risks and lessons."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    class Meta:
        verbose_name = _("hazard category")
        verbose_name_plural = _("hazard categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Hazard(BilingualNameMixin, TimeStampedModel):
    """A standard hazard in the defence-wide library, with typical controls.

    ``typical_controls``: ``[{"kind": "engineer", "nl": "...", "en": "..."}]``.
    """

    category = models.ForeignKey(
        HazardCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    typical_cause = models.JSONField(_("typical cause"), default=dict)
    typical_consequence = models.JSONField(_("typical consequence"), default=dict)
    typical_controls = models.JSONField(_("typical controls"), default=list)
    active = models.BooleanField(_("active"), default=True)

    @property
    def description(self) -> str:
        return pick({"nl": self.description_nl, "en": self.description_en})

    class Meta:
        verbose_name = _("library hazard")
        verbose_name_plural = _("hazard library")
        ordering = ["category__code", "code"]

    def __str__(self) -> str:
        return self.name


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
        from django.utils import timezone

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


class Control(ShippedTextsMixin, VersionedModel):
    """A measure that lowers a risk, owned by a party (maybe not the risk's)."""

    # A typical control of the library reads in the reader's language.
    SHIPPED_TEXT_FIELDS = ("description",)

    class Kind(models.TextChoices):
        ELIMINATE = "eliminate", _("eliminate")
        SUBSTITUTE = "substitute", _("substitute")
        ENGINEER = "engineer", _("engineering control")
        ADMINISTRATE = "administrate", _("administrative control")
        PROTECT = "protect", _("personal protection")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IMPLEMENTED = "implemented", _("implemented")
        VERIFIED = "verified", _("verified")
        INEFFECTIVE = "ineffective", _("ineffective")

    TRANSITIONS: dict[str, set[str]] = {
        Status.PLANNED: {Status.IMPLEMENTED},
        Status.IMPLEMENTED: {Status.VERIFIED, Status.INEFFECTIVE},
        Status.VERIFIED: {Status.INEFFECTIVE},
        Status.INEFFECTIVE: {Status.PLANNED},
    }
    OPEN_STATUSES = (Status.PLANNED, Status.INEFFECTIVE)

    risk = models.ForeignKey(
        Risk, verbose_name=_("risk"), on_delete=models.CASCADE, related_name="controls"
    )
    deployment = models.ForeignKey(
        "deployments.Deployment", on_delete=models.CASCADE, related_name="+"
    )
    description = models.TextField(_("description"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    owner_party = models.ForeignKey(
        "deployments.Party",
        verbose_name=_("owner party"),
        on_delete=models.PROTECT,
        related_name="owned_controls",
    )
    implementer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("implementer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="implementing_controls",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True)
    status_note = models.TextField(_("status note"), blank=True)

    objects = DeploymentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("control")
        verbose_name_plural = _("controls")
        ordering = ["risk", "due_date", "id"]
        indexes = [
            # Overdue controls, earliest first: a range on due_date within the
            # deployment, ordered by it, the status read from the index.
            models.Index(
                fields=["deployment", "due_date", "status"], name="ctl_due_idx"
            ),
            models.Index(fields=["owner_party", "status"], name="ctl_owner_idx"),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        """Open and past its due date."""
        from django.utils import timezone

        return (
            self.is_open
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


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


def attachment_path(instance: RiskAttachment, filename: str) -> str:
    """An unguessable name; the original name is kept in the database."""
    from missionsafety.core.uploads import stored_name

    return stored_name("risks", filename)


class RiskAttachment(AttachmentBase):
    """A document or photo of a risk or one of its controls (a support plan, the
    evidence that a control was implemented), served only through a checked view."""

    STORAGE_FOLDER = "risks"

    risk = models.ForeignKey(
        Risk,
        verbose_name=_("risk"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    control = models.ForeignKey(
        Control,
        verbose_name=_("control"),
        null=True,
        blank=True,
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
        ordering = ["risk", "id"]
