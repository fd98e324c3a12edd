"""Shared write helpers: versioned updates with an audit record."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change, to_json
from missionsafety.core.exceptions import ConflictError, ValidationError

M = TypeVar("M", bound=models.Model)


def submission_key(value: uuid.UUID | str | None) -> uuid.UUID | None:
    """The idempotency key of a submitted form or API call, or ``None``.

    A form sends the key it was given when it was opened; sending the same key
    again returns the first record instead of making a second one.
    """
    if not value:
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise ValidationError(
            {"idempotency_key": _("This submission key is not valid.")}
        ) from exc


def check_version(obj: models.Model, version: int | None) -> None:
    """Refuse an edit based on an older version of the object."""
    current = obj.version  # type: ignore[attr-defined]
    if version is not None and version != current:
        raise ConflictError(
            _(
                "Someone else changed this item since you opened it (your version "
                "%(yours)s, now %(current)s). Reload to see their change, then "
                "apply yours again."
            )
            % {"yours": version, "current": current},
            current_version=current,
        )


@transaction.atomic
def update_versioned(
    *,
    obj: M,
    actor: Any,
    version: int | None,
    changes: dict[str, Any],
    action: str = "update",
    exclude_from_clean: list[str] | None = None,
) -> M:
    """Apply field changes if ``version`` is current; record before and after.

    The update is conditional on the version in the database, so two editors
    working from the same version cannot both win.
    """
    check_version(obj, version)
    # full_clean lets an empty value through a field that may be blank, so a
    # None for a NOT NULL column would only fail in SQL.
    nulls = {
        name: [_("This field cannot be empty (null).")]
        for name, value in changes.items()
        if value is None and not getattr(obj._meta.get_field(name), "null", True)
    }
    if nulls:
        raise ValidationError(nulls)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    originals: dict[str, Any] = {}
    for name, value in changes.items():
        attname = _attname(obj, name)
        old = getattr(obj, attname)
        originals[attname] = old
        new_raw = value.pk if isinstance(value, models.Model) else value
        if old != new_raw:
            before[attname] = old
            after[attname] = new_raw
        setattr(obj, name, value)
    if not after:
        return obj
    model = type(obj)
    expected = obj.version  # type: ignore[attr-defined]
    now = _now()
    try:
        obj.full_clean(exclude=exclude_from_clean, validate_unique=True)
        updated = model._default_manager.filter(pk=obj.pk, version=expected).update(
            **{_attname(obj, n): getattr(obj, _attname(obj, n)) for n in changes}
            | {"version": F("version") + 1}
            | ({"updated_at": now} if hasattr(obj, "updated_at") else {})
        )
    except Exception:
        # Leave the caller's object as it was: a refused edit changes nothing.
        for attname, old in originals.items():
            setattr(obj, attname, old)
        raise
    if not updated:
        for attname, old in originals.items():
            setattr(obj, attname, old)
        fresh = model._default_manager.get(pk=obj.pk)
        raise ConflictError(
            _("Someone else changed this item at the same moment. Reload and retry."),
            current_version=fresh.version,  # type: ignore[attr-defined]
        )
    if hasattr(obj, "updated_at"):
        obj.updated_at = now
    obj.version = expected + 1  # type: ignore[attr-defined]
    record_change(actor=actor, obj=obj, action=action, before=before, after=after)
    return obj


def _attname(obj: models.Model, name: str) -> str:
    """The column attribute of a field (``parent_id`` for ``parent``)."""
    field = obj._meta.get_field(name)
    return str(getattr(field, "attname", name))


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()


def field_errors(error: ValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as ``{field: [messages]}`` (``__all__`` for general)."""
    if hasattr(error, "error_dict"):
        return {
            field: [str(m) for e in errors for m in e.messages]
            for field, errors in error.error_dict.items()
        }
    return {"__all__": [str(m) for m in error.messages]}


def check_all(*checks: Callable[[], object]) -> None:
    """Run every check; refuse once with all their errors, field by field, so
    that a form or an API client learns every problem in one answer."""
    errors: dict[str, list[str]] = {}
    for check in checks:
        try:
            check()
        except ValidationError as exc:
            for field, messages in field_errors(exc).items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def require_text(value: str | None, field: str, message: str) -> None:
    """Refuse an empty or blank text, with the message on its field."""
    if not (value or "").strip():
        raise ValidationError({field: message})


__all__ = [
    "check_all",
    "check_version",
    "field_errors",
    "require_text",
    "to_json",
    "update_versioned",
]
