"""Reads of the audit trail, always through the object's own visibility."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from missionsafety.audit.models import ChangeRecord
from missionsafety.deployments.visibility import visible_deployment_ids
from missionsafety.organisations.scope import sees_everything


def history_target(*, user: Any, model_label: str, pk: str) -> models.Model:
    """The object whose history is asked for, if the user may see it; else 404."""
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError) as exc:
        raise Http404 from exc
    manager = model._default_manager
    queryset = manager.all()
    if hasattr(queryset, "visible_to"):
        queryset = queryset.visible_to(user)
    elif not sees_everything(user):
        raise Http404
    try:
        return queryset.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def object_history(*, obj: models.Model) -> QuerySet[ChangeRecord]:
    return (
        ChangeRecord.objects.for_object(obj)
        .select_related("actor", "content_type")
        .order_by("-seq")
    )


def deployment_history(*, user: Any, deployment_id: int) -> QuerySet[ChangeRecord]:
    """Every change under a deployment (for inspectors and the deployment's parties)."""
    qs = ChangeRecord.objects.filter(deployment_id=deployment_id)
    if not sees_everything(user):
        qs = qs.filter(deployment_id__in=visible_deployment_ids(user))
    return qs.select_related("actor", "content_type").order_by("-seq")


def model_label(obj: models.Model) -> str:
    ct = ContentType.objects.get_for_model(obj)
    return f"{ct.app_label}.{ct.model}"
