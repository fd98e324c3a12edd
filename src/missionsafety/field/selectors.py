"""Reads of the field app, for the pages, the panel and the status command."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from missionsafety.deployments.models import Deployment
from missionsafety.deployments.visibility import can
from missionsafety.field.models import Conflict, Instance
from missionsafety.field.services import RESOLVE_ROLES, self_instance, waiting_count


def conflict_list(
    *, user: Any, deployment: Deployment | None = None
) -> QuerySet[Conflict]:
    """Open conflicts of the deployments the user sees."""
    visible = Deployment.objects.visible_to(user)
    conflicts = Conflict.objects.filter(
        status=Conflict.Status.OPEN, deployment__in=visible
    ).select_related("deployment", "peer", "content_type")
    if deployment is not None:
        conflicts = conflicts.filter(deployment=deployment)
    return conflicts


def conflict_get(*, user: Any, pk: int) -> Conflict:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Conflict.objects.filter(
            deployment__in=Deployment.objects.visible_to(user)
        ).select_related("deployment", "peer", "content_type"),
        pk=pk,
    )


def peers_of(deployment: Deployment) -> list[Instance]:
    return list(
        Instance.objects.filter(is_self=False, deployment=deployment).order_by("pk")
    )


def deployment_panel(*, user: Any, deployment: Deployment) -> dict[str, Any] | None:
    """Field sync on the deployment page: each field instance's last sync,
    what waits to go, open conflicts, and the package button."""
    from missionsafety.field.package import may_export

    me = self_instance()
    peers = peers_of(deployment) if me is not None else []
    exportable = may_export(user, deployment) and (
        me is None or me.role == Instance.Role.HOME
    )
    if not peers and not exportable:
        return None
    return {
        "deployment": deployment,
        "me": me,
        "peers": [{"peer": p, "waiting": waiting_count(p)} for p in peers],
        "conflicts": conflict_list(user=user, deployment=deployment).count(),
        "can_export": exportable,
        "can_resolve": can(user, deployment, *RESOLVE_ROLES),
    }


def instance_status() -> list[str]:
    """Lines for ``missionsafety field status``."""
    me = self_instance()
    if me is None:
        return [_("This instance is not set up for field sync.")]
    lines = [
        _("This instance: %(name)s (%(role)s, %(id)s)")
        % {"name": me.name, "role": me.get_role_display(), "id": me.uuid}
    ]
    for peer in Instance.objects.filter(is_self=False).order_by("pk"):
        lines.append(
            _(
                "  %(name)s: last sync %(when)s; bundles sent %(sent)s, applied "
                "%(received)s; %(waiting)s changes waiting; %(conflicts)s open "
                "conflicts"
            )
            % {
                "name": peer.name,
                "when": peer.last_sync_at.isoformat()
                if peer.last_sync_at
                else _("never"),
                "sent": peer.sent_seq,
                "received": peer.received_seq,
                "waiting": waiting_count(peer),
                "conflicts": Conflict.objects.filter(
                    peer=peer, status=Conflict.Status.OPEN
                ).count(),
            }
        )
    return lines
