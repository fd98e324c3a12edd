"""Writing observations (ODCR): submitting, updating, moving and attaching files."""

from __future__ import annotations

import datetime
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change, snapshot
from missionsafety.audit.versioning import update_versioned
from missionsafety.core.events import publish
from missionsafety.core.exceptions import NotAllowed, ValidationError
from missionsafety.core.services import submission_key
from missionsafety.core.uploads import check_upload
from missionsafety.deployments.models import Deployment, Phase
from missionsafety.deployments.visibility import can, require
from missionsafety.lessons import index
from missionsafety.lessons.models import (
    OBSERVATION_TRANSITIONS,
    Attachment,
    Kind,
    Observation,
    Releasability,
    Source,
)
from missionsafety.lessons.services.common import (
    ATTACHMENT_TYPES,
    MAX_ATTACHMENT_BYTES,
    OBS_CLEAN_EXCLUDE,
    OBSERVATION_FIELDS,
    PARTICIPANT_ROLES,
    VERIFY_ROLES,
    _acting_organisation,
    _check_releasability,
    _clean_tags,
    _missing_parts,
    _source_check,
)
from missionsafety.organisations.models import Organisation, User
from missionsafety.organisations.scope import current_memberships, require_writer


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
