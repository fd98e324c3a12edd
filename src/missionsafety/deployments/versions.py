"""How far each deployment's data has come: the sequence number of its last
change record.

Every write goes through a service that records a change (``audit``), with the
deployment it belongs to; a deployment whose last record is unchanged holds the
same data. What is derived from a deployment can be kept with that number and
used while it still holds (``risks.history``, the kept page panels).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from missionsafety.audit.models import ChangeRecord
from missionsafety.deployments.models import Deployment
from missionsafety.deployments.visibility import visible_deployment_ids


def _last_seq(**match: Any) -> Any:
    """The sequence number of the last change record matching ``match`` (an
    outer reference), 0 when there is none: an index probe."""
    last = ChangeRecord.objects.filter(**match).order_by("-seq").values("seq")[:1]
    return Coalesce(Subquery(last), Value(0))


def deployment_versions(ids: Iterable[int] | Any) -> dict[int, int]:
    """The sequence number of each deployment's last change record (0: none);
    one query for any number of deployments (an index probe each)."""
    return dict(
        Deployment.objects.filter(pk__in=ids)
        .annotate(last=_last_seq(deployment_id=OuterRef("pk")))
        .values_list("pk", "last")
    )


def shared_version() -> int:
    """The last change record outside any deployment (organisations, people,
    memberships, settings): what every page may show besides a deployment."""
    seq = (
        ChangeRecord.objects.filter(deployment_id__isnull=True)
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )
    return seq or 0


def models_version(labels: tuple[str, ...]) -> str:
    """The last change record of each of these models (app labels), in any
    deployment: one query, an index probe per model."""
    types = ContentType.objects.get_for_models(*(apps.get_model(x) for x in labels))
    found = dict(
        ContentType.objects.filter(pk__in=[t.pk for t in types.values()])
        .annotate(last=_last_seq(content_type=OuterRef("pk")))
        .values_list("pk", "last")
    )
    return "-".join(str(found[pk]) for pk in sorted(found))


def panel_version(slot: str, request: Any, obj: Any) -> str | None:
    """The key under which a slot's kept panels hold (see ``core.panels``):
    the versions of the deployments the page shows, the shared version, the
    day, the language and the reader's session (their roles, their form
    token). ``None``: nothing is kept for this page."""
    session = getattr(getattr(request, "session", None), "session_key", None)
    if not session:
        return None
    if slot == "deployment":
        ids: Any = [obj.pk]
    elif slot == "risk":
        ids = [obj.deployment_id]
    elif slot in ("dashboard", "organisation"):
        # Everything the reader sees, whichever part the page shows.
        ids = visible_deployment_ids(request.user)
    else:
        return None
    versions = deployment_versions(ids)
    digest = hashlib.sha256(
        ",".join(f"{k}:{v}" for k, v in sorted(versions.items())).encode()
    ).hexdigest()[:24]
    key = getattr(obj, "pk", "")
    return (
        f"{slot}:{key}:{digest}:{shared_version()}:{timezone.localdate()}:"
        f"{translation.get_language()}:{session}"
    )
