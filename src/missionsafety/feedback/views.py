"""Pages for feedback threads, the inbox and e-mail preferences."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from missionsafety.core.exceptions import ValidationError
from missionsafety.core.selectors import paginate
from missionsafety.core.uploads import attachment_response
from missionsafety.core.views import (
    AuthedRequest,
    render_page,
    run_service,
    run_service_with_messages,
)
from missionsafety.deployments.selectors import deployment_get
from missionsafety.deployments.visibility import acting_parties, can
from missionsafety.feedback import services
from missionsafety.feedback.forms import PreferencesForm, ReplyForm, ThreadForm
from missionsafety.feedback.models import NotificationKind, Thread
from missionsafety.feedback.selectors import (
    email_preferences,
    inbox_page,
    message_attachment_get,
    notification_get,
    thread_get,
    thread_list,
)
from missionsafety.feedback.subjects import resolve_subject, subject_ref, subject_url
from missionsafety.organisations.scope import is_read_only


@login_required
def threads(request: HttpRequest) -> HttpResponse:
    deployment = None
    if (request.GET.get("deployment") or "").isdigit():
        deployment = deployment_get(user=request.user, pk=request.GET["deployment"])
    status = request.GET.get("status", "")
    mine = request.GET.get("mine") == "1"
    overdue = request.GET.get("overdue") == "1"
    page = paginate(
        thread_list(
            user=request.user,
            deployment=deployment,
            status=status,
            mine=mine,
            overdue=overdue,
        ),
        request.GET.get("page"),
    )
    return render_page(
        request,
        "feedback/threads.html",
        {
            "page": page,
            "deployment": deployment,
            "status": status,
            "mine": mine,
            "overdue": overdue,
            "statuses": Thread.Status.choices,
        },
        partial="results",
    )


@login_required
def thread_new(request: AuthedRequest, deployment_pk: int) -> HttpResponse:
    deployment = deployment_get(user=request.user, pk=deployment_pk)
    ref = request.POST.get("subject") or request.GET.get(
        "subject", f"deployments.deployment:{deployment.pk}"
    )
    try:
        subject = resolve_subject(
            user=request.user, ref=ref, deployment_id=deployment.pk
        )
    except ValidationError as exc:
        raise Http404 from exc
    mine = sorted(
        acting_parties(request.user, deployment),
        key=lambda p: p.organisation.echelon,
    )
    initial: dict[str, Any] = {"subject": subject_ref(subject)}
    # "Propose a change" on another party's control asks that party.
    to = request.GET.get("to", "")
    if to.isdigit() and any(p.pk == int(to) for p in deployment.party_list):
        initial["to_party"] = int(to)
        initial["kind"] = Thread.Kind.FEEDBACK
        initial["title"] = (_("Proposed change: %(subject)s") % {"subject": subject})[
            :200
        ]
    form = ThreadForm(
        request.POST or None,
        initial=initial,
        deployment=deployment,
        mine=mine,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        thread = run_service(
            form,
            lambda: services.thread_open(
                actor=request.user,
                deployment=deployment,
                from_party=data["from_party"],
                to_party=data["to_party"],
                subject=subject,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                due_date=data["due_date"],
            ),
        )
        if thread is not None:
            messages.success(
                request,
                _("Thread sent to %(org)s.") % {"org": thread.to_party.organisation},
            )
            return redirect("feedback:thread", pk=thread.pk)
    return render(
        request,
        "feedback/thread_form.html",
        {
            "form": form,
            "deployment": deployment,
            "subject": subject,
            "subject_url": subject_url(subject),
            "can_write": bool(mine) and not is_read_only(request.user),
        },
        status=422 if form.errors else 200,
    )


def _thread_context(
    request: AuthedRequest, thread: Thread, form: ReplyForm | None = None
) -> dict:  # type: ignore[type-arg]
    mine = {p.pk for p in acting_parties(request.user, thread.deployment)}
    writer = can(
        request.user,
        thread.deployment,
        "contributor",
        "safety_officer",
        "lessons_officer",
        "commander",
    )
    involved = writer and bool(mine & {thread.from_party_id, thread.to_party_id})
    open_ = thread.status != Thread.Status.CLOSED
    return {
        "thread": thread,
        "thread_messages": list(thread.messages.all()),
        "subject_url": subject_url(thread.subject),
        "reply_form": (form or ReplyForm()) if involved and open_ else None,
        "can_close": writer and open_ and thread.from_party_id in mine,
        "is_closed": not open_,
    }


@login_required
def thread_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    thread = thread_get(user=request.user, pk=pk)
    return render(request, "feedback/thread.html", _thread_context(request, thread))


@login_required
@require_POST
def thread_reply(request: AuthedRequest, pk: int) -> HttpResponse:
    thread = thread_get(user=request.user, pk=pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data.get("attachment")
        key = form.cleaned_data["idempotency_key"]
        if (
            key is not None
            and thread.messages.filter(
                idempotency_key=key, author=request.user
            ).exists()
        ):
            messages.info(request, _("This message was already sent; here it is."))
            return redirect("feedback:thread", pk=pk)
        result = run_service(
            form,
            lambda: services.thread_reply(
                actor=request.user,
                thread=thread,
                body=form.cleaned_data["body"],
                uploads=[upload] if upload else [],
                idempotency_key=form.cleaned_data["idempotency_key"],
            ),
        )
        if result is not None:
            messages.success(request, _("Message sent."))
            return redirect("feedback:thread", pk=pk)
    thread = thread_get(user=request.user, pk=pk)
    context = _thread_context(request, thread, form)
    context["reply_form"] = form
    return render(request, "feedback/thread.html", context, status=422)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Serve a thread's file to those who may see the thread; never a public URL."""
    return attachment_response(message_attachment_get(user=request.user, pk=pk))


@login_required
@require_POST
def thread_close(request: HttpRequest, pk: int) -> HttpResponse:
    thread = thread_get(user=request.user, pk=pk)
    if run_service_with_messages(
        request, lambda: services.thread_close(actor=request.user, thread=thread)
    ):
        messages.success(request, _("Thread closed."))
    return redirect("feedback:thread", pk=pk)


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = inbox_page(
        user=request.user, unread_only=unread_only, page=request.GET.get("page")
    )
    return render_page(
        request,
        "feedback/inbox.html",
        {"page": page, "unread_only": unread_only},
        partial="results",
    )


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read and go to what the notification is about."""
    notification = notification_get(user=request.user, pk=pk)
    services.notification_mark_read(user=request.user, notification=notification)
    url = notification.url
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return redirect(url)
    return redirect("feedback:inbox")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = notification_get(user=request.user, pk=pk)
    services.notification_mark_read(user=request.user, notification=notification)
    return redirect("feedback:inbox")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_all_read(user=request.user)
    messages.success(request, _("%(n)s notification(s) marked as read.") % {"n": count})
    return redirect("feedback:inbox")


@login_required
def preferences(request: AuthedRequest) -> HttpResponse:
    current = email_preferences(user=request.user)
    form = PreferencesForm(
        request.POST or None,
        initial={"kinds": [k for k, wanted in current.items() if wanted]},
    )
    if request.method == "POST" and form.is_valid():
        result = run_service(
            form,
            lambda: (
                services.preferences_save(
                    user=request.user, email_kinds=form.cleaned_data["kinds"]
                )
                or True
            ),
        )
        if result:
            messages.success(request, _("Notification settings saved."))
            return redirect("feedback:preferences")
    return render(
        request,
        "feedback/preferences.html",
        {
            "form": form,
            "kinds": NotificationKind.choices,
            "has_email": bool(request.user.email),
        },
        status=422 if form.errors else 200,
    )
