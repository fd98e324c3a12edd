"""REST endpoints for feedback threads and the notification inbox."""

import datetime
import uuid

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from missionsafety.core.api import ErrorOut, InSchema, Paging, api_user
from missionsafety.core.exceptions import ValidationError
from missionsafety.core.uploads import attachment_response
from missionsafety.deployments.selectors import deployment_get
from missionsafety.feedback import services
from missionsafety.feedback.models import Message, MessageAttachment, Thread
from missionsafety.feedback.selectors import (
    inbox,
    message_attachment_get,
    thread_get,
    thread_list,
)
from missionsafety.feedback.subjects import resolve_subject, subject_ref
from missionsafety.organisations.models import Organisation

router = Router(tags=["feedback"])


class AttachmentOut(Schema):
    id: int
    name: str = Field(..., alias="original_name")
    content_type: str
    size: int
    url: str

    @staticmethod
    def resolve_url(obj: MessageAttachment) -> str:
        return f"/api/v1/threads/attachments/{obj.pk}"


class MessageOut(Schema):
    id: int
    author_id: int | None
    party_id: int
    organisation: str = Field(..., alias="party.organisation.short_name")
    body: str
    created_at: datetime.datetime
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_attachments(obj: Message) -> list:  # type: ignore[type-arg]
        return list(obj.attachments.all())


class ThreadOut(Schema):
    id: int
    deployment_id: int
    from_party_id: int
    from_organisation: str = Field(..., alias="from_party.organisation.short_name")
    to_party_id: int
    to_organisation: str = Field(..., alias="to_party.organisation.short_name")
    subject: str
    subject_label: str
    kind: str
    title: str
    due_date: datetime.date | None
    status: str
    is_overdue: bool
    opened_by_id: int | None
    last_message_at: datetime.datetime
    version: int

    @staticmethod
    def resolve_subject(obj: Thread) -> str:
        return f"{obj.subject_type.app_label}.{obj.subject_type.model}:{obj.subject_id}"


class ThreadDetailOut(ThreadOut):
    messages: list[MessageOut]

    @staticmethod
    def resolve_messages(obj: Thread) -> list:  # type: ignore[type-arg]
        return list(obj.messages.all())


class ThreadIn(InSchema):
    deployment_id: int
    to_organisation_id: int = Field(
        ..., description="An organisation that is a party to the deployment."
    )
    subject: str = Field(
        "",
        description='What it is about, e.g. "risks.risk:12"; default the deployment.',
    )
    kind: Thread.Kind = Thread.Kind.QUESTION
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1)
    due_date: datetime.date | None = None


class MessageIn(InSchema):
    body: str = Field(..., min_length=1)
    idempotency_key: uuid.UUID | None = Field(
        None, description="Send the same key again and the first message is kept."
    )


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    url: str
    deployment_id: int | None
    created_at: datetime.datetime
    read_at: datetime.datetime | None
    mail_status: str


@router.get("/threads", response=list[ThreadOut])
@paginate(Paging)
def list_threads(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    deployment_id: int | None = None,
    status: Thread.Status | None = None,
    overdue: bool = False,
):
    """Threads you may see, most recently active first."""
    user = api_user(request)
    deployment = deployment_get(user=user, pk=deployment_id) if deployment_id else None
    return thread_list(
        user=user, deployment=deployment, status=status or "", overdue=overdue
    )


@router.post(
    "/threads",
    response={201: ThreadDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def open_thread(request: HttpRequest, payload: ThreadIn):  # type: ignore[no-untyped-def]
    """Ask another party of the deployment; a non-party answers 422."""
    user = api_user(request)
    deployment = deployment_get(user=user, pk=payload.deployment_id)
    organisation = Organisation.objects.filter(pk=payload.to_organisation_id).first()
    if organisation is None:
        raise ValidationError({"to_organisation_id": "Unknown organisation."})
    subject = resolve_subject(
        user=user,
        ref=payload.subject or subject_ref(deployment),
        deployment_id=deployment.pk,
    )
    thread = services.thread_open(
        actor=user,
        deployment=deployment,
        to_organisation=organisation,
        subject=subject,
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        due_date=payload.due_date,
    )
    return Status(201, thread_get(user=user, pk=thread.pk))


@router.post(
    "/threads/{thread_id}/messages",
    response={
        200: ThreadDetailOut,
        201: ThreadDetailOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
)
def post_thread_message(  # type: ignore[no-untyped-def]
    request: HttpRequest, thread_id: int, payload: MessageIn
):
    """Answer (the asked party) or follow up (the asking party). 201 when new;
    200 (the thread unchanged) when the ``idempotency_key`` was already used."""
    user = api_user(request)
    thread = thread_get(user=user, pk=thread_id)
    if services.message_for_key(actor=user, thread=thread, key=payload.idempotency_key):
        return Status(200, thread_get(user=user, pk=thread_id))
    services.thread_reply(
        actor=user,
        thread=thread,
        body=payload.body,
        idempotency_key=payload.idempotency_key,
    )
    return Status(201, thread_get(user=user, pk=thread_id))


@router.post(
    "/threads/{thread_id}/messages/with-file",
    response={201: ThreadDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def post_thread_message_with_file(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    thread_id: int,
    body: str = Form(""),
    file: UploadedFile | None = File(None),  # noqa: B008
):
    """A message with a photo or document (multipart fields ``body`` and
    ``file``): the same checks as an occurrence's attachments."""
    user = api_user(request)
    thread = thread_get(user=user, pk=thread_id)
    if file is None:
        raise ValidationError({"file": gettext("Choose a photo or document.")})
    try:
        services.thread_reply(actor=user, thread=thread, body=body, uploads=[file])
    except ValidationError as exc:
        errors = getattr(exc, "message_dict", None)
        if not errors or "attachment" not in errors:
            raise
        # The form calls the file "attachment"; this endpoint calls it "file".
        errors["file"] = errors.pop("attachment")
        raise ValidationError(errors) from exc
    return Status(201, thread_get(user=user, pk=thread_id))


@router.get("/threads/attachments/{attachment_id}", response={404: ErrorOut})
def download_thread_attachment(  # type: ignore[no-untyped-def]
    request: HttpRequest, attachment_id: int
):
    """The file of a thread's message, for whoever may see the thread."""
    user = api_user(request)
    return attachment_response(message_attachment_get(user=user, pk=attachment_id))


@router.get("/notifications", response=list[NotificationOut])
@paginate(Paging)
def list_notifications(request: HttpRequest, unread: bool = False):  # type: ignore[no-untyped-def]
    """Your own notifications, newest first."""
    return inbox(user=api_user(request), unread_only=unread)
