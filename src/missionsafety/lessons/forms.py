"""Forms for observations, lessons and the learning loop."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from missionsafety.deployments.models import Deployment, Phase
from missionsafety.lessons.models import (
    Kind,
    Lesson,
    Observation,
    Releasability,
    Source,
)
from missionsafety.organisations.models import Organisation
from missionsafety.risks.models import HazardCategory


class DateInput(forms.DateInput):
    input_type = "date"


def parse_tags(value: str) -> list[str]:
    return [t.strip() for t in (value or "").split(",") if t.strip()]


class ReleaseFields(forms.Form):
    releasability = forms.ChoiceField(
        label=_("releasability"),
        choices=Releasability.choices,
        initial=Releasability.PARTIES,
        widget=forms.RadioSelect,
        help_text=_("Who may read it besides the parties of the deployment."),
    )
    released_to = forms.ModelMultipleChoiceField(
        label=_("released to (named organisations)"),
        queryset=Organisation.objects.active().order_by("path"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("hazard categories"),
        queryset=HazardCategory.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ObservationForm(ReleaseFields):
    deployment = forms.ModelChoiceField(
        label=_("deployment"), queryset=Deployment.objects.none()
    )
    title = forms.CharField(label=_("title"), max_length=200)
    observed_on = forms.DateField(
        label=_("observed on"), required=False, widget=DateInput(format="%Y-%m-%d")
    )
    phase = forms.ChoiceField(
        label=_("phase"),
        choices=[("", _("the deployment's current phase")), *Phase.choices],
        required=False,
    )
    source = forms.ChoiceField(label=_("source"), choices=Source.choices)
    kind = forms.ChoiceField(label=_("kind"), choices=Kind.choices)
    observation = forms.CharField(
        label=_("observation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What happened: facts only, no opinions."),
    )
    discussion = forms.CharField(
        label=_("discussion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed before verification."),
    )
    conclusion = forms.CharField(
        label=_("conclusion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed before verification."),
    )
    recommendation = forms.CharField(
        label=_("recommendation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed before verification."),
    )
    tags = forms.CharField(
        label=_("tags"),
        required=False,
        max_length=400,
        help_text=_("Separated by commas."),
    )
    source_object = forms.CharField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Made when the form is opened: sending the same form twice keeps one record.
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    field_order = [
        "deployment",
        "title",
        "observed_on",
        "phase",
        "source",
        "kind",
        "observation",
        "discussion",
        "conclusion",
        "recommendation",
        "categories",
        "tags",
        "releasability",
        "released_to",
    ]

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["deployment"].queryset = Deployment.objects.visible_to(  # type: ignore[attr-defined]
            user
        ).order_by("-start_date")
        if editing:
            del self.fields["deployment"]
            del self.fields["source_object"]
            del self.fields["idempotency_key"]
        elif not self.is_bound:
            self.fields["idempotency_key"].initial = uuid.uuid4()

    def clean_source_object(self) -> Any:
        """``app_label.model:pk`` → the object, or a form error (never a 500)."""
        value = (self.cleaned_data.get("source_object") or "").strip()
        if not value:
            return None
        try:
            label, pk = value.split(":", 1)
            app_label, model = label.split(".", 1)
            ct = ContentType.objects.get_by_natural_key(app_label, model)
            model_class = ct.model_class() or apps.get_model(app_label, model)
            return model_class._default_manager.get(pk=pk)
        except (ValueError, LookupError, ContentType.DoesNotExist) as exc:
            raise forms.ValidationError(_("The linked object was not found.")) from exc
        except Exception as exc:  # DoesNotExist of any model, bad pk types
            raise forms.ValidationError(_("The linked object was not found.")) from exc


class ObservationTransitionForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("new state"), choices=Observation.Status.choices
    )
    reason = forms.CharField(
        label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("file"), help_text=_("PDF, image, text, Word or Excel; at most 5 MB.")
    )


class LessonForm(ReleaseFields):
    title = forms.CharField(label=_("title"), max_length=200)
    observations = forms.ModelMultipleChoiceField(
        label=_("observations"),
        queryset=Observation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Verified observations that this lesson answers."),
    )
    root_cause = forms.CharField(
        label=_("root cause"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    remedial_action = forms.CharField(
        label=_("remedial action"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    action_body = forms.ModelChoiceField(
        label=_("action body"),
        queryset=Organisation.objects.active().order_by("path"),
        required=False,
    )
    tasking_authority = forms.ModelChoiceField(
        label=_("tasking authority"),
        queryset=Organisation.objects.active().order_by("path"),
        required=False,
    )
    due_date = forms.DateField(
        label=_("due date"), required=False, widget=DateInput(format="%Y-%m-%d")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    field_order = [
        "title",
        "observations",
        "root_cause",
        "remedial_action",
        "action_body",
        "tasking_authority",
        "due_date",
        "categories",
        "releasability",
        "released_to",
    ]

    def __init__(
        self, *args: Any, observations: Any = None, editing: bool = False, **kw: Any
    ):
        super().__init__(*args, **kw)
        if editing:
            del self.fields["observations"]
        else:
            self.fields["observations"].queryset = observations  # type: ignore[attr-defined]
            self.fields["releasability"].required = False
            self.fields["releasability"].choices = [  # type: ignore[attr-defined]
                ("", _("the widest release all its observations allow")),
                *Releasability.choices,
            ]
            self.fields["releasability"].initial = ""
            self.fields["categories"].help_text = _(
                "Empty: the categories of its observations."
            )


class LessonTransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("new state"), choices=Lesson.Status.choices)
    reason = forms.CharField(
        label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    validation_evidence = forms.CharField(
        label=_("validation evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class UseForm(forms.Form):
    target = forms.RegexField(
        regex=r"^(observation|lesson):\d{1,12}$", widget=forms.HiddenInput
    )
    note = forms.CharField(label=_("note"), required=False, max_length=2000)


class ReviewForm(forms.Form):
    lesson = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(label=_("note"), required=False, max_length=2000)
