"""Every write to organisations, people, memberships and tokens."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change, snapshot
from missionsafety.audit.versioning import update_versioned
from missionsafety.core.exceptions import ValidationError
from missionsafety.organisations.models import (
    ApiToken,
    Membership,
    Organisation,
    User,
    hash_token,
)
from missionsafety.organisations.scope import forget_memberships


def _require_admin(actor: Any) -> None:
    from missionsafety.core.exceptions import NotAllowed
    from missionsafety.organisations.scope import current_memberships

    if actor is None or getattr(actor, "is_superuser", False):
        return
    if not any(m.role == "administrator" for m in current_memberships(actor)):
        raise NotAllowed(_("Only administrators manage organisations and people."))


@transaction.atomic
def organisation_create(
    *,
    actor: Any,
    name: str,
    short_name: str,
    kind: str,
    echelon: int,
    parent: Organisation | None = None,
) -> Organisation:
    """Create an organisation under a parent in the tree."""
    _require_admin(actor)
    if parent is not None and parent.is_archived:
        raise ValidationError({"parent": _("The parent organisation is archived.")})
    org = Organisation(
        name=name.strip(),
        short_name=short_name.strip(),
        kind=kind,
        echelon=echelon,
        parent=parent,
    )
    org.full_clean(exclude=["path"])
    org.save()
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    Organisation.objects.filter(pk=org.pk).update(path=org.path)
    record_change(actor=actor, obj=org, action="create", after=snapshot(org))
    return org


@transaction.atomic
def organisation_update(
    *, actor: Any, organisation: Organisation, version: int | None, **changes: Any
) -> Organisation:
    """Rename or reclassify an organisation (moving it in the tree is not offered)."""
    _require_admin(actor)
    allowed = {"name", "short_name", "kind", "echelon"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({f: _("This field cannot be changed.") for f in unknown})
    return update_versioned(
        obj=organisation, actor=actor, version=version, changes=changes
    )


@transaction.atomic
def organisation_archive(
    *, actor: Any, organisation: Organisation, version: int | None
) -> Organisation:
    """Archive an organisation: it stays in history but takes no new part."""
    _require_admin(actor)
    return update_versioned(
        obj=organisation,
        actor=actor,
        version=version,
        changes={"status": Organisation.Status.ARCHIVED},
        action="archive",
    )


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    rank: str = "",
) -> User:
    """Create a person who can log in."""
    _require_admin(actor)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        rank=rank,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    record_change(
        actor=actor,
        obj=user,
        action="create",
        after=snapshot(
            user, ["username", "first_name", "last_name", "email", "rank", "is_active"]
        ),
    )
    return user


@transaction.atomic
def membership_create(
    *,
    actor: Any,
    user: User,
    organisation: Organisation,
    role: str,
    title: str = "",
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> Membership:
    """Give a person a role in an organisation, optionally for a window."""
    _require_admin(actor)
    if organisation.is_archived:
        raise ValidationError(
            {
                "organisation": _(
                    "The organisation is archived; it takes no new members."
                )
            }
        )
    membership = Membership(
        user=user,
        organisation=organisation,
        role=role,
        title=title,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    membership.full_clean()
    if valid_from and valid_until and valid_until < valid_from:
        raise ValidationError(
            {"valid_until": _("The end of the window lies before its start.")}
        )
    membership.save()
    forget_memberships(user)
    record_change(
        actor=actor, obj=membership, action="create", after=snapshot(membership)
    )
    return membership


@transaction.atomic
def token_create(*, actor: Any, user: User, name: str = "api") -> str:
    """Issue a personal API token; the raw value is shown once, only its hash kept."""
    raw = ApiToken.generate()
    days = settings.API_TOKEN_DAYS
    token = ApiToken.objects.create(
        user=user,
        name=name[:100] or "api",
        key_hash=hash_token(raw),
        hint=raw[:8],
        expires_at=timezone.now() + datetime.timedelta(days=days) if days else None,
    )
    record_change(
        actor=actor or user,
        obj=token,
        action="create",
        after={
            "user": user.pk,
            "name": token.name,
            "hint": token.hint,
            "expires_at": token.expires_at,
        },
    )
    return raw


@transaction.atomic
def token_revoke(*, actor: Any, token: ApiToken, reason: str = "") -> ApiToken:
    """Revoke a token so that it no longer authenticates."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        after: dict[str, Any] = {"revoked_at": token.revoked_at}
        if reason:
            after["reason"] = reason
        record_change(
            actor=actor,
            obj=token,
            action="revoke",
            before={"revoked_at": None},
            after=after,
        )
    return token


LAST_USED_EVERY = datetime.timedelta(minutes=1)


def token_authenticate(raw: str) -> User | None:
    """The active user behind a raw token, or None for an unknown or revoked one."""
    if not raw or not raw.startswith(ApiToken.PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(key_hash=hash_token(raw))
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # At most one write a minute per token: enough to show when it was last used.
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def password_changed(*, user: User, actor: Any = None) -> None:
    """Record a password change (never the password) and revoke the user's tokens.

    A token made before the change may be what leaked with the old password.
    """
    actor = actor or user
    record_change(actor=actor, obj=user, action="change_password")
    for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True):
        token_revoke(actor=actor, token=token, reason="password_changed")


def _language_code(language: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return (language or "")[:2] if (language or "")[:2] in codes else ""


@transaction.atomic
def user_language_set(*, actor: Any, user: User, language: str) -> User:
    """Choose the language of one's pages, e-mails and reminders; an empty
    choice follows the browser again (as it is at the next log-in)."""
    if actor is None or actor.pk != user.pk:
        from missionsafety.core.exceptions import NotAllowed

        raise NotAllowed(_("Only you choose your language."))
    code = _language_code(language)
    if language and not code:
        raise ValidationError({"language": _("Choose Dutch or English.")})
    before = {"language": user.language, "language_chosen": user.language_chosen}
    user.language_chosen = bool(code)
    if code:
        user.language = code
    after = {"language": user.language, "language_chosen": user.language_chosen}
    if after != before:
        User.objects.filter(pk=user.pk).update(**after)
        record_change(
            actor=actor, obj=user, action="update", before=before, after=after
        )
    return user


def user_language_seen(*, user: User, language: str) -> None:
    """At log-in: remember the browser's language of a person who has not
    chosen one, so that e-mails and reminders follow it. Bookkeeping of the
    log-in like ``last_login``: no change record."""
    code = _language_code(language)
    if user.language_chosen or not code or user.language == code:
        return
    user.language = code
    User.objects.filter(pk=user.pk).update(language=code)
