"""Shared write helpers: submission keys, version checks, field errors.

The versioned update that also records its change lives with the audit trail
(``missionsafety.audit.versioning``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext as _

from missionsafety.core.exceptions import ConflictError, ValidationError


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
]
