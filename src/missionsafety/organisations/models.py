"""Organisations in a tree, the people in them and their roles."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missionsafety.core.models import VersionedModel

if TYPE_CHECKING:
    from collections.abc import Iterable


class User(AbstractUser):
    """A person who logs in; their place in the organisation is in memberships."""

    rank = models.CharField(_("rank"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of pages, e-mails and reminders."),
    )
    language_chosen = models.BooleanField(
        _("language chosen"),
        default=False,
        help_text=_("Chosen on the settings page; otherwise the browser's choice."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    @property
    def display_name(self) -> str:
        name = self.get_full_name() or self.username
        return f"{self.rank} {name}".strip() if self.rank else name

    def __str__(self) -> str:
        return self.display_name

    @property
    def preferred_language(self) -> str:
        """The language to write to this person in: chosen, else the browser's
        at the last log-in, else the site's default."""
        codes = {code for code, _name in settings.LANGUAGES}
        return self.language if self.language in codes else settings.LANGUAGE_CODE


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def active(self) -> OrganisationQuerySet:
        return self.filter(status=Organisation.Status.ACTIVE)

    def visible_to(self, user: User) -> OrganisationQuerySet:
        """Every signed-in user may see the organisation tree."""
        if not user.is_authenticated:
            return self.none()
        return self


class Organisation(VersionedModel):
    """A unit or staff, placed in the command tree by its parent."""

    class Kind(models.TextChoices):
        JOINT_HQ = "joint_hq", _("joint headquarters")
        ARMY_STAFF = "army_staff", _("army staff")
        BRIGADE = "brigade", _("brigade")
        BATTALION = "battalion", _("battalion")
        COMPANY = "company", _("company")
        DEPARTMENT = "department", _("department")
        INSPECTORATE = "inspectorate", _("inspectorate")
        OTHER = "other", _("other")

    class Echelon(models.IntegerChoices):
        TEAM = 10, _("team / section")
        PLATOON = 20, _("platoon")
        COMPANY = 30, _("company")
        BATTALION = 40, _("battalion / task force")
        BRIGADE = 50, _("brigade")
        DIVISION = 60, _("division")
        SERVICE = 70, _("service command (army)")
        JOINT = 80, _("joint command")
        DEFENCE = 90, _("defence staff (CDS)")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        ARCHIVED = "archived", _("archived")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    echelon = models.PositiveSmallIntegerField(
        _("echelon"), choices=Echelon.choices, default=Echelon.COMPANY
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of ids ("/1/4/9/") so ancestors and subtrees cost one query.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="/")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.short_name

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to and including this organisation."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    @property
    def depth(self) -> int:
        return max(len(self.ancestor_ids) - 1, 0)

    @property
    def is_archived(self) -> bool:
        return self.status == self.Status.ARCHIVED


class Role(models.TextChoices):
    VIEWER = "viewer", _("viewer")
    CONTRIBUTOR = "contributor", _("contributor")
    SAFETY_OFFICER = "safety_officer", _("safety officer")
    LESSONS_OFFICER = "lessons_officer", _("lessons officer")
    COMMANDER = "commander", _("commander")
    AUDITOR = "auditor", _("auditor")
    ADMINISTRATOR = "administrator", _("administrator")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self, on: object = None) -> MembershipQuerySet:
        """Memberships valid on a date (today by default)."""
        day = on or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        )

    def visible_to(self, user: User) -> MembershipQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self


class Membership(VersionedModel):
    """A person's role in an organisation, optionally for a window (acting)."""

    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    title = models.CharField(
        _("function title"),
        max_length=120,
        blank=True,
        help_text=_("For example: Commander 13 Light Brigade, or acting commander."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty for a standing appointment; set it for an acting one."
        ),
    )

    objects = MembershipQuerySet.as_manager()

    def valid_on(self, day: datetime.date) -> bool:
        """Whether the membership holds on the day (``current()`` in Python)."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or self.valid_until >= day
        )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__path", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="membership_window_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"

    def is_valid_on(self, day: object = None) -> bool:
        day = day or timezone.localdate()
        if self.valid_from and self.valid_from > day:  # type: ignore[operator]
            return False
        return not (self.valid_until and self.valid_until < day)  # type: ignore[operator]


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        """Tokens that authenticate: not revoked, not expired, of an active user."""
        return self.filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now()),
            revoked_at__isnull=True,
            user__is_active=True,
        )


class ApiToken(models.Model):
    """A personal API token; only its hash is stored."""

    PREFIX = "ms_"

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="tokens"
    )
    name = models.CharField(_("name"), max_length=100, default="api")
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(_("hint"), max_length=12)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def generate(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


def organisation_ids_with_ancestors(orgs: Iterable[Organisation]) -> set[int]:
    ids: set[int] = set()
    for org in orgs:
        ids.update(org.ancestor_ids)
    return ids
