"""A field instance and its home: identities, change log, bundles, conflicts."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Instance(models.Model):
    """One instance of the product: this one (``is_self``) or a peer it syncs with."""

    class Role(models.TextChoices):
        HOME = "home", _("home")
        FIELD = "field", _("field")

    uuid = models.UUIDField(_("instance id"), unique=True, default=uuid.uuid4)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    name = models.CharField(_("name"), max_length=200)
    is_self = models.BooleanField(_("this instance"), default=False)
    # The deployment a field instance holds (on home: the peer's deployment).
    deployment = models.ForeignKey(
        "deployments.Deployment",
        verbose_name=_("deployment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    number = models.PositiveIntegerField(_("number block"), default=0)
    public_key = models.CharField(_("public key"), max_length=64)
    # Only for this instance: the Ed25519 signing key (hex).
    private_key = models.CharField(_("signing key"), max_length=64, blank=True)
    # On home, for a field peer: the SHA-256 of its sync token.
    token_hash = models.CharField(_("token hash"), max_length=64, blank=True)
    # On a field instance, for its home peer: where to sync and the token.
    url = models.URLField(_("address"), blank=True)
    token = models.CharField(_("token"), max_length=100, blank=True)
    sent_seq = models.PositiveIntegerField(_("last bundle sent"), default=0)
    # The audit trail is the outgoing change log: what came after this
    # sequence has not gone to this peer yet.
    audit_seq = models.PositiveBigIntegerField(_("audit sent up to"), default=0)
    # On a field instance: the last bundle home confirmed over HTTPS.
    acked_seq = models.PositiveIntegerField(_("last bundle confirmed"), default=0)
    received_seq = models.PositiveIntegerField(_("last bundle applied"), default=0)
    last_sync_at = models.DateTimeField(_("last sync"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("instance")
        verbose_name_plural = _("instances")
        constraints = [
            models.UniqueConstraint(
                fields=["is_self"],
                condition=models.Q(is_self=True),
                name="field_one_self_instance",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class Identity(models.Model):
    """The stable id of a record that travels, beside its local primary key."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.BigIntegerField()
    uuid = models.UUIDField(unique=True, default=uuid.uuid4)
    origin = models.ForeignKey(
        Instance, on_delete=models.PROTECT, related_name="+", null=True
    )
    # The primary key on the instance that made the record (its number there).
    origin_pk = models.BigIntegerField(null=True, blank=True)
    deployment_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("record identity")
        verbose_name_plural = _("record identities")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="field_identity_object"
            )
        ]

    def __str__(self) -> str:
        return str(self.uuid)


class Shadow(models.Model):
    """The state of a record both sides last agreed on, per peer (the merge base)."""

    peer = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="+")
    identity = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["peer", "identity"], name="field_shadow_per_peer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.peer_id}:{self.identity_id}"


class SentBundle(models.Model):
    """A bundle made for a peer, kept so that a lost file or a cut transfer
    can be sent again unchanged (same sequence number)."""

    peer = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="+")
    seq = models.PositiveIntegerField()
    data = models.BinaryField()
    changes = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sent bundle")
        verbose_name_plural = _("sent bundles")
        constraints = [
            models.UniqueConstraint(fields=["peer", "seq"], name="field_sent_once")
        ]

    def __str__(self) -> str:
        return f"{self.peer_id}#{self.seq}"


class PendingReference(models.Model):
    """A reference of an applied record to one that has not arrived yet
    (a later batch); filled in when it arrives."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.BigIntegerField()
    field = models.CharField(max_length=100)
    target = models.CharField(max_length=36)

    def __str__(self) -> str:
        return f"{self.object_id}.{self.field}"


class AppliedBundle(models.Model):
    """A bundle this instance applied: its sender, sequence and digest."""

    sender = models.ForeignKey(Instance, on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveIntegerField()
    digest = models.CharField(max_length=64)
    changes = models.PositiveIntegerField(default=0)
    conflicts = models.PositiveIntegerField(default=0)
    applied_at = models.DateTimeField(auto_now_add=True)
    via = models.CharField(max_length=10, default="file")

    class Meta:
        verbose_name = _("applied bundle")
        verbose_name_plural = _("applied bundles")
        constraints = [
            models.UniqueConstraint(fields=["sender", "seq"], name="field_bundle_once")
        ]

    def __str__(self) -> str:
        return f"{self.sender_id}#{self.seq}"


class Conflict(models.Model):
    """A field changed on both sides since the last sync, or a field decision
    to review; both values are kept until a safety officer resolves it."""

    class Kind(models.TextChoices):
        FIELD = "field", _("same field changed on both sides")
        SUPERSEDED = "superseded", _("decision on a superseded assessment")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RESOLVED = "resolved", _("resolved")

    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.FIELD
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    deployment = models.ForeignKey(
        "deployments.Deployment",
        verbose_name=_("deployment"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.BigIntegerField()
    object_repr = models.CharField(_("record"), max_length=300)
    field = models.CharField(_("field"), max_length=100, blank=True)
    local_value = models.JSONField(_("value here"), null=True, blank=True)
    local_actor = models.CharField(_("changed here by"), max_length=200, blank=True)
    local_at = models.DateTimeField(_("changed here at"), null=True, blank=True)
    remote_value = models.JSONField(_("value received"), null=True, blank=True)
    remote_actor = models.CharField(_("changed there by"), max_length=200)
    remote_at = models.DateTimeField(_("changed there at"), null=True, blank=True)
    peer = models.ForeignKey(
        Instance, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    bundle_seq = models.PositiveIntegerField(_("bundle"))
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_value = models.JSONField(_("value kept"), null=True, blank=True)

    class Meta:
        verbose_name = _("sync conflict")
        verbose_name_plural = _("sync conflicts")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.object_repr}: {self.field or self.get_kind_display()}"
