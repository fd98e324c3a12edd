"""REST endpoints for deployments, parties and phases."""

import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from missionsafety.core.api import ConflictOut, ErrorOut, InSchema, Paging, api_user
from missionsafety.core.exceptions import ValidationError
from missionsafety.deployments import services
from missionsafety.deployments.models import Deployment, Party, Phase
from missionsafety.deployments.selectors import deployment_get, deployment_list
from missionsafety.organisations.models import Organisation, User

router = Router(tags=["deployments"])
EDIT_ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut}


class PartyOut(Schema):
    id: int
    organisation_id: int
    organisation: str = Field(..., alias="organisation.short_name")
    role: str
    point_of_contact_id: int | None
    contact_note: str


class DeploymentOut(Schema):
    id: int
    code: str
    name: str
    theatre: str
    description: str
    start_date: datetime.date
    end_date: datetime.date
    phase: str
    allowed_phases: list[str]
    predecessor_id: int | None
    matrix_id: int | None
    version: int
    parties: list[PartyOut] = Field(..., alias="party_list")

    @staticmethod
    def resolve_allowed_phases(obj: Deployment) -> list[str]:
        return obj.allowed_phases()


class PartyIn(InSchema):
    organisation_id: int
    role: Party.PartyRole
    point_of_contact_id: int | None = None
    contact_note: str = Field("", max_length=200)


class DeploymentIn(InSchema):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=200)
    theatre: str = Field(..., min_length=1, max_length=120)
    description: str = ""
    start_date: datetime.date
    end_date: datetime.date
    predecessor_id: int | None = None
    parties: list[PartyIn] = Field(default_factory=list)


class DeploymentPatch(InSchema):
    version: int = Field(..., description="The version you edited; 409 if stale.")
    code: str | None = Field(None, min_length=1, max_length=40)
    name: str | None = Field(None, min_length=1, max_length=200)
    theatre: str | None = Field(None, min_length=1, max_length=120)
    description: str | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None


class PhaseIn(InSchema):
    to_phase: Phase
    note: str = Field("", max_length=2000)
    version: int | None = None
    waiver_rationale: str = Field(
        "", max_length=4000, description="Only for moving on past open gate items."
    )


def _organisation(pk: int) -> Organisation:
    """The organisation named in a request body; an unknown id is invalid input."""
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise ValidationError({"organisation_id": _("There is no such organisation.")})
    return organisation


@router.get("/deployments", response=list[DeploymentOut])
@paginate(Paging)
def list_deployments(  # type: ignore[no-untyped-def]
    request: HttpRequest, phase: Phase | None = None, q: str = ""
):
    """Deployments you may see, newest first."""
    return deployment_list(user=api_user(request), phase=phase, q=q[:100])


@router.post(
    "/deployments",
    response={201: DeploymentOut, 403: ErrorOut, 422: ErrorOut},
)
def create_deployment(request: HttpRequest, payload: DeploymentIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    predecessor = (
        deployment_get(user=user, pk=payload.predecessor_id)
        if payload.predecessor_id
        else None
    )
    parties = [(_organisation(p.organisation_id), str(p.role)) for p in payload.parties]
    deployment = services.deployment_create(
        actor=user,
        name=payload.name,
        code=payload.code,
        theatre=payload.theatre,
        description=payload.description,
        start_date=payload.start_date,
        end_date=payload.end_date,
        predecessor=predecessor,
        parties=parties,
    )
    return Status(201, deployment_get(user=user, pk=deployment.pk))


@router.get(
    "/deployments/{deployment_id}", response={200: DeploymentOut, 404: ErrorOut}
)
def get_deployment(request: HttpRequest, deployment_id: int):  # type: ignore[no-untyped-def]
    return deployment_get(user=api_user(request), pk=deployment_id)


@router.patch(
    "/deployments/{deployment_id}",
    response={200: DeploymentOut, **EDIT_ERRORS},
)
def patch_deployment(  # type: ignore[no-untyped-def]
    request: HttpRequest, deployment_id: int, payload: DeploymentPatch
):
    """Change fields; send the ``version`` you read — a stale one answers 409."""
    user = api_user(request)
    deployment = deployment_get(user=user, pk=deployment_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    services.deployment_update(
        actor=user, deployment=deployment, version=payload.version, **changes
    )
    return deployment_get(user=user, pk=deployment_id)


@router.post(
    "/deployments/{deployment_id}/phase",
    response={200: DeploymentOut, **EDIT_ERRORS},
)
def move_phase(request: HttpRequest, deployment_id: int, payload: PhaseIn):  # type: ignore[no-untyped-def]
    """Move the deployment along its phase machine (one step forward)."""
    user = api_user(request)
    deployment = deployment_get(user=user, pk=deployment_id)
    options = (
        {"waiver_rationale": payload.waiver_rationale}
        if payload.waiver_rationale
        else {}
    )
    services.deployment_move_phase(
        actor=user,
        deployment=deployment,
        to_phase=payload.to_phase,
        note=payload.note,
        version=payload.version,
        **options,
    )
    return deployment_get(user=user, pk=deployment_id)


@router.post(
    "/deployments/{deployment_id}/parties",
    response={201: PartyOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def add_party(request: HttpRequest, deployment_id: int, payload: PartyIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    deployment = deployment_get(user=user, pk=deployment_id)
    organisation = _organisation(payload.organisation_id)
    contact = None
    if payload.point_of_contact_id:
        contact = User.objects.filter(
            pk=payload.point_of_contact_id, is_active=True
        ).first()
        if contact is None:
            raise ValidationError(
                {"point_of_contact_id": _("There is no such active user.")}
            )
    party = services.party_add(
        actor=user,
        deployment=deployment,
        organisation=organisation,
        role=payload.role,
        point_of_contact=contact,
        contact_note=payload.contact_note,
    )
    return Status(201, party)
