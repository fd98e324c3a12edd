"""Every write of the feedback app: threads, notifications, e-mail preferences."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change, snapshot
from missionsafety.core.events import publish
from missionsafety.core.exceptions import NotAllowed, ValidationError
from missionsafety.core.services import submission_key
from missionsafety.core.uploads import store_attachment
from missionsafety.deployments.models import Deployment, Party
from missionsafety.deployments.visibility import acting_parties, can
from missionsafety.feedback.models import (
    EmailPreference,
    Message,
    MessageAttachment,
    Notification,
    NotificationKind,
    Thread,
)
from missionsafety.feedback.subjects import content_type_for
from missionsafety.feedback.tasks import enqueue_mail
from missionsafety.organisations.scope import require_writer
from missionsafety.risks.files import check_attachment

log = logging.getLogger(__name__)

WRITING_ROLES = ("contributor", "safety_officer", "lessons_officer", "commander")


# -- notifications -----------------------------------------------------------


def email_wanted(user_ids: Iterable[int], kind: str) -> set[int]:
    """Of these people, those who want e-mail for this kind (default: yes)."""
    ids = set(user_ids)
    refused = set(
        EmailPreference.objects.filter(
            user_id__in=ids, kind=kind, email=False
        ).values_list("user_id", flat=True)
    )
    return ids - refused


@transaction.atomic
def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    subject: models.Model,
    params: dict[str, Any],
    url: str = "",
    deployment: Deployment | None = None,
    exclude: Any = None,
    day: datetime.date | None = None,
) -> list[Notification]:
    """Put a notification in each recipient's inbox, once per object and day.

    E-mail (for those who want it) is sent after commit by a background task;
    a mail server that is down leaves the notification in the inbox and the
    mail is retried by the worker and by ``missionsafety remind``.
    """
    if kind not in NotificationKind.values:
        raise ValueError(f"unknown notification kind {kind}")
    day = day or timezone.localdate()
    people = {
        r.pk: r
        for r in recipients
        if r is not None and r.is_active and (exclude is None or r.pk != exclude.pk)
    }
    if not people:
        return []
    ct = content_type_for(subject)
    already = set(
        Notification.objects.filter(
            recipient_id__in=people,
            kind=kind,
            subject_type=ct,
            subject_id=subject.pk,
            day=day,
        ).values_list("recipient_id", flat=True)
    )
    wanted = email_wanted(people, kind)
    new = [
        Notification(
            recipient_id=pk,
            kind=kind,
            deployment=deployment,
            subject_type=ct,
            subject_id=subject.pk,
            params=params,
            url=url[:300],
            day=day,
            mail_status=Notification.MailStatus.PENDING
            if pk in wanted and people[pk].email
            else Notification.MailStatus.NONE,
        )
        for pk in people
        if pk not in already
    ]
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    created = list(
        Notification.objects.filter(
            recipient_id__in=[n.recipient_id for n in new],
            kind=kind,
            subject_type=ct,
            subject_id=subject.pk,
            day=day,
            mail_status=Notification.MailStatus.PENDING,
            mail_attempts=0,
        )
    )
    ids = [n.pk for n in created]
    if ids:
        transaction.on_commit(lambda: enqueue_mail(ids))
    return created


def notification_mark_read(*, user: Any, notification: Notification) -> None:
    if notification.recipient_id != user.pk:
        raise NotAllowed(_("This is not your notification."))
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
        notification.read_at = timezone.now()


def notification_mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(
        recipient_id=user.pk, read_at__isnull=True
    ).update(read_at=timezone.now())


@transaction.atomic
def preferences_save(*, user: Any, email_kinds: Iterable[str]) -> None:
    """Remember for which kinds the person wants e-mail."""
    chosen = set(email_kinds)
    unknown = chosen - set(NotificationKind.values)
    if unknown:
        raise ValidationError({"kinds": _("Unknown kind of notification.")})
    for kind in NotificationKind.values:
        EmailPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"email": kind in chosen}
        )


# -- threads -----------------------------------------------------------------


def _acting_party(actor: Any, deployment: Deployment) -> list[Party]:
    parties = acting_parties(actor, deployment)
    # The nearest party first: the one with the lowest echelon.
    return sorted(parties, key=lambda p: p.organisation.echelon)


@transaction.atomic
def thread_problems(
    *,
    from_party: Party | None,
    to_party: Party | None,
    kind: str,
    title: str,
    body: str,
    due_date: datetime.date | None,
) -> dict[str, str]:
    """What is wrong with a new thread, per field; all of it at once."""
    errors: dict[str, str] = {}
    if to_party is not None and from_party is not None and to_party == from_party:
        errors["to_party"] = _("Choose another party than your own.")
    if kind not in Thread.Kind.values:
        errors["kind"] = _("Choose question or feedback.")
    if not (title or "").strip():
        errors["title"] = _("Give the thread a title.")
    if not (body or "").strip():
        errors["body"] = _("Write your question or feedback.")
    if due_date is not None and due_date < timezone.localdate():
        errors["due_date"] = _("The due date lies in the past.")
    return errors


def thread_open(
    *,
    actor: Any,
    deployment: Deployment,
    to_party: Party | None = None,
    to_organisation: Any = None,
    subject: models.Model,
    title: str,
    body: str,
    kind: str = Thread.Kind.QUESTION,
    due_date: datetime.date | None = None,
    from_party: Party | None = None,
) -> Thread:
    """Open a thread from the actor's party to another party of the deployment."""
    require_writer(actor)
    if not can(actor, deployment, *WRITING_ROLES):
        raise NotAllowed(
            _("Only people who act for a party to this deployment open threads.")
        )
    mine = _acting_party(actor, deployment)
    if from_party is None:
        if not mine:
            raise NotAllowed(_("You do not act for a party to this deployment."))
        from_party = mine[0]
    elif from_party.pk not in {p.pk for p in mine}:
        raise ValidationError(
            {
                "from_party": _("You do not act for %(org)s.")
                % {"org": from_party.organisation}
            }
        )
    if to_party is None and to_organisation is not None:
        to_party = next(
            (
                p
                for p in deployment.party_list
                if p.organisation_id == to_organisation.pk
            ),
            None,
        )
        if to_party is None:
            raise ValidationError(
                {
                    "to_party": _(
                        "%(org)s is not a party to %(deployment)s. Threads go "
                        "between the parties of one deployment."
                    )
                    % {"org": to_organisation, "deployment": deployment.code}
                }
            )
    if to_party is None or to_party.deployment_id != deployment.pk:
        raise ValidationError(
            {"to_party": _("Choose a party to this deployment to ask.")}
        )
    errors = thread_problems(
        from_party=from_party,
        to_party=to_party,
        kind=kind,
        title=title,
        body=body,
        due_date=due_date,
    )
    if errors:
        raise ValidationError(errors)
    thread = Thread.objects.create(
        deployment=deployment,
        from_party=from_party,
        to_party=to_party,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        subject_label=str(subject)[:300],
        kind=kind,
        title=title.strip()[:200],
        due_date=due_date,
        opened_by=actor,
    )
    message = Message.objects.create(
        thread=thread,
        deployment=deployment,
        author=actor,
        party=from_party,
        body=body.strip(),
    )
    record_change(actor=actor, obj=thread, action="open", after=snapshot(thread))
    record_change(actor=actor, obj=message, action="create", after=snapshot(message))
    publish("thread.opened", thread=thread, actor=actor)
    return thread


def message_for_key(*, actor: Any, thread: Thread, key: Any) -> Message | None:
    """The message this user already sent in this thread with this key, if any."""
    key = submission_key(key)
    if key is None:
        return None
    existing = Message.objects.filter(idempotency_key=key).first()
    if existing is not None and (
        existing.thread_id != thread.pk or existing.author_id != actor.pk
    ):
        raise ValidationError(
            {"idempotency_key": _("This submission key was already used.")}
        )
    return existing


@transaction.atomic
def thread_reply(
    *,
    actor: Any,
    thread: Thread,
    body: str,
    uploads: Iterable[Any] = (),
    idempotency_key: Any = None,
) -> Message:
    """Answer (the asked party) or follow up (the asking party), with photos or
    documents if any (the same checks as an occurrence's attachments).

    A repeated submission (the same ``idempotency_key``) returns the first
    message and changes nothing.
    """
    key = submission_key(idempotency_key)
    existing = message_for_key(actor=actor, thread=thread, key=key)
    if existing is not None:
        return existing
    require_writer(actor)
    thread = (
        # Only the thread row (not the joined deployment and parties), and
        # without blocking the key-share locks of foreign-key checks: see
        # docs/locking.md.
        Thread.objects.select_for_update(of=("self",), no_key=True)
        .select_related(
            "deployment", "from_party__organisation", "to_party__organisation"
        )
        .get(pk=thread.pk)
    )
    if thread.status == Thread.Status.CLOSED:
        raise ValidationError(_("This thread is closed."))
    if not (body or "").strip():
        raise ValidationError({"body": _("Write your answer.")})
    uploads = list(uploads)
    content_types = [check_attachment(upload) for upload in uploads]
    mine = {p.pk for p in acting_parties(actor, thread.deployment)}
    if not can(actor, thread.deployment, *WRITING_ROLES) or not mine & {
        thread.from_party_id,
        thread.to_party_id,
    }:
        raise NotAllowed(
            _("Only the two parties of this thread (%(a)s and %(b)s) write in it.")
            % {"a": thread.from_party.organisation, "b": thread.to_party.organisation}
        )
    answering = thread.to_party_id in mine
    party = thread.to_party if answering else thread.from_party
    try:
        with transaction.atomic():
            message = Message.objects.create(
                thread=thread,
                deployment=thread.deployment,
                author=actor,
                party=party,
                body=body.strip(),
                idempotency_key=key,
            )
    except IntegrityError:
        # The same form arrived twice at the same moment: keep the first one.
        existing = message_for_key(actor=actor, thread=thread, key=key)
        if existing is not None:
            return existing
        raise
    before = thread.status
    new_status = Thread.Status.ANSWERED if answering else Thread.Status.OPEN
    if new_status not in Thread.TRANSITIONS[before] and new_status != before:
        raise ValidationError(_("This thread cannot take a message now."))
    Thread.objects.filter(pk=thread.pk).update(
        status=new_status,
        last_message_at=message.created_at,
        version=models.F("version") + 1,
        updated_at=timezone.now(),
    )
    thread.status = new_status
    thread.version += 1
    record_change(actor=actor, obj=message, action="create", after=snapshot(message))
    for upload, content_type in zip(uploads, content_types, strict=True):
        attachment = store_attachment(
            MessageAttachment(
                message=message,
                deployment=thread.deployment,
                original_name=(upload.name or "file")[-200:],
                content_type=content_type,
                size=upload.size,
                uploaded_by=actor,
            ),
            upload,
        )
        record_change(
            actor=actor,
            obj=message,
            action="add_attachment",
            after={
                "attachment": attachment.pk,
                "name": attachment.original_name,
                "size": attachment.size,
            },
        )
    if before != new_status:
        record_change(
            actor=actor,
            obj=thread,
            action="answer" if answering else "follow_up",
            before={"status": before},
            after={"status": new_status},
        )
    if answering:
        publish("thread.answered", thread=thread, message=message, actor=actor)
    return message


@transaction.atomic
def thread_close(*, actor: Any, thread: Thread) -> Thread:
    """Close the thread: only the party that asked."""
    require_writer(actor)
    mine = {p.pk for p in acting_parties(actor, thread.deployment)}
    if thread.from_party_id not in mine or not can(
        actor, thread.deployment, *WRITING_ROLES
    ):
        raise NotAllowed(
            _("Only the party that asked (%(org)s) closes this thread.")
            % {"org": thread.from_party.organisation}
        )
    if thread.status == Thread.Status.CLOSED:
        return thread
    before = thread.status
    Thread.objects.filter(pk=thread.pk).update(
        status=Thread.Status.CLOSED,
        closed_by=actor,
        closed_at=timezone.now(),
        version=models.F("version") + 1,
        updated_at=timezone.now(),
    )
    thread.refresh_from_db()
    record_change(
        actor=actor,
        obj=thread,
        action="close",
        before={"status": before},
        after={"status": Thread.Status.CLOSED},
    )
    return thread
