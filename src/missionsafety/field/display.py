"""A sync conflict as a person reads it: the field's name in their language,
values as the pages show them (choice labels, names, formatted dates), who
changed each side and when."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from missionsafety.field.models import Conflict
from missionsafety.field.travel import Codec, Identities

EMPTY = "—"


@dataclass
class Side:
    value: str
    actor: str
    at: datetime.datetime | None
    place: str


@dataclass
class ConflictView:
    conflict: Conflict
    record: str
    field: str
    here: Side
    there: Side


def _model_field(conflict: Conflict) -> models.Field[Any, Any] | None:
    model = conflict.content_type.model_class()
    if model is None or not conflict.field:
        return None
    try:
        found = model._meta.get_field(conflict.field)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def field_label(conflict: Conflict) -> str:
    """The field's verbose name, as the record's form calls it."""
    found = _model_field(conflict)
    if found is None:
        return conflict.get_kind_display() if not conflict.field else conflict.field
    return str(capfirst(found.verbose_name))


def _object_name(model: Any, pk: Any) -> str | None:
    if model is None or pk is None:
        return None
    obj = model._base_manager.filter(pk=pk).first()
    return str(obj) if obj is not None else None


def _reference(codec: Codec, model: Any, value: Any) -> str:
    pk = codec._resolve(model, value)
    name = _object_name(model, pk)
    if name is not None:
        return name
    if isinstance(value, dict) and value.get("r"):
        return " ".join(str(v) for v in value["r"])
    return _("a record not held here")


def show_value(conflict: Conflict, value: Any, codec: Codec | None = None) -> str:
    """One side's value as the pages show it."""
    if value is None or value == "" or value == []:
        return EMPTY
    found = _model_field(conflict)
    if found is None:
        return str(value)
    codec = codec or Codec(Identities(None, None))
    if found.many_to_many:
        names = [_reference(codec, found.related_model, v) for v in value]
        return ", ".join(sorted(names)) or EMPTY
    if found.is_relation:
        return _reference(codec, found.related_model, value)
    if found.choices:
        labels = {str(k): v for k, v in found.flatchoices}
        return str(labels.get(str(value), value))
    if isinstance(found, models.BooleanField):
        return str(_("yes") if value else _("no"))
    if isinstance(found, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return str(formats.date_format(moment, "DATETIME_FORMAT"))
    if isinstance(found, models.DateField):
        day = parse_date(str(value))
        if day is not None:
            return str(formats.date_format(day, "DATE_FORMAT"))
    if isinstance(found, models.DecimalField | models.FloatField):
        return str(formats.localize(value))
    return str(value)


def _person(label: str) -> str:
    """A username as the person's name, when this instance knows them."""
    from missionsafety.organisations.models import User

    if not label:
        return EMPTY
    user = User.objects.filter(username=label).first()
    return str(user) if user is not None else label


def describe(conflict: Conflict, codec: Codec | None = None) -> ConflictView:
    """Both sides of a conflict, ready for the page."""
    codec = codec or Codec(Identities(None, None))
    return ConflictView(
        conflict=conflict,
        record=conflict.object_repr,
        field=field_label(conflict),
        here=Side(
            value=show_value(conflict, conflict.local_value, codec),
            actor=conflict.local_actor or EMPTY,
            at=conflict.local_at,
            place=_("here"),
        ),
        there=Side(
            value=show_value(conflict, conflict.remote_value, codec),
            actor=_person(conflict.remote_actor),
            at=conflict.remote_at,
            place=conflict.peer.name,
        ),
    )


def describe_all(conflicts: Any) -> list[ConflictView]:
    codec = Codec(Identities(None, None))
    return [describe(c, codec) for c in conflicts]
