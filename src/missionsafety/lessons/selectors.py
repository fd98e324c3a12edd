"""Every read of observations and lessons a user makes, and the learning loop."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from missionsafety.core.selectors import get_visible
from missionsafety.deployments.models import Deployment, Party
from missionsafety.lessons import search
from missionsafety.lessons.index import theatre_key
from missionsafety.lessons.models import (
    OPEN_ACTION_STATES,
    Attachment,
    Lesson,
    LessonReview,
    LessonUse,
    Observation,
    Releasability,
)
from missionsafety.organisations.models import Organisation
from missionsafety.organisations.scope import sees_everything


def observation_list(
    *,
    user: Any,
    deployment: Any = None,
    status: str = "",
    kind: str = "",
    mine: bool = False,
) -> QuerySet[Observation]:
    """Observations the user may see, newest first."""
    qs = Observation.objects.visible_to(user).select_related(
        "deployment", "organisation", "originator"
    )
    if deployment is not None:
        qs = qs.filter(deployment=deployment)
    if status in Observation.Status.values:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if mine:
        qs = qs.filter(originator=user)
    return qs.order_by("-observed_on", "-id")


def observation_get(*, user: Any, pk: Any) -> Observation:
    """One observation the user may see, or 404."""
    return get_visible(
        Observation.objects.select_related(
            "deployment", "organisation", "originator", "lesson", "status_changed_by"
        ).prefetch_related("categories", "released_to"),
        user,
        pk=pk,
    )


def attachment_get(*, user: Any, pk: Any) -> Attachment:
    return get_visible(Attachment.objects.select_related("observation"), user, pk=pk)


def lesson_list(
    *, user: Any, status: str = "", deployment: Any = None, overdue: bool = False
) -> QuerySet[Lesson]:
    """Lessons the user may see, newest first, with their observation count."""
    qs = (
        Lesson.objects.visible_to(user)
        .select_related("deployment", "action_body", "tasking_authority")
        .annotate(observation_count=Count("observations", distinct=True))
    )
    if status in Lesson.Status.values:
        qs = qs.filter(status=status)
    if deployment is not None:
        qs = qs.filter(deployment=deployment)
    if overdue:
        qs = qs.filter(status__in=OPEN_ACTION_STATES, due_date__lt=timezone.localdate())
    # visible_to is typed on the untyped LessonQuerySet: name the model.
    return cast("QuerySet[Lesson]", qs.order_by("-identified_on", "-id"))


def lesson_get(*, user: Any, pk: Any) -> Lesson:
    """One lesson the user may see, or 404."""
    return get_visible(
        Lesson.objects.select_related(
            "deployment", "action_body", "tasking_authority", "created_by"
        ).prefetch_related("categories", "released_to"),
        user,
        pk=pk,
    )


def lesson_observations(*, user: Any, lesson: Lesson) -> QuerySet[Observation]:
    """The lesson's observations the user may see (an observation may be
    released more narrowly than its lesson)."""
    return (
        Observation.objects.visible_to(user)
        .filter(lesson=lesson)
        .select_related("deployment")
    )


def groupable_observations(*, user: Any) -> QuerySet[Observation]:
    """Verified observations not yet in a lesson, for the new-lesson form."""
    return (
        Observation.objects.visible_to(user)
        .filter(status=Observation.Status.VERIFIED, lesson__isnull=True)
        .select_related("deployment")
        .order_by("-observed_on")
    )


def uses_of(*, user: Any, lesson: Lesson | None = None, observation: Any = None):  # type: ignore[no-untyped-def]
    """Where a lesson or observation was taken into account, on risks the user
    may see, and the number of distinct later deployments among them."""
    qs = LessonUse.objects.visible_to(user).select_related("risk", "deployment", "by")
    qs = (
        qs.filter(lesson=lesson)
        if lesson is not None
        else qs.filter(observation=observation)
    )
    uses = list(qs.order_by("-at")[:50])
    return uses, len({u.deployment_id for u in uses})


def overdue_lessons(
    *,
    user: Any,
    organisation: Organisation | None = None,
    deployment: Deployment | None = None,
    limit: int = 20,
) -> list[Lesson]:
    """Lessons whose remedial action is past its due date and not implemented."""
    qs = (
        Lesson.objects.visible_to(user)
        .filter(status__in=OPEN_ACTION_STATES, due_date__lt=timezone.localdate())
        .select_related("deployment", "action_body")
        .order_by("due_date")
    )
    if organisation is not None:
        qs = qs.filter(action_body=organisation)
    if deployment is not None:
        qs = qs.filter(deployment=deployment)
    return list(qs[:limit])


def observations_for_object(*, user: Any, obj: Any) -> QuerySet[Observation]:
    """Observations submitted from an occurrence, thread or other object."""
    ct = ContentType.objects.get_for_model(obj)
    return (
        Observation.objects.visible_to(user)
        .filter(source_type=ct, source_id=str(obj.pk))
        .order_by("-observed_on")
    )


# -- the learning loop ---------------------------------------------------------
def risk_suggestions(*, user: Any, risk: Any, limit: int = 5) -> list[search.Hit]:
    """Lessons and observations of other deployments that fit a risk."""
    text = " ".join(
        part for part in (risk.title, risk.hazard, getattr(risk, "cause", "")) if part
    )
    category = getattr(risk, "category", None)
    return search.suggestions(
        user=user,
        text=text,
        categories=[category.code] if category else [],
        theatre_key=theatre_key(risk.deployment.theatre),
        exclude_deployment_id=risk.deployment_id,
        limit=limit,
    )


def form_suggestions(
    *, user: Any, deployment: Deployment, text: str, categories: list[str]
) -> list[search.Hit]:
    """Suggestions for the new-risk form, from what the user typed so far."""
    return search.suggestions(
        user=user,
        text=text,
        categories=categories,
        theatre_key=theatre_key(deployment.theatre),
        exclude_deployment_id=deployment.pk,
    )


def _party_scope(deployment: Deployment) -> set[int]:
    """The deployment's parties and the organisations above them up to their
    formation: who "the parties" are when a lesson is released to them."""
    from missionsafety.organisations.scope import FORMATION_ECHELON

    orgs = [p.organisation for p in deployment.parties.select_related("organisation")]
    ancestor_ids = {i for o in orgs for i in o.ancestor_ids}
    echelons = dict(
        Organisation.objects.filter(pk__in=ancestor_ids).values_list("pk", "echelon")
    )
    scope: set[int] = set()
    for org in orgs:
        for org_id in reversed(org.ancestor_ids):
            scope.add(org_id)
            if echelons.get(org_id, 0) >= FORMATION_ECHELON:
                break
    return scope


def earlier_lessons(deployment: Deployment) -> QuerySet[Lesson]:
    """Lessons of earlier rotations in the same theatre that the deployment's
    parties may see, not closed without action."""
    key = theatre_key(deployment.theatre)
    scope = _party_scope(deployment)
    earlier = Deployment.objects.filter(start_date__lt=deployment.start_date).exclude(
        pk=deployment.pk
    )
    same_theatre = [
        pk
        for pk, theatre in earlier.values_list("id", "theatre")
        if theatre_key(theatre) == key
    ]
    party_deployments = Party.objects.filter(organisation_id__in=scope).values(
        "deployment_id"
    )
    released = Lesson.released_to.through.objects.filter(
        organisation_id__in=scope
    ).values("lesson_id")
    return (
        Lesson.objects.filter(deployment_id__in=same_theatre)
        .exclude(status=Lesson.Status.CLOSED)
        .filter(
            Q(deployment_id__in=party_deployments)
            | Q(releasability=Releasability.DEFENCE)
            | Q(releasability=Releasability.ORGANISATIONS, id__in=released)
            | Q(action_body_id__in=scope)
        )
    )


def reviewed_lesson_ids(deployment: Deployment) -> set[int]:
    used = LessonUse.objects.filter(
        deployment=deployment, lesson__isnull=False
    ).values_list("lesson_id", flat=True)
    reviewed = LessonReview.objects.filter(deployment=deployment).values_list(
        "lesson_id", flat=True
    )
    return set(used) | set(reviewed)


def earlier_lessons_review(deployment: Deployment) -> dict[str, Any]:
    """For the readiness gate: how many lessons of earlier rotations in the same
    theatre are relevant, and how many were reviewed (taken into account on a
    risk of this deployment, or marked reviewed for it)."""
    relevant = set(earlier_lessons(deployment).values_list("id", flat=True))
    reviewed = relevant & reviewed_lesson_ids(deployment)
    return {
        "relevant": len(relevant),
        "reviewed": len(reviewed),
        "unreviewed": len(relevant) - len(reviewed),
        "unreviewed_ids": sorted(relevant - reviewed),
        "complete": relevant <= reviewed,
    }


def deployment_review_panel(*, user: Any, deployment: Deployment) -> dict[str, Any]:
    """The earlier lessons of a deployment, reviewed or not, that the user may see."""
    reviewed = reviewed_lesson_ids(deployment)
    qs = earlier_lessons(deployment)
    if not sees_everything(user):
        # One WHERE with both conditions: "id IN (visible lessons)" made the
        # database list every visible lesson of every deployment first.
        qs = qs & Lesson.objects.visible_to(user)
    # The newest 30 ids first, from an index that holds every column of the
    # condition (an earlier theatre can hold thousands of lessons), then
    # those 30 rows.
    ids = list(qs.order_by("-identified_on", "-id").values_list("id", flat=True)[:30])
    by_id = Lesson.objects.select_related("deployment").in_bulk(ids)
    lessons = [by_id[i] for i in ids]
    return {
        "lessons": [(lesson, lesson.pk in reviewed) for lesson in lessons],
        "reviewed": sum(1 for lesson in lessons if lesson.pk in reviewed),
        "relevant": len(lessons),
    }


def risk_uses(*, user: Any, risk: Any) -> list[LessonUse]:
    """What was taken into account on a risk (observations and lessons)."""
    return list(
        LessonUse.objects.visible_to(user)
        .filter(risk=risk)
        .filter(
            Q(observation__in=Observation.objects.visible_to(user).values("id"))
            | Q(lesson__in=Lesson.objects.visible_to(user).values("id"))
        )
        .select_related("observation", "lesson", "by")
        .order_by("-at")
    )
