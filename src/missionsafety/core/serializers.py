"""JSON fixtures (``dumpdata``/``loaddata``) that keep the ids the audit trail names.

With ``--natural-primary`` Django leaves out the id of every model that has a
natural key, so a move numbers people afresh: a person whose id followed a gap
(someone deleted, or a sequence that moved on, as PostgreSQL's do) comes back
under another id. Change records name their actor and object by id, and the
actor's id is part of the record's hash, so the chain broke at that person's
first record. Here every model keeps its id except the two that ``migrate``
creates itself (object types and permissions), which are still matched by
their natural key.
"""

from __future__ import annotations

from typing import Any

from django.core.serializers import json as django_json
from django.db import models

# Created by migrate in every database, with ids of that database.
MATCHED_BY_NATURAL_KEY = {"contenttypes.contenttype", "auth.permission"}


class Serializer(django_json.Serializer):
    """Django's JSON serialiser, keeping ids except of migrate's own rows."""

    def get_dump_object(self, obj: models.Model) -> dict[str, Any]:
        data: dict[str, Any] = super().get_dump_object(obj)
        if "pk" not in data and str(obj._meta) not in MATCHED_BY_NATURAL_KEY:
            data = {
                "model": data["model"],
                "pk": obj.pk,
                "fields": data["fields"],
            }
        return data


Deserializer = django_json.Deserializer
