from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from missionsafety.deployments.models import Deployment, Party, Phase
from missionsafety.organisations.models import Organisation, User


class DateInput(forms.DateInput):
    input_type = "date"


class DeploymentForm(forms.ModelForm):  # type: ignore[type-arg]
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Deployment
        fields = [
            "code",
            "name",
            "theatre",
            "start_date",
            "end_date",
            "predecessor",
            "description",
        ]
        widgets = {
            "start_date": DateInput(format="%Y-%m-%d"),
            "end_date": DateInput(format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            qs = Deployment.objects.visible_to(user).order_by("-start_date")
            if self.instance.pk:
                qs = qs.exclude(pk=self.instance.pk)
            self.fields["predecessor"].queryset = qs  # type: ignore[attr-defined]
        if self.instance.pk:
            # An edit must say which version it started from: never overwrite blindly.
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end lies before the start."))
        return data

    def _post_clean(self) -> None:
        # Model validation happens in the service, which reports to this form.
        pass


class NewDeploymentForm(DeploymentForm):
    own_organisation = forms.ModelChoiceField(
        label=_("Your organisation takes part as"),
        queryset=Organisation.objects.none(),
        help_text=_("The first party; add the others on the deployment page."),
    )
    own_role = forms.ChoiceField(label=_("party role"), choices=Party.PartyRole.choices)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        from missionsafety.organisations.scope import user_scope_ids

        qs = Organisation.objects.active()
        if user is not None and not user.is_superuser:
            qs = qs.filter(pk__in=user_scope_ids(user))
        self.fields["own_organisation"].queryset = qs  # type: ignore[attr-defined]


class PartyForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("organisation"), queryset=Organisation.objects.active()
    )
    role = forms.ChoiceField(label=_("party role"), choices=Party.PartyRole.choices)
    point_of_contact = forms.ModelChoiceField(
        label=_("point of contact"),
        queryset=User.objects.filter(is_active=True),
        required=False,
    )
    contact_note = forms.CharField(
        label=_("contact details"), max_length=200, required=False
    )


class PhaseForm(forms.Form):
    to_phase = forms.ChoiceField(label=_("move to"), choices=Phase.choices)
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    waiver_rationale = forms.CharField(
        label=_("waiver rationale (only to move on past open gate items)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    early_reason = forms.CharField(
        label=_("reason to deploy before the start date"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only to move to deployed more than a month before the start; "
            "recorded in the history."
        ),
    )

    def __init__(self, *args: Any, deployment: Deployment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = deployment.allowed_phases()
        # Offer only the allowed moves, but accept any phase so that the service
        # explains why a move is refused instead of a bare "invalid choice".
        self.fields["to_phase"].widget.choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Phase.choices if value in allowed
        ]
        self.fields["version"].initial = deployment.version


class ContactForm(forms.Form):
    """A party's point of contact, chosen among the party's own people."""

    point_of_contact = forms.ModelChoiceField(
        label=_("point of contact"), queryset=User.objects.none(), required=False
    )
    contact_note = forms.CharField(
        label=_("contact details"),
        max_length=200,
        required=False,
        help_text=_("Function mailbox, phone or radio call sign."),
    )

    def __init__(self, *args: Any, party: Party, **kwargs: Any) -> None:
        from missionsafety.deployments.people import party_member_ids

        kwargs.setdefault(
            "initial",
            {
                "point_of_contact": party.point_of_contact_id,
                "contact_note": party.contact_note,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["point_of_contact"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=party_member_ids([party], with_auditors=True)
        ).order_by("last_name", "first_name")
