"""Re-hash the audit chain once with the audit key (hash scheme 1 → 2).

Scheme 1 was a plain SHA-256 that anyone with database access could recompute.
Before re-hashing, every scheme-1 record is checked as scheme 1 verified it; a
broken chain stops the migration, so that the key never seals a rewritten
history (investigate, then set AUDIT_REKEY_BROKEN_CHAIN=1 to proceed anyway).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from typing import Any

from django.db import migrations

from missionsafety.audit.services import _canonical, digest_payload, keyed_digest

GENESIS = "0" * 64


def _scheme_1(record: Any) -> str:
    created = record.created_at.astimezone(datetime.UTC)
    payload = {
        "seq": record.seq,
        "time": created.isoformat(timespec="microseconds"),
        "actor": record.actor_id,
        "actor_label": record.actor_label,
        "type": record.content_type_id,
        "object": record.object_id,
        "repr": record.object_repr,
        "deployment": record.deployment_id,
        "action": record.action,
        "before": _canonical(record.before),
        "after": _canonical(record.after),
        "request": record.request_id,
        "prev": record.prev_hash,
    }
    canonical = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def rehash(apps: Any, schema_editor: Any) -> None:
    ChangeRecord = apps.get_model("audit", "ChangeRecord")
    AuditHead = apps.get_model("audit", "AuditHead")
    ContentType = apps.get_model("contenttypes", "ContentType")
    labels = {
        ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.all()
    }
    proceed_anyway = os.environ.get("AUDIT_REKEY_BROKEN_CHAIN") == "1"
    prev_old = prev_new = GENESIS
    for expected, record in enumerate(
        ChangeRecord.objects.order_by("seq").iterator(chunk_size=2000), start=1
    ):
        intact = (
            record.seq == expected
            and record.prev_hash == prev_old
            and _scheme_1(record) == record.hash
        )
        if not intact and not proceed_anyway:
            raise RuntimeError(
                f"The audit chain is broken at record {record.seq}; it is not "
                "re-hashed with the key. Investigate, then set "
                "AUDIT_REKEY_BROKEN_CHAIN=1 to migrate it as it is."
            )
        prev_old = record.hash
        created = record.created_at
        record.created_at = created.replace(
            microsecond=created.microsecond // 1000 * 1000
        )
        record.prev_hash = prev_new
        record.hash = keyed_digest(digest_payload(record, labels[record.content_type_id]))
        ChangeRecord.objects.filter(pk=record.pk).update(
            created_at=record.created_at, prev_hash=record.prev_hash, hash=record.hash
        )
        prev_new = record.hash
    AuditHead.objects.filter(pk=1).update(last_hash=prev_new)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_actor_kept_and_labels"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(rehash, migrations.RunPython.noop)]
