"""Change records in words, in the reader's language: field labels, choice
labels, the names of what foreign keys and references ("occurrences.occurrence:11")
point at, and the objects' own names as they read now."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from missionsafety.audit.models import ACTION_LABELS, ChangeRecord
from missionsafety.core.i18n import pick, shipped_text

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


# A stored reference to an object: "occurrences.occurrence:11".
RAW_REFERENCE = re.compile(r"^([a-z_]+)\.([a-z_]+):(\d+)$")


def parse_reference(value: Any) -> tuple[type[models.Model], int] | None:
    """The model and primary key of a stored reference, if it is one."""
    match = RAW_REFERENCE.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    try:
        model = apps.get_model(match[1], match[2])
    except LookupError:
        return None
    return model, int(match[3])


# Keys whose value is a list of rows (lists); per column, the model
# ("app_label.model") whose numbers it holds, or None. Apps register theirs.
ROW_COLUMNS: dict[str, tuple[str | None, ...]] = {}


def register_rows(key: str, *columns: str | None) -> None:
    """Render ``key`` as rows whose numbered columns name objects of models:
    ``register_rows("cells", "evaluations.processstep", "deployments.party",
    None, None)``."""
    ROW_COLUMNS[key] = columns


def _row_models(key: str) -> list[type[models.Model] | None]:
    return [apps.get_model(c) if c else None for c in ROW_COLUMNS.get(key, ())]


def _rows(key: str, value: Any) -> Iterator[list[Any]]:
    if key in ROW_COLUMNS and isinstance(value, list):
        yield from (row for row in value if isinstance(row, list))


def _referenced(record: ChangeRecord) -> Iterator[tuple[type[models.Model], int]]:
    """The objects that the record names: its own object, and those of its
    foreign keys (and many-to-many lists) and stored references."""
    model = record.content_type.model_class()
    if model is not None and str(record.object_id).isdigit():
        yield model, int(record.object_id)
    for data in (record.before or {}, record.after or {}):
        for key, value in data.items():
            ref = parse_reference(value)
            if ref is not None:
                yield ref
                continue
            row_models = _row_models(key)
            for row in _rows(key, value):
                for target, cell in zip(row_models, row, strict=False):
                    if target is not None and _is_pk(cell):
                        yield target, cell
            field = _field(model, key)
            target = field.related_model if field is not None else None
            if not isinstance(target, type):
                continue
            for pk in value if isinstance(value, list) else [value]:
                if _is_pk(pk):
                    yield target, pk


def references(
    records: Iterable[ChangeRecord],
    user: Any = None,
    known: Iterable[models.Model] = (),
) -> References:
    """Labels of every object the records refer to: one query per model named
    (plus one when some are gone or hidden), not one per row.

    Objects the user may not see read as their number only; objects that no
    longer exist as "#13 (deleted)".
    """
    labels: References = {(type(obj), obj.pk): str(obj) for obj in known}
    wanted: dict[type[models.Model], set[int]] = defaultdict(set)
    for record in records:
        for target, pk in _referenced(record):
            if (target, pk) not in labels:
                wanted[target].add(pk)
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
    field: models.Field[Any, Any] | None,
    value: Any,
    refs: References | None = None,
    key: str = "",
) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if key in ROW_COLUMNS and isinstance(value, list):
        row_models = _row_models(key)
        return "; ".join(
            " · ".join(
                (refs or {}).get((target, cell), f"#{cell}")
                if target is not None and _is_pk(cell)
                else shipped_text(str(cell), numbered=True)
                for target, cell in zip(row_models, row, strict=False)
                if cell not in (None, "")
            )
            for row in _rows(key, value)
        )
    ref = parse_reference(value)
    if ref is not None:
        return reference_label(*ref, refs)
    if _bilingual(value):
        return _value(None, pick(value), refs)
    if (
        isinstance(value, list)
        and value
        and all(isinstance(v, dict) and "label" in v for v in value)
    ):
        # Items such as a gate checklist: "label: detail" in the reader's language.
        return "; ".join(
            f"{pick(v['label'])}: {pick(v.get('detail', ''))}".rstrip(": ")
            for v in value
        )
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
    # Defaults and library texts (moment names, task texts) as the reader reads.
    if isinstance(value, list):
        return ", ".join(shipped_text(str(v), numbered=True) for v in value)
    return shipped_text(str(value), numbered=True)


def _bilingual(value: Any) -> bool:
    """Stored in both languages: ``{"nl": …, "en": …}``."""
    return isinstance(value, dict) and set(value) == {"nl", "en"}


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
                "before": _value(field, before.get(key), refs, key),
                "after": _value(field, after.get(key), refs, key)
                if key in after
                else "—",
            }
        )
    return rows


def reference_label(
    model: type[models.Model], pk: int, refs: References | None = None
) -> str:
    """ "Occurrence V-00011 Boxer gekanteld": the kind of object in the
    reader's language and what it is called (or its number)."""
    kind = capfirst(str(model._meta.verbose_name))
    label = (refs or {}).get((model, pk)) or f"#{pk}"
    return f"{kind} {label}"


def reference_link(ref: str, user: Any) -> dict[str, str] | None:
    """A stored reference as a label and, where the user may see it, a link:
    ``{"label": "Occurrence V-00011 …", "url": "/occurrences/11/"}``."""
    parsed = parse_reference(ref)
    if parsed is None:
        return None
    model, pk = parsed
    queryset = model._default_manager.all()
    if hasattr(queryset, "visible_to"):
        queryset = queryset.visible_to(user)
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        return {"label": reference_label(model, pk), "url": ""}
    url = ""
    try:
        url = reverse(f"{model._meta.app_label}:detail", args=[pk])
    except NoReverseMatch:
        url = getattr(obj, "get_absolute_url", lambda: "")()
    return {"label": reference_label(model, pk, {(model, pk): str(obj)}), "url": url}


def model_label(record: ChangeRecord) -> str:
    """The kind of object a record is about, in the reader's language."""
    model = record.content_type.model_class()
    if model is None:
        return record.content_type.model.replace("_", " ")
    return capfirst(str(model._meta.verbose_name))


def object_label(record: ChangeRecord, refs: References | None = None) -> str:
    """The record's object as it is called now in the reader's language, else
    as it was called when the record was made."""
    model = record.content_type.model_class()
    if model is not None and str(record.object_id).isdigit():
        label = (refs or {}).get((model, int(record.object_id)))
        if label and not label.startswith("#"):
            return label
    return record.object_repr


def action_text(record: ChangeRecord) -> str:
    """``status:endorsed`` → "status changed: endorsed" in the reader's language."""
    action, _sep, detail = record.action.partition(":")
    if not detail:
        return record.action_label
    field = _field(record.content_type.model_class(), "status")
    return f"{ACTION_LABELS.get(action, _('status changed'))}: {_value(field, detail)}"


def with_changes(
    records: Any, user: Any = None, known: Iterable[models.Model] = ()
) -> list[ChangeRecord]:
    """Attach ``changes`` and ``action_text`` to each record of a page, foreign
    keys named by what they refer to (as far as ``user`` may see it)."""
    records = list(records)
    refs = references(records, user, known)
    for record in records:
        record.changes = describe(record, refs)  # type: ignore[attr-defined]
        record.action_text = action_text(record)  # type: ignore[attr-defined]
        record.object_label = object_label(record, refs)  # type: ignore[attr-defined]
        ct = record.content_type
        record.object_url = reverse(  # type: ignore[attr-defined]
            "audit:history", args=[f"{ct.app_label}.{ct.model}", record.object_id]
        )
    return records
