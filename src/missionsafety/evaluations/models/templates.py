"""Evaluation templates: when a moment is due and the form it asks."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from missionsafety.core.i18n import BilingualNameMixin, pick
from missionsafety.deployments.models import Party, Phase
from missionsafety.evaluations.models.agreements import PARTY_ROLES


def validate_method(value: Any) -> None:
    """A method is ``{"questions": [{"key", "label": {nl, en}, "required"}],
    "participants": [party roles]}``."""
    if not isinstance(value, dict):
        raise ValidationError(_("The method must be a JSON object."))
    unknown = set(value) - {"questions", "participants", "instructions"}
    if unknown:
        raise ValidationError(
            _("Unknown keys in the method: %(keys)s.")
            % {"keys": ", ".join(sorted(unknown))}
        )
    questions = value.get("questions", [])
    if not isinstance(questions, list):
        raise ValidationError(_("“questions” must be a list."))
    keys: set[str] = set()
    for i, question in enumerate(questions, start=1):
        if not isinstance(question, dict):
            raise ValidationError(_("Question %(n)s must be an object.") % {"n": i})
        key = question.get("key")
        if not isinstance(key, str) or not key.isidentifier():
            raise ValidationError(
                _("Question %(n)s needs a “key” of letters, digits and _.") % {"n": i}
            )
        if key in keys:
            raise ValidationError(_("The key “%(key)s” is used twice.") % {"key": key})
        keys.add(key)
        label = question.get("label")
        if not (isinstance(label, str) and label) and not (
            isinstance(label, dict) and (label.get("nl") or label.get("en"))
        ):
            raise ValidationError(
                _("Question %(n)s needs a label (text or {nl, en}).") % {"n": i}
            )
        if not isinstance(question.get("required", False), bool):
            raise ValidationError(
                _("“required” of question %(n)s must be true or false.") % {"n": i}
            )
    participants = value.get("participants", [])
    if not isinstance(participants, list) or any(
        p not in PARTY_ROLES for p in participants
    ):
        raise ValidationError(
            _("“participants” must list party roles: %(roles)s.")
            % {"roles": ", ".join(sorted(PARTY_ROLES))}
        )


class EvaluationTemplate(BilingualNameMixin, models.Model):
    """A standard evaluation moment with its method and when it falls due."""

    class Trigger(models.TextChoices):
        DATE = "date", _("on a date relative to the deployment")
        PERIODIC = "periodic", _("periodic during the deployed period")
        OCCURRENCE = "occurrence", _("after a serious occurrence")
        ON_DEMAND = "on_demand", _("on demand (e.g. after an exercise)")

    class Anchor(models.TextChoices):
        PHASE_START = "phase_start", _("when its phase is entered")
        DEPLOYMENT_START = "deployment_start", _("start of deployment")
        DEPLOYMENT_MID = "deployment_mid", _("middle of the deployment")
        DEPLOYMENT_END = "deployment_end", _("end of deployment")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    method_nl = models.TextField(_("method (Dutch)"), blank=True)
    method_en = models.TextField(_("method (English)"), blank=True)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    trigger = models.CharField(_("trigger"), max_length=12, choices=Trigger.choices)
    anchor = models.CharField(
        _("anchor"),
        max_length=20,
        choices=Anchor.choices,
        default=Anchor.DEPLOYMENT_START,
    )
    offset_days = models.IntegerField(
        _("days after the anchor"),
        default=0,
        help_text=_("Negative for before the anchor."),
    )
    interval_days = models.PositiveIntegerField(
        _("repeat every (days)"), default=30, help_text=_("For periodic moments.")
    )
    due_within_days = models.PositiveIntegerField(
        _("due within (days)"),
        default=3,
        help_text=_("For moments after an occurrence or on demand."),
    )
    is_gate = models.BooleanField(
        _("readiness safety gate"),
        default=False,
        help_text=_("The board records go or no-go; needed to move to deployed."),
    )
    form = models.JSONField(
        _("form definition"),
        default=dict,
        validators=[validate_method],
        help_text=_(
            '{"questions": [{"key": "what_happened", "label": {"nl": "…", "en": '
            '"…"}, "required": true}], "participants": ["deployed_unit", …]}'
        ),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("evaluation template")
        verbose_name_plural = _("evaluation templates")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def method(self) -> str:
        from django.utils.translation import get_language

        lang = (get_language() or "nl")[:2]
        return (self.method_en if lang == "en" else self.method_nl) or self.method_nl

    @property
    def questions(self) -> list[dict[str, Any]]:
        return [
            {**q, "text": pick(q.get("label")), "required": bool(q.get("required"))}
            for q in (self.form or {}).get("questions", [])
        ]

    @property
    def participant_roles(self) -> list[str]:
        return list((self.form or {}).get("participants", []))

    @property
    def participant_role_labels(self) -> list[str]:
        """The party roles that take part, in the reader's language."""

        labels = dict(Party.PartyRole.choices)
        return [str(labels.get(role, role)) for role in self.participant_roles]
