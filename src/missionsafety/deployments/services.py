"""Every write to deployments, their parties and their phase."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change, snapshot
from missionsafety.audit.versioning import update_versioned
from missionsafety.core.events import publish
from missionsafety.core.exceptions import NotAllowed, ValidationError
from missionsafety.deployments.models import (
    TRANSITIONS,
    Deployment,
    Party,
    Phase,
    PhaseChange,
)
from missionsafety.deployments.people import acts_for, party_member_ids
from missionsafety.deployments.visibility import require
from missionsafety.organisations.models import Organisation, User
from missionsafety.organisations.scope import (
    is_read_only,
    require_writer,
    user_scope_ids,
)

MANAGING_ROLES = ("safety_officer", "commander")
# Moving to deployed more than this before the start asks for a reason.
EARLY_DEPLOYMENT_DAYS = 30

# Other apps register checks that must pass before a phase move (the readiness
# gate) and work to do after one (scheduling evaluations), in their ready().
PhaseGuard = Callable[..., None]
PhaseListener = Callable[..., None]
_phase_guards: list[PhaseGuard] = []
_phase_listeners: list[PhaseListener] = []


def register_phase_guard(guard: PhaseGuard) -> None:
    if guard not in _phase_guards:
        _phase_guards.append(guard)


def register_phase_listener(listener: PhaseListener) -> None:
    if listener not in _phase_listeners:
        _phase_listeners.append(listener)


# The risks app says which matrix a new deployment is assessed on (in its ready()).
_default_matrix_providers: list[Callable[[], Any]] = []


def register_default_matrix(provider: Callable[[], Any]) -> None:
    """Name the function that picks a new deployment's risk matrix."""
    _default_matrix_providers[:] = [provider]


def _default_matrix() -> Any:
    return _default_matrix_providers[0]() if _default_matrix_providers else None


@transaction.atomic
def deployment_create(
    *,
    actor: User,
    name: str,
    code: str,
    theatre: str,
    start_date: datetime.date,
    end_date: datetime.date,
    description: str = "",
    predecessor: Deployment | None = None,
    matrix: Any = None,
    parties: list[tuple[Organisation, str]] | None = None,
) -> Deployment:
    """Open a new deployment in planning, with its first parties."""
    require_writer(actor)
    parties = parties or []
    if not actor.is_superuser:
        scope = user_scope_ids(actor)
        if not any(org.pk in scope for org, _role in parties):
            raise ValidationError(
                {
                    "parties": _(
                        "Add your own organisation (or one above it) as a party, "
                        "otherwise you could not see the deployment you create."
                    )
                }
            )
    deployment = Deployment(
        name=name.strip(),
        code=code.strip(),
        theatre=theatre.strip(),
        description=description,
        start_date=start_date,
        end_date=end_date,
        predecessor=predecessor,
        matrix=matrix or _default_matrix(),
        created_by=actor,
        phase=Phase.PLANNING,
        phase_changed_at=timezone.now(),
    )
    deployment.full_clean()
    deployment.save()
    record_change(
        actor=actor, obj=deployment, action="create", after=snapshot(deployment)
    )
    for org, role in parties:
        _party_add(actor=actor, deployment=deployment, organisation=org, role=role)
    return deployment


def deployment_matrix_in_use(deployment: Deployment) -> bool:
    """Whether the deployment's risks were assessed on its matrix (then it stays)."""
    return deployment.pk is not None and (
        Deployment.objects.filter(
            pk=deployment.pk, risks__current_assessment__isnull=False
        ).exists()
    )


@transaction.atomic
def deployment_update(
    *, actor: User, deployment: Deployment, version: int | None, **changes: Any
) -> Deployment:
    """Change a deployment's name, theatre, dates, description or predecessor."""
    require(actor, deployment, *MANAGING_ROLES)
    allowed = {
        "name",
        "code",
        "theatre",
        "description",
        "start_date",
        "end_date",
        "predecessor",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(
            {f: _("This field cannot be changed here.") for f in sorted(unknown)}
        )
    if "predecessor" in changes and changes["predecessor"] == deployment:
        raise ValidationError(
            {"predecessor": _("A deployment cannot be its own previous rotation.")}
        )
    for key in ("name", "code", "theatre"):
        if key in changes and isinstance(changes[key], str):
            changes[key] = changes[key].strip()
    dates = (deployment.start_date, deployment.end_date)
    deployment = update_versioned(
        obj=deployment, actor=actor, version=version, changes=changes
    )
    if (deployment.start_date, deployment.end_date) != dates:
        publish("deployment.dates_changed", deployment=deployment, actor=actor)
    return deployment


@transaction.atomic
def deployment_move_phase(
    *,
    actor: User,
    deployment: Deployment,
    to_phase: str,
    note: str = "",
    version: int | None = None,
    early_reason: str = "",
    **options: Any,
) -> Deployment:
    """Move the deployment to the next phase, if the phase machine allows it.

    Moving to *deployed* more than a month before the start date asks for
    confirmation: the reason, recorded in the audit trail.
    """
    require(actor, deployment, *MANAGING_ROLES)
    deployment = Deployment.objects.select_for_update(no_key=True).get(pk=deployment.pk)
    if to_phase not in Phase.values:
        raise ValidationError(
            {"phase": _("“%(phase)s” is not a phase.") % {"phase": to_phase}}
        )
    if to_phase not in TRANSITIONS[deployment.phase]:
        allowed = ", ".join(str(Phase(p).label) for p in deployment.allowed_phases())
        raise ValidationError(
            {
                "phase": _(
                    "A deployment in %(current)s cannot move to %(target)s. "
                    "Allowed next: %(allowed)s."
                )
                % {
                    "current": Phase(deployment.phase).label,
                    "target": Phase(to_phase).label,
                    "allowed": allowed or _("none (closed)"),
                }
            }
        )
    for guard in _phase_guards:
        guard(deployment=deployment, to_phase=to_phase, actor=actor, **options)
    # After the gate: what blocks the move is said first, then the confirmation.
    days_early = (deployment.start_date - timezone.localdate()).days
    early = to_phase == Phase.DEPLOYED and days_early > EARLY_DEPLOYMENT_DAYS
    early_reason = (early_reason or "").strip()
    if early and not early_reason:
        raise ValidationError(
            {
                "early_reason": _(
                    "The deployment starts on %(start)s, %(days)s days from now. "
                    "To move it to deployed already, confirm by giving the reason."
                )
                % {"start": deployment.start_date.isoformat(), "days": days_early}
            }
        )
    from_phase = deployment.phase
    update_versioned(
        obj=deployment,
        actor=actor,
        version=version,
        changes={"phase": to_phase, "phase_changed_at": timezone.now()},
        action="move_phase",
    )
    if early:
        record_change(
            actor=actor,
            obj=deployment,
            action="deployed_early",
            after={
                "start_date": deployment.start_date.isoformat(),
                "days_before_start": days_early,
                "reason": early_reason,
            },
        )
        note = "\n".join(part for part in (note, early_reason) if part)
    PhaseChange.objects.create(
        deployment=deployment,
        from_phase=from_phase,
        to_phase=to_phase,
        changed_by=actor,
        note=note,
    )
    for listener in _phase_listeners:
        listener(deployment=deployment, from_phase=from_phase, actor=actor)
    return deployment


def _party_add(
    *,
    actor: User,
    deployment: Deployment,
    organisation: Organisation,
    role: str,
    point_of_contact: User | None = None,
    contact_note: str = "",
) -> Party:
    if organisation.is_archived:
        raise ValidationError(
            {
                "organisation": _("%(org)s is archived and cannot become a party.")
                % {"org": organisation.short_name}
            }
        )
    if Party.objects.filter(deployment=deployment, organisation=organisation).exists():
        raise ValidationError(
            {
                "organisation": _("%(org)s is already a party to this deployment.")
                % {"org": organisation.short_name}
            }
        )
    party = Party(
        deployment=deployment,
        organisation=organisation,
        role=role,
        point_of_contact=point_of_contact,
        contact_note=contact_note,
    )
    if point_of_contact is not None and point_of_contact.pk not in party_member_ids(
        [party], with_auditors=True
    ):
        raise ValidationError(
            {
                "point_of_contact": _("%(user)s is not one of the people of %(org)s.")
                % {"user": point_of_contact, "org": organisation.short_name}
            }
        )
    party.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            party.save()
    except IntegrityError as exc:  # a concurrent add of the same organisation
        raise ValidationError(
            {"organisation": _("This organisation is already a party.")}
        ) from exc
    deployment.__dict__.pop("party_list", None)
    record_change(actor=actor, obj=party, action="create", after=snapshot(party))
    return party


@transaction.atomic
def party_add(
    *,
    actor: User,
    deployment: Deployment,
    organisation: Organisation,
    role: str,
    point_of_contact: User | None = None,
    contact_note: str = "",
) -> Party:
    """Make an organisation a party to the deployment."""
    require(actor, deployment, *MANAGING_ROLES)
    return _party_add(
        actor=actor,
        deployment=deployment,
        organisation=organisation,
        role=role,
        point_of_contact=point_of_contact,
        contact_note=contact_note,
    )


@transaction.atomic
def party_update(
    *,
    actor: User,
    party: Party,
    role: str | None = None,
    point_of_contact: User | None = None,
    contact_note: str | None = None,
) -> Party:
    """Change a party's role or point of contact."""
    require(actor, party.deployment, *MANAGING_ROLES)
    # The row as it is now, locked: an edit of another field at the same moment
    # is kept, not written back with the value this caller loaded.
    party = (
        Party.objects.select_for_update(of=("self",), no_key=True)
        .select_related("deployment", "organisation")
        .get(pk=party.pk)
    )
    before = snapshot(party)
    if role is not None:
        party.role = role
    if point_of_contact is not None:
        party.point_of_contact = point_of_contact
    if contact_note is not None:
        party.contact_note = contact_note
    party.full_clean(validate_unique=False)
    party.save()
    record_change(
        actor=actor, obj=party, action="update", before=before, after=snapshot(party)
    )
    return party


def may_set_contact(user: User, party: Party) -> bool:
    """The party's commanders and safety officers; the deployment's creator for
    every party while the deployment is in planning."""
    if getattr(user, "is_superuser", False):
        return True
    if is_read_only(user):
        return False
    deployment = party.deployment
    if deployment.phase == Phase.PLANNING and deployment.created_by_id == user.pk:
        return True
    return acts_for(user, party, MANAGING_ROLES)


@transaction.atomic
def party_set_contact(
    *,
    actor: User,
    party: Party,
    point_of_contact: User | None,
    contact_note: str | None = None,
) -> Party:
    """Name the party's point of contact, one of the party's own people."""
    if not may_set_contact(actor, party):
        raise NotAllowed(
            _(
                "Only the commander or a safety officer of %(org)s names its point "
                "of contact (and the deployment's creator while it is in planning)."
            )
            % {"org": party.organisation.short_name},
            party={"id": party.pk, "organisation": party.organisation.short_name},
        )
    if point_of_contact is not None and point_of_contact.pk not in party_member_ids(
        [party], with_auditors=True
    ):
        raise ValidationError(
            {
                "point_of_contact": _("%(user)s is not one of the people of %(org)s.")
                % {"user": point_of_contact, "org": party.organisation.short_name}
            }
        )
    party = Party.objects.select_for_update(no_key=True).get(pk=party.pk)
    before = snapshot(party)
    party.point_of_contact = point_of_contact
    if contact_note is not None:
        party.contact_note = contact_note.strip()
    party.full_clean(validate_unique=False)
    party.save(update_fields=["point_of_contact", "contact_note", "updated_at"])
    record_change(
        actor=actor,
        obj=party,
        action="set_contact",
        before=before,
        after=snapshot(party),
    )
    return party
