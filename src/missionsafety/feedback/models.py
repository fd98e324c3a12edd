"""Feedback threads between parties, the notification inbox and e-mail choices."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missionsafety.core.models import (
    AttachmentBase,
    TimeStampedModel,
    VersionedModel,
)
from missionsafety.deployments.visibility import DeploymentScopedQuerySet


class ThreadQuerySet(DeploymentScopedQuerySet):
    def overdue(self, today: Any = None) -> ThreadQuerySet:
        """Threads still waiting for an answer after their due date."""
        return self.filter(
            status=Thread.Status.OPEN, due_date__lt=today or timezone.localdate()
        )


class Thread(VersionedModel):
    """A question or feedback from one party to another about one object."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("question")
        FEEDBACK = "feedback", _("feedback")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

    # Answering moves open → answered; a follow-up by the asker reopens it;
    # only the asker's party closes it.
    TRANSITIONS: dict[str, set[str]] = {
        Status.OPEN: {Status.ANSWERED, Status.CLOSED},
        Status.ANSWERED: {Status.OPEN, Status.CLOSED},
        Status.CLOSED: set(),
    }

    deployment = models.ForeignKey(
        "deployments.Deployment",
        verbose_name=_("deployment"),
        on_delete=models.CASCADE,
        related_name="threads",
    )
    from_party = models.ForeignKey(
        "deployments.Party",
        verbose_name=_("from party"),
        on_delete=models.PROTECT,
        related_name="threads_sent",
    )
    to_party = models.ForeignKey(
        "deployments.Party",
        verbose_name=_("to party"),
        on_delete=models.PROTECT,
        related_name="threads_received",
    )
    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("subject type"), on_delete=models.PROTECT
    )
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_label = models.CharField(_("about"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.QUESTION
    )
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("answer wanted by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="threads_opened",
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    last_message_at = models.DateTimeField(_("last message at"), default=timezone.now)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback thread")
        verbose_name_plural = _("feedback threads")
        ordering = ["-last_message_at", "-id"]
        indexes = [
            models.Index(fields=["deployment", "status"], name="thread_dep_status_idx"),
            models.Index(
                fields=["to_party", "status", "due_date"], name="thread_to_due_idx"
            ),
            models.Index(
                fields=["from_party", "status", "due_date"], name="thread_from_due_idx"
            ),
            models.Index(
                fields=["subject_type", "subject_id"], name="thread_subject_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == self.Status.OPEN
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


class Message(TimeStampedModel):
    """One contribution to a thread, by a person acting for a party."""

    thread = models.ForeignKey(
        Thread,
        verbose_name=_("thread"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    deployment = models.ForeignKey(
        "deployments.Deployment", on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    party = models.ForeignKey(
        "deployments.Party",
        verbose_name=_("for party"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.TextField(_("message"))
    idempotency_key = models.UUIDField(
        _("submission key"), unique=True, null=True, blank=True, editable=False
    )

    objects = DeploymentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["thread", "created_at", "id"]

    def __str__(self) -> str:
        return self.body[:80]


class MessageAttachment(AttachmentBase):
    """A photo or document sent with a message of a thread; seen by whoever
    sees the thread, served only through a checked view."""

    STORAGE_FOLDER = "threads"

    message = models.ForeignKey(
        Message,
        verbose_name=_("message"),
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
        ordering = ["message", "id"]


class NotificationKind(models.TextChoices):
    DECISION_AWAITING = "decision_awaiting", _("a decision awaiting me")
    RISK_ESCALATED = "risk_escalated", _("a risk escalated to me")
    ACCEPTANCE_EXPIRING = "acceptance_expiring", _("an acceptance about to expire")
    CONTROL_OVERDUE = "control_overdue", _("a control of my party overdue")
    CONTROL_ASSIGNED = "control_assigned", _("a control assigned to my party")
    SIGNATURE_REQUESTED = "signature_requested", _("an agreement to sign")
    OCCURRENCE_REPORTED = (
        "occurrence_reported",
        _("an occurrence reported on my deployment"),
    )
    SERIOUS_OCCURRENCE = (
        "serious_occurrence",
        _("a serious occurrence on my deployment"),
    )
    THREAD_TO_PARTY = "thread_to_party", _("a feedback thread to my party")
    THREAD_ANSWER = "thread_answer", _("an answer to my thread")
    REASSESSMENT = "reassessment_required", _("a risk of mine needs reassessment")
    CONSULTATION_REQUESTED = (
        "consultation_requested",
        _("a consultation request to my party"),
    )
    CONSULTATION_ANSWERED = (
        "consultation_answered",
        _("an answer to a consultation I requested"),
    )


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, user: Any) -> NotificationQuerySet:
        """Each person sees their own inbox, nobody else's."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient_id=user.pk)


class Notification(models.Model):
    """One message in a person's inbox, maybe also sent by e-mail.

    ``params`` hold what the title needs (references, titles, codes); never
    personal data of people involved in occurrences.
    """

    class MailStatus(models.TextChoices):
        NONE = "none", _("no e-mail")
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed, will retry")
        GAVE_UP = "gave_up", _("failed, given up")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    deployment = models.ForeignKey(
        "deployments.Deployment",
        verbose_name=_("deployment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField()
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    day = models.DateField(_("day"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    mail_status = models.CharField(
        _("e-mail"), max_length=10, choices=MailStatus.choices, default=MailStatus.NONE
    )
    mail_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    mail_error = models.CharField(_("last e-mail error"), max_length=300, blank=True)
    mail_changed_at = models.DateTimeField(null=True, blank=True)
    mail_sent_at = models.DateTimeField(_("e-mail sent at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Reminders run daily and may run twice: once per person, kind,
            # object and day.
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_type", "subject_id", "day"],
                name="notification_once_per_day",
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_unread_idx"),
            models.Index(
                fields=["recipient", "-created_at", "-id"], name="notif_inbox_idx"
            ),
            models.Index(fields=["mail_status"], name="notif_mail_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        from missionsafety.feedback.texts import notification_title

        return notification_title(self.kind, self.params)

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def mail_will_retry(self) -> bool:
        return self.mail_status == self.MailStatus.FAILED


class EmailPreference(models.Model):
    """Whether a person wants e-mail for one kind of notification."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="email_preferences",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    email = models.BooleanField(_("send e-mail"), default=True)

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_pref_once")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {'✓' if self.email else '✗'}"
