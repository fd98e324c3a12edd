"""Forms of the evaluations app; services validate, forms only collect."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missionsafety.deployments.models import Party
from missionsafety.evaluations.models import (
    AgreementAssignment,
    Evaluation,
    EvaluationTemplate,
    validate_method,
)
from missionsafety.organisations.models import User


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class MatrixForm(forms.Form):
    """One R/A/C/I select and one tasks field per step × party."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(
        label=_("what changed (note on this version)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, matrix: dict[str, Any], version: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = version
        self.grid = []
        for row in matrix["rows"]:
            cells = []
            for party, cell in zip(matrix["parties"], row["cells"], strict=True):
                key = f"{row['step'].pk}_{party.pk}"
                self.fields[f"raci_{key}"] = forms.ChoiceField(
                    label=f"{row['step'].name} — {party.organisation.short_name}",
                    choices=AgreementAssignment.Raci.choices,
                    required=False,
                    initial=cell.raci if cell else "",
                )
                self.fields[f"tasks_{key}"] = forms.CharField(
                    label=_("tasks and authorities"),
                    required=False,
                    max_length=500,
                    initial=cell.tasks if cell else "",
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
                cells.append((f"raci_{key}", f"tasks_{key}"))
            self.grid.append({"step": row["step"], "cells": cells})
        self.parties = matrix["parties"]

    def cells(self) -> dict[tuple[int, int], tuple[str, str]]:
        data = self.cleaned_data
        result = {}
        for name, value in data.items():
            if name.startswith("raci_"):
                step, party = (int(x) for x in name[5:].split("_"))
                result[(step, party)] = (
                    value or "",
                    data.get(f"tasks_{step}_{party}", ""),
                )
        return result

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "step": row["step"],
                "cells": [(self[r], self[t]) for r, t in row["cells"]],
            }
            for row in self.grid
        ]


class SignForm(forms.Form):
    party = forms.ModelChoiceField(label=_("sign for"), queryset=Party.objects.none())
    number = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, parties: list[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = Party.objects.filter(  # type: ignore[attr-defined]
            pk__in=[p.pk for p in parties]
        ).select_related("organisation")


class HoldForm(forms.Form):
    """Participants per party, an answer per question, findings one per line."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    held_on = forms.DateField(label=_("held on"), widget=DateInput())
    findings = forms.CharField(
        label=_("findings (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self, *args: Any, evaluation: Evaluation, parties: list[Party], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        template = evaluation.template
        self.template = template
        self.fields["version"].initial = evaluation.version
        self.fields["held_on"].initial = timezone.localdate()
        needed = set(template.participant_roles)
        self.party_fields = []
        for party in parties:
            name = f"party_{party.pk}"
            self.fields[name] = forms.BooleanField(
                label=f"{party.organisation.short_name} ({party.get_role_display()})",
                required=False,
                initial=party.role in needed,
            )
            self.fields[f"names_{party.pk}"] = forms.CharField(
                label=_("who took part"), required=False, max_length=300
            )
            self.party_fields.append((party, name, f"names_{party.pk}"))
        for question in template.questions:
            self.fields[f"answer_{question['key']}"] = forms.CharField(
                label=question["text"],
                required=False,  # the service enforces required answers
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.question_keys = [q["key"] for q in template.questions]
        self.required_keys = {q["key"] for q in template.questions if q["required"]}
        if template.is_gate:
            self.fields["gate_decision"] = forms.ChoiceField(
                label=_("decision of the board"),
                choices=[("", "—"), *Evaluation.GateDecision.choices],
                required=False,
            )
            self.fields["gate_rationale"] = forms.CharField(
                label=_("rationale of the board"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        from missionsafety.evaluations.services import hold_problems

        # The service's rules (required answers, who must take part, the
        # board's decision) come with the date's error, in one answer.
        problems = hold_problems(
            template=self.template,
            party_list=[party for party, _flag, _names in self.party_fields],
            held_on=data.get("held_on"),
            participants=self.participant_map(),
            answers=self.answer_map(),
            gate_decision=data.get("gate_decision", ""),
            gate_rationale=data.get("gate_rationale", ""),
        )
        for name, messages in problems.items():
            target = name if name in self.fields else None
            if target is None or target not in self.errors:
                for message in messages:
                    self.add_error(target, message)
        return data

    def participant_map(self) -> dict[int, str]:
        data = self.cleaned_data
        return {
            party.pk: data.get(names, "")
            for party, flag, names in self.party_fields
            if data.get(flag)
        }

    def answer_map(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(f"answer_{k}", "") for k in self.question_keys}

    def finding_lines(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data.get("findings", "").splitlines()
            if line.strip()
        ]

    def party_rows(self) -> list[tuple[Any, Any]]:
        return [(self[flag], self[names]) for _p, flag, names in self.party_fields]

    def answer_fields(self) -> list[tuple[Any, bool]]:
        return [
            (self[f"answer_{k}"], k in self.required_keys) for k in self.question_keys
        ]


class ReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    report = forms.CharField(
        label=_("report"), widget=forms.Textarea(attrs={"rows": 6})
    )


class SkipForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    skipped_reason = forms.CharField(
        label=_("reason for skipping"), widget=forms.Textarea(attrs={"rows": 3})
    )


class FindingForm(forms.Form):
    text = forms.CharField(label=_("finding"), widget=forms.Textarea(attrs={"rows": 3}))


class ActionForm(forms.Form):
    description = forms.CharField(
        label=_("action"), widget=forms.Textarea(attrs={"rows": 3})
    )
    owner_party = forms.ModelChoiceField(
        label=_("owner party"), queryset=Party.objects.none()
    )
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none())
    due_date = forms.DateField(label=_("due date"), widget=DateInput())

    def __init__(self, *args: Any, deployment: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parties = deployment.parties.select_related("organisation")
        self.fields["owner_party"].queryset = parties  # type: ignore[attr-defined]
        from django.db.models import Q

        from missionsafety.organisations.models import Membership

        within = Q(pk__in=[])
        for p in parties:
            within |= Q(organisation__path__startswith=p.organisation.path)
        user_ids = Membership.objects.current().filter(within).values("user_id")
        self.fields["owner"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=user_ids, is_active=True
        )


class NewEvaluationForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("moment"),
        queryset=EvaluationTemplate.objects.filter(
            active=True,
            trigger__in=[
                EvaluationTemplate.Trigger.ON_DEMAND,
                EvaluationTemplate.Trigger.OCCURRENCE,
            ],
        ),
    )
    title = forms.CharField(
        label=_("title"),
        max_length=200,
        required=False,
        help_text=_("For example the name of the exercise."),
    )
    due_date = forms.DateField(label=_("due date"), widget=DateInput(), required=False)


class WaiverForm(forms.Form):
    waiver_rationale = forms.CharField(
        label=_("rationale for deploying with open items"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CalendarForm(forms.Form):
    party = forms.ModelChoiceField(label=_("party"), queryset=Party.objects.none())

    def __init__(self, *args: Any, parties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties  # type: ignore[attr-defined]
        self.fields["party"].label_from_instance = (  # type: ignore[attr-defined]
            lambda p: f"{p.deployment.code} — {p.organisation.short_name}"
        )


class EvaluationTemplateAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """The form definition is JSON, checked before it is saved."""

    class Meta:
        model = EvaluationTemplate
        fields = [
            "code",
            "order",
            "name_nl",
            "name_en",
            "method_nl",
            "method_en",
            "phase",
            "trigger",
            "anchor",
            "offset_days",
            "interval_days",
            "due_within_days",
            "is_gate",
            "form",
            "active",
        ]

    def clean_form(self) -> Any:
        value = self.cleaned_data.get("form")
        validate_method(value)
        return value
