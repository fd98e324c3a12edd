"""Reporting, updating, triaging and moving an occurrence."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change, snapshot
from missionsafety.audit.versioning import update_versioned
from missionsafety.core.events import publish
from missionsafety.core.exceptions import ValidationError
from missionsafety.core.services import check_all, require_text
from missionsafety.deployments.models import Deployment
from missionsafety.deployments.visibility import require
from missionsafety.occurrences.files import check_attachment
from missionsafety.occurrences.models import SERIOUS_CATEGORY, Occurrence
from missionsafety.occurrences.rules import REPORTING_ROLES, TRIAGE_ROLES
from missionsafety.occurrences.services.attachments import _store_attachment
from missionsafety.occurrences.services.checks import (
    EDITABLE_FIELDS,
    _check_categories,
    _check_coordinates,
    _check_kind,
    _check_risks,
    _check_unit,
    _check_when,
    _force_reassessment,
    _lock_risks,
    _may_edit,
)
from missionsafety.occurrences.services.counts import _bucket, _count_in, _recount
from missionsafety.occurrences.services.people import _person_create
from missionsafety.organisations.models import Organisation


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
