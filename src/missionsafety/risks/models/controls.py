"""Controls that lower a risk, and files attached to a risk."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missionsafety.core.i18n import ShippedTextsMixin
from missionsafety.core.models import AttachmentBase, VersionedModel
from missionsafety.deployments.visibility import DeploymentScopedQuerySet
from missionsafety.risks.models.register import Risk


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

        return (
            self.is_open
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


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
