"""Planning evaluation moments per phase and the events that reschedule them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from missionsafety.audit.services import record_change
from missionsafety.core.events import publish
from missionsafety.deployments.models import PHASE_ORDER, Deployment, Phase
from missionsafety.evaluations.models import Evaluation, EvaluationTemplate
from missionsafety.evaluations.services.common import E
from missionsafety.evaluations.services.lifecycle import (
    evaluation_create,
    evaluation_skip,
)


def _phase_start(deployment: Deployment, phase: str) -> datetime.date | None:
    if phase == Phase.PLANNING:
        return timezone.localdate(deployment.created_at)
    change = (
        deployment.phase_changes.filter(to_phase=phase).order_by("changed_at").first()
    )
    return timezone.localdate(change.changed_at) if change else None


def planned_moments(
    deployment: Deployment, templates: Iterable[EvaluationTemplate]
) -> dict[tuple[int, int], tuple[EvaluationTemplate, datetime.date, str]]:
    """(template id, slot) → (template, due date, title) for date and periodic moments.

    A periodic moment of a phase is planned only before the first moment of a
    later phase (and before that phase began, if it did): no monthly review
    of the deployed phase after the end-of-tour AAR of the redeployment.
    """
    start, end = deployment.start_date, deployment.end_date
    anchors: dict[str, datetime.date] = {
        EvaluationTemplate.Anchor.DEPLOYMENT_START: start,
        EvaluationTemplate.Anchor.DEPLOYMENT_END: end,
        EvaluationTemplate.Anchor.DEPLOYMENT_MID: start + (end - start) / 2,
    }
    planned = {}
    templates = list(templates)
    for template in templates:
        if template.trigger != EvaluationTemplate.Trigger.DATE:
            continue
        if template.anchor == EvaluationTemplate.Anchor.PHASE_START:
            anchor = _phase_start(deployment, template.phase)
        else:
            anchor = anchors[template.anchor]
        if anchor is None:
            continue
        due = anchor + datetime.timedelta(days=template.offset_days)
        planned[(template.pk, 1)] = (template, due, template.name)
    for template in templates:
        if template.trigger != EvaluationTemplate.Trigger.PERIODIC:
            continue
        until = _next_phase_begins(deployment, template.phase, planned.values())
        step = datetime.timedelta(days=max(template.interval_days, 1))
        due, slot = start + step, 1
        while due <= end and (until is None or due < until):
            planned[(template.pk, slot)] = (template, due, f"{template.name} {slot}")
            due, slot = due + step, slot + 1
    return planned


def _next_phase_begins(
    deployment: Deployment,
    phase: str,
    dated: Iterable[tuple[EvaluationTemplate, datetime.date, str]],
) -> datetime.date | None:
    """The first day of a phase after ``phase``: its first planned moment, or
    the day the deployment entered it."""
    later = set(PHASE_ORDER[PHASE_ORDER.index(phase) + 1 :])
    days = [due for template, due, _title in dated if template.phase in later]
    days += [
        timezone.localdate(c.changed_at)
        for c in deployment.phase_changes.filter(to_phase__in=later)
    ]
    return min(days) if days else None


@transaction.atomic
def evaluations_schedule(*, actor: Any, deployment: Deployment) -> dict[str, int]:
    """Create, move or drop the deployment's scheduled moments to fit its dates.

    Held, reported, closed and skipped moments are never changed.
    """
    if deployment.phase == Phase.CLOSED:
        return {"created": 0, "moved": 0, "dropped": 0}
    templates = list(
        EvaluationTemplate.objects.filter(
            active=True,
            trigger__in=[
                EvaluationTemplate.Trigger.DATE,
                EvaluationTemplate.Trigger.PERIODIC,
            ],
        )
    )
    planned = planned_moments(deployment, templates)
    existing = {
        (e.template_id, e.slot): e
        for e in Evaluation.objects.filter(deployment=deployment, slot__isnull=False)
    }
    created, moved, dropped = [], [], []
    for key, (template, due, title) in planned.items():
        evaluation = existing.get(key)
        if evaluation is None:
            created.append(
                Evaluation(
                    deployment=deployment,
                    template=template,
                    slot=key[1],
                    title=title,
                    phase=template.phase,
                    due_date=due,
                )
            )
        elif evaluation.status == E.SCHEDULED and evaluation.due_date != due:
            evaluation.due_date = due
            moved.append(evaluation)
    for existing_key, evaluation in existing.items():
        if existing_key not in planned and evaluation.status == E.SCHEDULED:
            dropped.append(evaluation)
    Evaluation.objects.bulk_create(created)
    Evaluation.objects.bulk_update(moved, ["due_date"])
    Evaluation.objects.filter(pk__in=[e.pk for e in dropped]).delete()
    result = {"created": len(created), "moved": len(moved), "dropped": len(dropped)}
    if created or moved or dropped:
        record_change(
            actor=actor,
            obj=deployment,
            action="schedule_evaluations",
            after={
                **result,
                "moved_to": {str(e.pk): e.due_date.isoformat() for e in moved},
                "dropped": [e.title for e in dropped],
            },
        )
        for evaluation in created:
            publish("evaluation.scheduled", evaluation=evaluation, actor=actor)
    return result


CLOSED_BEFORE_HELD = gettext_lazy(
    "The deployment was closed before this moment was held."
)


def shipped_texts() -> list[tuple[str, str]]:
    """Reasons the services write, in Dutch and English (``shipped_text``)."""
    pairs = []
    for text in (CLOSED_BEFORE_HELD,):
        with translation.override("nl"):
            nl = str(text)
        with translation.override("en"):
            en = str(text)
        pairs.append((nl, en))
    return pairs


def on_phase_changed(*, deployment: Deployment, from_phase: str, actor: Any) -> None:
    """Phase listener: (re)schedule the moments once a phase is entered; on
    closing, what was never held is recorded as skipped."""
    if deployment.phase != Phase.CLOSED:
        evaluations_schedule(actor=actor, deployment=deployment)
        return
    reason = str(CLOSED_BEFORE_HELD)
    for evaluation in Evaluation.objects.filter(
        deployment=deployment, status=E.SCHEDULED
    ):
        evaluation_skip(
            actor=actor,
            evaluation=evaluation,
            version=evaluation.version,
            reason=reason,
        )


def on_deployment_updated(*, deployment: Deployment, actor: Any, **_kw: Any) -> None:
    """Dates changed: move the scheduled moments with them."""
    evaluations_schedule(
        actor=actor, deployment=Deployment.objects.get(pk=deployment.pk)
    )


def on_serious_occurrence(*, occurrence: Any, actor: Any, **_kw: Any) -> None:
    """A serious occurrence calls for a hot wash within the template's window."""
    deployment_id = getattr(occurrence, "deployment_id", None)
    if deployment_id is None:
        return
    deployment = Deployment.objects.filter(pk=deployment_id).first()
    template = EvaluationTemplate.objects.filter(
        active=True, trigger=EvaluationTemplate.Trigger.OCCURRENCE
    ).first()
    if deployment is None or template is None or deployment.phase == Phase.CLOSED:
        return
    ref = f"occurrences.occurrence:{occurrence.pk}"
    if Evaluation.objects.filter(deployment=deployment, trigger_ref=ref).exists():
        return
    evaluation_create(
        actor=actor,
        deployment=deployment,
        template=template,
        trigger_ref=ref,
        title=f"{template.name}: {str(getattr(occurrence, 'title', '') or occurrence)[:120]}",
        check_roles=False,
    )
