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

from missionsafety.lessons.services.common import (
    ATTACHMENT_TYPES,
    LESSON_CLEAN_EXCLUDE,
    LESSON_FIELDS,
    MAX_ATTACHMENT_BYTES,
    OBS_CLEAN_EXCLUDE,
    OBSERVATION_FIELDS,
    PARTICIPANT_ROLES,
    REVIEW_ROLES,
    SOURCE_APPS,
    VERIFY_ROLES,
    WRITING_MEMBER_ROLES,
    resolve_organisations,
)
from missionsafety.lessons.services.lessons import (
    LESSON_MOVES,
    LS,
    allowed_moves,
    default_releasability,
    lesson_create,
    lesson_transition,
    lesson_update,
    may_move,
)
from missionsafety.lessons.services.observations import (
    attachment_add,
    can_edit_observation,
    observation_for_key,
    observation_submit,
    observation_transition,
    observation_update,
)
from missionsafety.lessons.services.uses import lesson_review_add, lesson_use_add

__all__ = [
    "ATTACHMENT_TYPES",
    "LESSON_CLEAN_EXCLUDE",
    "LESSON_FIELDS",
    "LESSON_MOVES",
    "LS",
    "MAX_ATTACHMENT_BYTES",
    "OBSERVATION_FIELDS",
    "OBS_CLEAN_EXCLUDE",
    "PARTICIPANT_ROLES",
    "REVIEW_ROLES",
    "SOURCE_APPS",
    "VERIFY_ROLES",
    "WRITING_MEMBER_ROLES",
    "allowed_moves",
    "attachment_add",
    "can_edit_observation",
    "default_releasability",
    "lesson_create",
    "lesson_review_add",
    "lesson_transition",
    "lesson_update",
    "lesson_use_add",
    "may_move",
    "observation_for_key",
    "observation_submit",
    "observation_transition",
    "observation_update",
    "resolve_organisations",
]
