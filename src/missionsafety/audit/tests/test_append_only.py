"""Change records are written once and never changed or removed by the model."""

from __future__ import annotations

from typing import Any

import pytest

from missionsafety.audit.models import ChangeRecord

pytestmark = pytest.mark.django_db


def test_a_record_cannot_be_saved_twice(world: Any) -> None:
    record = ChangeRecord.objects.first()
    assert record is not None
    record.action = "forged"
    with pytest.raises(ValueError, match="append-only"):
        record.save()
    record.refresh_from_db()
    assert record.action != "forged"


def test_a_record_cannot_be_deleted(world: Any) -> None:
    record = ChangeRecord.objects.first()
    assert record is not None
    count = ChangeRecord.objects.count()
    with pytest.raises(ValueError, match="append-only"):
        record.delete()
    with pytest.raises(ValueError, match="append-only"):
        ChangeRecord.objects.filter(pk=record.pk).delete()
    assert ChangeRecord.objects.count() == count
