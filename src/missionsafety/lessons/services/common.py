"""Roles, field lists and checks that observation and lesson writes share."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from missionsafety.core.exceptions import ValidationError
from missionsafety.core.uploads import (
    DOCX,
    JPEG,
    MEGABYTE,
    PDF,
    PNG,
    TEXT,
    XLSX,
    AllowedFiles,
)
from missionsafety.deployments.models import Deployment
from missionsafety.lessons.models import (
    REQUIRED_PARTS,
    Observation,
    Releasability,
    Source,
)
from missionsafety.organisations.models import Organisation, User
from missionsafety.organisations.scope import current_memberships

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
