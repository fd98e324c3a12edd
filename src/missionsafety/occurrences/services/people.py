"""People involved in an occurrence, and purging their personal data."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change
from missionsafety.core.exceptions import NotAllowed, ValidationError
from missionsafety.occurrences.models import Occurrence, PersonInvolved
from missionsafety.occurrences.rules import may_edit_personal_data
from missionsafety.organisations.scope import require_writer


def _person_create(
    *,
    actor: Any,
    occurrence: Occurrence,
    name: str,
    role_in_occurrence: str = "",
    medical_details: str = "",
) -> PersonInvolved:
    person = PersonInvolved.objects.create(
        occurrence=occurrence,
        deployment=occurrence.deployment,
        name=name.strip()[:200],
        role_in_occurrence=(role_in_occurrence or "").strip()[:120],
        medical_details=medical_details or "",
    )
    # The audit trail is widely readable: record that, not who.
    record_change(
        actor=actor,
        obj=occurrence,
        action="add_person",
        after={"person": person.pk},
    )
    return person


@transaction.atomic
def person_add(
    *,
    actor: Any,
    occurrence: Occurrence,
    name: str,
    role_in_occurrence: str = "",
    medical_details: str = "",
) -> PersonInvolved:
    """Record someone involved (only the unit's chain of command and safety)."""
    require_writer(actor)
    if not may_edit_personal_data(actor, occurrence):
        raise NotAllowed(
            _(
                "Only the commander and safety officers of the reporting unit and "
                "its formation record people involved."
            )
        )
    if not (name or "").strip():
        raise ValidationError({"name": _("Give the name.")})
    return _person_create(
        actor=actor,
        occurrence=occurrence,
        name=name,
        role_in_occurrence=role_in_occurrence,
        medical_details=medical_details,
    )


@transaction.atomic
def person_remove(*, actor: Any, person: PersonInvolved) -> None:
    require_writer(actor)
    if not may_edit_personal_data(actor, person.occurrence):
        raise NotAllowed(_("You may not change the people involved."))
    record_change(
        actor=actor,
        obj=person.occurrence,
        action="remove_person",
        before={"person": person.pk},
    )
    person.delete()


@transaction.atomic
def purge_personal_data(*, older_than_days: int, actor: Any = None) -> int:
    """Delete names and medical details of occurrences older than the retention.

    The reports themselves stay; each purge is recorded in the audit trail.
    """
    if older_than_days < 0:
        raise ValidationError({"older_than": _("Give a number of days of 0 or more.")})
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    persons = PersonInvolved.objects.filter(occurrence__occurred_at__lt=cutoff)
    per_occurrence: dict[int, int] = {}
    for occurrence_id in persons.values_list("occurrence_id", flat=True):
        per_occurrence[occurrence_id] = per_occurrence.get(occurrence_id, 0) + 1
    persons.delete()
    for occurrence in Occurrence.objects.filter(pk__in=per_occurrence):
        record_change(
            actor=actor or "retention",
            obj=occurrence,
            action="purge_personal_data",
            after={
                "persons_deleted": per_occurrence[occurrence.pk],
                "retention_days": older_than_days,
            },
        )
    return sum(per_occurrence.values())
