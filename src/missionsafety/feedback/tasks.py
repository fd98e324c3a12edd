"""Background work of the feedback app (run by ``missionsafety worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_notification_mail(notification_id: int) -> str:
    """Send the e-mail of one notification; failures are recorded and retried."""
    from missionsafety.feedback.services import deliver_mail

    return deliver_mail(notification_id)


@task()
def retry_failed_mail() -> dict[str, int]:
    from missionsafety.feedback.services import retry_mail

    return retry_mail()
