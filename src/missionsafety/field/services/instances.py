"""This instance and its peers: who they are, what waits to go."""

from __future__ import annotations

import hashlib
from typing import Any

from missionsafety.audit.models import ChangeRecord
from missionsafety.field.envelope import (
    new_key,
)
from missionsafety.field.models import (
    Instance,
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


def _uuid(value: str) -> Any:
    import uuid

    return uuid.UUID(value)
