"""Every read of threads and notifications a user makes."""

from __future__ import annotations

from typing import Any, cast

from django.core.paginator import Page
from django.db import connections, router
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from missionsafety.core.selectors import get_visible, paginate
from missionsafety.deployments.models import Party
from missionsafety.feedback.models import (
    EmailPreference,
    Message,
    MessageAttachment,
    Notification,
    NotificationKind,
    Thread,
    ThreadQuerySet,
)
from missionsafety.organisations.scope import user_scope_ids

# The unread count the inbox page has just read, kept on the request's user.
_UNREAD = "_missionsafety_unread"


def unread_count(*, user: Any) -> int:
    """Unread notifications of the user (shown in the header): one COUNT query,
    or none when the inbox page has counted them for this request."""
    if not getattr(user, "is_authenticated", False):
        return 0
    known = getattr(user, _UNREAD, None)
    if known is not None:
        return cast(int, known)
    # Every page asks: plain SQL (the ORM would cost more to build the query
    # than the index takes to answer it).
    connection = connections[router.db_for_read(Notification)]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {quote(Notification._meta.db_table)} "
            f"WHERE {quote('recipient_id')} = %s AND {quote('read_at')} IS NULL",
            [user.pk],
        )
        return int(cursor.fetchone()[0])


def inbox(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.visible_to(user).select_related("deployment")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def inbox_page(*, user: Any, unread_only: bool, page: Any) -> Page[Notification]:
    """A page of the inbox. Its rows and the unread ones are counted in one
    query; the header's unread count of this request uses the latter."""
    counts = Notification.objects.visible_to(user).aggregate(
        total=Count("pk"), unread=Count("pk", filter=Q(read_at__isnull=True))
    )
    setattr(user, _UNREAD, counts["unread"])
    return paginate(
        inbox(user=user, unread_only=unread_only),
        page,
        count=counts["unread" if unread_only else "total"],
    )


def notification_get(*, user: Any, pk: Any) -> Notification:
    return get_visible(Notification.objects.all(), user, pk=pk)


def email_preferences(*, user: Any) -> dict[str, bool]:
    chosen = dict(
        EmailPreference.objects.filter(user_id=user.pk).values_list("kind", "email")
    )
    return {kind: chosen.get(kind, True) for kind in NotificationKind.values}


def _thread_qs(user: Any) -> QuerySet[Thread]:
    return Thread.objects.visible_to(user).select_related(
        "deployment",
        "from_party__organisation",
        "to_party__organisation",
        "opened_by",
        "subject_type",
    )


def thread_list(
    *,
    user: Any,
    deployment: Any = None,
    status: str = "",
    mine: bool = False,
    overdue: bool = False,
) -> QuerySet[Thread]:
    """Threads the user may see, most recently active first."""
    qs = _thread_qs(user)
    if deployment is not None:
        qs = qs.filter(deployment=deployment)
    if status in Thread.Status.values:
        qs = qs.filter(status=status)
    if mine:
        scope = user_scope_ids(user)
        qs = qs.filter(
            Q(from_party__organisation_id__in=scope)
            | Q(to_party__organisation_id__in=scope)
        )
    if overdue:
        qs = qs.filter(status=Thread.Status.OPEN, due_date__lt=timezone.localdate())
    return qs.order_by("-last_message_at", "-id")


def thread_get(*, user: Any, pk: Any) -> Thread:
    return get_visible(
        _thread_qs(user).prefetch_related(
            Prefetch(
                "messages",
                queryset=Message.objects.select_related("author", "party__organisation")
                .prefetch_related("attachments")
                .order_by("created_at", "id"),
            )
        ),
        user,
        pk=pk,
    )


def message_attachment_get(*, user: Any, pk: Any) -> MessageAttachment:
    """A file of a thread's message, for whoever may see the thread; else 404."""
    return get_visible(MessageAttachment.objects.all(), user, pk=pk)


def overdue_threads_of_organisation(*, user: Any, organisation: Any) -> list[Thread]:
    """Overdue threads where the organisation asks or is asked (both sides see them)."""
    party_ids = Party.objects.filter(organisation=organisation).values("pk")
    return list(
        cast(ThreadQuerySet, _thread_qs(user))  # the manager's queryset class
        .overdue()
        .filter(Q(from_party_id__in=party_ids) | Q(to_party_id__in=party_ids))
        .order_by("due_date")[:20]
    )


def threads_of_deployment(*, user: Any, deployment: Any) -> list[Thread]:
    """Open and answered threads of a deployment, overdue first (for its page)."""
    return list(
        _thread_qs(user)
        .filter(deployment=deployment)
        .exclude(status=Thread.Status.CLOSED)
        .order_by(F("due_date").asc(nulls_last=True), "-last_message_at")[:20]
    )
