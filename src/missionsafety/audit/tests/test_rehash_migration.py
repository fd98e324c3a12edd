"""Migration 0004 re-hashes a checked scheme-1 chain with the key, once."""

from __future__ import annotations

import datetime
import importlib
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from missionsafety.audit.models import AuditHead, ChangeRecord
from missionsafety.audit.services import verify_chain
from missionsafety.organisations.models import Organisation

BEFORE = [("audit", "0003_actor_kept_and_labels")]
AFTER = [("audit", "0004_rehash_chain_with_key")]
migration = importlib.import_module(
    "missionsafety.audit.migrations.0004_rehash_chain_with_key"
)


def migrate(target: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate(target)  # type: ignore[arg-type]
    return executor.loader.project_state(target).apps


def write_scheme_1_chain(apps: Any, count: int) -> list[str]:
    Record = apps.get_model("audit", "ChangeRecord")
    Head = apps.get_model("audit", "AuditHead")
    type_id = ContentType.objects.get_for_model(Organisation).pk
    prev = "0" * 64
    hashes = []
    for seq in range(1, count + 1):
        record = Record(
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
    Head.objects.update_or_create(pk=1, defaults={"last_seq": count, "last_hash": prev})
    return hashes


@pytest.mark.django_db(transaction=True)
def test_an_intact_scheme_1_chain_verifies_after_the_migration() -> None:
    apps = migrate(BEFORE)
    old = write_scheme_1_chain(apps, 5)
    migrate(AFTER)
    result = verify_chain()
    assert (result.ok, result.checked) == (True, 5)
    new = list(ChangeRecord.objects.order_by("seq").values_list("hash", flat=True))
    assert not set(new) & set(old)  # every hash is now keyed
    assert AuditHead.objects.get(pk=1).last_hash == new[-1]


@pytest.mark.django_db(transaction=True)
def test_a_broken_scheme_1_chain_stops_the_migration() -> None:
    apps = migrate(BEFORE)
    write_scheme_1_chain(apps, 5)
    apps.get_model("audit", "ChangeRecord").objects.filter(seq=3).update(
        actor_label="someone else"
    )
    try:
        with pytest.raises(RuntimeError, match="broken at record 3"):
            migrate(AFTER)
    finally:
        # Leave the schema migrated for the tests that follow.
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {ChangeRecord._meta.db_table}")
        migrate(AFTER)
