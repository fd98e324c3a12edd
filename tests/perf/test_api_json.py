"""The API's JSON comes from orjson and reads exactly as Django's encoder wrote it."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid

from django.db import models
from django.test import RequestFactory
from django.utils.translation import gettext_lazy
from ninja.responses import NinjaJSONEncoder

from missionsafety.api import api
from missionsafety.core.api import OrjsonRenderer


class Level(models.TextChoices):
    HIGH = "H", "High"


PAYLOAD = {
    "at": datetime.datetime(2025, 3, 1, 9, 30, 15, 123456, tzinfo=datetime.UTC),
    "at_whole_second": datetime.datetime(2025, 3, 1, 9, 30, tzinfo=datetime.UTC),
    "on": datetime.date(2025, 3, 1),
    "time": datetime.time(9, 30),
    "amount": decimal.Decimal("50000.00"),
    "key": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "label": gettext_lazy("English"),
    "level": Level.HIGH,
    "counts": {3: "three"},
    "rows": [{"id": 1, "title": "Hitte op de route", "stop": False, "note": None}],
}


def test_the_renderer_writes_what_djangos_encoder_wrote() -> None:
    rendered = OrjsonRenderer().render(
        RequestFactory().get("/"), PAYLOAD, response_status=200
    )
    before = json.dumps(PAYLOAD, cls=NinjaJSONEncoder)
    assert json.loads(rendered) == json.loads(before)
    decoded = json.loads(rendered)
    # Dates keep Django's form: milliseconds and "Z" for UTC.
    assert decoded["at"] == "2025-03-01T09:30:15.123Z"
    assert decoded["at_whole_second"] == "2025-03-01T09:30:00Z"
    assert decoded["amount"] == "50000.00"
    assert decoded["counts"] == {"3": "three"}


def test_the_api_renders_with_orjson() -> None:
    assert isinstance(api.renderer, OrjsonRenderer)
