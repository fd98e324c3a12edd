"""Every write of the field app: bundles made and applied, conflicts resolved.

A bundle carries, per record that changed since the last bundle to that peer,
the changed fields with the value the sender last shared (the merge base).
The receiver applies a field when its own value is still that base, keeps
both values as a conflict when it changed the same field itself, and never
touches the fields it did not receive (field-level merge).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.models import AuditHead, ChangeRecord
from missionsafety.audit.services import record_change
from missionsafety.field.envelope import (
    BundleRefused,
    new_key,
    open_header,
    seal,
    verify,
)
from missionsafety.field.models import (
    AppliedBundle,
    Conflict,
    Identity,
    Instance,
    PendingReference,
    SentBundle,
    Shadow,
)
from missionsafety.field.travel import (
    FOLLOWING,
    KIND_BY_LABEL,
    KINDS,
    Codec,
    Identities,
    clear_caches,
)

BUNDLE_MAGIC = "MSFB1"
FORMAT = 1
IMPORT_ACTION = "field_import"


def self_instance() -> Instance | None:
    return Instance.objects.filter(is_self=True).first()


def home_instance(*, name: str = "home") -> Instance:
    """This instance as home, made with its signing key on first use."""
    me = self_instance()
    if me is not None:
        return me
    private, public = new_key()
    return Instance.objects.create(
        role=Instance.Role.HOME,
        name=name,
        is_self=True,
        public_key=public,
        private_key=private,
    )


def deployment_of(me: Instance, peer: Instance) -> Any:
    return peer.deployment if peer.deployment_id else me.deployment


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _last_actors(deployment_id: int, after_seq: int) -> dict[tuple[int, str], Any]:
    """Who last changed each record (and when), from the audit trail."""
    actors: dict[tuple[int, str], Any] = {}
    for ct_id, object_id, label, at in (
        ChangeRecord.objects.filter(deployment_id=deployment_id, seq__gt=after_seq)
        .exclude(action=IMPORT_ACTION)
        .order_by("seq")
        .values_list("content_type_id", "object_id", "actor_label", "created_at")
    ):
        actors[(ct_id, object_id)] = (label, at)
    return actors


def waiting_count(peer: Instance) -> int:
    """Changes recorded here since the last bundle to this peer."""
    me = self_instance()
    if me is None:
        return 0
    deployment = deployment_of(me, peer)
    if deployment is None:
        return 0
    return (
        ChangeRecord.objects.filter(deployment_id=deployment.pk, seq__gt=peer.audit_seq)
        .exclude(action__startswith="field_")
        .count()
    )


def collect(
    *, me: Instance, peer: Instance, deployment: Any, limit: int | None = None
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The changes to send to a peer and the shadows to store once made."""
    ids = Identities(deployment, me)
    ids.assign_missing()
    codec = Codec(ids)
    shadows = {
        str(u): data
        for u, data in Shadow.objects.filter(peer=peer).values_list(
            "identity__uuid", "data"
        )
    }
    actors = _last_actors(deployment.pk, 0)
    changes: list[dict[str, Any]] = []
    new_shadows: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        model = kind.model
        ct = ContentType.objects.get_for_model(model)
        m2m = [f.name for f in model._meta.many_to_many]
        rows = kind.scope(deployment).order_by("pk")
        if m2m:
            rows = rows.prefetch_related(*m2m)
        for obj in rows:
            uid = ids.uuid_of(model, obj.pk)
            assert uid is not None
            state = codec.encode(obj)
            base = shadows.get(uid)
            actor, at = actors.get((ct.pk, str(obj.pk)), ("system", None))
            change: dict[str, Any] = {
                "m": model._meta.label_lower,
                "id": uid,
                "pk": obj.pk,
                "a": actor,
                "t": at.isoformat() if at else None,
            }
            if base is None:
                change.update(op="create", v=state)
            else:
                diff = {f: v for f, v in state.items() if base.get(f) != v}
                if not diff or kind.append_only:
                    continue
                change.update(op="update", v=diff, b={f: base.get(f) for f in diff})
            changes.append(change)
            new_shadows[uid] = state
            if limit is not None and len(changes) >= limit:
                return changes, new_shadows
    return changes, new_shadows


def _store_shadows(peer: Instance, shadows: dict[str, dict[str, Any]]) -> None:
    identities = dict(
        Identity.objects.filter(uuid__in=list(shadows)).values_list("uuid", "pk")
    )
    existing = {
        s.identity_id: s
        for s in Shadow.objects.filter(peer=peer, identity_id__in=identities.values())
    }
    new, changed = [], []
    for uid, data in shadows.items():
        identity_id = identities[_uuid(uid)]
        if identity_id in existing:
            existing[identity_id].data = data
            changed.append(existing[identity_id])
        else:
            new.append(Shadow(peer=peer, identity_id=identity_id, data=data))
    Shadow.objects.bulk_create(new, batch_size=500)
    Shadow.objects.bulk_update(changed, ["data"], batch_size=500)


def _uuid(value: str) -> Any:
    import uuid

    return uuid.UUID(value)


@transaction.atomic
def bundle_make(*, peer: Instance, limit: int | None = None) -> tuple[bytes, int]:
    """Sign the next bundle for a peer: (file content, number of changes).

    At most ``limit`` changes (a small batch); the rest goes in the next one.
    """
    me = self_instance()
    if me is None:
        raise BundleRefused(_("This instance is not set up for field sync."))
    peer = Instance.objects.select_for_update().get(pk=peer.pk)
    deployment = deployment_of(me, peer)
    head = AuditHead.objects.filter(pk=1).values_list("last_seq", flat=True).first()
    changes, shadows = collect(me=me, peer=peer, deployment=deployment, limit=limit)
    seq = peer.sent_seq + 1
    body = {
        "format": FORMAT,
        "sender": str(me.uuid),
        "receiver": str(peer.uuid),
        "deployment": deployment.code,
        "seq": seq,
        "created_at": timezone.now().isoformat(),
        "changes": changes,
    }
    data = seal(BUNDLE_MAGIC, str(me.uuid), body, me.private_key)
    _store_shadows(peer, shadows)
    complete = limit is None or len(changes) < limit
    Instance.objects.filter(pk=peer.pk).update(
        sent_seq=seq, audit_seq=(head or 0) if complete else peer.audit_seq
    )
    SentBundle.objects.create(peer=peer, seq=seq, data=data, changes=len(changes))
    return data, len(changes)


@dataclass
class ApplyResult:
    seq: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    flagged: list[int] = field(default_factory=list)


def _read(data: bytes) -> tuple[Instance, Instance, dict[str, Any]]:
    me = self_instance()
    if me is None:
        raise BundleRefused(_("This instance is not set up for field sync."))
    sender, header, signature, payload = open_header(BUNDLE_MAGIC, data)
    peer = Instance.objects.filter(uuid=_safe_uuid(sender), is_self=False).first()
    if peer is None:
        raise BundleRefused(
            _("The bundle comes from an unknown instance (%(id)s); it is refused.")
            % {"id": sender[:36]}
        )
    body = verify(header, signature, payload, peer.public_key)
    deployment = deployment_of(me, peer)
    if body.get("receiver") != str(me.uuid):
        raise BundleRefused(_("The bundle is addressed to another instance."))
    if deployment is None or body.get("deployment") != deployment.code:
        raise BundleRefused(
            _(
                "The bundle is for another deployment (%(other)s); this instance "
                "syncs %(mine)s with its sender."
            )
            % {
                "other": body.get("deployment"),
                "mine": deployment.code if deployment else "-",
            }
        )
    return me, peer, body


def _safe_uuid(value: str) -> Any:
    try:
        return _uuid(value)
    except ValueError:
        raise BundleRefused(
            _("The bundle comes from an unknown instance (%(id)s); it is refused.")
            % {"id": value[:36]}
        ) from None


def bundle_check(data: bytes) -> tuple[Instance, dict[str, Any]]:
    """Refuse a bundle that may not be applied, with the reason."""
    _me, peer, body = _read(data)
    seq = int(body.get("seq", 0))
    if seq <= peer.received_seq:
        raise BundleRefused(
            _("Bundle %(seq)s from %(peer)s was already applied; nothing changed.")
            % {"seq": seq, "peer": peer.name}
        )
    if seq != peer.received_seq + 1:
        raise BundleRefused(
            _(
                "Bundle %(seq)s from %(peer)s is out of order: bundle %(expected)s "
                "must be applied first."
            )
            % {"seq": seq, "peer": peer.name, "expected": peer.received_seq + 1}
        )
    return peer, body


@transaction.atomic
def bundle_apply(*, data: bytes, via: str = "file") -> ApplyResult:
    """Apply a bundle whole or not at all (one transaction)."""
    _peer, body = bundle_check(data)
    me = self_instance()
    assert me is not None
    # Lock the peer and check again: two applies of one bundle cannot both pass.
    peer = Instance.objects.select_for_update().get(pk=_peer.pk)
    if peer.received_seq != _peer.received_seq:
        raise BundleRefused(_("The bundle was applied meanwhile; nothing changed."))
    seq = int(body["seq"])
    result = apply_changes(
        me=me,
        peer=peer,
        deployment=deployment_of(me, peer),
        changes=body.get("changes", []),
        seq=seq,
    )
    AppliedBundle.objects.create(
        sender=peer,
        seq=seq,
        digest=hashlib.sha256(data).hexdigest(),
        changes=len(body.get("changes", [])),
        conflicts=result.conflicts,
        via=via,
    )
    Instance.objects.filter(pk=peer.pk).update(
        received_seq=seq, last_sync_at=timezone.now()
    )
    return result


def _actor_label(change: dict[str, Any], peer: Instance) -> str:
    return f"{change.get('a') or 'system'} @ {peer.name}"[:200]


def _origin(change: dict[str, Any], peer: Instance, seq: int) -> dict[str, Any]:
    return {
        "instance": str(peer.uuid),
        "actor": change.get("a"),
        "time": change.get("t"),
        "bundle": seq,
        "id": change["id"],
    }


def apply_changes(
    *,
    me: Instance,
    peer: Instance,
    deployment: Any,
    changes: list[dict[str, Any]],
    seq: int,
) -> ApplyResult:
    clear_caches()
    result = ApplyResult(seq=seq)
    ids = Identities(deployment, peer)
    codec = Codec(ids)
    touched: list[models.Model] = []
    for change in changes:
        if change.get("m") not in KIND_BY_LABEL:
            raise BundleRefused(
                _("The bundle holds a kind of record this instance does not know.")
            )
    creates = [c for c in changes if ids.local(c["id"]) is None]
    updates = [c for c in changes if ids.local(c["id"]) is not None]
    for change in creates:
        if change.get("op") != "create":
            raise BundleRefused(
                _(
                    "The bundle changes a record this instance never received; "
                    "apply the earlier bundles first."
                )
            )
        obj = _create(me, peer, ids, codec, change, seq)
        if deployment is None and obj._meta.label_lower == "deployments.deployment":
            deployment = obj
            ids.deployment = obj
        touched.append(obj)
        result.created += 1
    for change in updates:
        outcome = _update(peer, ids, codec, change, seq, deployment)
        if outcome is None:
            result.unchanged += 1
            continue
        obj, applied, conflicts = outcome
        result.conflicts += conflicts
        if applied:
            result.updated += 1
            touched.append(obj)
        elif not conflicts:
            result.unchanged += 1
    _resolve_pending(ids)
    result.flagged = _flag_superseded(peer, touched, seq)
    result.conflicts += len(result.flagged)
    _refresh_derived(touched, deployment)
    return result


def _create(
    me: Instance,
    peer: Instance,
    ids: Identities,
    codec: Codec,
    change: dict[str, Any],
    seq: int,
) -> models.Model:
    kind = KIND_BY_LABEL[change["m"]]
    model = kind.model
    attrs, m2m, missing = codec.decode(model, change["v"])
    obj = model(**attrs)
    pk = change.get("pk")
    # Records keep their number where they were made; a field instance also
    # keeps home's numbers (its own are in a reserved block, see docs).
    if (
        me.role == Instance.Role.FIELD
        and pk
        and not model._base_manager.filter(pk=pk).exists()
    ):
        obj.pk = pk
    pending = []
    for name in missing:
        model_field = model._meta.get_field(name)
        if not getattr(model_field, "null", False):
            raise BundleRefused(
                _(
                    "The bundle refers to a record or person this instance does "
                    "not hold (%(model)s.%(field)s); nothing was applied."
                )
                % {"model": model._meta.label_lower, "field": name}
            )
        pending.append((name, change["v"][name]))
    obj.save_base(raw=True, force_insert=True)
    for name, pks in m2m.items():
        getattr(obj, name).set(pks)
    ids.add(model, obj.pk, change["id"], peer, pk)
    ct = ContentType.objects.get_for_model(model)
    for name, ref in pending:
        target = ref.get("u") if isinstance(ref, dict) else None
        if target:
            PendingReference.objects.create(
                content_type=ct, object_id=obj.pk, field=name, target=target
            )
    identity = Identity.objects.get(uuid=change["id"])
    Shadow.objects.update_or_create(
        peer=peer, identity=identity, defaults={"data": change["v"]}
    )
    record_change(
        actor=_actor_label(change, peer),
        obj=obj,
        action=IMPORT_ACTION,
        after={"op": "create", "origin": _origin(change, peer, seq)},
    )
    return obj


def _update(
    peer: Instance,
    ids: Identities,
    codec: Codec,
    change: dict[str, Any],
    seq: int,
    deployment: Any,
) -> tuple[models.Model, bool, int] | None:
    kind = KIND_BY_LABEL[change["m"]]
    if kind.append_only:
        return None  # made once, never changed: already here
    found = ids.local(change["id"])
    assert found is not None
    model, pk = found
    obj = model._base_manager.get(pk=pk)
    local = codec.encode(obj)
    identity = Identity.objects.get(uuid=change["id"])
    shadow, _created = Shadow.objects.get_or_create(peer=peer, identity=identity)
    # A record sent whole again (a re-made bundle) merges against what both
    # sides last shared.
    base = change.get("b") if change.get("op") == "update" else shadow.data
    base = base or {}
    data = dict(shadow.data)
    apply: dict[str, Any] = {}
    conflicts = 0
    ct = ContentType.objects.get_for_model(model)
    for name, value in (change.get("v") or {}).items():
        mine = local.get(name)
        if mine == value:
            data[name] = value
            _close_conflicts(ct, pk, name, value)
        elif name in FOLLOWING or mine == base.get(name):
            apply[name] = value
            data[name] = value
            _close_conflicts(ct, pk, name, value)
        else:
            conflicts += 1
            data[name] = mine
            _record_conflict(peer, obj, ct, name, mine, change, seq, deployment)
    shadow.data = data
    shadow.save(update_fields=["data"])
    if not apply:
        return obj, False, conflicts
    attrs, m2m, missing = codec.decode(model, apply)
    for name in missing:
        model_field = model._meta.get_field(name)
        if not getattr(model_field, "null", False):
            raise BundleRefused(
                _(
                    "The bundle refers to a record or person this instance does "
                    "not hold (%(model)s.%(field)s); nothing was applied."
                )
                % {"model": model._meta.label_lower, "field": name}
            )
        ref = apply[name]
        if isinstance(ref, dict) and ref.get("u"):
            PendingReference.objects.create(
                content_type=ct, object_id=pk, field=name, target=ref["u"]
            )
    if any(f.name == "version" for f in model._meta.concrete_fields):
        attrs["version"] = F("version") + 1
    if attrs:
        model._base_manager.filter(pk=pk).update(**attrs)
    for name, pks in m2m.items():
        getattr(obj, name).set(pks)
    obj.refresh_from_db()
    record_change(
        actor=_actor_label(change, peer),
        obj=obj,
        action=IMPORT_ACTION,
        before={name: local.get(name) for name in apply},
        after={**apply, "origin": _origin(change, peer, seq)},
    )
    return obj, True, conflicts


def _local_actor(ct: ContentType, pk: int) -> str:
    record = (
        ChangeRecord.objects.filter(content_type=ct, object_id=str(pk))
        .exclude(action=IMPORT_ACTION)
        .order_by("-seq")
        .first()
    )
    return record.actor_label if record else ""


def _record_conflict(
    peer: Instance,
    obj: models.Model,
    ct: ContentType,
    name: str,
    mine: Any,
    change: dict[str, Any],
    seq: int,
    deployment: Any,
) -> None:
    remote_at = (
        datetime.datetime.fromisoformat(change["t"]) if change.get("t") else None
    )
    values = {
        "local_value": mine,
        "local_actor": _local_actor(ct, int(obj.pk)),  # type: ignore[arg-type]
        "remote_value": change["v"][name],
        "remote_actor": str(change.get("a") or "system")[:200],
        "remote_at": remote_at,
        "bundle_seq": seq,
        "object_repr": str(obj)[:300],
    }
    conflict = Conflict.objects.filter(
        content_type=ct,
        object_id=obj.pk,
        field=name,
        peer=peer,
        status=Conflict.Status.OPEN,
    ).first()
    if conflict is None:
        conflict = Conflict.objects.create(
            kind=Conflict.Kind.FIELD,
            deployment=deployment,
            content_type=ct,
            object_id=obj.pk,
            field=name,
            peer=peer,
            **values,
        )
        action = "create"
    else:
        Conflict.objects.filter(pk=conflict.pk).update(**values)
        action = "update"
    record_change(
        actor=str(change.get("a") or "system")[:200] + f" @ {peer.name}",
        obj=conflict,
        action=action,
        after={"field": name, "local": mine, "remote": change["v"][name]},
        deployment_id=deployment.pk,
    )


def _close_conflicts(ct: ContentType, pk: int, name: str, value: Any) -> None:
    Conflict.objects.filter(
        content_type=ct, object_id=pk, field=name, status=Conflict.Status.OPEN
    ).update(
        status=Conflict.Status.RESOLVED,
        resolved_value=value,
        resolved_at=timezone.now(),
    )


def _resolve_pending(ids: Identities) -> None:
    for pending in PendingReference.objects.all():
        found = ids.local(pending.target)
        if found is None:
            continue
        model = pending.content_type.model_class()
        assert model is not None
        attname = model._meta.get_field(pending.field).attname  # type: ignore[union-attr]
        model._base_manager.filter(pk=pending.object_id).update(**{attname: found[1]})
        pending.delete()


def _flag_superseded(
    peer: Instance, touched: list[models.Model], seq: int
) -> list[int]:
    """A decision made there on an assessment superseded here is kept, and
    flagged for a safety officer to review."""
    from missionsafety.risks.models import Decision

    flagged = []
    for obj in touched:
        if not isinstance(obj, Decision):
            continue
        decision = Decision.objects.select_related("risk").get(pk=obj.pk)
        if decision.assessment_id == decision.risk.current_assessment_id:
            continue
        conflict = Conflict.objects.create(
            kind=Conflict.Kind.SUPERSEDED,
            deployment_id=decision.deployment_id,
            content_type=ContentType.objects.get_for_model(Decision),
            object_id=decision.pk,
            object_repr=f"{decision.risk.reference}: {decision}"[:300],
            remote_value=decision.outcome,
            remote_actor=str(decision.decided_by or "")[:200],
            peer=peer,
            bundle_seq=seq,
        )
        record_change(
            actor=f"{peer.name}",
            obj=conflict,
            action="create",
            after={"kind": conflict.kind, "decision": decision.pk},
            deployment_id=decision.deployment_id,
        )
        flagged.append(conflict.pk)
    return flagged


def _refresh_derived(touched: list[models.Model], deployment: Any) -> None:
    """Counters and search entries kept beside the records that arrived."""
    from missionsafety.lessons.index import index_lesson, index_observation
    from missionsafety.lessons.models import Lesson, Observation
    from missionsafety.occurrences.models import Occurrence
    from missionsafety.occurrences.services import rebuild_month_counts

    if deployment is not None and any(isinstance(o, Occurrence) for o in touched):
        rebuild_month_counts(deployment_ids=[deployment.pk])
    for obj in touched:
        if isinstance(obj, Observation):
            index_observation(Observation.objects.get(pk=obj.pk))
        elif isinstance(obj, Lesson):
            index_lesson(Lesson.objects.get(pk=obj.pk))


RESOLVE_ROLES = ("safety_officer",)


@transaction.atomic
def conflict_resolve(
    *, actor: Any, conflict: Conflict, choice: str, value: Any = None
) -> Conflict:
    """Keep one value (``local``, ``remote`` or one entered as ``value``).

    The kept value becomes a change like any other, so the peer receives it
    in the next bundle and its own copy of the conflict closes.
    """
    from django.core.exceptions import ValidationError

    from missionsafety.deployments.visibility import require
    from missionsafety.organisations.scope import require_writer

    require_writer(actor)
    require(actor, conflict.deployment, *RESOLVE_ROLES)
    conflict = Conflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.status != Conflict.Status.OPEN:
        raise ValidationError({"choice": _("This conflict is already resolved.")})
    if choice not in ("local", "remote", "value", "keep"):
        raise ValidationError({"choice": _("Choose which value to keep.")})
    model = conflict.content_type.model_class()
    assert model is not None
    obj = model._base_manager.get(pk=conflict.object_id)
    if conflict.kind == Conflict.Kind.SUPERSEDED:
        kept: Any = conflict.remote_value
    else:
        if choice == "local":
            kept = conflict.local_value
        elif choice == "remote":
            kept = conflict.remote_value
        else:
            kept = value
        _write_field(obj, conflict, kept, actor)
    Conflict.objects.filter(pk=conflict.pk).update(
        status=Conflict.Status.RESOLVED,
        resolved_by=actor,
        resolved_at=timezone.now(),
        resolved_value=kept,
    )
    record_change(
        actor=actor,
        obj=conflict,
        action="resolve_conflict",
        before={"local": conflict.local_value, "remote": conflict.remote_value},
        after={"kept": kept, "choice": choice},
        deployment_id=conflict.deployment_id,
    )
    conflict.refresh_from_db()
    return conflict


def _write_field(obj: models.Model, conflict: Conflict, kept: Any, actor: Any) -> None:
    from django.core.exceptions import ValidationError

    model = type(obj)
    model_field = model._meta.get_field(conflict.field)
    ids = Identities(None, None)
    codec = Codec(ids)
    if model_field.is_relation and not isinstance(kept, dict | None):
        raise ValidationError({"value": _("Pick one of the two values.")})
    attrs, m2m, missing = codec.decode(model, {conflict.field: kept})
    if missing:
        raise ValidationError({"value": _("That record is not held here.")})
    if not model_field.is_relation:
        try:
            value = attrs[conflict.field]
            model_field.clean(value, obj)  # type: ignore[union-attr]
        except ValidationError as exc:
            raise ValidationError({"value": exc.messages}) from None
    before = codec.encode(obj).get(conflict.field)
    # The peer still holds its own value: that is the base of the change it
    # will receive, so that it applies there cleanly.
    identity = Identity.objects.filter(
        content_type=conflict.content_type, object_id=conflict.object_id
    ).first()
    if identity is not None:
        shadow, _created = Shadow.objects.get_or_create(
            peer=conflict.peer, identity=identity
        )
        shadow.data = {**shadow.data, conflict.field: conflict.remote_value}
        shadow.save(update_fields=["data"])
    if any(f.name == "version" for f in model._meta.concrete_fields):
        attrs["version"] = F("version") + 1
    model._base_manager.filter(pk=obj.pk).update(**attrs)
    for name, pks in m2m.items():
        getattr(obj, name).set(pks)
    obj.refresh_from_db()
    record_change(
        actor=actor,
        obj=obj,
        action="update",
        before={conflict.field: before},
        after={conflict.field: kept},
    )
