"""Resolving a sync conflict: the value kept becomes an ordinary change."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change
from missionsafety.field.models import (
    Conflict,
    Identity,
    Shadow,
)
from missionsafety.field.travel import (
    Codec,
    Identities,
)

RESOLVE_ROLES = ("safety_officer",)


@transaction.atomic
def conflict_resolve(
    *, actor: Any, conflict: Conflict, choice: str, value: Any = None
) -> Conflict:
    """Keep one value (``local``, ``remote`` or one entered as ``value``).

    The kept value becomes a change like any other, so the peer receives it
    in the next bundle and its own copy of the conflict closes.
    """
    from django.core.exceptions import ValidationError

    from missionsafety.deployments.visibility import require
    from missionsafety.organisations.scope import require_writer

    require_writer(actor)
    require(actor, conflict.deployment, *RESOLVE_ROLES)
    conflict = Conflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.status != Conflict.Status.OPEN:
        raise ValidationError({"choice": _("This conflict is already resolved.")})
    if choice not in ("local", "remote", "value", "keep"):
        raise ValidationError({"choice": _("Choose which value to keep.")})
    model = conflict.content_type.model_class()
    assert model is not None
    obj = model._base_manager.get(pk=conflict.object_id)
    if conflict.kind == Conflict.Kind.SUPERSEDED:
        kept: Any = conflict.remote_value
    else:
        if choice == "local":
            kept = conflict.local_value
        elif choice == "remote":
            kept = conflict.remote_value
        else:
            kept = value
        _write_field(obj, conflict, kept, actor)
    Conflict.objects.filter(pk=conflict.pk).update(
        status=Conflict.Status.RESOLVED,
        resolved_by=actor,
        resolved_at=timezone.now(),
        resolved_value=kept,
    )
    record_change(
        actor=actor,
        obj=conflict,
        action="resolve_conflict",
        before={"local": conflict.local_value, "remote": conflict.remote_value},
        after={"kept": kept, "choice": choice},
        deployment_id=conflict.deployment_id,
    )
    conflict.refresh_from_db()
    return conflict


def _write_field(obj: models.Model, conflict: Conflict, kept: Any, actor: Any) -> None:
    from django.core.exceptions import ValidationError

    model = type(obj)
    model_field = model._meta.get_field(conflict.field)
    ids = Identities(None, None)
    codec = Codec(ids)
    if model_field.is_relation and not isinstance(kept, dict | None):
        raise ValidationError({"value": _("Pick one of the two values.")})
    attrs, m2m, missing = codec.decode(model, {conflict.field: kept})
    if missing:
        raise ValidationError({"value": _("That record is not held here.")})
    if not model_field.is_relation:
        try:
            value = attrs[conflict.field]
            model_field.clean(value, obj)  # type: ignore[union-attr]
        except ValidationError as exc:
            raise ValidationError({"value": exc.messages}) from None
    before = codec.encode(obj).get(conflict.field)
    # The peer still holds its own value: that is the base of the change it
    # will receive, so that it applies there cleanly.
    identity = Identity.objects.filter(
        content_type=conflict.content_type, object_id=conflict.object_id
    ).first()
    if identity is not None:
        shadow, _created = Shadow.objects.get_or_create(
            peer=conflict.peer, identity=identity
        )
        shadow.data = {**shadow.data, conflict.field: conflict.remote_value}
        shadow.save(update_fields=["data"])
    if any(f.name == "version" for f in model._meta.concrete_fields):
        attrs["version"] = F("version") + 1
    model._base_manager.filter(pk=obj.pk).update(**attrs)
    for name, pks in m2m.items():
        getattr(obj, name).set(pks)
    obj.refresh_from_db()
    record_change(
        actor=actor,
        obj=obj,
        action="update",
        before={conflict.field: before},
        after={conflict.field: kept},
    )
