"""REST endpoints of the evaluations app: agreement, evaluations, gate, calendar."""

import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from missionsafety.core.api import ConflictOut, ErrorOut, InSchema, Paging, api_user
from missionsafety.core.exceptions import ValidationError
from missionsafety.core.services import check_version
from missionsafety.deployments.selectors import deployment_get
from missionsafety.evaluations import selectors, services
from missionsafety.evaluations.ics import party_calendar
from missionsafety.evaluations.models import Agreement, Evaluation, ProcessStep
from missionsafety.evaluations.selectors import evaluation_get

router = Router(tags=["evaluations"])


class CellOut(Schema):
    step: str
    party_id: int
    raci: str
    tasks: str


class SignatureOut(Schema):
    party_id: int
    organisation: str
    signed: bool
    signed_by: str | None
    signed_at: datetime.datetime | None


class AgreementOut(Schema):
    id: int
    deployment_id: int
    version: int
    status: str
    note: str
    in_force_at: datetime.datetime | None
    assignments: list[CellOut]
    signatures: list[SignatureOut]
    not_signed: list[str]
    versions: list[dict[str, Any]]


class CellIn(InSchema):
    step: str = Field(..., max_length=40, description="Process step code")
    party_id: int
    raci: str = Field("", max_length=1, description="R, A, C, I or empty")
    tasks: str = Field("", max_length=500)


class AgreementIn(InSchema):
    version: int | None = Field(
        None, description="The agreement version you edited; 409 if stale."
    )
    assignments: list[CellIn] = Field(default_factory=list)
    note: str = Field("", max_length=2000)
    submit: bool = Field(False, description="Send the draft for signature.")


class SignIn(InSchema):
    party_id: int
    version: int = Field(..., description="The version you sign.")


def _agreement_out(user: Any, deployment: Any, agreement: Any) -> dict[str, Any]:
    matrix = selectors.agreement_matrix(agreement)
    return {
        "id": agreement.pk,
        "deployment_id": deployment.pk,
        "version": agreement.number,
        "status": agreement.status,
        "note": agreement.note,
        "in_force_at": agreement.in_force_at,
        "assignments": [
            {
                "step": row["step"].code,
                "party_id": party.pk,
                "raci": cell.raci if cell else "",
                "tasks": cell.tasks if cell else "",
            }
            for row in matrix["rows"]
            for party, cell in zip(matrix["parties"], row["cells"], strict=True)
        ],
        "signatures": [
            {
                "party_id": s["party"].pk,
                "organisation": s["party"].organisation.short_name,
                "signed": s["signature"] is not None,
                "signed_by": str(s["signature"].signed_by) if s["signature"] else None,
                "signed_at": s["signature"].signed_at if s["signature"] else None,
            }
            for s in matrix["signatures"]
        ],
        "not_signed": [p.organisation.short_name for p in matrix["unsigned"]],
        "versions": [
            {"version": v.number, "status": v.status}
            for v in selectors.agreement_versions(user=user, deployment=deployment)
        ],
    }


@router.get(
    "/deployments/{deployment_id}/agreement",
    response={200: AgreementOut, 404: ErrorOut},
)
def get_agreement(request: HttpRequest, deployment_id: int, version: int | None = None):  # type: ignore[no-untyped-def]
    """The current agreement (or an older ``version``), with who has not signed."""
    user = api_user(request)
    deployment = deployment_get(user=user, pk=deployment_id)
    agreement: Agreement | None
    if version is not None:
        agreement = selectors.agreement_get(
            user=user, deployment=deployment, number=version
        )
    else:
        agreement = services.current_agreement(deployment)
    if agreement is None:
        raise Http404
    return _agreement_out(user, deployment, agreement)


@router.put(
    "/deployments/{deployment_id}/agreement",
    response={200: AgreementOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut},
)
def put_agreement(request: HttpRequest, deployment_id: int, payload: AgreementIn):  # type: ignore[no-untyped-def]
    """Set up or change the matrix (a signed version makes a new version); with
    ``submit`` send the draft for signature."""
    from django.db import transaction

    user = api_user(request)
    deployment = deployment_get(user=user, pk=deployment_id)
    steps = {s.code: s.pk for s in ProcessStep.objects.filter(active=True)}
    cells = {}
    for cell in payload.assignments:
        if cell.step not in steps:
            raise ValidationError(
                {"assignments": f"Unknown process step “{cell.step}”."}
            )
        cells[(steps[cell.step], cell.party_id)] = (cell.raci, cell.tasks)
    with transaction.atomic():
        agreement = services.current_agreement(deployment)
        if agreement is None:
            agreement = services.agreement_setup(actor=user, deployment=deployment)
        if cells or payload.note:
            agreement = services.agreement_update(
                actor=user,
                agreement=agreement,
                version=payload.version,
                cells=cells,
                note=payload.note,
            )
        if payload.submit:
            agreement = services.agreement_submit(actor=user, agreement=agreement)
    return _agreement_out(user, deployment, agreement)


@router.post(
    "/deployments/{deployment_id}/agreement/sign",
    response={200: AgreementOut, 403: ErrorOut, 404: ErrorOut},
)
def sign_agreement(request: HttpRequest, deployment_id: int, payload: SignIn):  # type: ignore[no-untyped-def]
    """Sign a version for one party, as that party's commander."""
    user = api_user(request)
    deployment = deployment_get(user=user, pk=deployment_id)
    agreement = selectors.agreement_get(
        user=user, deployment=deployment, number=payload.version
    )
    party = deployment.parties.filter(pk=payload.party_id).first()
    if party is None:
        raise ValidationError({"party_id": "This party is not in the agreement."})
    agreement = services.agreement_sign(actor=user, agreement=agreement, party=party)
    return _agreement_out(user, deployment, agreement)


class EvaluationListOut(Schema):
    id: int
    deployment_id: int
    template: str = Field(..., alias="template.code")
    title: str
    phase: str
    due_date: datetime.date
    status: str
    timeliness: str
    held_on: datetime.date | None
    version: int


class ParticipantOut(Schema):
    party_id: int
    names: str


class ActionOut(Schema):
    id: int
    description: str
    owner_party_id: int
    owner_id: int
    due_date: datetime.date
    status: str


class FindingOut(Schema):
    id: int
    number: int
    text: str
    actions: list[ActionOut]

    @staticmethod
    def resolve_actions(obj: Any) -> list[Any]:
        return list(obj.actions.all())


class QuestionOut(Schema):
    key: str
    text: str
    required: bool


class EvaluationOut(EvaluationListOut):
    method: str = Field(..., alias="template.method")
    questions: list[QuestionOut] = Field(..., alias="template.questions")
    participant_roles: list[str] = Field(..., alias="template.participant_roles")
    is_gate: bool = Field(..., alias="template.is_gate")
    trigger_ref: str
    answers: dict[str, str]
    participants: list[ParticipantOut]
    findings: list[FindingOut]
    gate_decision: str
    gate_rationale: str
    report: str
    skipped_reason: str

    @staticmethod
    def resolve_participants(obj: Any) -> list[Any]:
        return list(obj.participants.all())

    @staticmethod
    def resolve_findings(obj: Any) -> list[Any]:
        return list(obj.findings.all())


class ParticipantIn(InSchema):
    party_id: int
    names: str = Field("", max_length=300)


class EvaluationPatch(InSchema):
    version: int = Field(..., description="The version you edited; 409 if stale.")
    status: Evaluation.Status | None = Field(
        None, description="held, reported, closed or skipped"
    )
    due_date: datetime.date | None = None
    held_on: datetime.date | None = None
    participants: list[ParticipantIn] = Field(default_factory=list)
    answers: dict[str, str] = Field(default_factory=dict)
    findings: list[str] = Field(default_factory=list)
    gate_decision: str = ""
    gate_rationale: str = Field("", max_length=4000)
    report: str = ""
    skipped_reason: str = ""


@router.get(
    "/deployments/{deployment_id}/evaluations",
    response=list[EvaluationListOut],
)
@paginate(Paging)
def list_deployment_evaluations(  # type: ignore[no-untyped-def]
    request: HttpRequest, deployment_id: int, show: str = ""
):
    """The deployment's evaluation moments by due date; ``show`` = overdue,
    upcoming, held or skipped."""
    user = api_user(request)
    deployment = deployment_get(user=user, pk=deployment_id)
    return selectors.evaluation_list(user=user, deployment=deployment, timeliness=show)


@router.get(
    "/evaluations/{evaluation_id}", response={200: EvaluationOut, 404: ErrorOut}
)
def get_evaluation(request: HttpRequest, evaluation_id: int):  # type: ignore[no-untyped-def]
    return evaluation_get(user=api_user(request), pk=evaluation_id)


@router.patch(
    "/evaluations/{evaluation_id}",
    response={200: EvaluationOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut},
)
def patch_evaluation(  # type: ignore[no-untyped-def]
    request: HttpRequest, evaluation_id: int, payload: EvaluationPatch
):
    """Hold (``status: held`` with participants, answers, findings and for the
    gate go/no-go), report, close or skip a moment, or move its due date."""
    user = api_user(request)
    evaluation = evaluation_get(user=user, pk=evaluation_id)
    check_version(evaluation, payload.version)
    status = payload.status
    if status is None or status == evaluation.status:
        if payload.due_date is not None:
            services.evaluation_reschedule(
                actor=user,
                evaluation=evaluation,
                version=payload.version,
                due_date=payload.due_date,
            )
    elif status == Evaluation.Status.HELD:
        services.evaluation_hold(
            actor=user,
            evaluation=evaluation,
            version=payload.version,
            held_on=payload.held_on or timezone.localdate(),
            participants={p.party_id: p.names for p in payload.participants},
            answers=payload.answers,
            findings=payload.findings,
            gate_decision=payload.gate_decision,
            gate_rationale=payload.gate_rationale,
        )
    elif status == Evaluation.Status.REPORTED:
        services.evaluation_report(
            actor=user,
            evaluation=evaluation,
            version=payload.version,
            report=payload.report,
        )
    elif status == Evaluation.Status.CLOSED:
        services.evaluation_close(
            actor=user, evaluation=evaluation, version=payload.version
        )
    elif status == Evaluation.Status.SKIPPED:
        services.evaluation_skip(
            actor=user,
            evaluation=evaluation,
            version=payload.version,
            reason=payload.skipped_reason,
        )
    else:
        raise ValidationError({"status": "A moment cannot go back to scheduled."})
    return evaluation_get(user=user, pk=evaluation_id)


class GateItemOut(Schema):
    key: str
    label: str
    status: str
    detail: str
    rows: list[str]


class GateOut(Schema):
    deployment_id: int
    phase: str
    gate_evaluation_id: int | None
    held: bool
    decision: str
    rationale: str
    passes: bool
    needs_waiver: bool
    accountable_party_id: int | None
    waiver: dict[str, Any] | None
    items: list[GateItemOut]


@router.get("/deployments/{deployment_id}/gate", response={200: GateOut, 404: ErrorOut})
def get_gate(request: HttpRequest, deployment_id: int):  # type: ignore[no-untyped-def]
    """The readiness safety gate: the checklist computed now, the board's
    decision and any waiver."""
    deployment = deployment_get(user=api_user(request), pk=deployment_id)
    status = services.gate_status(deployment)
    gate, waiver = status["gate"], status["waiver"]
    return {
        "deployment_id": deployment.pk,
        "phase": deployment.phase,
        "gate_evaluation_id": gate.pk if gate else None,
        "held": status["held"],
        "decision": gate.gate_decision if gate else "",
        "rationale": gate.gate_rationale if gate else "",
        "passes": status["passes"],
        "needs_waiver": status["needs_waiver"],
        "accountable_party_id": status["accountable"].pk
        if status["accountable"]
        else None,
        "waiver": {
            "waived_by": str(waiver.waived_by),
            "rationale": waiver.rationale,
            "waived_at": waiver.created_at.isoformat(),
        }
        if waiver
        else None,
        "items": status["checklist"].as_json(),
    }


@router.get("/evaluations.ics", auth=None, include_in_schema=True)
def evaluations_ics(request: HttpRequest, token: str = "") -> HttpResponse:
    """A party's evaluation moments as an iCalendar feed; the calendar link's
    token in the URL authenticates (create or revoke it on *Calendar links*)."""
    body = party_calendar(token)
    if body is None:
        return HttpResponse(
            "Unknown or revoked calendar link.\n", status=404, content_type="text/plain"
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
