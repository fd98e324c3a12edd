"""The wording of notifications, rendered in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from missionsafety.core.i18n import shipped_text

TITLES: dict[str, Any] = {
    "decision_awaiting": _(
        "Risk %(ref)s “%(title)s” on %(deployment)s awaits your decision "
        "(residual %(level)s)"
    ),
    "risk_escalated": _(
        "Risk %(ref)s “%(title)s” on %(deployment)s was escalated to %(org)s"
    ),
    "acceptance_expiring": _(
        "The acceptance of risk %(ref)s “%(title)s” on %(deployment)s expires on "
        "%(date)s"
    ),
    "acceptance_expired": _(
        "The acceptance of risk %(ref)s “%(title)s” on %(deployment)s expired on "
        "%(date)s"
    ),
    "control_overdue": _(
        "%(count)s control(s) of %(party)s on %(deployment)s are overdue"
    ),
    "control_turned_overdue": _(
        "Control of %(party)s on %(deployment)s overdue since %(date)s: "
        "%(control)s (risk %(ref)s)"
    ),
    "control_assigned": _(
        "A control of risk %(ref)s on %(deployment)s is now %(party)s's: %(control)s"
    ),
    "signature_requested": _(
        "Version %(n)s of the agreement of %(deployment)s awaits the signature of "
        "%(party)s"
    ),
    "occurrence_reported": _(
        "Occurrence %(ref)s reported on %(deployment)s: %(title)s (category "
        "%(category)s)"
    ),
    "serious_occurrence": _(
        "Serious occurrence %(ref)s on %(deployment)s: %(title)s (category "
        "%(category)s)"
    ),
    "thread_to_party": _("%(from)s asks %(to)s (%(deployment)s): %(title)s"),
    "thread_overdue": _(
        "Overdue since %(date)s: %(from)s asks %(to)s (%(deployment)s): %(title)s"
    ),
    "thread_answer": _("%(party)s answered on %(deployment)s: %(title)s"),
    "consultation_requested": _(
        "%(from)s asks %(party)s for its view on risk %(ref)s “%(title)s” on "
        "%(deployment)s (residual %(level)s)"
    ),
    "consultation_answered": _(
        "%(party)s answered on risk %(ref)s “%(title)s” on %(deployment)s"
    ),
    "consultation_agree": _(
        "%(party)s agrees with risk %(ref)s “%(title)s” on %(deployment)s"
    ),
    "consultation_agree_with_conditions": _(
        "%(party)s agrees, with conditions, with risk %(ref)s “%(title)s” on "
        "%(deployment)s"
    ),
    "consultation_object": _(
        "%(party)s objects to risk %(ref)s “%(title)s” on %(deployment)s"
    ),
    "reassessment_required": _(
        "Risk %(ref)s “%(title)s” on %(deployment)s needs reassessment: %(reason)s"
    ),
}


def notification_title(kind: str, params: dict[str, Any]) -> str:
    variant = params.get("variant") or kind
    template = TITLES.get(variant) or TITLES.get(kind)
    if template is None:
        return kind
    # A library risk's title or a moment's name, in the reader's language.
    params = {
        k: shipped_text(v, numbered=True) if isinstance(v, str) else v
        for k, v in params.items()
    }
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)
