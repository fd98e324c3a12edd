"""Feedback sections on other apps' pages: threads about a risk, overdue threads."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from missionsafety.deployments.visibility import acting_parties
from missionsafety.feedback.models import Thread
from missionsafety.feedback.selectors import _thread_qs
from missionsafety.organisations.scope import is_read_only


def risk_panel(request: Any, risk: Any) -> dict[str, Any]:
    """Threads about this risk or one of its controls, and a way to open one."""
    from missionsafety.risks.models import Control, Risk

    types = ContentType.objects.get_for_models(Risk, Control)
    about = Q(subject_type=types[Risk], subject_id=risk.pk) | Q(
        subject_type=types[Control],
        subject_id__in=Control.objects.filter(risk=risk).values("pk"),
    )
    threads = list(
        _thread_qs(request.user).filter(about).order_by("-last_message_at")[:20]
    )
    writer = not is_read_only(request.user) and acting_parties(
        request.user, risk.deployment
    )
    return {
        "title": _("Threads about this risk"),
        "threads": threads,
        "list_url": reverse("feedback:threads") + f"?deployment={risk.deployment_id}",
        "new_url": reverse("feedback:thread_new", args=[risk.deployment_id])
        + f"?subject=risks.risk:{risk.pk}"
        if writer
        else None,
        "empty": _("No threads about this risk. Ask another party to review it."),
    }


def dashboard_panel(request: Any, obj: Any) -> dict[str, Any]:
    """Open threads across every deployment the user sees, overdue first."""
    qs = _thread_qs(request.user).exclude(status=Thread.Status.CLOSED)
    return {
        "title": _("Feedback between parties"),
        "threads": list(
            qs.order_by(F("due_date").asc(nulls_last=True), "-last_message_at")[:10]
        ),
        "list_url": reverse("feedback:threads"),
        "new_url": None,
        "empty": _("No open threads between the parties."),
    }
