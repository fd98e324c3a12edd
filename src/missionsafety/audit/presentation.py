"""Change records in words: field labels and choice labels instead of raw names."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from missionsafety.audit.models import ACTION_LABELS, ChangeRecord

# Bookkeeping columns that tell a reader nothing.
HIDDEN = {"id", "created_at", "updated_at"}

# Keys that services record besides model fields, and fields whose model
# leaves them without a translated name.
LABELS = {
    "answer": gettext_lazy("answer"),
    "answers": gettext_lazy("answers"),
    "assessment": gettext_lazy("assessment"),
    "authority": gettext_lazy("authority"),
    "cells": gettext_lazy("cells"),
    "consultation_note": gettext_lazy("consultation outside the system"),
    "created": gettext_lazy("created"),
    "created_by": gettext_lazy("created by"),
    "decided_at": gettext_lazy("decided at"),
    "decided_for": gettext_lazy("decided for"),
    "decision": gettext_lazy("decision"),
    "deployment": gettext_lazy("deployment"),
    "echelon": gettext_lazy("echelon"),
    "findings": gettext_lazy("findings"),
    "from_version": gettext_lazy("from version"),
    "inherent": gettext_lazy("inherent"),
    "level": gettext_lazy("level"),
    "moved": gettext_lazy("moved"),
    "note": gettext_lazy("note"),
    "observations": gettext_lazy("observations"),
    "participants": gettext_lazy("participants"),
    "parties": gettext_lazy("parties"),
    "parties_consulted": gettext_lazy("parties consulted"),
    "party": gettext_lazy("party"),
    "path": gettext_lazy("path"),
    "person": gettext_lazy("person"),
    "rationale": gettext_lazy("rationale"),
    "reason": gettext_lazy("reason"),
    "residual": gettext_lazy("residual"),
    "sequence": gettext_lazy("sequence"),
    "signed_as": gettext_lazy("signed as"),
    "signed_by": gettext_lazy("signed by"),
    "text": gettext_lazy("text"),
    "valid_until": gettext_lazy("valid until"),
}


def _field(model: type[models.Model] | None, key: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    for name in (key, key.removesuffix("_id")):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, models.Field):
            return field
    return None


# (referenced model, primary key) → how the referenced object reads
References = dict[tuple[type[models.Model], Any], str]


def _is_pk(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _referenced(record: ChangeRecord) -> Iterator[tuple[type[models.Model], int]]:
    """The objects that the record's foreign keys (and many-to-many lists) name."""
    model = record.content_type.model_class()
    for data in (record.before or {}, record.after or {}):
        for key, value in data.items():
            field = _field(model, key)
            target = field.related_model if field is not None else None
            if not isinstance(target, type):
                continue
            for pk in value if isinstance(value, list) else [value]:
                if _is_pk(pk):
                    yield target, pk


def references(records: Iterable[ChangeRecord], user: Any = None) -> References:
    """Labels of every object the records refer to: one query per model named
    (plus one when some are gone or hidden), not one per row.

    Objects the user may not see read as their number only; objects that no
    longer exist as "#13 (deleted)".
    """
    wanted: dict[type[models.Model], set[int]] = defaultdict(set)
    for record in records:
        for target, pk in _referenced(record):
            wanted[target].add(pk)
    labels: References = {}
    for target, pks in wanted.items():
        queryset = target._default_manager.all()
        if user is not None and hasattr(queryset, "visible_to"):
            queryset = queryset.visible_to(user)
        # One level of joins: what __str__ of a party, assessment or decision reads.
        joined = [f.name for f in target._meta.concrete_fields if f.many_to_one]
        found = {
            obj.pk: str(obj)
            for obj in queryset.select_related(*joined).filter(pk__in=pks)
        }
        missing = pks - set(found)
        hidden = set(
            target._base_manager.filter(pk__in=missing).values_list("pk", flat=True)
            if missing
            else ()
        )
        for pk in pks:
            if pk in found:
                labels[(target, pk)] = found[pk]
            elif pk in hidden:
                labels[(target, pk)] = f"#{pk}"
            else:
                labels[(target, pk)] = _("#%(pk)s (deleted)") % {"pk": pk}
    return labels


def _value(
    field: models.Field[Any, Any] | None, value: Any, refs: References | None = None
) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    target = field.related_model if field is not None else None
    if refs is not None and isinstance(target, type):
        pks = value if isinstance(value, list) else [value]
        if pks and all(_is_pk(pk) for pk in pks):
            return ", ".join(refs.get((target, pk), f"#{pk}") for pk in pks)
    if field is not None and field.choices:
        labels = {str(k): v for k, v in field.flatchoices}
        if isinstance(value, list):
            return ", ".join(str(labels.get(str(v), v)) for v in value)
        return str(labels.get(str(value), value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def describe(
    record: ChangeRecord, refs: References | None = None
) -> list[dict[str, Any]]:
    """The record's changes as rows of (label, before, after), in the reader's
    language where the model knows the field; foreign keys read as the objects
    they name when ``refs`` (from ``references``) has them."""
    model = record.content_type.model_class()
    before = record.before or {}
    after = record.after or {}
    rows = []
    for key in list(after) + [k for k in before if k not in after]:
        if key in HIDDEN:
            continue
        if key in before and key in after and before[key] == after[key]:
            continue  # unchanged: a full snapshot before and after
        if key not in before and after.get(key) in (None, "", [], {}):
            continue  # created empty
        field = _field(model, key)
        label: Any = LABELS.get(key) or LABELS.get(key.removesuffix("_id"))
        if label is None:
            label = field.verbose_name if field else key.replace("_", " ")
        rows.append(
            {
                "key": key,
                "label": str(label),
                "changed": key in before,
                "before": _value(field, before.get(key), refs),
                "after": _value(field, after.get(key), refs) if key in after else "—",
            }
        )
    return rows


def action_text(record: ChangeRecord) -> str:
    """``status:endorsed`` → "status changed: endorsed" in the reader's language."""
    action, _sep, detail = record.action.partition(":")
    if not detail:
        return record.action_label
    field = _field(record.content_type.model_class(), "status")
    return f"{ACTION_LABELS.get(action, _('status changed'))}: {_value(field, detail)}"


def with_changes(records: Any, user: Any = None) -> list[ChangeRecord]:
    """Attach ``changes`` and ``action_text`` to each record of a page, foreign
    keys named by what they refer to (as far as ``user`` may see it)."""
    records = list(records)
    refs = references(records, user)
    for record in records:
        record.changes = describe(record, refs)  # type: ignore[attr-defined]
        record.action_text = action_text(record)  # type: ignore[attr-defined]
        ct = record.content_type
        record.object_url = reverse(  # type: ignore[attr-defined]
            "audit:history", args=[f"{ct.app_label}.{ct.model}", record.object_id]
        )
    return records
