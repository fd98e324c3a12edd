"""What travels between a home and a field instance, and in which form.

Records of one deployment travel by a stable UUID (the ``Identity`` side
table, so that no other app's table changes). A record's state is a dict of
its concrete fields: foreign keys to records that travel become their UUID,
foreign keys to shared reference data (people, organisations, the hazard
library, categories, templates) their natural key, many-to-many fields a
sorted list of the same.
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from missionsafety.audit.services import to_json
from missionsafety.field.models import Identity, Instance

# Fields never compared or sent: the local edit counter (bumped on apply).
SKIPPED = {"version"}
# Fields that follow any change without ever being a conflict.
FOLLOWING = {"updated_at", "search_vector"}


@dataclass(frozen=True)
class Kind:
    """One model that travels: how to find its rows of a deployment."""

    label: str
    scope: Callable[[Any], models.QuerySet[Any]]
    # Never edited after creation: travels once, never conflicts.
    append_only: bool = False

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)


def _by_deployment(label: str) -> Callable[[Any], models.QuerySet[Any]]:
    return lambda d: apps.get_model(label)._base_manager.filter(deployment=d)


def _lessons(d: Any) -> models.QuerySet[Any]:
    """The deployment's own lessons. Lessons of other deployments released to
    its parties stay at home: each names its deployment, which does not
    travel, and a field instance cannot create a lesson without it."""
    return apps.get_model("lessons.Lesson")._base_manager.filter(deployment=d)


# In creation order: a record's foreign keys point to earlier kinds (or are
# nullable and filled in once everything of the bundle exists).
KINDS: list[Kind] = [
    Kind(
        "deployments.Deployment",
        lambda d: apps.get_model("deployments.Deployment")._base_manager.filter(
            pk=d.pk
        ),
    ),
    Kind("deployments.Party", _by_deployment("deployments.Party")),
    Kind("deployments.PhaseChange", _by_deployment("deployments.PhaseChange"), True),
    Kind("evaluations.Agreement", _by_deployment("evaluations.Agreement")),
    Kind(
        "evaluations.AgreementAssignment",
        lambda d: apps.get_model(
            "evaluations.AgreementAssignment"
        )._base_manager.filter(agreement__deployment=d),
    ),
    Kind(
        "evaluations.AgreementSignature",
        lambda d: apps.get_model("evaluations.AgreementSignature")._base_manager.filter(
            agreement__deployment=d
        ),
        True,
    ),
    Kind("risks.Risk", _by_deployment("risks.Risk")),
    Kind("risks.Assessment", _by_deployment("risks.Assessment"), True),
    Kind("risks.Control", _by_deployment("risks.Control")),
    Kind("risks.Consultation", _by_deployment("risks.Consultation")),
    Kind("risks.Decision", _by_deployment("risks.Decision"), True),
    Kind("risks.RiskAttachment", _by_deployment("risks.RiskAttachment"), True),
    Kind("evaluations.Evaluation", _by_deployment("evaluations.Evaluation")),
    Kind(
        "evaluations.EvaluationParticipant",
        lambda d: apps.get_model(
            "evaluations.EvaluationParticipant"
        )._base_manager.filter(evaluation__deployment=d),
    ),
    Kind("evaluations.Finding", _by_deployment("evaluations.Finding")),
    Kind("evaluations.Action", _by_deployment("evaluations.Action")),
    Kind("evaluations.GateWaiver", _by_deployment("evaluations.GateWaiver"), True),
    Kind("occurrences.Occurrence", _by_deployment("occurrences.Occurrence")),
    Kind("occurrences.Attachment", _by_deployment("occurrences.Attachment"), True),
    Kind(
        "occurrences.OccurrenceAction", _by_deployment("occurrences.OccurrenceAction")
    ),
    Kind("occurrences.PersonInvolved", _by_deployment("occurrences.PersonInvolved")),
    Kind("feedback.Thread", _by_deployment("feedback.Thread")),
    Kind("feedback.Message", _by_deployment("feedback.Message"), True),
    Kind(
        "feedback.MessageAttachment",
        _by_deployment("feedback.MessageAttachment"),
        True,
    ),
    Kind("lessons.Lesson", _lessons),
    Kind("lessons.Observation", _by_deployment("lessons.Observation")),
    Kind(
        "lessons.Attachment",
        lambda d: apps.get_model("lessons.Attachment")._base_manager.filter(
            observation__deployment=d
        ),
        True,
    ),
    # Lessons and observations of earlier deployments taken into account or
    # reviewed here stay at home with them (see ``_lessons``).
    Kind(
        "lessons.LessonUse",
        lambda d: apps.get_model("lessons.LessonUse")._base_manager.filter(
            Q(lesson__deployment=d) | Q(observation__deployment=d), deployment=d
        ),
    ),
    Kind(
        "lessons.LessonReview",
        lambda d: apps.get_model("lessons.LessonReview")._base_manager.filter(
            deployment=d, lesson__deployment=d
        ),
    ),
]
KIND_BY_LABEL = {k.label.lower(): k for k in KINDS}

# Shared reference data, carried whole in the package and referred to by
# natural key in bundles.
REFERENCE_KEYS: dict[str, tuple[str, ...]] = {
    "organisations.user": ("username",),
    "organisations.organisation": ("short_name",),
    "risks.riskmatrix": ("code", "revision"),
    "risks.hazardcategory": ("code",),
    "risks.hazard": ("code",),
    "occurrences.occurrencecategory": ("number",),
    "evaluations.processstep": ("code",),
    "evaluations.evaluationtemplate": ("code",),
    "contenttypes.contenttype": ("app_label", "model"),
}
# Generic relations: (content type field, id field).
GENERIC = {
    "feedback.thread": ("subject_type", "subject_id"),
    "lessons.observation": ("source_type", "source_id"),
}


def kind_of(model: type[models.Model]) -> Kind | None:
    return KIND_BY_LABEL.get(model._meta.label_lower)


class Identities:
    """The UUIDs of one deployment's records, loaded once per bundle."""

    def __init__(self, deployment: Any, origin: Instance | None) -> None:
        self.deployment = deployment
        self.origin = origin
        self.by_key: dict[tuple[int, int], str] = {}
        self.by_uuid: dict[str, tuple[int, int]] = {}
        for ct_id, object_id, uid in Identity.objects.values_list(
            "content_type_id", "object_id", "uuid"
        ):
            self._remember(ct_id, object_id, str(uid))

    def _remember(self, ct_id: int, object_id: int, uid: str) -> None:
        self.by_key[(ct_id, object_id)] = uid
        self.by_uuid[uid] = (ct_id, object_id)

    def assign_missing(self) -> int:
        """Give every record of the deployment that has none a UUID."""
        new = []
        for kind in KINDS:
            ct = ContentType.objects.get_for_model(kind.model)
            for pk in kind.scope(self.deployment).values_list("pk", flat=True):
                if (ct.pk, pk) not in self.by_key:
                    identity = Identity(
                        content_type=ct,
                        object_id=pk,
                        uuid=uuidlib.uuid4(),
                        origin=self.origin,
                        origin_pk=pk,
                        deployment_id=self.deployment.pk,
                    )
                    new.append(identity)
                    self._remember(ct.pk, pk, str(identity.uuid))
        Identity.objects.bulk_create(new, batch_size=500)
        return len(new)

    def uuid_of(self, model: type[models.Model], pk: Any) -> str | None:
        if pk is None:
            return None
        ct = ContentType.objects.get_for_model(model)
        return self.by_key.get((ct.pk, int(pk)))

    def add(
        self,
        model: type[models.Model],
        pk: int,
        uid: str,
        origin: Instance | None,
        origin_pk: int | None,
    ) -> None:
        ct = ContentType.objects.get_for_model(model)
        Identity.objects.create(
            content_type=ct,
            object_id=pk,
            uuid=uid,
            origin=origin,
            origin_pk=origin_pk,
            deployment_id=self.deployment.pk if self.deployment else None,
        )
        self._remember(ct.pk, pk, uid)

    def local(self, uid: str) -> tuple[type[models.Model], int] | None:
        found = self.by_uuid.get(uid)
        if found is None:
            return None
        model = ContentType.objects.get_for_id(found[0]).model_class()
        assert model is not None
        return model, found[1]


_reference_cache: dict[tuple[str, tuple[Any, ...]], int | None] = {}


def _natural(model: type[models.Model], pk: Any) -> list[Any] | None:
    label = model._meta.label_lower
    names = REFERENCE_KEYS[label]
    row = model._base_manager.filter(pk=pk).values_list(*names).first()
    return list(row) if row else None


def _reference_pk(label: str, key: list[Any]) -> int | None:
    names = REFERENCE_KEYS[label]
    model = apps.get_model(label)
    found = model._base_manager.filter(**dict(zip(names, key, strict=True))).first()
    return found.pk if found else None


def _relation_fields(model: type[models.Model]) -> Iterable[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


class Codec:
    """Turns records into travelling state and back, for one deployment."""

    def __init__(self, ids: Identities) -> None:
        self.ids = ids
        self._natural: dict[tuple[str, Any], list[Any] | None] = {}

    def _ref(self, model: type[models.Model], pk: Any) -> Any:
        if pk is None:
            return None
        label = model._meta.label_lower
        if label in REFERENCE_KEYS:
            key = (label, pk)
            if key not in self._natural:
                self._natural[key] = _natural(model, pk)
            return {"r": self._natural[key]}
        uid = self.ids.uuid_of(model, pk)
        return {"u": uid} if uid else None

    def encode(self, obj: models.Model) -> dict[str, Any]:
        model = type(obj)
        label = model._meta.label_lower
        state: dict[str, Any] = {}
        generic = GENERIC.get(label)
        for field in _relation_fields(model):
            if field.name in SKIPPED:
                continue
            value = getattr(obj, field.attname)
            if field.is_relation and field.related_model is not None:
                state[field.name] = self._ref(field.related_model, value)  # type: ignore[arg-type]
            elif generic and field.name == generic[1] and value is not None:
                ct_id = getattr(obj, f"{generic[0]}_id")
                target = (
                    ContentType.objects.get_for_id(ct_id).model_class()
                    if ct_id
                    else None
                )
                state[field.name] = (
                    self._ref(target, value) if target else to_json(value)
                )
            else:
                state[field.name] = to_json(value)
        for m2m in model._meta.many_to_many:
            related = m2m.related_model
            refs = [
                self._ref(related, pk)  # type: ignore[arg-type]
                for pk in getattr(obj, m2m.name).values_list("pk", flat=True)
            ]
            state[m2m.name] = sorted(
                (r for r in refs if r is not None), key=lambda r: str(r)
            )
        return state

    def decode_ref(self, value: Any) -> Any:
        """The local primary key a travelling reference points to (None if
        this instance does not hold it)."""
        if value is None:
            return None
        if isinstance(value, dict) and "u" in value:
            found = self.ids.local(value["u"])
            return found[1] if found else None
        if isinstance(value, dict) and "r" in value:
            return value["r"]
        return value

    def decode(
        self, model: type[models.Model], values: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, list[Any]], list[str]]:
        """Attribute values, many-to-many pks and the names of references
        not (yet) held here."""
        label = model._meta.label_lower
        generic = GENERIC.get(label)
        attrs: dict[str, Any] = {}
        m2m: dict[str, list[Any]] = {}
        missing: list[str] = []
        for name, value in values.items():
            field = model._meta.get_field(name)
            if field.many_to_many:
                pks = [self._resolve(field.related_model, v) for v in value]  # type: ignore[arg-type]
                m2m[name] = [pk for pk in pks if pk is not None]
            elif field.is_relation and field.related_model is not None:
                pk = self._resolve(field.related_model, value)  # type: ignore[arg-type]
                if value is not None and pk is None:
                    missing.append(name)
                attrs[field.attname] = pk  # type: ignore[union-attr]
            elif generic and name == generic[1] and isinstance(value, dict):
                found = self.decode_ref(value)
                if isinstance(found, list):
                    found = None
                if found is None:
                    missing.append(name)
                attrs[name] = found
            else:
                attrs[name] = field.to_python(value)  # type: ignore[union-attr]
        return attrs, m2m, missing

    def _resolve(self, model: type[models.Model], value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, dict) and "r" in value:
            if value["r"] is None:
                return None
            label = model._meta.label_lower
            key = (label, tuple(value["r"]))
            if key not in _reference_cache:
                _reference_cache[key] = _reference_pk(label, value["r"])
            return _reference_cache[key]
        found = self.decode_ref(value)
        return found


def clear_caches() -> None:
    _reference_cache.clear()
