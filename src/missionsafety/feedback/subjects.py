"""What a feedback thread can be about: a generic link (content type + id).

Apps register the models a thread may point at, with how to find the object's
deployment and its page::

    register_subject("lessons.observation", deployment_of=lambda o: o.deployment_id,
                     url_name="lessons:observation")

The thread service validates that the object exists, that the user may see it
(``Model.objects.visible_to(user)``) and that it belongs to the thread's
deployment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from missionsafety.core.exceptions import ValidationError


@dataclass(frozen=True)
class SubjectType:
    label: str
    deployment_of: Callable[[Any], int | None]
    url_name: str | None
    url_args: Callable[[Any], list[Any]]


_registry: dict[str, SubjectType] = {}


def register_subject(
    label: str,
    *,
    deployment_of: Callable[[Any], int | None] = lambda obj: obj.deployment_id,
    url_name: str | None = None,
    url_args: Callable[[Any], list[Any]] = lambda obj: [obj.pk],
) -> None:
    _registry[label.lower()] = SubjectType(
        label.lower(), deployment_of, url_name, url_args
    )


def subject_types() -> dict[str, SubjectType]:
    return dict(_registry)


def _label_of(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def subject_url(obj: models.Model | None) -> str | None:
    if obj is None:
        return None
    kind = _registry.get(_label_of(obj))
    if kind is None or kind.url_name is None:
        return None
    try:
        return reverse(kind.url_name, args=kind.url_args(obj))
    except NoReverseMatch:
        return None


def resolve_subject(*, user: Any, ref: str, deployment_id: int) -> models.Model:
    """``"risks.risk:12"`` → the object, if the user may see it on that deployment."""
    error = ValidationError(
        {"subject": _("Choose something of this deployment to talk about.")}
    )
    label, _sep, raw_pk = (ref or "").partition(":")
    kind = _registry.get(label.lower())
    if kind is None or not raw_pk.isdigit():
        raise error
    model = apps.get_model(kind.label)
    manager = model._default_manager
    qs = manager.visible_to(user) if hasattr(manager, "visible_to") else manager.all()
    obj = qs.filter(pk=int(raw_pk)).first()
    if obj is None or kind.deployment_of(obj) != deployment_id:
        raise ValidationError(
            {
                "subject": _(
                    "That item does not exist, is not visible to you or belongs "
                    "to another deployment."
                )
            }
        )
    return obj


def subject_ref(obj: models.Model) -> str:
    return f"{_label_of(obj)}:{obj.pk}"


def content_type_for(obj: models.Model) -> ContentType:
    return ContentType.objects.get_for_model(obj)


def register_defaults() -> None:
    register_subject(
        "deployments.deployment",
        deployment_of=lambda obj: obj.pk,
        url_name="deployments:detail",
    )
    register_subject("risks.risk", url_name="risks:detail")
    register_subject(
        "risks.control", url_name="risks:detail", url_args=lambda obj: [obj.risk_id]
    )
    register_subject("occurrences.occurrence", url_name="occurrences:detail")
    register_subject("lessons.observation", url_name="lessons:observation_detail")
    register_subject("evaluations.evaluation", url_name="evaluations:detail")
