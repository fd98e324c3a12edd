"""Recording that a lesson was used, and its reviews."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change, snapshot
from missionsafety.core.exceptions import ValidationError
from missionsafety.deployments.models import Deployment
from missionsafety.deployments.visibility import require
from missionsafety.lessons.models import Lesson, LessonReview, LessonUse, Observation
from missionsafety.lessons.services.common import PARTICIPANT_ROLES, REVIEW_ROLES
from missionsafety.organisations.models import User
from missionsafety.organisations.scope import require_writer


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
