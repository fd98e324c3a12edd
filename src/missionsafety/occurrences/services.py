"""Every write to occurrences, their investigation, people and attachments."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change, snapshot
from missionsafety.audit.versioning import update_versioned
from missionsafety.core.events import publish
from missionsafety.core.exceptions import NotAllowed, ValidationError
from missionsafety.core.services import check_all, require_text
from missionsafety.core.uploads import store_attachment
from missionsafety.deployments.models import Deployment
from missionsafety.deployments.visibility import can, require
from missionsafety.occurrences.files import check_attachment
from missionsafety.occurrences.models import (
    SERIOUS_CATEGORY,
    Attachment,
    Occurrence,
    OccurrenceAction,
    OccurrenceMonth,
    PersonInvolved,
    month_of,
)
from missionsafety.occurrences.rules import (
    REPORTING_ROLES,
    TRIAGE_ROLES,
    may_edit_personal_data,
)
from missionsafety.organisations.models import Organisation
from missionsafety.organisations.scope import require_writer

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


def _bucket(occurrence: Occurrence) -> tuple[int, datetime.date, str, bool]:
    """Where an occurrence counts in the monthly trend."""
    return (
        occurrence.deployment_id,
        month_of(occurrence.occurred_at),
        occurrence.kind,
        occurrence.is_serious,
    )


def _count_in(bucket: tuple[int, datetime.date, str, bool], step: int) -> None:
    """Add ``step`` (1 or -1) to a monthly count, creating it when missing."""
    deployment_id, month, kind, serious = bucket
    changes = {"total": F("total") + step}
    if serious:
        changes["serious"] = F("serious") + step
    rows = OccurrenceMonth.objects.filter(
        deployment_id=deployment_id, month=month, kind=kind
    )
    if rows.update(**changes) or step < 0:
        return
    try:
        with transaction.atomic():
            OccurrenceMonth.objects.create(
                deployment_id=deployment_id,
                month=month,
                kind=kind,
                total=1,
                serious=int(serious),
            )
    except IntegrityError:  # created meanwhile by a concurrent report
        rows.update(**changes)


def _recount(
    before: tuple[int, datetime.date, str, bool], occurrence: Occurrence
) -> None:
    after = _bucket(occurrence)
    if after != before:
        _count_in(before, -1)
        _count_in(after, 1)


def rebuild_month_counts(
    *,
    deployment_ids: Iterable[int] | None = None,
    occurrence_model: Any = Occurrence,
    month_model: Any = OccurrenceMonth,
) -> int:
    """Recount the monthly trend from the occurrences (all, or some deployments).

    For imported or bulk-created occurrences, which bypass the services (a
    migration passes its historical models). Returns the number of rows written.
    """
    occurrences = occurrence_model._base_manager.all()
    months = month_model._base_manager.all()
    if deployment_ids is not None:
        ids = sorted(set(deployment_ids))
        occurrences = occurrences.filter(deployment_id__in=ids)
        months = months.filter(deployment_id__in=ids)
    serious = Q(actual_category__gte=SERIOUS_CATEGORY) | Q(
        potential_category__gte=SERIOUS_CATEGORY
    )
    merged: dict[tuple[int, datetime.date, str], list[int]] = {}
    rows = (
        occurrences.annotate(month=TruncMonth("occurred_at"))
        .values("deployment_id", "month", "kind")
        .annotate(total=Count("id"), serious=Count("id", filter=serious))
        .order_by()
    )
    for row in rows.iterator():
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month_of(month)
        key = (row["deployment_id"], month, row["kind"])
        counts = merged.setdefault(key, [0, 0])
        counts[0] += row["total"]
        counts[1] += row["serious"]
    with transaction.atomic():
        months.delete()
        month_model._base_manager.bulk_create(
            [
                month_model(
                    deployment_id=dep, month=month, kind=kind, total=t, serious=n
                )
                for (dep, month, kind), (t, n) in merged.items()
            ],
            batch_size=2000,
        )
    return len(merged)


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


@transaction.atomic
def occurrence_report(
    *,
    actor: Any,
    deployment: Deployment,
    occurred_at: datetime.datetime,
    place: str,
    unit: Organisation,
    kind: str,
    title: str,
    actual_category: int,
    potential_category: int,
    activity: str = "",
    latitude: Any = None,
    longitude: Any = None,
    injuries: str = "",
    damage: str = "",
    ammunition_involved: bool = False,
    immediate_actions: str = "",
    description: str = "",
    risks: Sequence[Any] = (),
    attachments: Sequence[Any] = (),
    persons: Sequence[dict[str, str]] = (),
    idempotency_key: uuid.UUID | str | None = None,
) -> tuple[Occurrence, bool]:
    """Record a new occurrence; a repeated submission returns the first one.

    Returns ``(occurrence, created)``. A serious occurrence (category 3 or more,
    actual or potential) puts its linked risks up for reassessment.
    """
    if idempotency_key:
        try:
            key = uuid.UUID(str(idempotency_key))
        except ValueError as exc:
            raise ValidationError(
                {"idempotency_key": _("This submission key is not valid.")}
            ) from exc
        existing = Occurrence.objects.filter(idempotency_key=key).first()
        if existing is not None:
            if existing.deployment_id != deployment.pk:
                raise ValidationError(
                    {"idempotency_key": _("This submission key was already used.")}
                )
            return existing, False
    else:
        key = None
    require(actor, deployment, *REPORTING_ROLES)
    check_all(
        lambda: _check_kind(kind),
        lambda: require_text(title, "title", _("Give a short title.")),
        lambda: _check_when(occurred_at),
        lambda: require_text(place, "place", _("Say where it happened.")),
        lambda: _check_unit(deployment, unit),
        lambda: _check_categories(
            actual_category=actual_category, potential_category=potential_category
        ),
        lambda: _check_coordinates(latitude, longitude),
    )
    risks = _check_risks(deployment, risks)
    content_types = [check_attachment(upload) for upload in attachments]

    occurrence = Occurrence(
        deployment=deployment,
        occurred_at=occurred_at,
        place=place.strip(),
        latitude=latitude,
        longitude=longitude,
        unit=unit,
        activity=activity.strip(),
        kind=kind,
        title=title.strip(),
        actual_category=actual_category,
        potential_category=potential_category,
        injuries=injuries,
        damage=damage,
        ammunition_involved=ammunition_involved,
        immediate_actions=immediate_actions,
        description=description,
        reported_by=actor,
        idempotency_key=key,
    )
    # The deployment, unit and reporter are rows in hand (checked above): no
    # query each to ask whether they exist; the one constraint (categories in
    # the scale) was checked above with a clearer message than its query gives.
    occurrence.full_clean(
        exclude=["idempotency_key", "deployment", "unit", "reported_by"],
        validate_constraints=False,
    )
    if occurrence.is_serious:
        _lock_risks(risks)
    try:
        with transaction.atomic():
            occurrence.save()
    except IntegrityError:
        # The same form arrived twice at the same moment: show the first one.
        existing = Occurrence.objects.filter(idempotency_key=key).first()
        if key and existing is not None:
            return existing, False
        raise
    _count_in(_bucket(occurrence), 1)
    record_change(
        actor=actor, obj=occurrence, action="report", after=snapshot(occurrence)
    )
    if risks:
        occurrence.risks.set(risks)
        record_change(
            actor=actor,
            obj=occurrence,
            action="link_risks",
            after={"risks": sorted(r.pk for r in risks)},
        )
    for upload, content_type in zip(attachments, content_types, strict=True):
        _store_attachment(
            actor=actor, occurrence=occurrence, upload=upload, content_type=content_type
        )
    for person in persons:
        if (person.get("name") or "").strip():
            _person_create(actor=actor, occurrence=occurrence, **person)
    publish("occurrence.reported", occurrence=occurrence, actor=actor)
    if occurrence.is_serious:
        _force_reassessment(occurrence=occurrence, actor=actor, risks=risks)
        publish("occurrence.serious", occurrence=occurrence, actor=actor)
    return occurrence, True


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


@transaction.atomic
def occurrence_update(
    *, actor: Any, occurrence: Occurrence, version: int | None, **changes: Any
) -> Occurrence:
    """Correct the facts of a report (reporter until triage, safety officers after)."""
    _may_edit(actor, occurrence)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(
            {f: _("This field cannot be changed here.") for f in sorted(unknown)}
        )
    if "occurred_at" in changes:
        _check_when(changes["occurred_at"])
    cats = {
        k: changes[k] for k in ("actual_category", "potential_category") if k in changes
    }
    if cats:
        _check_categories(**cats)
    _check_coordinates(
        changes.get("latitude", occurrence.latitude),
        changes.get("longitude", occurrence.longitude),
    )
    if "unit" in changes:
        _check_unit(occurrence.deployment, changes["unit"])
    was_serious = occurrence.is_serious
    if not was_serious and max(cats.values(), default=0) >= SERIOUS_CATEGORY:
        _lock_risks(occurrence.risks.all())
    before = _bucket(occurrence)
    occurrence = update_versioned(
        obj=occurrence, actor=actor, version=version, changes=changes
    )
    _recount(before, occurrence)
    if occurrence.is_serious and not was_serious:
        _force_reassessment(
            occurrence=occurrence, actor=actor, risks=occurrence.risks.all()
        )
        publish("occurrence.serious", occurrence=occurrence, actor=actor)
    return occurrence


@transaction.atomic
def occurrence_triage(
    *,
    actor: Any,
    occurrence: Occurrence,
    version: int | None,
    actual_category: int,
    potential_category: int,
    investigation_level: str = "",
    risks: Sequence[Any] = (),
    note: str = "",
) -> Occurrence:
    """Confirm the category, link the risks it bears on, set the investigation."""
    require(actor, occurrence.deployment, *TRIAGE_ROLES)
    if occurrence.status == Occurrence.Status.CLOSED:
        raise ValidationError(_("This occurrence is closed; it cannot be triaged."))
    _check_categories(
        actual_category=actual_category, potential_category=potential_category
    )
    if (
        investigation_level
        and investigation_level not in Occurrence.InvestigationLevel.values
    ):
        raise ValidationError(
            {"investigation_level": _("Choose an investigation level.")}
        )
    risks = _check_risks(occurrence.deployment, risks)
    was_serious = occurrence.is_serious
    if max(actual_category, potential_category) >= SERIOUS_CATEGORY:
        _lock_risks(risks)
    before = _bucket(occurrence)
    old_risks = set(occurrence.risks.values_list("pk", flat=True))
    changes: dict[str, Any] = {
        "actual_category": actual_category,
        "potential_category": potential_category,
        "investigation_level": investigation_level,
        "category_confirmed": True,
        "triage_note": note,
    }
    if occurrence.status == Occurrence.Status.REPORTED:
        changes["status"] = Occurrence.Status.TRIAGED
    occurrence = update_versioned(
        obj=occurrence, actor=actor, version=version, changes=changes, action="triage"
    )
    _recount(before, occurrence)
    new_ids = {r.pk for r in risks}
    if new_ids != old_risks:
        occurrence.risks.set(risks)
        record_change(
            actor=actor,
            obj=occurrence,
            action="link_risks",
            before={"risks": sorted(old_risks)},
            after={"risks": sorted(new_ids)},
        )
    if occurrence.is_serious:
        # Newly linked risks, or all of them when it just became serious.
        targets = (
            risks if not was_serious else [r for r in risks if r.pk not in old_risks]
        )
        _force_reassessment(occurrence=occurrence, actor=actor, risks=targets)
        if not was_serious:
            publish("occurrence.serious", occurrence=occurrence, actor=actor)
    return occurrence


@transaction.atomic
def occurrence_transition(
    *,
    actor: Any,
    occurrence: Occurrence,
    to_status: str,
    version: int | None = None,
) -> Occurrence:
    """Move the investigation along: triaged → investigating → actions open → closed."""
    require(actor, occurrence.deployment, *TRIAGE_ROLES)
    allowed = Occurrence.TRANSITIONS.get(occurrence.status, set())
    if to_status not in allowed:
        labels = ", ".join(
            str(Occurrence.Status(s).label) for s in occurrence.allowed_statuses()
        )
        raise ValidationError(
            {
                "to_status": _(
                    "An occurrence that is %(now)s cannot move to %(to)s. Possible: "
                    "%(allowed)s."
                )
                % {
                    "now": occurrence.get_status_display(),
                    "to": Occurrence.Status(to_status).label
                    if to_status in Occurrence.Status.values
                    else to_status,
                    "allowed": labels or "—",
                }
            }
        )
    changes: dict[str, Any] = {"status": to_status}
    if to_status == Occurrence.Status.CLOSED:
        open_actions = occurrence.actions.filter(done_at__isnull=True).count()
        if open_actions:
            raise ValidationError(
                {
                    "to_status": _(
                        "%(n)s action(s) are still open; complete them before closing."
                    )
                    % {"n": open_actions}
                }
            )
        changes["closed_at"] = timezone.now()
    return update_versioned(
        obj=occurrence,
        actor=actor,
        version=version,
        changes=changes,
        action="transition",
    )


@transaction.atomic
def action_add(
    *,
    actor: Any,
    occurrence: Occurrence,
    description: str,
    owner: Any,
    due_date: datetime.date,
) -> OccurrenceAction:
    """Add a follow-up action with an owner and a due date."""
    require(actor, occurrence.deployment, *TRIAGE_ROLES)
    if occurrence.status == Occurrence.Status.CLOSED:
        raise ValidationError(_("This occurrence is closed; add no more actions."))
    if not (description or "").strip():
        raise ValidationError({"description": _("Describe the action.")})
    if owner is None or not owner.is_active:
        raise ValidationError({"owner": _("Choose who owns the action.")})
    if (
        not Deployment.objects.visible_to(owner)
        .filter(pk=occurrence.deployment_id)
        .exists()
    ):
        raise ValidationError(
            {"owner": _("%(who)s cannot see this deployment.") % {"who": owner}}
        )
    if due_date is None:
        raise ValidationError({"due_date": _("Give a due date.")})
    action = OccurrenceAction.objects.create(
        occurrence=occurrence,
        deployment=occurrence.deployment,
        description=description.strip(),
        owner=owner,
        due_date=due_date,
    )
    record_change(actor=actor, obj=action, action="create", after=snapshot(action))
    return action


@transaction.atomic
def action_complete(
    *, actor: Any, action: OccurrenceAction, note: str = ""
) -> OccurrenceAction:
    """Mark an action done (its owner or a safety officer)."""
    require_writer(actor)
    if action.owner_id != actor.pk:
        require(actor, action.deployment, *TRIAGE_ROLES)
    if action.done_at is not None:
        return action
    action.done_at = timezone.now()
    action.done_note = note
    action.save(update_fields=["done_at", "done_note", "updated_at"])
    record_change(
        actor=actor,
        obj=action,
        action="complete",
        after={"done_at": action.done_at, "done_note": note},
    )
    return action


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


def _store_attachment(
    *, actor: Any, occurrence: Occurrence, upload: Any, content_type: str
) -> Attachment:
    attachment = Attachment(
        occurrence=occurrence,
        deployment=occurrence.deployment,
        original_name=(upload.name or "file")[-200:],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    store_attachment(attachment, upload)
    record_change(
        actor=actor,
        obj=occurrence,
        action="add_attachment",
        after={
            "attachment": attachment.pk,
            "name": attachment.original_name,
            "size": attachment.size,
        },
    )
    return attachment


@transaction.atomic
def attachment_add(*, actor: Any, occurrence: Occurrence, upload: Any) -> Attachment:
    """Attach a photo or document after checking its type, content and size."""
    require(actor, occurrence.deployment, *REPORTING_ROLES)
    content_type = check_attachment(upload)
    return _store_attachment(
        actor=actor, occurrence=occurrence, upload=upload, content_type=content_type
    )


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
