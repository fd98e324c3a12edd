"""Forms of the occurrence pages: report, triage, actions, people, attachments."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missionsafety.occurrences.files import ALLOWED
from missionsafety.occurrences.models import Occurrence, OccurrenceCategory
from missionsafety.organisations.models import Organisation, User
from missionsafety.organisations.scope import user_scope_ids

if TYPE_CHECKING:
    from missionsafety.risks.models import Risk

CATEGORY_ERROR = _("Choose a category from 0 to 4.")


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def category_choices() -> list[tuple[int, str]]:
    rows = list(OccurrenceCategory.objects.order_by("number"))
    if not rows:
        return [(n, str(n)) for n in range(5)]
    return [(c.number, str(c)) for c in rows]


def category_field(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        choices=category_choices,
        error_messages={"invalid_choice": CATEGORY_ERROR, "required": CATEGORY_ERROR},
    )


def unit_queryset(user: Any, deployment: Any) -> Any:
    """Party organisations and the user's own units below a party."""
    party_ids = {p.organisation_id for p in deployment.party_list}
    own = [org_id for org_id in user_scope_ids(user) if org_id in party_ids]
    from missionsafety.organisations.scope import current_memberships

    for m in current_memberships(user):
        if party_ids.intersection(m.organisation.ancestor_ids):
            own.append(m.organisation_id)
    return Organisation.objects.filter(pk__in=party_ids | set(own)).order_by("path")


def default_unit(user: Any, deployment: Any) -> Organisation | None:
    from missionsafety.organisations.scope import current_memberships

    party_ids = {p.organisation_id for p in deployment.party_list}
    for m in current_memberships(user):
        if party_ids.intersection(m.organisation.ancestor_ids):
            return m.organisation
    return None


class OccurrenceForm(forms.Form):
    """One short page: what, when, where, how bad; the rest is optional."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=Occurrence.Kind.choices)
    title = forms.CharField(label=_("short title"), max_length=200)
    occurred_at = forms.DateTimeField(
        label=_("when"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    place = forms.CharField(label=_("where"), max_length=200)
    latitude = forms.DecimalField(
        label=_("latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        decimal_places=6,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    longitude = forms.DecimalField(
        label=_("longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        decimal_places=6,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Organisation.objects.none())
    activity = forms.CharField(label=_("activity"), max_length=200, required=False)
    actual_category = category_field(_("actual category"))
    potential_category = category_field(_("potential category"))
    injuries = forms.CharField(
        label=_("injuries"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Number and nature, without names."),
    )
    damage = forms.CharField(
        label=_("damage"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    ammunition_involved = forms.BooleanField(
        label=_("ammunition or explosives involved"), required=False
    )
    immediate_actions = forms.CharField(
        label=_("immediate actions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    description = forms.CharField(
        label=_("what happened"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    risks: forms.ModelMultipleChoiceField[Risk] = forms.ModelMultipleChoiceField(
        label=_("linked risks"),
        queryset=None,
        required=False,
        help_text=_("Risks of this deployment the occurrence bears on."),
    )

    def __init__(self, *args: Any, user: Any, deployment: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from missionsafety.risks.models import Risk

        self.fields["unit"].queryset = unit_queryset(user, deployment)  # type: ignore[attr-defined]
        self.fields["risks"].queryset = Risk.objects.filter(  # type: ignore[attr-defined]
            deployment=deployment
        ).order_by("number")
        if not self.is_bound:
            self.fields["unit"].initial = default_unit(user, deployment)
            self.fields["occurred_at"].initial = timezone.localtime().replace(
                second=0, microsecond=0
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The service refuses a future moment too; saying so here as well shows
        # it together with the other fields' errors, not one round trip later.
        from missionsafety.occurrences.services import CLOCK_SKEW

        when = data.get("occurred_at")
        if when is not None and when > timezone.now() + CLOCK_SKEW:
            self.add_error(
                "occurred_at", _("The moment lies in the future; check date and time.")
            )
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error(
                "longitude", _("Give both latitude and longitude, or neither.")
            )
        return data


class ReportForm(OccurrenceForm):
    """The report form adds one attachment and one person involved."""

    attachment = forms.FileField(
        label=_("photo or document"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ALLOWED.accept}),
    )
    person_name = forms.CharField(
        label=_("name of someone injured or involved"),
        max_length=200,
        required=False,
        help_text=_(
            "Personal data: seen only by the unit's commander and safety officers and the inspectorate."
        ),
    )
    person_medical = forms.CharField(
        label=_("medical details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["idempotency_key"].initial = uuid.uuid4()


class EditForm(OccurrenceForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TriageForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    actual_category = category_field(_("actual category (confirmed)"))
    potential_category = category_field(_("potential category (confirmed)"))
    investigation_level = forms.ChoiceField(
        label=_("investigation level"),
        choices=[("", "—"), *Occurrence.InvestigationLevel.choices],
        required=False,
    )
    risks: forms.ModelMultipleChoiceField[Risk] = forms.ModelMultipleChoiceField(
        label=_("linked risks"), queryset=None, required=False
    )
    note = forms.CharField(
        label=_("triage note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, occurrence: Occurrence, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from missionsafety.risks.models import Risk

        self.fields["risks"].queryset = Risk.objects.filter(  # type: ignore[attr-defined]
            deployment_id=occurrence.deployment_id
        ).order_by("number")
        if not self.is_bound:
            self.initial.update(
                {
                    "version": occurrence.version,
                    "actual_category": occurrence.actual_category,
                    "potential_category": occurrence.potential_category,
                    "investigation_level": occurrence.investigation_level,
                    "risks": [r.pk for r in occurrence.risks.all()],
                    "note": occurrence.triage_note,
                }
            )


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("move to"), choices=Occurrence.Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ActionForm(forms.Form):
    description = forms.CharField(
        label=_("action"), widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none())
    due_date = forms.DateField(label=_("due date"), widget=DateInput())

    def __init__(self, *args: Any, deployment: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from missionsafety.organisations.models import Membership

        party_ids = [p.organisation_id for p in deployment.party_list]
        self.fields["owner"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                is_active=True,
                pk__in=Membership.objects.current()
                .filter(organisation_id__in=party_ids)
                .values("user_id"),
            ).order_by("last_name", "first_name")
        )


class PersonForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    role_in_occurrence = forms.CharField(
        label=_("involvement"), max_length=120, required=False
    )
    medical_details = forms.CharField(
        label=_("medical details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AttachmentForm(forms.Form):
    attachment = forms.FileField(
        label=_("photo or document"),
        widget=forms.ClearableFileInput(attrs={"accept": ALLOWED.accept}),
    )
