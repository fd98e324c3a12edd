"""Bundles made for a peer and applied from one (signed, numbered, whole)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.models import AuditHead
from missionsafety.field.envelope import (
    BundleRefused,
    open_header,
    seal,
    verify,
)
from missionsafety.field.files import (
    change_size,
    file_payload,
    is_attachment,
    remove_files,
)
from missionsafety.field.models import (
    AppliedBundle,
    Identity,
    Instance,
    SentBundle,
    Shadow,
)
from missionsafety.field.services.instances import (
    BUNDLE_MAGIC,
    FORMAT,
    _last_actors,
    _uuid,
    deployment_of,
    self_instance,
)
from missionsafety.field.services.merge import ApplyResult, apply_changes
from missionsafety.field.travel import (
    KINDS,
    Codec,
    Identities,
)


def collect(
    *, me: Instance, peer: Instance, deployment: Any, limit: int | None = None
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The changes to send to a peer and the shadows to store once made."""
    changes, shadows, _complete = collect_batch(
        me=me, peer=peer, deployment=deployment, limit=limit
    )
    return changes, shadows


def collect_batch(
    *,
    me: Instance,
    peer: Instance,
    deployment: Any,
    limit: int | None = None,
    max_bytes: int | None = None,
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]], bool]:
    """The next batch for a peer: at most ``limit`` changes and about
    ``max_bytes`` bytes (an attachment larger than that goes alone), the
    shadows to store once sent, and whether nothing else waits."""
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
    size_sum = 0
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
            if change["op"] == "create" and is_attachment(model):
                change["f"] = file_payload(obj)
            if max_bytes is not None:
                size = change_size(change)
                if changes and size_sum + size > max_bytes:
                    return changes, new_shadows, False
                size_sum += size
            changes.append(change)
            new_shadows[uid] = state
            if limit is not None and len(changes) >= limit:
                return changes, new_shadows, False
            if max_bytes is not None and size_sum >= max_bytes:
                return changes, new_shadows, False
    return changes, new_shadows, True


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


@transaction.atomic
def bundle_make(
    *, peer: Instance, limit: int | None = None, max_bytes: int | None = None
) -> tuple[bytes, int]:
    """Sign the next bundle for a peer: (file content, number of changes).

    At most ``limit`` changes and about ``max_bytes`` bytes (a small batch);
    the rest goes in the next one.
    """
    me = self_instance()
    if me is None:
        raise BundleRefused(_("This instance is not set up for field sync."))
    peer = Instance.objects.select_for_update().get(pk=peer.pk)
    deployment = deployment_of(me, peer)
    head = AuditHead.objects.filter(pk=1).values_list("last_seq", flat=True).first()
    changes, shadows, complete = collect_batch(
        me=me, peer=peer, deployment=deployment, limit=limit, max_bytes=max_bytes
    )
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
    Instance.objects.filter(pk=peer.pk).update(
        sent_seq=seq, audit_seq=(head or 0) if complete else peer.audit_seq
    )
    SentBundle.objects.create(peer=peer, seq=seq, data=data, changes=len(changes))
    return data, len(changes)


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


def bundle_apply(*, data: bytes, via: str = "file") -> ApplyResult:
    """Apply a bundle whole or not at all (one transaction; the attachment
    files it stored are removed again when it is refused)."""
    written: list[tuple[Any, str]] = []
    try:
        with transaction.atomic():
            return _apply(data=data, via=via, written=written)
    except BaseException:
        remove_files(written)
        raise


def _apply(*, data: bytes, via: str, written: list[tuple[Any, str]]) -> ApplyResult:
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
        written=written,
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
