"""Access-control targets of the field app."""

from __future__ import annotations

from typing import Any


def targets(w: Any) -> dict[str, dict[str, Any]]:
    from django.contrib.contenttypes.models import ContentType

    from missionsafety.deployments.models import Deployment
    from missionsafety.field.models import Conflict, Instance

    peer = Instance.objects.create(
        role=Instance.Role.FIELD, name="field", deployment=w.dep, public_key="0" * 64
    )
    conflict = Conflict.objects.create(
        deployment=w.dep,
        content_type=ContentType.objects.get_for_model(Deployment),
        object_id=w.dep.pk,
        object_repr=str(w.dep),
        field="name",
        local_value="a",
        remote_value="b",
        remote_actor="someone",
        peer=peer,
        bundle_seq=1,
    )
    instance = {"instance": str(peer.uuid)}
    return {
        "field:conflicts": {"kwargs": {}, "public": True, "methods": ["get"]},
        "field:conflict": {"kwargs": {"pk": conflict.pk}},
        "field:package": {
            "kwargs": {"deployment_pk": w.dep.pk},
            "status": 405,
            "methods": ["post"],
        },
        # A field instance's token opens these, never a person's session.
        "api:push": {"kwargs": instance, "public": True, "status": 405},
        "api:pull": {"kwargs": instance, "public": True, "status": 404},
    }
