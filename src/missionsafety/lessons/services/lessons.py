"""Writing lessons: creating one from observations, updating and moving it."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change, snapshot
from missionsafety.audit.versioning import update_versioned
from missionsafety.core.events import publish
from missionsafety.core.exceptions import NotAllowed, ValidationError
from missionsafety.deployments.models import Deployment
from missionsafety.deployments.visibility import can, require
from missionsafety.lessons import index
from missionsafety.lessons.models import (
    LESSON_TRANSITIONS,
    Lesson,
    Observation,
    Releasability,
)
from missionsafety.lessons.services.common import (
    LESSON_CLEAN_EXCLUDE,
    LESSON_FIELDS,
    OBS_CLEAN_EXCLUDE,
    WRITING_MEMBER_ROLES,
    _check_releasability,
    _commands,
    _member_of,
)
from missionsafety.organisations.models import Organisation, User
from missionsafety.organisations.scope import require_writer


# -- lessons -----------------------------------------------------------------
def default_releasability(
    observations: list[Observation],
) -> tuple[str, list[Organisation]]:
    """The widest release that every observation allows."""
    kinds = {o.releasability for o in observations}
    if kinds == {Releasability.DEFENCE}:
        return Releasability.DEFENCE, []
    if Releasability.PARTIES in kinds or not kinds:
        return Releasability.PARTIES, []
    common: set[int] | None = None
    by_id: dict[int, Organisation] = {}
    for obs in observations:
        if obs.releasability != Releasability.ORGANISATIONS:
            continue
        orgs = list(obs.released_to.all())
        by_id.update({o.pk: o for o in orgs})
        ids = {o.pk for o in orgs}
        common = ids if common is None else common & ids
    if not common:
        return Releasability.PARTIES, []
    return Releasability.ORGANISATIONS, [by_id[i] for i in sorted(common)]


@transaction.atomic
def lesson_create(
    *,
    actor: User,
    title: str,
    observations: list[Observation],
    deployment: Deployment | None = None,
    root_cause: str = "",
    remedial_action: str = "",
    action_body: Organisation | None = None,
    tasking_authority: Organisation | None = None,
    due_date: datetime.date | None = None,
    releasability: str | None = None,
    released_to: list[Organisation] | None = None,
    categories: list[Any] | None = None,
    identified_on: datetime.date | None = None,
) -> Lesson:
    """Group verified observations into a lesson; a lessons officer identifies it."""
    require_writer(actor)
    if not observations:
        raise ValidationError(
            {"observations": _("Choose at least one verified observation.")}
        )
    deployment = deployment or observations[0].deployment
    require(actor, deployment, "lessons_officer")
    S = Observation.Status
    for obs in observations:
        if obs.status not in {S.VERIFIED, S.IN_ANALYSIS}:
            raise ValidationError(
                {
                    "observations": _(
                        "%(ref)s is %(state)s; only verified observations can form "
                        "a lesson."
                    )
                    % {"ref": obs.reference, "state": obs.get_status_display()}
                }
            )
        if obs.lesson_id:
            raise ValidationError(
                {
                    "observations": _("%(ref)s already belongs to a lesson.")
                    % {"ref": obs.reference}
                }
            )
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the lesson a title.")})
    if releasability is None:
        releasability, released_to = default_releasability(observations)
    orgs = _check_releasability(releasability, released_to)
    lesson = Lesson(
        deployment=deployment,
        title=title.strip(),
        identified_on=identified_on or timezone.localdate(),
        root_cause=(root_cause or "").strip(),
        remedial_action=(remedial_action or "").strip(),
        action_body=action_body,
        tasking_authority=tasking_authority,
        due_date=due_date,
        releasability=releasability,
        status=Lesson.Status.IDENTIFIED,
        status_changed_at=timezone.now(),
        created_by=actor,
    )
    lesson.full_clean(exclude=[*LESSON_CLEAN_EXCLUDE, "released_to", "categories"])
    lesson.save()
    lesson.released_to.set(orgs)
    if categories is None:
        categories = list(
            {c.pk: c for o in observations for c in o.categories.all()}.values()
        )
    lesson.categories.set(categories)
    record_change(
        actor=actor,
        obj=lesson,
        action="create",
        after=snapshot(lesson)
        | {
            "observations": [o.pk for o in observations],
            "released_to": [o.short_name for o in orgs],
            "categories": [c.code for c in categories],
        },
    )
    for obs in observations:
        changes: dict[str, Any] = {"lesson": lesson}
        if obs.status == S.VERIFIED:
            changes |= {
                "status": S.IN_ANALYSIS,
                "status_changed_at": timezone.now(),
                "status_changed_by": actor,
            }
        update_versioned(
            obj=obs,
            actor=actor,
            version=None,
            changes=changes,
            action="group",
            exclude_from_clean=OBS_CLEAN_EXCLUDE,
        )
        index.index_observation(obs)
    index.index_lesson(lesson)
    publish("lesson.transitioned", lesson=lesson, actor=actor)
    return lesson


@transaction.atomic
def lesson_update(
    *,
    actor: User,
    lesson: Lesson,
    version: int | None,
    releasability: str | None = None,
    released_to: list[Organisation] | None = None,
    categories: list[Any] | None = None,
    **changes: Any,
) -> Lesson:
    """Change a lesson's analysis, action body, authority, due date or release."""
    require_writer(actor)
    require(actor, lesson.deployment, "lessons_officer")
    if lesson.status in {Lesson.Status.VALIDATED, Lesson.Status.CLOSED}:
        raise ValidationError(
            {"status": _("A validated or closed lesson cannot be changed.")}
        )
    unknown = set(changes) - LESSON_FIELDS
    if unknown:
        raise ValidationError(
            {f: _("This field cannot be changed here.") for f in sorted(unknown)}
        )
    for key in ("title", "root_cause", "remedial_action", "validation_evidence"):
        if key in changes:
            changes[key] = (changes[key] or "").strip()
    if "title" in changes and not changes["title"]:
        raise ValidationError({"title": _("Give the lesson a title.")})
    orgs = None
    if releasability is not None or released_to is not None:
        releasability = releasability or lesson.releasability
        if released_to is None:
            released_to = list(lesson.released_to.all())
        orgs = _check_releasability(releasability, released_to)
        changes["releasability"] = releasability
    lesson = update_versioned(obj=lesson, actor=actor, version=version, changes=changes)
    extra: dict[str, Any] = {}
    if orgs is not None:
        lesson.released_to.set(orgs)
        extra["released_to"] = sorted(o.short_name for o in orgs)
    if categories is not None:
        lesson.categories.set(categories)
        extra["categories"] = sorted(c.code for c in categories)
    if extra:
        record_change(actor=actor, obj=lesson, action="update", after=extra)
    index.index_lesson(lesson)
    return lesson


LS = Lesson.Status
# (from, to) → who may make the move, in words for the refusal message.
LESSON_MOVES: dict[tuple[str, str], str] = {
    (LS.IDENTIFIED, LS.ENDORSED): "tasking_commander",
    (LS.ENDORSED, LS.TASKED): "lessons_officer",
    (LS.TASKED, LS.IMPLEMENTED): "action_body",
    (LS.IMPLEMENTED, LS.VALIDATED): "lessons_officer",
    (LS.IMPLEMENTED, LS.TASKED): "lessons_officer",
    (LS.IDENTIFIED, LS.CLOSED): "lessons_officer",
    (LS.ENDORSED, LS.CLOSED): "lessons_officer",
    (LS.TASKED, LS.CLOSED): "lessons_officer",
    (LS.IMPLEMENTED, LS.CLOSED): "lessons_officer",
}


def may_move(user: User, lesson: Lesson, to_status: str) -> bool:
    """Whether the user holds the role for this move (not whether it is valid)."""
    who = LESSON_MOVES.get((lesson.status, to_status))
    if who is None:
        return False
    if who == "tasking_commander":
        return _commands(user, lesson.tasking_authority)
    if who == "action_body":
        return _member_of(user, lesson.action_body, WRITING_MEMBER_ROLES)
    return can(user, lesson.deployment, "lessons_officer")


def allowed_moves(user: User, lesson: Lesson) -> list[str]:
    return [
        to
        for to in sorted(LESSON_TRANSITIONS[lesson.status])
        if may_move(user, lesson, to)
    ]


@transaction.atomic
def lesson_transition(
    *,
    actor: User,
    lesson: Lesson,
    to_status: str,
    reason: str = "",
    validation_evidence: str | None = None,
    version: int | None = None,
) -> Lesson:
    """Move a lesson one step, by the role allowed to make that step."""
    require_writer(actor)
    current = lesson.status
    if to_status not in LS.values:
        raise ValidationError({"status": _("Unknown state.")})
    if to_status not in LESSON_TRANSITIONS[current]:
        allowed = ", ".join(str(LS(s).label) for s in LESSON_TRANSITIONS[current])
        raise ValidationError(
            {
                "status": _(
                    "A lesson that is %(current)s cannot become %(target)s. "
                    "Allowed next: %(allowed)s."
                )
                % {
                    "current": LS(current).label,
                    "target": LS(to_status).label,
                    "allowed": allowed or _("none"),
                }
            }
        )
    if not may_move(actor, lesson, to_status):
        who = LESSON_MOVES[(current, to_status)]
        message = {
            "tasking_commander": _(
                "Only a commander of the tasking authority (%(org)s) may endorse it."
            ),
            "action_body": _(
                "Only a member of the action body (%(org)s) may report it implemented."
            ),
            "lessons_officer": _(
                "Only a lessons officer of the deployment may make this step."
            ),
        }[who]
        org = (
            lesson.tasking_authority
            if who == "tasking_commander"
            else lesson.action_body
        )
        raise NotAllowed(
            message % {"org": org.short_name if org else "—"}, required=who
        )
    reason = (reason or "").strip()
    changes: dict[str, Any] = {
        "status": to_status,
        "status_reason": reason,
        "status_changed_at": timezone.now(),
    }
    errors: dict[str, str] = {}
    if to_status == LS.ENDORSED:
        for name in ("root_cause", "remedial_action"):
            if not getattr(lesson, name).strip():
                errors[name] = _("Needed before the lesson can be endorsed.")
        if lesson.tasking_authority_id is None:
            errors["tasking_authority"] = _("Needed before endorsement.")
    if to_status == LS.TASKED and current == LS.ENDORSED:
        if lesson.action_body_id is None:
            errors["action_body"] = _("Name the action body before tasking.")
        if lesson.due_date is None:
            errors["due_date"] = _("Set a due date before tasking.")
    if to_status == LS.VALIDATED:
        evidence = (
            validation_evidence
            if validation_evidence is not None
            else lesson.validation_evidence
        ).strip()
        if not evidence:
            errors["validation_evidence"] = _(
                "Describe the evidence that the remedial action works."
            )
        changes["validation_evidence"] = evidence
    if to_status == LS.CLOSED and not reason:
        errors["reason"] = _("Give the reason for closing it without action.")
    if to_status == LS.TASKED and current == LS.IMPLEMENTED and not reason:
        errors["reason"] = _("Give the reason for sending it back.")
    if errors:
        raise ValidationError(errors)
    lesson = update_versioned(
        obj=lesson,
        actor=actor,
        version=version,
        changes=changes,
        action=f"status:{to_status}",
        exclude_from_clean=LESSON_CLEAN_EXCLUDE,
    )
    index.index_lesson(lesson)
    publish("lesson.transitioned", lesson=lesson, actor=actor)
    return lesson
