from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from missionsafety.deployments.models import Party
from missionsafety.feedback.models import NotificationKind, Thread
from missionsafety.risks.files import ALLOWED


class DateInput(forms.DateInput):
    input_type = "date"


class ThreadForm(forms.Form):
    subject = forms.CharField(widget=forms.HiddenInput)
    from_party = forms.ModelChoiceField(
        label=_("on behalf of"), queryset=Party.objects.none()
    )
    to_party = forms.ModelChoiceField(
        label=_("to party"), queryset=Party.objects.none()
    )
    kind = forms.ChoiceField(label=_("kind"), choices=Thread.Kind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    body = forms.CharField(
        label=_("question or feedback"), widget=forms.Textarea(attrs={"rows": 5})
    )
    due_date = forms.DateField(
        label=_("answer wanted by"), required=False, widget=DateInput()
    )

    def __init__(
        self, *args: Any, deployment: Any, mine: list[Party], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from_party"].queryset = Party.objects.filter(  # type: ignore[attr-defined]
            pk__in=[p.pk for p in mine]
        ).select_related("organisation")
        self.fields["to_party"].queryset = (  # type: ignore[attr-defined]
            Party.objects.filter(deployment=deployment)
            .select_related("organisation")
            .order_by("organisation__short_name")
        )
        if mine and not self.is_bound:
            self.fields["from_party"].initial = mine[0].pk
        if len(mine) == 1:
            self.fields["from_party"].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        from missionsafety.feedback.services import thread_problems

        # The service's rules, shown with the other fields' errors at once.
        problems = thread_problems(
            from_party=data.get("from_party"),
            to_party=data.get("to_party"),
            kind=data.get("kind", ""),
            title=data.get("title", ""),
            body=data.get("body", ""),
            due_date=data.get("due_date"),
        )
        for name, message in problems.items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return data


class ReplyForm(forms.Form):
    # Made when the form is opened: sending the same answer twice keeps one.
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    body = forms.CharField(
        label=_("your answer"), widget=forms.Textarea(attrs={"rows": 4})
    )
    attachment = forms.FileField(
        label=_("photo or document"),
        required=False,
        help_text=ALLOWED.description,
        widget=forms.ClearableFileInput(attrs={"accept": ALLOWED.accept}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["idempotency_key"].initial = uuid.uuid4()


class PreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Send me an e-mail for"),
        choices=NotificationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
