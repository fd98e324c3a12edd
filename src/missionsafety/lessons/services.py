"""Every write to observations, lessons, their attachments and their uses.

Who does what (each refused otherwise, with a translated reason):

- submit an observation: any participant (contributor or higher in a party
  of the deployment); edit it: its originator, or a lessons or safety officer;
- verify or reject an observation: a lessons officer or safety officer of the
  deployment (rejecting needs a reason); the originator may resubmit a
  rejected one after changing it;
- identify a lesson (group observations): a lessons officer of the lesson's
  deployment; the grouped observations move to "in analysis";
- endorse: a commander of the tasking authority (or of a unit above it);
- task: a lessons officer; needs an action body and a due date;
- mark implemented: a member of the action body (or of a unit below it);
- validate: a lessons officer, with validation evidence;
- send back from implemented to tasked, or close without action: a lessons
  officer, with a reason.

ODCR parts required per state are in ``models.REQUIRED_PARTS``: the facts
always; discussion, conclusion and recommendation before verification.
"""

from __future__ import annotations

import datetime
from pathlib import PurePath
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from missionsafety.audit.services import record_change, snapshot
from missionsafety.audit.versioning import update_versioned
from missionsafety.core.events import publish
from missionsafety.core.exceptions import NotAllowed, ValidationError
from missionsafety.core.services import submission_key
from missionsafety.core.uploads import (
    DOCX,
    JPEG,
    MEGABYTE,
    PDF,
    PNG,
    TEXT,
    XLSX,
    AllowedFiles,
    check_upload,
)
from missionsafety.deployments.models import Deployment, Phase
from missionsafety.deployments.visibility import can, require
from missionsafety.lessons import index
from missionsafety.lessons.models import (
    LESSON_TRANSITIONS,
    OBSERVATION_TRANSITIONS,
    REQUIRED_PARTS,
    Attachment,
    Kind,
    Lesson,
    LessonReview,
    LessonUse,
    Observation,
    Releasability,
    Source,
)
from missionsafety.organisations.models import Organisation, User
from missionsafety.organisations.scope import current_memberships, require_writer

PARTICIPANT_ROLES = ("contributor", "safety_officer", "lessons_officer", "commander")
VERIFY_ROLES = ("lessons_officer", "safety_officer")
REVIEW_ROLES = ("safety_officer", "lessons_officer", "commander")
WRITING_MEMBER_ROLES = {*PARTICIPANT_ROLES, "administrator"}

# Source objects an observation may link to: app label → source kind.
SOURCE_APPS = {
    "occurrences": Source.OCCURRENCE,
    "feedback": Source.FEEDBACK,
    "evaluations": Source.EVALUATION,
    "risks": Source.REVIEW,
}

MAX_ATTACHMENT_BYTES = 5 * MEGABYTE
ATTACHMENT_TYPES = AllowedFiles(
    types={
        ".pdf": PDF,
        ".png": PNG,
        ".jpg": JPEG,
        ".jpeg": JPEG,
        ".txt": TEXT,
        ".docx": DOCX,
        ".xlsx": XLSX,
    },
    description=gettext_lazy("PDF, images (JPEG, PNG), text, Word or Excel"),
)
# Foreign keys set from objects the service already holds: full_clean need not
# look each of them up again.
OBS_CLEAN_EXCLUDE = [
    "source_type",
    "deployment",
    "organisation",
    "originator",
    "status_changed_by",
    "lesson",
]
LESSON_CLEAN_EXCLUDE = ["deployment", "action_body", "tasking_authority", "created_by"]
OBSERVATION_FIELDS = {
    "title",
    "observation",
    "discussion",
    "conclusion",
    "recommendation",
    "phase",
    "observed_on",
    "source",
    "kind",
    "tags",
}
LESSON_FIELDS = {
    "title",
    "root_cause",
    "remedial_action",
    "action_body",
    "tasking_authority",
    "due_date",
    "validation_evidence",
}


# -- helpers -----------------------------------------------------------------
def _missing_parts(obj: models.Model, state: str) -> dict[str, str]:
    return {
        name: _("This part is required for the state “%(state)s”.")
        % {"state": Observation.Status(state).label}
        for name in REQUIRED_PARTS[state]
        if not str(getattr(obj, name) or "").strip()
    }


def _member_of(user: User, organisation: Organisation | None, roles: set[str]) -> bool:
    """Whether the user holds one of the roles in the organisation or below it."""
    if organisation is None:
        return False
    if user.is_superuser:
        return True
    return any(
        m.role in roles and organisation.pk in m.organisation.ancestor_ids
        for m in current_memberships(user)
    )


def _commands(user: User, organisation: Organisation | None) -> bool:
    """Whether the user commands the organisation or a unit above it."""
    if organisation is None:
        return False
    if user.is_superuser:
        return True
    return any(
        m.role in {"commander", "administrator"}
        and m.organisation_id in organisation.ancestor_ids
        for m in current_memberships(user)
    )


def _check_releasability(
    releasability: str, released_to: list[Organisation] | None
) -> list[Organisation]:
    if releasability not in Releasability.values:
        raise ValidationError(
            {"releasability": _("Choose who this may be released to.")}
        )
    orgs = list(released_to or [])
    if releasability == Releasability.ORGANISATIONS:
        if not orgs:
            raise ValidationError(
                {"released_to": _("Name at least one organisation to release it to.")}
            )
        archived = [o.short_name for o in orgs if o.is_archived]
        if archived:
            raise ValidationError(
                {
                    "released_to": _("These organisations are archived: %(orgs)s.")
                    % {"orgs": ", ".join(archived)}
                }
            )
        return orgs
    return []


def resolve_organisations(ids: list[int]) -> list[Organisation]:
    """Organisations by id; an unknown id is a validation error, not a 404."""
    ids = list(dict.fromkeys(ids))
    found = {o.pk: o for o in Organisation.objects.filter(pk__in=ids)}
    unknown = [str(i) for i in ids if i not in found]
    if unknown:
        raise ValidationError(
            {
                "released_to": _("Unknown organisation: %(ids)s.")
                % {"ids": ", ".join(unknown)}
            }
        )
    return [found[i] for i in ids]


def _clean_tags(tags: list[str] | None) -> list[str]:
    cleaned: list[str] = []
    for tag in tags or []:
        tag = str(tag).strip().lower()[:40]
        if tag and tag not in cleaned:
            cleaned.append(tag)
    return cleaned[:20]


def _source_check(
    *, actor: User, deployment: Deployment, source: str, source_object: Any
) -> tuple[ContentType | None, str]:
    if source not in Source.values:
        raise ValidationError({"source": _("Choose where this observation came from.")})
    if source_object is None:
        return None, ""
    ct = ContentType.objects.get_for_model(source_object)
    if ct.app_label not in SOURCE_APPS:
        raise ValidationError(
            {"source": _("An observation cannot be linked to this kind of object.")}
        )
    if getattr(source_object, "deployment_id", None) != deployment.pk:
        raise ValidationError(
            {"source": _("The linked object belongs to another deployment.")}
        )
    manager = type(source_object)._default_manager
    if hasattr(manager.all(), "visible_to") and not (
        manager.all().visible_to(actor).filter(pk=source_object.pk).exists()
    ):
        raise ValidationError({"source": _("The linked object was not found.")})
    return ct, str(source_object.pk)


def _acting_organisation(actor: User, deployment: Deployment) -> Organisation | None:
    party_orgs = {p.organisation_id for p in deployment.party_list}
    for m in current_memberships(actor):
        if m.role in WRITING_MEMBER_ROLES and party_orgs.intersection(
            m.organisation.ancestor_ids
        ):
            return m.organisation
    memberships = current_memberships(actor)
    return memberships[0].organisation if memberships else None


# -- observations --------------------------------------------------------------
@transaction.atomic
def observation_submit(
    *,
    actor: User,
    deployment: Deployment,
    title: str,
    observation: str,
    discussion: str = "",
    conclusion: str = "",
    recommendation: str = "",
    source: str = Source.OTHER,
    source_object: Any = None,
    kind: str = Kind.ISSUE,
    phase: str | None = None,
    observed_on: datetime.date | None = None,
    tags: list[str] | None = None,
    categories: list[Any] | None = None,
    releasability: str = Releasability.PARTIES,
    released_to: list[Organisation] | None = None,
    organisation: Organisation | None = None,
    idempotency_key: Any = None,
) -> Observation:
    """Record an observation in ODCR form; any participant of the deployment may.

    A repeated submission (the same ``idempotency_key``) returns the first one.
    """
    key = submission_key(idempotency_key)
    existing = observation_for_key(actor=actor, key=key)
    if existing is not None:
        return existing
    require_writer(actor)
    require(actor, deployment, *PARTICIPANT_ROLES)
    orgs = _check_releasability(releasability, released_to)
    source_type, source_id = _source_check(
        actor=actor, deployment=deployment, source=source, source_object=source_object
    )
    if organisation is None:
        organisation = _acting_organisation(actor, deployment)
    elif not actor.is_superuser and organisation.pk not in {
        m.organisation_id for m in current_memberships(actor)
    }:
        raise ValidationError(
            {"organisation": _("Choose one of your own organisations.")}
        )
    if organisation is None:
        raise ValidationError({"organisation": _("You belong to no organisation.")})
    obs = Observation(
        deployment=deployment,
        phase=phase or deployment.phase,
        observed_on=observed_on or timezone.localdate(),
        title=(title or "").strip(),
        observation=(observation or "").strip(),
        discussion=(discussion or "").strip(),
        conclusion=(conclusion or "").strip(),
        recommendation=(recommendation or "").strip(),
        originator=actor,
        organisation=organisation,
        source=source,
        source_type=source_type,
        source_id=source_id,
        kind=kind,
        tags=_clean_tags(tags),
        releasability=releasability,
        status=Observation.Status.SUBMITTED,
        status_changed_at=timezone.now(),
        status_changed_by=actor,
        idempotency_key=key,
    )
    missing = _missing_parts(obs, obs.status)
    if missing:
        raise ValidationError(missing)
    if obs.phase not in Phase.values:
        raise ValidationError({"phase": _("Choose a phase.")})
    obs.full_clean(
        exclude=[*OBS_CLEAN_EXCLUDE, "released_to", "categories", "idempotency_key"]
    )
    try:
        with transaction.atomic():
            obs.save()
    except IntegrityError:
        # The same form arrived twice at the same moment: keep the first one.
        existing = observation_for_key(actor=actor, key=key)
        if existing is not None:
            return existing
        raise
    obs.categories.set(categories or [])
    obs.released_to.set(orgs)
    record_change(
        actor=actor,
        obj=obs,
        action="create",
        after=snapshot(obs)
        | {
            "categories": [c.code for c in categories or []],
            "released_to": [o.short_name for o in orgs],
        },
    )
    index.index_observation(obs)
    publish("observation.submitted", observation=obs, actor=actor)
    return obs


def observation_for_key(*, actor: User, key: Any) -> Observation | None:
    """The observation this user already submitted with this key, if any."""
    key = submission_key(key)
    if key is None:
        return None
    existing = Observation.objects.filter(idempotency_key=key).first()
    if existing is not None and existing.originator_id != actor.pk:
        raise ValidationError(
            {"idempotency_key": _("This submission key was already used.")}
        )
    return existing


def can_edit_observation(user: User, obs: Observation) -> bool:
    if obs.status == Observation.Status.IN_ANALYSIS:
        return can(user, obs.deployment, "lessons_officer")
    if can(user, obs.deployment, *VERIFY_ROLES):
        return True
    return obs.originator_id == user.pk and can(
        user, obs.deployment, *PARTICIPANT_ROLES
    )


@transaction.atomic
def observation_update(
    *,
    actor: User,
    observation: Observation,
    version: int | None,
    changes: dict[str, Any] | None = None,
    categories: list[Any] | None = None,
    releasability: str | None = None,
    released_to: list[Organisation] | None = None,
    **fields: Any,
) -> Observation:
    """Change an observation's ODCR parts, tags, categories or releasability.

    The changed fields come in ``changes`` (or as keywords): the ODCR text named
    ``observation`` can only travel in ``changes``, its name being the object's.
    """
    changes = {**(changes or {}), **fields}
    require_writer(actor)
    if not can_edit_observation(actor, observation):
        raise NotAllowed(
            _(
                "Only its originator, or a lessons or safety officer of the "
                "deployment, may change this observation."
            )
        )
    unknown = set(changes) - OBSERVATION_FIELDS
    if unknown:
        raise ValidationError(
            {f: _("This field cannot be changed here.") for f in sorted(unknown)}
        )
    for key in ("title", "observation", "discussion", "conclusion", "recommendation"):
        if key in changes:
            changes[key] = (changes[key] or "").strip()
    if "tags" in changes:
        changes["tags"] = _clean_tags(changes["tags"])
    if "source" in changes and changes["source"] not in Source.values:
        raise ValidationError({"source": _("Choose where this observation came from.")})
    probe = Observation(**{**snapshot(observation), **changes})
    missing = _missing_parts(probe, observation.status)
    if missing:
        raise ValidationError(missing)
    orgs = None
    if releasability is not None or released_to is not None:
        releasability = releasability or observation.releasability
        if released_to is None:
            released_to = list(observation.released_to.all())
        orgs = _check_releasability(releasability, released_to)
        changes["releasability"] = releasability
    observation = update_versioned(
        obj=observation,
        actor=actor,
        version=version,
        changes=changes,
        exclude_from_clean=OBS_CLEAN_EXCLUDE,
    )
    extra_after: dict[str, Any] = {}
    if categories is not None:
        before = sorted(observation.categories.values_list("code", flat=True))
        observation.categories.set(categories)
        after = sorted(c.code for c in categories)
        if before != after:
            extra_after["categories"] = after
    if orgs is not None:
        before_orgs = sorted(o.short_name for o in observation.released_to.all())
        observation.released_to.set(orgs)
        after_orgs = sorted(o.short_name for o in orgs)
        if before_orgs != after_orgs:
            extra_after["released_to"] = after_orgs
    if extra_after:
        record_change(actor=actor, obj=observation, action="update", after=extra_after)
    index.index_observation(observation)
    return observation


@transaction.atomic
def observation_transition(
    *,
    actor: User,
    observation: Observation,
    to_status: str,
    reason: str = "",
    version: int | None = None,
) -> Observation:
    """Verify, reject or resubmit an observation, or put it in analysis."""
    require_writer(actor)
    S = Observation.Status
    current = observation.status
    if to_status not in S.values:
        raise ValidationError({"status": _("Unknown state.")})
    if to_status not in OBSERVATION_TRANSITIONS[current]:
        allowed = ", ".join(str(S(s).label) for s in OBSERVATION_TRANSITIONS[current])
        raise ValidationError(
            {
                "status": _(
                    "An observation that is %(current)s cannot become %(target)s. "
                    "Allowed next: %(allowed)s."
                )
                % {
                    "current": S(current).label,
                    "target": S(to_status).label,
                    "allowed": allowed or _("none"),
                }
            }
        )
    if to_status == S.SUBMITTED:
        if not (
            observation.originator_id == actor.pk
            or can(actor, observation.deployment, *VERIFY_ROLES)
        ):
            raise NotAllowed(
                _("Only its originator or a lessons or safety officer may resubmit.")
            )
    elif to_status == S.IN_ANALYSIS:
        require(actor, observation.deployment, "lessons_officer")
    else:
        require(actor, observation.deployment, *VERIFY_ROLES)
    reason = (reason or "").strip()
    if to_status == S.REJECTED and not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting it.")})
    missing = _missing_parts(observation, to_status)
    if missing:
        raise ValidationError(missing)
    observation = update_versioned(
        obj=observation,
        actor=actor,
        version=version,
        changes={
            "status": to_status,
            "status_reason": reason,
            "status_changed_at": timezone.now(),
            "status_changed_by": actor,
        },
        action=f"status:{to_status}",
        exclude_from_clean=OBS_CLEAN_EXCLUDE,
    )
    index.index_observation(observation)
    return observation


@transaction.atomic
def attachment_add(
    *, actor: User, observation: Observation, upload: UploadedFile
) -> Attachment:
    """Keep a small file with an observation after checking its type, content, size."""
    require_writer(actor)
    require(actor, observation.deployment, *PARTICIPANT_ROLES)
    content_type = check_upload(
        upload, allowed=ATTACHMENT_TYPES, max_bytes=MAX_ATTACHMENT_BYTES
    )
    name = PurePath(upload.name or "file").name[:200]
    attachment = Attachment(
        observation=observation,
        name=name,
        content_type=content_type,
        size=upload.size or 0,  # never 0: check_upload refuses empty files
        uploaded_by=actor,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    record_change(
        actor=actor,
        obj=observation,
        action="attach",
        after={"attachment": attachment.pk, "name": name, "size": upload.size},
    )
    return attachment


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


# -- the learning loop ---------------------------------------------------------
@transaction.atomic
def lesson_use_add(
    *,
    actor: User,
    risk: Any,
    observation: Observation | None = None,
    lesson: Lesson | None = None,
    note: str = "",
) -> LessonUse:
    """Record that an observation or lesson was taken into account on a risk."""
    require_writer(actor)
    require(actor, risk.deployment, *PARTICIPANT_ROLES)
    if (observation is None) == (lesson is None):
        raise ValidationError({"target": _("Choose one observation or one lesson.")})
    use = LessonUse(
        risk=risk,
        deployment_id=risk.deployment_id,
        observation=observation,
        lesson=lesson,
        note=(note or "").strip()[:2000],
        by=actor,
    )
    try:
        with transaction.atomic():
            use.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"target": _("This is already taken into account on the risk.")}
        ) from exc
    record_change(
        actor=actor,
        obj=use,
        action="create",
        after=snapshot(use),
        deployment_id=risk.deployment_id,
    )
    return use


@transaction.atomic
def lesson_review_add(
    *, actor: User, deployment: Deployment, lesson: Lesson, note: str = ""
) -> LessonReview:
    """Record that a lesson of an earlier rotation was reviewed for a deployment."""
    require_writer(actor)
    require(actor, deployment, *REVIEW_ROLES)
    review, created = LessonReview.objects.get_or_create(
        deployment=deployment,
        lesson=lesson,
        defaults={"by": actor, "note": (note or "").strip()[:2000]},
    )
    if created:
        record_change(
            actor=actor,
            obj=review,
            action="create",
            after=snapshot(review),
            deployment_id=deployment.pk,
        )
    return review
