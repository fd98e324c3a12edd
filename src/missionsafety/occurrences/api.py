"""REST endpoints for occurrences: list, report, read, correct, triage."""

import datetime
import uuid
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from missionsafety.core.api import (
    ConflictOut,
    ErrorOut,
    InSchema,
    ObjectId,
    Paging,
    api_user,
)
from missionsafety.core.exceptions import ValidationError
from missionsafety.deployments.selectors import deployment_get
from missionsafety.occurrences import services
from missionsafety.occurrences.models import Occurrence
from missionsafety.occurrences.rules import may_see_personal_data
from missionsafety.occurrences.selectors import (
    OccurrenceFilters,
    occurrence_get,
    occurrence_list,
)
from missionsafety.organisations.models import Organisation, User

router = Router(tags=["occurrences"])


class OccurrenceListOut(Schema):
    """What lists show: never personal data."""

    id: int
    reference: str
    deployment_id: int
    occurred_at: datetime.datetime
    place: str
    unit_id: int
    unit: str = Field(..., alias="unit.short_name")
    kind: str
    title: str
    actual_category: int
    potential_category: int
    is_serious: bool
    ammunition_involved: bool
    status: str


class PersonOut(Schema):
    id: int
    name: str
    role_in_occurrence: str
    medical_details: str


class OccurrenceOut(OccurrenceListOut):
    latitude: Decimal | None
    longitude: Decimal | None
    activity: str
    injuries: str
    damage: str
    immediate_actions: str
    description: str
    category_confirmed: bool
    investigation_level: str
    triage_note: str
    risk_ids: list[int]
    allowed_statuses: list[str]
    reported_by_id: int | None
    version: int
    persons: list[PersonOut] | None = Field(
        None, description="Only for those who may see personal data; else null."
    )

    @staticmethod
    def resolve_risk_ids(obj: Occurrence) -> list[int]:
        return [r.pk for r in obj.risks.all()]

    @staticmethod
    def resolve_allowed_statuses(obj: Occurrence) -> list[str]:
        return obj.allowed_statuses()

    @staticmethod
    def resolve_persons(obj: Occurrence) -> list[PersonOut] | None:
        return getattr(obj, "_persons", None)


class PersonIn(InSchema):
    name: str = Field(..., min_length=1, max_length=200)
    role_in_occurrence: str = Field("", max_length=120)
    medical_details: str = ""


class OccurrenceIn(InSchema):
    occurred_at: datetime.datetime
    place: str = Field(..., min_length=1, max_length=200)
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    unit_id: int
    activity: str = Field("", max_length=200)
    kind: Occurrence.Kind
    title: str = Field(..., min_length=1, max_length=200)
    actual_category: int = Field(..., ge=0, le=4)
    potential_category: int = Field(..., ge=0, le=4)
    injuries: str = ""
    damage: str = ""
    ammunition_involved: bool = False
    immediate_actions: str = ""
    description: str = ""
    risk_ids: list[ObjectId] = Field(default_factory=list)
    persons: list[PersonIn] = Field(default_factory=list)
    idempotency_key: uuid.UUID | None = Field(
        None, description="Send the same key again and the first report is returned."
    )


class OccurrencePatch(InSchema):
    version: int = Field(..., description="The version you edited; 409 if stale.")
    occurred_at: datetime.datetime | None = None
    place: str | None = Field(None, min_length=1, max_length=200)
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    activity: str | None = Field(None, max_length=200)
    kind: Occurrence.Kind | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    actual_category: int | None = Field(None, ge=0, le=4)
    potential_category: int | None = Field(None, ge=0, le=4)
    injuries: str | None = None
    damage: str | None = None
    ammunition_involved: bool | None = None
    immediate_actions: str | None = None
    description: str | None = None


class TriageIn(InSchema):
    version: int | None = None
    actual_category: int = Field(..., ge=0, le=4)
    potential_category: int = Field(..., ge=0, le=4)
    investigation_level: Occurrence.InvestigationLevel | None = None
    risk_ids: list[ObjectId] = Field(default_factory=list)
    note: str = ""
    to_status: Occurrence.Status | None = Field(
        None, description="Optionally move on after triage (e.g. investigating)."
    )


class FiltersIn(InSchema):
    kind: Occurrence.Kind | None = None
    category: int | None = Field(None, ge=0, le=4)
    status: Occurrence.Status | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    ammunition: bool | None = None


def _risks(user: User, ids: list[int]) -> list:  # type: ignore[type-arg]
    from missionsafety.risks.models import Risk

    found = list(Risk.objects.visible_to(user).filter(pk__in=ids))
    missing = set(ids) - {r.pk for r in found}
    if missing:
        raise ValidationError(
            {"risks": f"Unknown risk id(s): {', '.join(map(str, sorted(missing)))}."}
        )
    return found


def _detail(request: HttpRequest, pk: int) -> Occurrence:
    user = api_user(request)
    occurrence = occurrence_get(user=user, pk=pk)
    if may_see_personal_data(user, occurrence):
        occurrence._persons = list(occurrence.persons.all())  # type: ignore[attr-defined]
    return occurrence


@router.get(
    "/deployments/{deployment_id}/occurrences",
    response={200: list[OccurrenceListOut], 404: ErrorOut},
)
@paginate(Paging)
def list_occurrences(  # type: ignore[no-untyped-def]
    request: HttpRequest, deployment_id: int, filters: Query[FiltersIn]
):
    """Occurrences of a deployment, newest first, with filters; no personal data."""
    user = api_user(request)
    deployment = deployment_get(user=user, pk=deployment_id)
    return occurrence_list(
        user=user,
        deployment=deployment,
        filters=OccurrenceFilters(
            kind=filters.kind or "",
            category=filters.category,
            status=filters.status or "",
            date_from=filters.date_from,
            date_to=filters.date_to,
            ammunition=filters.ammunition,
        ),
    )


@router.post(
    "/deployments/{deployment_id}/occurrences",
    response={
        200: OccurrenceOut,
        201: OccurrenceOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
)
def create_occurrence(  # type: ignore[no-untyped-def]
    request: HttpRequest, deployment_id: int, payload: OccurrenceIn
):
    """Report an occurrence. 201 when new; 200 with the first report when the
    ``idempotency_key`` was already used."""
    user = api_user(request)
    deployment = deployment_get(user=user, pk=deployment_id)
    unit = get_object_or_404(Organisation, pk=payload.unit_id)
    occurrence, created = services.occurrence_report(
        actor=user,
        deployment=deployment,
        occurred_at=payload.occurred_at,
        place=payload.place,
        latitude=payload.latitude,
        longitude=payload.longitude,
        unit=unit,
        activity=payload.activity,
        kind=payload.kind,
        title=payload.title,
        actual_category=payload.actual_category,
        potential_category=payload.potential_category,
        injuries=payload.injuries,
        damage=payload.damage,
        ammunition_involved=payload.ammunition_involved,
        immediate_actions=payload.immediate_actions,
        description=payload.description,
        risks=_risks(user, payload.risk_ids),
        persons=[p.dict() for p in payload.persons],
        idempotency_key=payload.idempotency_key,
    )
    return Status(201 if created else 200, _detail(request, occurrence.pk))


@router.get(
    "/occurrences/{occurrence_id}", response={200: OccurrenceOut, 404: ErrorOut}
)
def get_occurrence(request: HttpRequest, occurrence_id: int):  # type: ignore[no-untyped-def]
    """One occurrence; ``persons`` only for those who may see personal data."""
    return _detail(request, occurrence_id)


@router.patch(
    "/occurrences/{occurrence_id}",
    response={
        200: OccurrenceOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        422: ErrorOut,
    },
)
def patch_occurrence(  # type: ignore[no-untyped-def]
    request: HttpRequest, occurrence_id: int, payload: OccurrencePatch
):
    """Correct the facts; send the ``version`` you read — a stale one answers 409."""
    user = api_user(request)
    occurrence = occurrence_get(user=user, pk=occurrence_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    services.occurrence_update(
        actor=user, occurrence=occurrence, version=payload.version, **changes
    )
    return _detail(request, occurrence_id)


@router.post(
    "/occurrences/{occurrence_id}/triage",
    response={
        200: OccurrenceOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        422: ErrorOut,
    },
)
def triage_occurrence(  # type: ignore[no-untyped-def]
    request: HttpRequest, occurrence_id: int, payload: TriageIn
):
    """Confirm categories, link risks, set the investigation level (safety officers)."""
    user = api_user(request)
    occurrence = occurrence_get(user=user, pk=occurrence_id)
    occurrence = services.occurrence_triage(
        actor=user,
        occurrence=occurrence,
        version=payload.version,
        actual_category=payload.actual_category,
        potential_category=payload.potential_category,
        investigation_level=payload.investigation_level or "",
        risks=_risks(user, payload.risk_ids),
        note=payload.note,
    )
    if payload.to_status and payload.to_status != occurrence.status:
        services.occurrence_transition(
            actor=user, occurrence=occurrence, to_status=payload.to_status
        )
    return _detail(request, occurrence_id)
