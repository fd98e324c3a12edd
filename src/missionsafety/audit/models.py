"""The append-only, hash-chained audit trail."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

# Labels of the actions written by the foundation's services.
ACTION_LABELS = {
    "create": _("created"),
    "update": _("changed"),
    "archive": _("archived"),
    "move_phase": _("phase moved"),
    "revoke": _("revoked"),
    "change_password": _("password changed"),
    "assess": _("assessed"),
    "accept": _("accepted"),
    "reject": _("rejected"),
    "escalate": _("escalated"),
    "consultation_request": _("consultation requested"),
    "consultation_answer": _("consultation answered"),
    "report": _("reported"),
    "triage": _("triaged"),
    "transition": _("status changed"),
    "status": _("status changed"),
    "submit": _("submitted"),
    "sign": _("signed"),
    "hold": _("held"),
    "skip": _("skipped"),
    "waive": _("waived"),
    "close": _("closed"),
    "open": _("opened"),
    "answer": _("answered"),
    "group": _("grouped"),
    "link_risks": _("risks linked"),
    "require_reassessment": _("reassessment required"),
    "schedule_evaluations": _("evaluations scheduled"),
    "new_version": _("new version"),
    "in_force": _("in force"),
    "supersede": _("superseded"),
    "add_person": _("person added"),
    "remove_person": _("person removed"),
    "add_attachment": _("attachment added"),
    "attach": _("attachment added"),
    "reschedule": _("rescheduled"),
    "complete": _("completed"),
    "purge_personal_data": _("personal data removed"),
}


class ChangeRecordQuerySet(models.QuerySet["ChangeRecord"]):
    def for_object(self, obj: models.Model) -> ChangeRecordQuerySet:
        ct = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=ct, object_id=str(obj.pk))

    def delete(self) -> Any:
        raise ValueError("Change records are append-only.")


class ChangeRecord(models.Model):
    """One append-only audit row: who changed what, when, from what to what."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        # The id is part of the record's hash: deleting the person must not
        # rewrite it (there is no database constraint to violate).
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(_("actor"), max_length=200)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("object type"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    deployment_id = models.BigIntegerField(_("deployment id"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=60)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    objects = ChangeRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        ordering = ["seq"]
        indexes = [
            # A deployment's records in order; its last one tells whether
            # what was derived from the deployment (risks.history) still holds.
            models.Index(fields=["deployment_id", "seq"], name="audit_dep_seq_idx"),
            # A model's last record anywhere (kept panels' ``also``).
            models.Index(fields=["content_type", "seq"], name="audit_type_seq_idx"),
            models.Index(
                fields=["content_type", "object_id", "seq"], name="audit_obj_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Change records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Change records are append-only.")

    @property
    def action_label(self) -> str:
        """The action in the reader's language (other apps' actions as recorded)."""
        action, _sep, detail = self.action.partition(":")
        label = str(ACTION_LABELS.get(action, action.replace("_", " ")))
        return f"{label}: {detail.replace('_', ' ')}" if detail else label


class AuditHead(models.Model):
    """The single row holding the chain's last sequence and hash (the lock)."""

    last_seq = models.PositiveBigIntegerField(_("last sequence"), default=0)
    last_hash = models.CharField(_("last hash"), max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"
