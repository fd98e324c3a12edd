"""Background work of the feedback app (run by ``missionsafety worker``): the
e-mail of notifications, sent, recorded and retried here."""

from __future__ import annotations

import datetime
import logging
from typing import cast

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from missionsafety.feedback.models import Notification

log = logging.getLogger(__name__)

MAX_MAIL_ATTEMPTS = 6
# A mail marked "sending" longer than this was lost by a crashed worker.
STALE_SENDING = datetime.timedelta(minutes=30)


@task()
def send_notification_mail(notification_id: int) -> str:
    """Send the e-mail of one notification; failures are recorded and retried.
    (Kept for tasks queued before one task carried all of a change's mail.)"""
    return deliver_mail(notification_id)


@task()
def send_notification_mails(notification_ids: list[int]) -> list[str]:
    """Send the e-mail of several notifications made by one change (one task
    for all of them: one row in the queue, not one per recipient); each is
    recorded and retried on its own."""
    outcomes = []
    for pk in notification_ids:
        try:
            outcomes.append(deliver_mail(pk))
        except Exception:  # recorded as pending: ``remind`` retries it
            log.exception("mail of notification %s failed", pk)
            outcomes.append("error")
    return outcomes


@task()
def retry_failed_mail() -> dict[str, int]:
    return retry_mail()


def enqueue_mail(ids: list[int], *, run_after: datetime.datetime | None = None) -> None:
    """Queue the e-mail of these notifications: one task for all of them."""
    if not ids:
        return
    task = send_notification_mails
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # no delayed retries here: ``remind`` retries failed mail
        task = task.using(run_after=run_after)
    try:
        task.enqueue(list(ids))
    except Exception:  # the queue is down: remind retries pending mail
        log.exception("could not enqueue mail for notifications %s", ids)


def _absolute(url: str) -> str:
    if not url or url.startswith("http"):
        return url
    site_url = cast(str, settings.SITE_URL)  # env() with a default: never None
    return site_url.rstrip("/") + url


def deliver_mail(notification_id: int) -> str:
    """Send one notification's e-mail; record the outcome; schedule a retry."""
    now = timezone.now()
    claimed = Notification.objects.filter(
        Q(
            mail_status__in=[
                Notification.MailStatus.PENDING,
                Notification.MailStatus.FAILED,
            ]
        )
        | Q(
            mail_status=Notification.MailStatus.SENDING,
            mail_changed_at__lt=now - STALE_SENDING,
        ),
        pk=notification_id,
    ).update(mail_status=Notification.MailStatus.SENDING, mail_changed_at=now)
    if not claimed:
        return "skipped"
    notification = Notification.objects.select_related("recipient").get(
        pk=notification_id
    )
    recipient = notification.recipient
    # In the recipient's language (chosen, or their browser's at log-in).
    with translation.override(recipient.preferred_language):
        title = notification.title
        body = "\n\n".join(
            [
                title,
                _("Open: %(url)s") % {"url": _absolute(notification.url)},
                _(
                    "You receive this e-mail because of your notification settings "
                    "in Mission Safety."
                ),
            ]
        )
    try:
        send_mail(
            subject=f"[Mission Safety] {title}"[:200],
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[recipient.email],
            fail_silently=False,
        )
    except Exception as exc:  # any transport error: keep, count, retry
        attempts = notification.mail_attempts + 1
        gave_up = attempts >= MAX_MAIL_ATTEMPTS
        Notification.objects.filter(pk=notification_id).update(
            mail_status=Notification.MailStatus.GAVE_UP
            if gave_up
            else Notification.MailStatus.FAILED,
            mail_attempts=attempts,
            mail_error=f"{type(exc).__name__}: {exc}"[:300],
            mail_changed_at=timezone.now(),
        )
        log.warning("mail for notification %s failed (%s)", notification_id, exc)
        if not gave_up:
            enqueue_mail(
                [notification_id],
                run_after=timezone.now() + datetime.timedelta(minutes=2**attempts),
            )
        return "failed"
    Notification.objects.filter(pk=notification_id).update(
        mail_status=Notification.MailStatus.SENT,
        mail_attempts=notification.mail_attempts + 1,
        mail_error="",
        mail_sent_at=timezone.now(),
        mail_changed_at=timezone.now(),
    )
    return "sent"


def retry_mail() -> dict[str, int]:
    """Send every mail that failed or waited too long; used by remind and worker."""
    now = timezone.now()
    ids = list(
        Notification.objects.filter(
            Q(mail_status=Notification.MailStatus.FAILED)
            | Q(
                mail_status__in=[
                    Notification.MailStatus.PENDING,
                    Notification.MailStatus.SENDING,
                ],
                created_at__lt=now - STALE_SENDING,
            )
        )
        .filter(mail_attempts__lt=MAX_MAIL_ATTEMPTS)
        .values_list("pk", flat=True)[:1000]
    )
    outcome: dict[str, int] = {}
    for pk in ids:
        result = deliver_mail(pk)
        outcome[result] = outcome.get(result, 0) + 1
    return outcome
