"""Checks and side effects that reporting, updating and triage share."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.core.exceptions import NotAllowed, ValidationError
from missionsafety.deployments.models import Deployment
from missionsafety.deployments.visibility import can
from missionsafety.occurrences.models import Occurrence
from missionsafety.occurrences.rules import REPORTING_ROLES, TRIAGE_ROLES
from missionsafety.organisations.models import Organisation

# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = datetime.timedelta(minutes=10)
# Nothing reported happened before this; far older moments do not even convert
# to UTC (0001-01-01T00:30+01:00 lies in year 0).
EARLIEST = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)

EDITABLE_FIELDS = {
    "occurred_at",
    "place",
    "latitude",
    "longitude",
    "unit",
    "activity",
    "kind",
    "title",
    "actual_category",
    "potential_category",
    "injuries",
    "damage",
    "ammunition_involved",
    "immediate_actions",
    "description",
}


def _check_when(occurred_at: datetime.datetime | None) -> None:
    if occurred_at is None:
        raise ValidationError({"occurred_at": _("Say when it happened.")})
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > timezone.now() + CLOCK_SKEW:
        raise ValidationError(
            {"occurred_at": _("The moment lies in the future; check date and time.")}
        )
    if occurred_at < EARLIEST:
        raise ValidationError(
            {"occurred_at": _("The moment lies before 1900; check date and time.")}
        )


def _check_categories(**categories: Any) -> None:
    errors = {}
    for field, value in categories.items():
        if value is None or not isinstance(value, int) or not 0 <= value <= 4:
            errors[field] = _("Choose a category from 0 to 4.")
    if errors:
        raise ValidationError(errors)


def _check_coordinates(latitude: Any, longitude: Any) -> None:
    if (latitude is None) != (longitude is None):
        raise ValidationError(
            {"longitude": _("Give both latitude and longitude, or neither.")}
        )
    if latitude is not None and not -90 <= float(latitude) <= 90:
        raise ValidationError({"latitude": _("Latitude lies between -90 and 90.")})
    if longitude is not None and not -180 <= float(longitude) <= 180:
        raise ValidationError({"longitude": _("Longitude lies between -180 and 180.")})


def _check_unit(deployment: Deployment, unit: Organisation | None) -> None:
    """The unit is a party or a unit below one."""
    if unit is None:
        raise ValidationError({"unit": _("Choose the unit involved.")})
    party_ids = {p.organisation_id for p in deployment.party_list}
    if not party_ids.intersection(unit.ancestor_ids):
        raise ValidationError(
            {
                "unit": _(
                    "%(unit)s does not take part in %(deployment)s (not a party nor "
                    "a unit below one)."
                )
                % {"unit": unit.short_name, "deployment": deployment.code}
            }
        )


def _check_kind(kind: str) -> None:
    if kind not in Occurrence.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of occurrence.")})


def _check_risks(deployment: Deployment, risks: Iterable[Any]) -> list[Any]:
    risks = list(risks)
    foreign = [r for r in risks if r.deployment_id != deployment.pk]
    if foreign:
        raise ValidationError(
            {
                "risks": _(
                    "Only risks of this deployment can be linked; %(refs)s belongs "
                    "to another deployment."
                )
                % {"refs": ", ".join(r.reference for r in foreign)}
            }
        )
    return risks


def _lock_risks(risks: Iterable[Any]) -> None:
    """Lock the risks a serious occurrence will mark, before the first change
    record: every writer takes its row locks before the audit head, never after
    (docs/locking.md), or it waits for a risk while holding the head."""
    from missionsafety.risks.models import Risk

    ids = sorted({r.pk for r in risks})
    if ids:
        list(
            Risk.objects.select_for_update(of=("self",), no_key=True)
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def _force_reassessment(
    *, occurrence: Occurrence, actor: Any, risks: Iterable[Any]
) -> None:
    """A serious occurrence puts each linked risk up for reassessment."""
    from missionsafety.risks.services import risk_require_reassessment

    reason = _("Occurrence %(ref)s (category %(cat)s): %(title)s") % {
        "ref": occurrence.reference,
        "cat": f"{occurrence.actual_category}/{occurrence.potential_category}",
        "title": occurrence.title,
    }
    for risk in risks:
        risk_require_reassessment(
            risk=risk, actor=actor, reason=reason, source=occurrence
        )


def _may_edit(actor: Any, occurrence: Occurrence) -> None:
    if occurrence.status == Occurrence.Status.CLOSED:
        raise ValidationError(
            _("This occurrence is closed; it can no longer be changed.")
        )
    if can(actor, occurrence.deployment, *TRIAGE_ROLES):
        return
    if (
        occurrence.reported_by_id == actor.pk
        and occurrence.status == Occurrence.Status.REPORTED
        and can(actor, occurrence.deployment, *REPORTING_ROLES)
    ):
        return
    raise NotAllowed(
        _(
            "Only the reporter (until triage) and safety officers may change this "
            "occurrence."
        ),
        roles=list(TRIAGE_ROLES),
    )
