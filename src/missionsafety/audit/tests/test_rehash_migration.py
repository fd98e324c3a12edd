"""Migration 0004 re-hashes a checked scheme-1 chain with the key, once."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from missionsafety.audit.models import AuditHead, ChangeRecord
from missionsafety.audit.services import verify_chain
from missionsafety.organisations.models import Organisation

pytestmark = pytest.mark.django_db
migration = importlib.import_module(
    "missionsafety.audit.migrations.0004_rehash_chain_with_key"
)


def write_scheme_1_chain(count: int) -> list[str]:
    """A chain as it was before the key: plain SHA-256 hashes."""
    ContentType.objects.clear_cache()
    type_id = ContentType.objects.get_for_model(Organisation).pk
    prev = "0" * 64
    hashes = []
    for seq in range(1, count + 1):
        record = ChangeRecord(
            seq=seq,
            created_at=datetime.datetime(2026, 1, 2, 3, 4, 5, 123456, datetime.UTC),
            actor_label="system",
            content_type_id=type_id,
            object_id=str(seq),
            object_repr=f"organisation {seq}",
            action="create",
            after={"name": f"Org {seq}"},
            request_id="",
            prev_hash=prev,
        )
        record.hash = migration._scheme_1(record)
        record.save()
        prev = record.hash
        hashes.append(prev)
    AuditHead.objects.update_or_create(
        pk=1, defaults={"last_seq": count, "last_hash": prev}
    )
    return hashes


def test_an_intact_scheme_1_chain_verifies_after_the_migration() -> None:
    old = write_scheme_1_chain(5)
    assert not verify_chain().ok  # not keyed yet
    migration.rehash(apps, None)
    result = verify_chain()
    assert (result.ok, result.checked) == (True, 5)
    new = list(ChangeRecord.objects.order_by("seq").values_list("hash", flat=True))
    assert not set(new) & set(old)  # every hash is now keyed
    assert AuditHead.objects.get(pk=1).last_hash == new[-1]


def test_a_broken_scheme_1_chain_stops_the_migration() -> None:
    write_scheme_1_chain(5)
    ChangeRecord.objects.filter(seq=3).update(actor_label="someone else")
    # The migration is atomic: raising leaves the scheme-1 chain as it was.
    with pytest.raises(RuntimeError, match="broken at record 3"):
        migration.rehash(apps, None)
