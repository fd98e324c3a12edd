"""Changes of a bundle applied here: created, merged field by field, or kept
as a conflict.

A bundle carries, per record that changed since the last bundle to that peer,
the changed fields with the value the sender last shared (the merge base).
The receiver applies a field when its own value is still that base, keeps
both values as a conflict when it changed the same field itself, and never
touches the fields it did not receive (field-level merge).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.models import ChangeRecord
from missionsafety.audit.services import record_change
from missionsafety.field.envelope import (
    BundleRefused,
)
from missionsafety.field.files import is_attachment, store_file
from missionsafety.field.models import (
    Conflict,
    Identity,
    Instance,
    PendingReference,
    Shadow,
)
from missionsafety.field.services.instances import IMPORT_ACTION
from missionsafety.field.travel import (
    FOLLOWING,
    KIND_BY_LABEL,
    Codec,
    Identities,
    clear_caches,
)


@dataclass
class ApplyResult:
    seq: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    flagged: list[int] = field(default_factory=list)


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
    written: list[tuple[Any, str]] | None = None,
) -> ApplyResult:
    """Create, merge or keep as conflicts the changes of one bundle; the
    attachment files stored are listed in ``written``."""
    if written is None:
        written = []
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
        obj = _create(me, peer, ids, codec, change, seq, written)
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
    written: list[tuple[Any, str]],
) -> models.Model:
    kind = KIND_BY_LABEL[change["m"]]
    model = kind.model
    attrs, m2m, missing = codec.decode(model, change["v"])
    if is_attachment(model):
        store_file(model, change, attrs, written)
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


def _local_change(ct: ContentType, pk: int) -> tuple[str, Any]:
    """Who last changed a record here, and when."""
    record = (
        ChangeRecord.objects.filter(content_type=ct, object_id=str(pk))
        .exclude(action=IMPORT_ACTION)
        .order_by("-seq")
        .first()
    )
    return (record.actor_label, record.created_at) if record else ("", None)


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
    local_actor, local_at = _local_change(ct, int(obj.pk))  # type: ignore[arg-type]
    values = {
        "local_value": mine,
        "local_actor": local_actor,
        "local_at": local_at,
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
