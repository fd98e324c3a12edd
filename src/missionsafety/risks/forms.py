"""Forms of the risk register; the services validate, these only collect."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from missionsafety.core.i18n import pick
from missionsafety.core.views import run_service
from missionsafety.deployments.models import Deployment, Party, Phase
from missionsafety.deployments.people import party_member_ids
from missionsafety.organisations.models import User
from missionsafety.risks.files import ALLOWED as FILES
from missionsafety.risks.models import (
    Assessment,
    Consultation,
    Control,
    Decision,
    Hazard,
    HazardCategory,
    Risk,
    RiskMatrix,
)
from missionsafety.risks.services.bulk import ACTIONS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PartyChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Party) -> str:  # type: ignore[override]
        return f"{obj.organisation.short_name} ({obj.get_role_display()})"


class PartiesChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Party) -> str:  # type: ignore[override]
        return f"{obj.organisation.short_name} ({obj.get_role_display()})"


def _parties(deployment: Deployment) -> Any:
    return Party.objects.filter(deployment=deployment).select_related("organisation")


def _people(deployment: Deployment) -> Any:
    """The people of the deployment's parties: nobody from elsewhere is offered."""
    return User.objects.filter(pk__in=party_member_ids(deployment.party_list)).order_by(
        "last_name", "first_name"
    )


class RiskForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    hazard = forms.CharField(
        label=_("hazard"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What can cause harm."),
    )
    cause = forms.CharField(
        label=_("cause"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    consequence = forms.CharField(
        label=_("consequence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    category = forms.ModelChoiceField(
        label=_("category"), queryset=HazardCategory.objects.all(), required=False
    )
    activity = forms.CharField(label=_("activity"), max_length=200, required=False)
    phases = forms.MultipleChoiceField(
        label=_("phases"),
        choices=Phase.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    owner_party = PartyChoice(label=_("owner party"), queryset=Party.objects.none())
    owner = forms.ModelChoiceField(
        label=_("risk owner"), queryset=User.objects.none(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, deployment: Deployment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_party"].queryset = _parties(deployment)  # type: ignore[attr-defined]
        self.fields["owner"].queryset = _people(deployment)  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, risk: Risk) -> dict[str, Any]:
        return {
            "title": risk.title,
            "hazard": risk.hazard,
            "cause": risk.cause,
            "consequence": risk.consequence,
            "category": risk.category_id,
            "activity": risk.activity,
            "phases": risk.phases,
            "owner_party": risk.owner_party_id,
            "owner": risk.owner_id,
            "version": risk.version,
        }


class NewRiskForm(RiskForm):
    """A new risk with up to two first controls."""

    control_1 = forms.CharField(
        label=_("first control"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    control_1_kind = forms.ChoiceField(
        label=_("kind of control"),
        choices=Control.Kind.choices,
        initial=Control.Kind.ADMINISTRATE,
    )
    control_1_owner = PartyChoice(
        label=_("control owner party"), queryset=Party.objects.none(), required=False
    )
    control_2 = forms.CharField(
        label=_("second control"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    control_2_kind = forms.ChoiceField(
        label=_("kind of control"),
        choices=Control.Kind.choices,
        initial=Control.Kind.ADMINISTRATE,
    )
    control_2_owner = PartyChoice(
        label=_("control owner party"), queryset=Party.objects.none(), required=False
    )

    def __init__(self, *args: Any, deployment: Deployment, **kwargs: Any) -> None:
        super().__init__(*args, deployment=deployment, **kwargs)
        for n in (1, 2):
            self.fields[f"control_{n}_owner"].queryset = _parties(deployment)  # type: ignore[attr-defined]

    def controls(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        specs = []
        for n in (1, 2):
            text = (data.get(f"control_{n}") or "").strip()
            if text:
                specs.append(
                    {
                        "description": text,
                        "kind": data[f"control_{n}_kind"],
                        "owner_party": data.get(f"control_{n}_owner")
                        or data.get("owner_party"),
                    }
                )
        return specs


def _choices(levels: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(x["code"], f"{x['code']} — {pick(x.get('name'))}") for x in levels]


class AssessmentForm(forms.Form):
    inherent_probability = forms.ChoiceField(label=_("inherent probability"))
    inherent_severity = forms.ChoiceField(label=_("inherent severity"))
    controls_considered = forms.CharField(
        label=_("controls considered"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    residual_probability = forms.ChoiceField(label=_("residual probability"))
    residual_severity = forms.ChoiceField(label=_("residual severity"))
    reason = forms.ChoiceField(label=_("reason"), choices=Assessment.Reason.choices)
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    request_decision = forms.BooleanField(
        label=_("submit for a decision now"), required=False, initial=True
    )

    def __init__(self, *args: Any, matrix: RiskMatrix, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        probabilities = _choices(matrix.probabilities)
        severities = _choices(matrix.severities)
        for name in ("inherent_probability", "residual_probability"):
            self.fields[name].choices = probabilities  # type: ignore[attr-defined]
        for name in ("inherent_severity", "residual_severity"):
            self.fields[name].choices = severities  # type: ignore[attr-defined]
        self.matrix = matrix

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The service's own rule, checked here too so that it shows with the
        # other fields' errors rather than one round trip later.
        from missionsafety.risks.services.register import check_levels

        names = (
            "inherent_probability",
            "inherent_severity",
            "residual_probability",
            "residual_severity",
        )
        if all(data.get(name) for name in names):
            run_service(
                self,
                lambda: check_levels(self.matrix, **{n: data[n] for n in names}),
            )
        return data


class ControlForm(forms.Form):
    description = forms.CharField(
        label=_("description"), widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(label=_("kind"), choices=Control.Kind.choices)
    owner_party = PartyChoice(label=_("owner party"), queryset=Party.objects.none())
    implementer = forms.ModelChoiceField(
        label=_("implementer"), queryset=User.objects.none(), required=False
    )
    due_date = forms.DateField(label=_("due date"), required=False, widget=DateInput())

    def __init__(self, *args: Any, deployment: Deployment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_party"].queryset = _parties(deployment)  # type: ignore[attr-defined]
        self.fields["implementer"].queryset = _people(deployment)  # type: ignore[attr-defined]
        from missionsafety.risks.services.controls import due_date_bounds

        first, last = due_date_bounds(deployment)
        self.fields["due_date"].help_text = _(
            "Work before departure is dated before the start: any day from "
            "%(first)s to %(last)s."
        ) % {"first": first.isoformat(), "last": last.isoformat()}
        self.deployment = deployment

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        from missionsafety.risks.services.controls import check_due

        # With the other fields' errors, not after them.
        if data.get("due_date") and "due_date" in self.changed_data:
            run_service(self, lambda: check_due(self.deployment, data["due_date"]))
        return data


class ControlEditForm(ControlForm):
    status = forms.ChoiceField(label=_("status"), choices=Control.Status.choices)
    status_note = forms.CharField(
        label=_("status note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        control: Control,
        may_change: bool = True,
        may_reassign: bool = True,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "description": control.description,
                "kind": control.kind,
                "owner_party": control.owner_party_id,
                "implementer": control.implementer_id,
                "due_date": control.due_date,
                "status": control.status,
                "status_note": control.status_note,
                "version": control.version,
            },
        )
        super().__init__(*args, deployment=control.deployment, **kwargs)
        allowed = {control.status} | Control.TRANSITIONS.get(control.status, set())
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (v, label) for v, label in Control.Status.choices if v in allowed
        ]
        # What the user may not change is shown, not offered: a disabled field
        # keeps the control's value whatever is posted.
        for name, field in self.fields.items():
            if name == "version":
                continue
            if (name == "owner_party" and not may_reassign) or (
                name != "owner_party" and not may_change
            ):
                field.disabled = True


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("decision"),
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
    )
    assessment = forms.IntegerField(widget=forms.HiddenInput)
    consultation_note = forms.CharField(
        label=_("consulted outside the system (when accepting)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only for a party that has not answered here: name it, and say "
            "whom you consulted, when and how."
        ),
    )
    conditions = forms.CharField(
        label=_("conditions (when accepting)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    valid_until = forms.DateField(
        label=_("valid until (when accepting)"), required=False, widget=DateInput()
    )
    rationale = forms.CharField(
        label=_("rationale or reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Required when rejecting, and when a party objected: name the "
            "objection you answer."
        ),
    )

    def __init__(self, *args: Any, risk: Risk, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(
        choices=[
            (Risk.Status.AWAITING_DECISION, _("ask for a decision")),
            (Risk.Status.MONITORED, _("monitor")),
            (Risk.Status.CLOSED, _("close")),
        ]
    )
    note = forms.CharField(required=False, max_length=500)


class LibraryStartForm(forms.Form):
    hazards = forms.ModelMultipleChoiceField(
        label=_("hazards"),
        queryset=Hazard.objects.filter(active=True).select_related("category"),
        widget=forms.CheckboxSelectMultiple,
    )
    owner_party = PartyChoice(label=_("owner party"), queryset=Party.objects.none())

    def __init__(self, *args: Any, deployment: Deployment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_party"].queryset = _parties(deployment)  # type: ignore[attr-defined]


class CopyStartForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("earlier register"), queryset=Deployment.objects.none()
    )
    owner_party = PartyChoice(
        label=_("owner party where no matching party exists"),
        queryset=Party.objects.none(),
    )
    skip_existing = forms.BooleanField(
        label=_(
            "Skip risks already in this register (same library hazard, copied "
            "before, or a very similar title)"
        ),
        required=False,
        initial=True,
    )

    def __init__(
        self, *args: Any, deployment: Deployment, sources: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources  # type: ignore[attr-defined]
        self.fields["owner_party"].queryset = _parties(deployment)  # type: ignore[attr-defined]


class ConsultationAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("your answer"),
        choices=Consultation.Answer.choices,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("conditions or objection"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required with conditions and with an objection."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_(
            "The register's export or the template, at most 2,000 rows and 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class BulkForm(forms.Form):
    """One change for the selected risks (or every risk matching the filter)."""

    all = forms.BooleanField(label=_("All risks matching the filter"), required=False)
    action = forms.ChoiceField(label=_("Change"), choices=list(ACTIONS.items()))
    owner_party = PartyChoice(
        label=_("Owner party"), queryset=Party.objects.none(), required=False
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=HazardCategory.objects.all(), required=False
    )
    phase = forms.ChoiceField(
        label=_("Phase"), choices=[("", "—"), *Phase.choices], required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args: Any, deployment: Deployment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_party"].queryset = deployment.parties.select_related(  # type: ignore[attr-defined]
            "organisation"
        )


class RiskAttachmentForm(forms.Form):
    attachment = forms.FileField(
        label=_("Document or photo"),
        widget=forms.ClearableFileInput(attrs={"accept": FILES.accept}),
    )
    control = forms.ModelChoiceField(
        label=_("Evidence of the control"),
        queryset=Control.objects.none(),
        required=False,
        empty_label=_("— the risk itself —"),
    )

    def __init__(self, *args: Any, risk: Risk, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["control"].queryset = Control.objects.filter(  # type: ignore[attr-defined]
            risk_id=risk.pk
        ).order_by("pk")
