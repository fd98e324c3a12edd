"""REST endpoints of the lessons app: observations, lessons and search."""

import datetime
import uuid
from typing import Any

from django.http import HttpRequest
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
from missionsafety.deployments.models import Phase
from missionsafety.deployments.selectors import deployment_get
from missionsafety.lessons import search, selectors, services
from missionsafety.lessons.models import (
    Kind,
    Lesson,
    Observation,
    Releasability,
    Source,
)
from missionsafety.risks.models import HazardCategory

router = Router(tags=["lessons"])


def _categories(codes: list[str]) -> list[HazardCategory]:
    from missionsafety.core.exceptions import ValidationError

    found = {c.code: c for c in HazardCategory.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError(
            {"categories": f"Unknown hazard category: {', '.join(unknown)}."}
        )
    return [found[c] for c in dict.fromkeys(codes)]


class ObservationOut(Schema):
    id: int
    reference: str
    deployment_id: int
    phase: str
    observed_on: datetime.date
    title: str
    observation: str
    discussion: str
    conclusion: str
    recommendation: str
    originator_id: int | None
    organisation_id: int
    source: str
    kind: str
    tags: list[str]
    categories: list[str]
    releasability: str
    released_to: list[int]
    status: str
    status_reason: str
    lesson_id: int | None
    version: int

    @staticmethod
    def resolve_categories(obj: Observation) -> list[str]:
        return [c.code for c in obj.categories.all()]

    @staticmethod
    def resolve_released_to(obj: Observation) -> list[int]:
        return [o.pk for o in obj.released_to.all()]


class ObservationIn(InSchema):
    deployment_id: int
    title: str = Field(..., max_length=200)
    observation: str = Field(..., max_length=20000)
    discussion: str = Field("", max_length=20000)
    conclusion: str = Field("", max_length=20000)
    recommendation: str = Field("", max_length=20000)
    source: Source = Source.OTHER
    kind: Kind = Kind.ISSUE
    phase: Phase | None = None
    observed_on: datetime.date | None = None
    tags: list[str] = Field(default_factory=list, max_length=20)
    categories: list[str] = Field(default_factory=list, max_length=20)
    releasability: Releasability = Releasability.PARTIES
    released_to: list[ObjectId] = Field(default_factory=list, max_length=50)
    idempotency_key: uuid.UUID | None = Field(
        None,
        description="Send the same key again and the first observation is returned.",
    )


class ObservationPatch(InSchema):
    version: int = Field(..., description="The version you edited; 409 if stale.")
    title: str | None = Field(None, max_length=200)
    observation: str | None = Field(None, max_length=20000)
    discussion: str | None = Field(None, max_length=20000)
    conclusion: str | None = Field(None, max_length=20000)
    recommendation: str | None = Field(None, max_length=20000)
    source: Source | None = None
    kind: Kind | None = None
    phase: Phase | None = None
    tags: list[str] | None = None
    categories: list[str] | None = None
    releasability: Releasability | None = None
    released_to: list[ObjectId] | None = None
    status: Observation.Status | None = Field(
        None, description="verify / reject / resubmit; rejecting needs a reason"
    )
    reason: str = Field("", max_length=4000)


class LessonOut(Schema):
    id: int
    reference: str
    deployment_id: int
    title: str
    identified_on: datetime.date
    root_cause: str
    remedial_action: str
    action_body_id: int | None
    tasking_authority_id: int | None
    due_date: datetime.date | None
    validation_evidence: str
    releasability: str
    status: str
    status_reason: str
    version: int


class LessonIn(InSchema):
    title: str = Field(..., max_length=200)
    observation_ids: list[ObjectId] = Field(..., min_length=1, max_length=100)
    root_cause: str = Field("", max_length=20000)
    remedial_action: str = Field("", max_length=20000)
    action_body_id: int | None = None
    tasking_authority_id: int | None = None
    due_date: datetime.date | None = None
    releasability: Releasability | None = None
    released_to: list[ObjectId] = Field(default_factory=list, max_length=50)
    categories: list[str] | None = None


class TransitionIn(InSchema):
    to_status: Lesson.Status
    reason: str = Field("", max_length=4000)
    validation_evidence: str | None = Field(None, max_length=20000)
    version: int | None = None


class FacetOut(Schema):
    value: str
    label: str
    count: int


class HitOut(Schema):
    type: str
    id: int = Field(..., alias="object_id")
    title: str
    snippet: str
    deployment_id: int
    deployment_code: str
    theatre: str
    phase: str
    status: str
    kind: str
    date: datetime.date
    score: float


class SearchOut(Schema):
    q: str
    words: list[str]
    total: int
    more: bool  # more than `total` match; the best `total` are counted and paged
    page: int
    items: list[HitOut]
    facets: dict[str, list[FacetOut]]


class SearchParams(InSchema):
    q: str = Field("", max_length=2000)
    type: str = ""
    theatre: str = ""
    phase: str = ""
    category: str = ""
    kind: str = ""
    state: str = ""
    date_from: str = ""
    date_to: str = ""
    page: int = Field(1, ge=1, le=500)


def _org(pk: int | None):  # type: ignore[no-untyped-def]
    if pk is None:
        return None
    return services.resolve_organisations([pk])[0]


@router.get("/observations", response=list[ObservationOut])
@paginate(Paging)
def list_observations(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    deployment_id: int | None = None,
    status: str = "",
):
    """Observations you may see, newest first."""
    user = api_user(request)
    deployment = deployment_get(user=user, pk=deployment_id) if deployment_id else None
    return selectors.observation_list(
        user=user, deployment=deployment, status=status
    ).prefetch_related("categories", "released_to")


@router.post(
    "/observations",
    response={200: ObservationOut, 201: ObservationOut, 403: ErrorOut, 422: ErrorOut},
)
def create_observation(request: HttpRequest, payload: ObservationIn):  # type: ignore[no-untyped-def]
    """Submit an observation (any participant of the deployment). 201 when new;
    200 with the first observation when the ``idempotency_key`` was already used."""
    user = api_user(request)
    deployment = deployment_get(user=user, pk=payload.deployment_id)
    existing = services.observation_for_key(actor=user, key=payload.idempotency_key)
    if existing is not None:
        return Status(200, existing)
    obs = services.observation_submit(
        actor=user,
        deployment=deployment,
        title=payload.title,
        observation=payload.observation,
        discussion=payload.discussion,
        conclusion=payload.conclusion,
        recommendation=payload.recommendation,
        source=payload.source,
        kind=payload.kind,
        phase=payload.phase,
        observed_on=payload.observed_on,
        tags=payload.tags,
        categories=_categories(payload.categories),
        releasability=payload.releasability,
        released_to=services.resolve_organisations(payload.released_to),
        idempotency_key=payload.idempotency_key,
    )
    return Status(201, obs)


@router.get("/observations/{observation_id}", response=ObservationOut)
def get_observation(request: HttpRequest, observation_id: int):  # type: ignore[no-untyped-def]
    return selectors.observation_get(user=api_user(request), pk=observation_id)


@router.patch(
    "/observations/{observation_id}",
    response={200: ObservationOut, 403: ErrorOut, 409: ConflictOut, 422: ErrorOut},
)
def patch_observation(  # type: ignore[no-untyped-def]
    request: HttpRequest, observation_id: int, payload: ObservationPatch
):
    """Change an observation; ``status`` verifies, rejects or resubmits it."""
    user = api_user(request)
    obs = selectors.observation_get(user=user, pk=observation_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    status = data.pop("status", None)
    reason = data.pop("reason", "")
    extra: dict[str, Any] = {}
    if "categories" in data:
        extra["categories"] = _categories(data.pop("categories") or [])
    if "released_to" in data:
        extra["released_to"] = services.resolve_organisations(
            data.pop("released_to") or []
        )
    if "releasability" in data:
        extra["releasability"] = data.pop("releasability")
    changes = {k: v for k, v in data.items() if v is not None}
    if changes or extra:
        obs = services.observation_update(
            actor=user, observation=obs, version=version, changes=changes, **extra
        )
        version = obs.version
    if status and status != obs.status:
        obs = services.observation_transition(
            actor=user,
            observation=obs,
            to_status=status,
            reason=reason,
            version=version,
        )
    return selectors.observation_get(user=user, pk=obs.pk)


@router.get("/lessons", response=list[LessonOut])
@paginate(Paging)
def list_lessons(request: HttpRequest, status: str = "", overdue: bool = False):  # type: ignore[no-untyped-def]
    """Lessons you may see, newest first."""
    return selectors.lesson_list(user=api_user(request), status=status, overdue=overdue)


@router.post("/lessons", response={201: LessonOut, 403: ErrorOut, 422: ErrorOut})
def create_lesson(request: HttpRequest, payload: LessonIn):  # type: ignore[no-untyped-def]
    """Group verified observations into a lesson (a lessons officer)."""
    user = api_user(request)
    observations = [
        selectors.observation_get(user=user, pk=pk)
        for pk in dict.fromkeys(payload.observation_ids)
    ]
    lesson = services.lesson_create(
        actor=user,
        title=payload.title,
        observations=observations,
        root_cause=payload.root_cause,
        remedial_action=payload.remedial_action,
        action_body=_org(payload.action_body_id),
        tasking_authority=_org(payload.tasking_authority_id),
        due_date=payload.due_date,
        releasability=payload.releasability,
        released_to=services.resolve_organisations(payload.released_to),
        categories=_categories(payload.categories)
        if payload.categories is not None
        else None,
    )
    return Status(201, lesson)


@router.post(
    "/lessons/{lesson_id}/transition",
    response={200: LessonOut, 403: ErrorOut, 409: ConflictOut, 422: ErrorOut},
)
def transition_lesson(request: HttpRequest, lesson_id: int, payload: TransitionIn):  # type: ignore[no-untyped-def]
    """Move a lesson one step (endorse, task, implemented, validate, close)."""
    user = api_user(request)
    lesson = selectors.lesson_get(user=user, pk=lesson_id)
    return services.lesson_transition(
        actor=user,
        lesson=lesson,
        to_status=payload.to_status,
        reason=payload.reason,
        validation_evidence=payload.validation_evidence,
        version=payload.version,
    )


@router.get("/search", response=SearchOut)
def search_lessons(request: HttpRequest, params: Query[SearchParams]):  # type: ignore[no-untyped-def]
    """Full-text search over the observations and lessons you may see, with
    the same filters and facets as the search page."""
    filters = search.Filters.from_params(params.dict())
    results = search.run_search(
        user=api_user(request), q=params.q[:300], filters=filters, page=params.page
    )
    return {
        "q": params.q[:300],
        "words": results.words,
        "total": results.total,
        "more": results.more,
        "page": results.page,
        "items": [
            {**hit.__dict__, "object_id": hit.object_id, "snippet": str(hit.snippet)}
            for hit in results.hits
        ],
        "facets": {
            key: [f.__dict__ for f in values] for key, values in results.facets.items()
        },
    }
