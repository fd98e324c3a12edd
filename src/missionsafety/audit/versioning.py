"""Versioned updates with their change record: one way to edit a versioned row."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change
from missionsafety.core.exceptions import ConflictError, ValidationError
from missionsafety.core.services import check_version

M = TypeVar("M", bound=models.Model)


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
