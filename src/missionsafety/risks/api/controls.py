"""Endpoints of controls, decisions and consultations."""

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Status
from ninja.pagination import paginate

from missionsafety.core.api import ConflictOut, ErrorOut, Paging, api_user
from missionsafety.core.exceptions import ValidationError
from missionsafety.deployments.models import Party
from missionsafety.risks import selectors, services
from missionsafety.risks.api.common import _party, _resolve, _user, router
from missionsafety.risks.api.schemas import (
    ConsultationAnswerIn,
    ConsultationOut,
    ConsultationRequestIn,
    ControlIn,
    ControlOut,
    ControlPatch,
    DecisionIn,
    DecisionOut,
)


@router.get("/risks/{risk_id}/controls", response=list[ControlOut])
@paginate(Paging)
def list_controls(request: HttpRequest, risk_id: int):  # type: ignore[no-untyped-def]
    risk = selectors.risk_get(user=api_user(request), pk=risk_id)
    return risk.controls.select_related("owner_party__organisation").order_by(
        "due_date", "pk"
    )


@router.post(
    "/risks/{risk_id}/controls",
    response={201: ControlOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def create_control(request: HttpRequest, risk_id: int, payload: ControlIn):  # type: ignore[no-untyped-def]
    """Add a control owned by any party of the deployment."""
    user = api_user(request)
    risk = selectors.risk_get(user=user, pk=risk_id)
    control = services.control_add(
        actor=user,
        risk=risk,
        description=payload.description,
        kind=payload.kind,
        owner_party=_party(payload.owner_party_id),
        implementer=_user(payload.implementer_id),
        due_date=payload.due_date,
    )
    return Status(201, selectors.control_get(user=user, pk=control.pk))


@router.patch(
    "/controls/{control_id}",
    response={
        200: ControlOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        422: ErrorOut,
    },
)
def patch_control(request: HttpRequest, control_id: int, payload: ControlPatch):  # type: ignore[no-untyped-def]
    """Change a control or move its status; send the ``version`` you read.

    Only the owning party's people change it (403 names ``owner_party``); the
    risk's owner and the deployment's safety officers may change ``owner_party``.
    """
    user = api_user(request)
    control = selectors.control_get(user=user, pk=control_id)
    changes = _resolve(payload.dict(exclude_unset=True, exclude={"version"}))
    services.control_update(
        actor=user, control=control, version=payload.version, **changes
    )
    return selectors.control_get(user=user, pk=control_id)


@router.post(
    "/risks/{risk_id}/decisions",
    response={201: DecisionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def create_decision(request: HttpRequest, risk_id: int, payload: DecisionIn):  # type: ignore[no-untyped-def]
    """Accept, reject or escalate the current assessment.

    Without the authority an acceptance answers 403 with ``authority_required``,
    ``level``, ``chain`` and ``holders`` (who could decide); escalate instead.
    An acceptance before every party the rule names has answered answers 422
    on ``consultation_note`` naming the missing parties.
    """
    user = api_user(request)
    risk = selectors.risk_get(user=user, pk=risk_id)
    assessment = risk.assessments.filter(pk=payload.assessment_id).first()
    decision = services.decide(
        outcome=payload.outcome,
        actor=user,
        risk=risk,
        assessment=assessment,
        consultation_note=payload.consultation_note,
        conditions=payload.conditions,
        valid_until=payload.valid_until,
        rationale=payload.rationale,
    )
    return Status(201, decision)


@router.post(
    "/risks/{risk_id}/consultations",
    response={
        201: list[ConsultationOut],
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        422: ErrorOut,
    },
)
def request_consultation(  # type: ignore[no-untyped-def]
    request: HttpRequest, risk_id: int, payload: ConsultationRequestIn
):
    """Ask parties for their view on the current assessment (inbox and e-mail).

    Without ``party_ids``: the parties the acceptance rule names. A party of
    another deployment answers 422; parties all asked already, 409.
    """
    user = api_user(request)
    risk = selectors.risk_get(user=user, pk=risk_id)
    parties = None
    if payload.party_ids is not None:
        parties = list(
            Party.objects.filter(pk__in=payload.party_ids).select_related(
                "organisation"
            )
        )
        if len(parties) != len(set(payload.party_ids)):
            raise ValidationError(
                {"party_ids": gettext("One of these parties does not exist.")}
            )
    try:
        created = services.consultation_request(actor=user, risk=risk, parties=parties)
    except ValidationError as exc:
        errors = getattr(exc, "error_dict", None)
        if errors and "parties" in errors:
            errors["party_ids"] = errors.pop("parties")
        raise
    return Status(201, created)


@router.get(
    "/risks/{risk_id}/consultations",
    response={200: list[ConsultationOut], 404: ErrorOut},
)
def list_consultations(request: HttpRequest, risk_id: int):  # type: ignore[no-untyped-def]
    """Every consultation request about the risk, newest first; ``stale`` ones
    concern an earlier assessment."""
    user = api_user(request)
    risk = selectors.risk_get(user=user, pk=risk_id)
    return selectors.risk_consultations(risk=risk)


@router.post(
    "/consultations/{consultation_id}/answer",
    response={
        200: ConsultationOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        422: ErrorOut,
    },
)
def answer_consultation(  # type: ignore[no-untyped-def]
    request: HttpRequest, consultation_id: int, payload: ConsultationAnswerIn
):
    """Answer for your party: agree, agree_with_conditions or object (the last
    two with ``text``). Another party's request answers 403; a second answer or
    an answer about a superseded assessment, 409."""
    user = api_user(request)
    consultation = selectors.consultation_get(user=user, pk=consultation_id)
    return services.consultation_answer(
        actor=user,
        consultation=consultation,
        answer=payload.answer,
        text=payload.text,
    )
