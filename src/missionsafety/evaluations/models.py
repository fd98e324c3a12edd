"""Cooperation agreement (TVB/RACI), evaluation moments and the readiness gate."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missionsafety.core.i18n import BilingualNameMixin, ShippedTextsMixin, pick
from missionsafety.core.models import TimeStampedModel, VersionedModel
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


def validate_method(value: Any) -> None:
    """A method is ``{"questions": [{"key", "label": {nl, en}, "required"}],
    "participants": [party roles]}``."""
    if not isinstance(value, dict):
        raise ValidationError(_("The method must be a JSON object."))
    unknown = set(value) - {"questions", "participants", "instructions"}
    if unknown:
        raise ValidationError(
            _("Unknown keys in the method: %(keys)s.")
            % {"keys": ", ".join(sorted(unknown))}
        )
    questions = value.get("questions", [])
    if not isinstance(questions, list):
        raise ValidationError(_("“questions” must be a list."))
    keys: set[str] = set()
    for i, question in enumerate(questions, start=1):
        if not isinstance(question, dict):
            raise ValidationError(_("Question %(n)s must be an object.") % {"n": i})
        key = question.get("key")
        if not isinstance(key, str) or not key.isidentifier():
            raise ValidationError(
                _("Question %(n)s needs a “key” of letters, digits and _.") % {"n": i}
            )
        if key in keys:
            raise ValidationError(_("The key “%(key)s” is used twice.") % {"key": key})
        keys.add(key)
        label = question.get("label")
        if not (isinstance(label, str) and label) and not (
            isinstance(label, dict) and (label.get("nl") or label.get("en"))
        ):
            raise ValidationError(
                _("Question %(n)s needs a label (text or {nl, en}).") % {"n": i}
            )
        if not isinstance(question.get("required", False), bool):
            raise ValidationError(
                _("“required” of question %(n)s must be true or false.") % {"n": i}
            )
    participants = value.get("participants", [])
    if not isinstance(participants, list) or any(
        p not in PARTY_ROLES for p in participants
    ):
        raise ValidationError(
            _("“participants” must list party roles: %(roles)s.")
            % {"roles": ", ".join(sorted(PARTY_ROLES))}
        )


class EvaluationTemplate(BilingualNameMixin, models.Model):
    """A standard evaluation moment with its method and when it falls due."""

    class Trigger(models.TextChoices):
        DATE = "date", _("on a date relative to the deployment")
        PERIODIC = "periodic", _("periodic during the deployed period")
        OCCURRENCE = "occurrence", _("after a serious occurrence")
        ON_DEMAND = "on_demand", _("on demand (e.g. after an exercise)")

    class Anchor(models.TextChoices):
        PHASE_START = "phase_start", _("when its phase is entered")
        DEPLOYMENT_START = "deployment_start", _("start of deployment")
        DEPLOYMENT_MID = "deployment_mid", _("middle of the deployment")
        DEPLOYMENT_END = "deployment_end", _("end of deployment")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    method_nl = models.TextField(_("method (Dutch)"), blank=True)
    method_en = models.TextField(_("method (English)"), blank=True)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    trigger = models.CharField(_("trigger"), max_length=12, choices=Trigger.choices)
    anchor = models.CharField(
        _("anchor"),
        max_length=20,
        choices=Anchor.choices,
        default=Anchor.DEPLOYMENT_START,
    )
    offset_days = models.IntegerField(
        _("days after the anchor"),
        default=0,
        help_text=_("Negative for before the anchor."),
    )
    interval_days = models.PositiveIntegerField(
        _("repeat every (days)"), default=30, help_text=_("For periodic moments.")
    )
    due_within_days = models.PositiveIntegerField(
        _("due within (days)"),
        default=3,
        help_text=_("For moments after an occurrence or on demand."),
    )
    is_gate = models.BooleanField(
        _("readiness safety gate"),
        default=False,
        help_text=_("The board records go or no-go; needed to move to deployed."),
    )
    form = models.JSONField(
        _("form definition"),
        default=dict,
        validators=[validate_method],
        help_text=_(
            '{"questions": [{"key": "what_happened", "label": {"nl": "…", "en": '
            '"…"}, "required": true}], "participants": ["deployed_unit", …]}'
        ),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("evaluation template")
        verbose_name_plural = _("evaluation templates")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def method(self) -> str:
        from django.utils.translation import get_language

        lang = (get_language() or "nl")[:2]
        return (self.method_en if lang == "en" else self.method_nl) or self.method_nl

    @property
    def questions(self) -> list[dict[str, Any]]:
        return [
            {**q, "text": pick(q.get("label")), "required": bool(q.get("required"))}
            for q in (self.form or {}).get("questions", [])
        ]

    @property
    def participant_roles(self) -> list[str]:
        return list((self.form or {}).get("participants", []))

    @property
    def participant_role_labels(self) -> list[str]:
        """The party roles that take part, in the reader's language."""
        from missionsafety.deployments.models import Party

        labels = dict(Party.PartyRole.choices)
        return [str(labels.get(role, role)) for role in self.participant_roles]


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


class CalendarTokenQuerySet(models.QuerySet["CalendarToken"]):
    def active(self) -> CalendarTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class CalendarToken(models.Model):
    """A revocable link for a calendar client to one party's evaluation moments."""

    PREFIX = "cal_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_tokens",
    )
    party = models.ForeignKey(
        Party,
        verbose_name=_("party"),
        on_delete=models.CASCADE,
        related_name="calendar_tokens",
    )
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(_("hint"), max_length=12)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = CalendarTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.hint}…"
