"""Signed checkpoints make rewrites that a chain alone cannot see detectable.

Each attack is done around the application, as someone with write access to
the database would; each must make ``verify-audit --checkpoints`` fail.
"""

from __future__ import annotations

import hashlib
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from missionsafety.audit.models import AuditHead, ChangeRecord
from missionsafety.audit.services import digest_payload, keyed_digest
from missionsafety.deployments import services as dep_services

pytestmark = pytest.mark.django_db


def verify(checkpoints: Path | None = None) -> str:
    out = StringIO()
    args = ["--checkpoints", str(checkpoints)] if checkpoints else []
    with translation.override("en"):
        call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def broken(checkpoints: Path | None = None) -> str:
    with pytest.raises(CommandError) as error:
        verify(checkpoints)
    return str(error.value)


def checkpoint(out: Path) -> str:
    stdout = StringIO()
    with translation.override("en"):
        call_command("audit_checkpoint", "--out", str(out), stdout=stdout)
    return stdout.getvalue()


def changes(world: Any, count: int) -> None:
    for i in range(count):
        dep_services.deployment_update(
            actor=world.jfc_safety,
            deployment=world.dep,
            version=None,
            description=f"change {i}",
        )


def sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def rewind_head_to(seq: int) -> None:
    record = ChangeRecord.objects.get(seq=seq) if seq else None
    AuditHead.objects.filter(pk=1).update(
        last_seq=seq, last_hash=record.hash if record else "0" * 64
    )


def recompute_from(seq: int, key: str) -> None:
    """Rewrite every hash from ``seq`` on, as an attacker holding ``key`` would."""
    prev = ChangeRecord.objects.get(seq=seq - 1).hash if seq > 1 else "0" * 64
    for record in ChangeRecord.objects.filter(seq__gte=seq).order_by("seq"):
        record.prev_hash = prev
        label = f"{record.content_type.app_label}.{record.content_type.model}"
        record.hash = keyed_digest(digest_payload(record, label), key=key)
        ChangeRecord.objects.filter(pk=record.pk).update(
            prev_hash=record.prev_hash, hash=record.hash
        )
        prev = record.hash
    AuditHead.objects.filter(pk=1).update(last_hash=prev)


@pytest.fixture
def anchored(world: Any, tmp_path: Path) -> Path:
    """A chain with a checkpoint of its head in a directory of its own."""
    changes(world, 3)
    out = tmp_path / "checkpoints"
    assert "Checkpoint of record" in checkpoint(out)
    assert "agrees with 1 signed checkpoints" in verify(out)
    return out


def test_checkpoint_file_holds_signed_head(anchored: Path) -> None:
    head = AuditHead.objects.get(pk=1)
    (path,) = anchored.glob("checkpoint-*.json")
    document = json.loads(path.read_text())
    assert (document["seq"], document["hash"]) == (head.last_seq, head.last_hash)
    assert (anchored / "checkpoint-public-key.txt").read_text().strip() == document[
        "public_key"
    ]


def test_an_edited_record_is_detected(anchored: Path) -> None:
    victim = ChangeRecord.objects.order_by("seq")[2]
    ChangeRecord.objects.filter(pk=victim.pk).update(after={"description": "nothing"})
    message = broken(anchored)
    assert f"broken at record {victim.seq}" in message
    assert "does not match its hash" in message


def test_a_deleted_middle_record_is_detected(anchored: Path) -> None:
    middle = ChangeRecord.objects.count() // 2
    sql(f"DELETE FROM {ChangeRecord._meta.db_table} WHERE seq = %s", [middle])
    assert f"record {middle} is missing" in broken(anchored)


def test_deleting_the_last_records_and_rewinding_the_head_is_detected(
    anchored: Path,
) -> None:
    last = AuditHead.objects.get(pk=1).last_seq
    sql(f"DELETE FROM {ChangeRecord._meta.db_table} WHERE seq > %s", [last - 3])
    rewind_head_to(last - 3)
    assert "records verified" in verify()  # the chain alone cannot tell
    message = broken(anchored)
    assert f"chain ends at record {last - 3}" in message
    assert f"recorded record {last}" in message


def test_a_forged_append_without_the_key_is_detected(
    world: Any, anchored: Path
) -> None:
    head = AuditHead.objects.get(pk=1)
    template = ChangeRecord.objects.get(seq=head.last_seq)
    forged = ChangeRecord(
        seq=head.last_seq + 1,
        created_at=template.created_at,
        actor_id=world.jfc_safety.pk,
        actor_label=str(world.jfc_safety),
        content_type=template.content_type,
        object_id=template.object_id,
        object_repr=template.object_repr,
        deployment_id=template.deployment_id,
        action="accept",
        after={"note": "accepted long ago"},
        prev_hash=head.last_hash,
    )
    label = f"{template.content_type.app_label}.{template.content_type.model}"
    # The unkeyed hash scheme 1 used, and a guess at the key.
    for forged_hash in (
        hashlib.sha256(digest_payload(forged, label)).hexdigest(),
        keyed_digest(digest_payload(forged, label), key="guessed"),
    ):
        sql(f"DELETE FROM {ChangeRecord._meta.db_table} WHERE seq = %s", [forged.seq])
        forged.pk = None
        forged.hash = forged_hash
        forged.save()
        AuditHead.objects.filter(pk=1).update(
            last_seq=forged.seq, last_hash=forged.hash
        )
        message = broken(anchored)
        assert f"broken at record {forged.seq}" in message
        assert "does not match its hash" in message


def test_a_chain_recomputed_without_the_key_is_detected(anchored: Path) -> None:
    ChangeRecord.objects.filter(seq=3).update(actor_label="someone else")
    recompute_from(3, key="not the key")
    message = broken(anchored)
    assert "broken at record 3" in message


def test_a_chain_recomputed_with_the_key_is_caught_by_the_checkpoint(
    settings: Any, anchored: Path
) -> None:
    # An insider who holds the key can make the chain verify again...
    ChangeRecord.objects.filter(seq=3).update(actor_label="someone else")
    recompute_from(3, key=settings.AUDIT_KEY)
    assert "records verified" in verify()
    # ...but not change the checkpoint someone else keeps.
    head = AuditHead.objects.get(pk=1)
    assert f"record {head.last_seq} differs from the checkpoint" in broken(anchored)


def test_a_wiped_table_is_detected(anchored: Path) -> None:
    sql(f"DELETE FROM {ChangeRecord._meta.db_table}")
    sql(f"DELETE FROM {AuditHead._meta.db_table}")
    assert "0 records verified" in verify()  # nothing left to disagree with
    assert "chain ends at record 0" in broken(anchored)


def test_a_restored_older_copy_is_detected(world: Any, tmp_path: Path) -> None:
    changes(world, 2)
    table = ChangeRecord._meta.db_table
    old_rows = list(ChangeRecord.objects.values())
    old_head = AuditHead.objects.values("last_seq", "last_hash").get(pk=1)
    changes(world, 2)
    out = tmp_path / "checkpoints"
    checkpoint(out)
    # Put back the table as it was before the last two changes.
    sql(f"DELETE FROM {table}")
    ChangeRecord.objects.bulk_create(ChangeRecord(**row) for row in old_rows)
    AuditHead.objects.filter(pk=1).update(**old_head)
    assert "records verified" in verify()
    assert "an older copy was restored" in broken(out)


def test_a_forged_checkpoint_is_refused(anchored: Path) -> None:
    (path,) = anchored.glob("checkpoint-*.json")
    document = json.loads(path.read_text())
    document["seq"] -= 1
    path.write_text(json.dumps(document))
    assert "is not validly signed" in broken(anchored)


def test_a_broken_chain_is_not_anchored(world: Any, tmp_path: Path) -> None:
    ChangeRecord.objects.filter(seq=2).update(actor_label="someone else")
    with pytest.raises(CommandError, match="broken at record 2"):
        checkpoint(tmp_path)
    assert not list(tmp_path.glob("checkpoint-*.json"))


def test_checkpoints_of_another_key_are_refused(anchored: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.pub"
    other.write_text("ab" * 32)
    out = StringIO()
    with (
        pytest.raises(CommandError, match="not validly signed"),
        translation.override("en"),
    ):
        call_command(
            "verify_audit",
            "--checkpoints",
            str(anchored),
            "--public-key",
            str(other),
            stdout=out,
        )
