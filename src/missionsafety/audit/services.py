"""Write and verify the audit trail."""

from __future__ import annotations

import datetime
import decimal
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.models import AuditHead, ChangeRecord
from missionsafety.core.middleware import current_request_id

GENESIS = "0" * 64


def _default(value: Any) -> Any:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, set | frozenset | tuple):
        return (
            sorted(value, key=str)
            if isinstance(value, set | frozenset)
            else list(value)
        )
    return str(value)


def _canonical(value: Any) -> Any:
    """JSON as every database gives it back: PostgreSQL's jsonb returns a whole
    float such as ``1e+20`` as an int and cannot store NUL characters."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return value


def to_json(value: Any) -> Any:
    """Make a value JSON-safe the way it is stored and read back on every database.

    Dates and times become ISO strings (aware times in UTC), decimals strings,
    whole floats ints, and NUL characters (which PostgreSQL cannot store) are
    dropped, so that the stored value hashes the same after a round trip.
    """
    if value is None:
        return None
    return _canonical(json.loads(json.dumps(value, default=_default)))


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a model instance, for before/after."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        data[field.attname if field.is_relation else field.name] = getattr(
            obj, field.attname
        )
    return to_json(data)


# Version 2 of the hash: an HMAC keyed with AUDIT_KEY over a canonical form
# that survives a move between databases (dumpdata/loaddata): the time to the
# millisecond (what Django's serialiser keeps) and the object type by its
# natural key rather than a database id. Migration 0004 re-hashed version-1
# records (plain SHA-256) once, after checking them.
HASH_SCHEME = 2


def canonical_time(value: datetime.datetime) -> str:
    """The time in UTC to the millisecond, whatever zone the database hands back."""
    created = value.astimezone(datetime.UTC)
    created = created.replace(microsecond=created.microsecond // 1000 * 1000)
    return created.isoformat(timespec="milliseconds")


def digest_payload(record: Any, type_label: str) -> bytes:
    """The bytes a record's hash covers (``record`` may be a historical model)."""
    payload = {
        "v": HASH_SCHEME,
        "seq": record.seq,
        "time": canonical_time(record.created_at),
        "actor": record.actor_id,
        "actor_label": record.actor_label,
        "type": type_label,
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
    return canonical.encode()


def keyed_digest(payload: bytes, key: str | None = None) -> str:
    """HMAC-SHA256 of the payload with the audit key."""
    secret = (key if key is not None else settings.AUDIT_KEY).encode()
    return hmac.new(secret, payload, hashlib.sha256).hexdigest()


def _type_label(content_type_id: int) -> str:
    ct = ContentType.objects.get_for_id(content_type_id)
    return f"{ct.app_label}.{ct.model}"


def _digest(record: ChangeRecord) -> str:
    return keyed_digest(digest_payload(record, _type_label(record.content_type_id)))


# Without a savepoint of its own: a change record that cannot be written fails
# the caller's whole transaction (a change must not commit without it).
@transaction.atomic(savepoint=False)
def record_change(
    *,
    actor: Any,
    obj: models.Model,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    deployment_id: int | None = None,
) -> ChangeRecord:
    """Append a change record to the chain, inside the caller's transaction."""
    # Bump the head first: on PostgreSQL this locks the row, on SQLite it takes
    # the write lock, so concurrent writers chain one after the other.
    # One statement: the bumped number and the previous hash, returned.
    head = _bump_head()
    if head is None:
        _create_head()
        head = _bump_head(bump=False)
    assert head is not None
    last_seq, last_hash = head
    if deployment_id is None:
        deployment_id = _deployment_of(obj)
    is_user = actor is not None and getattr(actor, "pk", None) is not None
    now = timezone.now()
    record = ChangeRecord(
        seq=last_seq,
        # Stored as hashed: to the millisecond, which every move keeps.
        created_at=now.replace(microsecond=now.microsecond // 1000 * 1000),
        actor_id=actor.pk if is_user else None,
        actor_label=(str(actor) if is_user else str(actor or "system"))[:200],
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        deployment_id=deployment_id,
        action=action,
        before=to_json(before),
        after=to_json(after),
        request_id=current_request_id() if current_request_id() != "-" else "",
        prev_hash=last_hash,
    )
    record.hash = _digest(record)
    record.save()
    AuditHead.objects.filter(pk=1).update(last_hash=record.hash)
    return record


def _bump_head(*, bump: bool = True) -> tuple[int, str] | None:
    """Add one to the head's number (locking the row until the transaction
    ends) and return it with the previous record's hash; None: no head yet."""
    table = connection.ops.quote_name(AuditHead._meta.db_table)
    change = "last_seq = last_seq + 1" if bump else "last_seq = last_seq"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {change} WHERE id = 1 RETURNING last_seq, last_hash"
        )
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row else None


def _create_head() -> None:
    """Start the chain; a writer that loses the race bumps the winner's head."""
    try:
        with transaction.atomic():
            AuditHead.objects.create(pk=1, last_seq=1, last_hash=GENESIS)
    except IntegrityError:
        AuditHead.objects.filter(pk=1).update(last_seq=F("last_seq") + 1)


def _deployment_of(obj: models.Model) -> int | None:
    # By label: the change log sits below every app that records into it.
    if obj._meta.label == "deployments.Deployment":
        return int(obj.pk)
    value = getattr(obj, "deployment_id", None)
    return int(value) if value is not None else None


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    problem: str = ""
    seq: int | None = None


def verify_chain(chunk_size: int = 2000) -> VerifyResult:
    """Recompute every hash and link; report the first break.

    The head is read first and only records up to it are checked, so that a
    change committed while the check runs is not mistaken for a break.
    """
    head = AuditHead.objects.filter(pk=1).first()
    records = ChangeRecord.objects.order_by("seq")
    if head is not None:
        records = records.filter(seq__lte=head.last_seq)
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    for record in records.iterator(chunk_size=chunk_size):
        if record.seq != expected_seq:
            return VerifyResult(
                False,
                checked,
                _("record %(seq)s is missing") % {"seq": expected_seq},
                expected_seq,
            )
        if record.prev_hash != expected_prev:
            return VerifyResult(
                False,
                checked,
                _("its link to the previous record is broken"),
                record.seq,
            )
        if _digest(record) != record.hash:
            return VerifyResult(
                False, checked, _("its content does not match its hash"), record.seq
            )
        expected_prev = record.hash
        expected_seq += 1
        checked += 1
    if head is not None and head.last_seq != checked:
        return VerifyResult(
            False,
            checked,
            _("record %(seq)s is missing") % {"seq": checked + 1},
            checked + 1,
        )
    if head is not None and head.last_hash != expected_prev:
        return VerifyResult(
            False, checked, _("the last record does not match the chain head"), checked
        )
    if head is None and checked:
        return VerifyResult(False, checked, _("the chain head is missing"), None)
    return VerifyResult(True, checked)
