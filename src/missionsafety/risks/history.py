"""Each deployment's weekly history, derived once and kept until it changes.

The trend charts show, at the end of each of the last weeks, the open risks per
residual level and the overdue controls per owning organisation. The past is
derived from what the register keeps (the dated assessments, the change
records that closed a risk or changed a control's status, the controls' due
dates), per deployment, in a fixed number of queries for any number of
deployments (see docs/staff-desk.md, "Trends").

The derived counts are kept in ``TrendSnapshot``, one row per deployment,
together with the day they were derived for and the sequence number of the
deployment's last change record then. Every write goes through a service that
records a change, so a later change record means the kept counts may be out of
date: they are derived again, for that deployment only. The overview of a
thousand deployments therefore sums kept rows and derives only what changed;
the rows are shared by every application server and by the replicas.
"""

from __future__ import annotations

import datetime
from bisect import bisect_right
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.utils import timezone

from missionsafety.audit.models import ChangeRecord
from missionsafety.deployments.versions import deployment_versions
from missionsafety.risks.models import Assessment, Control, Risk, TrendSnapshot

S = Risk.Status
HISTORY_WEEKS = 8
# Deployments derived together: bounds the parameters of one query and memory.
CHUNK = 400

History = dict[str, Any]
# What a kept row holds; rows of another shape are derived again.
SHAPE = 2


def history_points(today: datetime.date | None = None) -> list[datetime.date]:
    """The last days of the past weeks, oldest first, ending today."""
    today = today or timezone.localdate()
    return [
        today - datetime.timedelta(weeks=HISTORY_WEEKS - 1 - i)
        for i in range(HISTORY_WEEKS)
    ]


def _end_of(day: datetime.date) -> datetime.datetime:
    """The first moment after a day (local time): "at the end of the day"."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    )


def _records(model: type, ids: list[int], **filters: Any) -> Any:
    return ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        deployment_id__in=ids,
        **filters,
    )


def _status_at(
    changes: list[tuple[datetime.datetime, str | None, str | None]],
    end: datetime.datetime,
) -> str | None:
    """A row's status at a moment from its status changes (oldest first)."""
    current = None
    for at, before, after in changes:
        if at >= end:
            return current if current is not None else before
        current = after
    return current


def _empty(ids: list[int]) -> dict[int, History]:
    return {
        pk: {"levels": {}, "owners": {}, "expiring": {}, "shape": SHAPE} for pk in ids
    }


EXPIRING_WEEKS = 8


def _expiring(ids: list[int], today: datetime.date, out: dict[int, History]) -> None:
    """Acceptances running out in each of the coming weeks (from this Monday),
    and those already expired: ``expiring["all"]`` = [expired, week 1, …]."""
    monday = today - datetime.timedelta(days=today.weekday())
    horizon = monday + datetime.timedelta(weeks=EXPIRING_WEEKS)
    for dep, day, n in (
        Risk.objects.filter(
            deployment_id__in=ids,
            status__in=(S.ACCEPTED, S.MONITORED),
            acceptance_expires_on__lt=horizon,
        )
        .values_list("deployment_id", "acceptance_expires_on")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts = out[dep]["expiring"].setdefault("all", [0] * (EXPIRING_WEEKS + 1))
        counts[0 if day < today else 1 + (day - monday).days // 7] += n


def derive(ids: list[int], points: list[datetime.date]) -> dict[int, History]:
    """The histories of the deployments ``ids`` at the end of each point.

    ``levels``: risks open then, per the residual level of their last
    assessment by then ("" when not yet assessed); ``owners``: controls open and
    past their due date then, per the organisation (its id) that owns them now.
    ``expiring``: see ``_expiring``. Six queries whatever the number of
    deployments, risks and weeks.
    """
    ends = [_end_of(d) for d in points]
    weeks = len(ends)
    out = _empty(ids)
    _expiring(ids, points[-1], out)
    closed: dict[int, datetime.datetime] = {}
    for object_id, at in (
        _records(Risk, ids, after__status=S.CLOSED)
        .order_by("seq")
        .values_list("object_id", "created_at")
    ):
        closed.setdefault(int(object_id), at)
    # Each open risk: the point indexes during which it was open.
    spans: dict[int, tuple[int, int, int]] = {}
    for pk, dep, created, status, updated in Risk.objects.filter(
        deployment_id__in=ids, created_at__lt=ends[-1]
    ).values_list("pk", "deployment_id", "created_at", "status", "updated_at"):
        shut = closed.get(pk)
        if shut is None and status == S.CLOSED:
            shut = updated
        last = weeks if shut is None else bisect_right(ends, shut)
        # Open at an end when created before it and not closed before it.
        first = bisect_right(ends, created)
        if first < last:
            spans[pk] = (dep, first, last)
    level_at: dict[int, list[str]] = {pk: [""] * weeks for pk in spans}
    for risk_id, at, level in (
        Assessment.objects.filter(risk__deployment_id__in=ids, assessed_at__lt=ends[-1])
        .order_by("risk_id", "assessed_at", "pk")
        .values_list("risk_id", "assessed_at", "residual_level")
    ):
        levels = level_at.get(risk_id)
        if levels is not None:
            for i in range(bisect_right(ends, at), weeks):
                levels[i] = level
    for pk, (dep, first, last) in spans.items():
        counts = out[dep]["levels"]
        for i in range(first, last):
            level = level_at[pk][i]
            counts.setdefault(level, [0] * weeks)[i] += 1

    changes: dict[int, list[tuple[datetime.datetime, str | None, str | None]]] = {}
    for object_id, at, before, after in (
        _records(Control, ids, after__has_key="status")
        .order_by("seq")
        .values_list("object_id", "created_at", "before__status", "after__status")
    ):
        changes.setdefault(int(object_id), []).append((at, before, after))
    for row in Control.objects.filter(
        deployment_id__in=ids, due_date__lt=points[-1], created_at__lt=ends[-1]
    ).values_list(
        "pk",
        "deployment_id",
        "risk_id",
        "risk__status",
        "risk__updated_at",
        "owner_party__organisation_id",
        "due_date",
        "created_at",
        "status",
        "status_changed_at",
    ):
        pk, dep, risk_id, risk_status, risk_updated, owner, due, created = row[:8]
        status, changed_at = row[8:]
        shut = closed.get(risk_id)
        if shut is None and risk_status == S.CLOSED:
            shut = risk_updated
        counts = out[dep]["owners"]
        for i, end in enumerate(ends):
            if due is None or created >= end or due >= points[i]:
                continue
            if shut is not None and shut < end:
                continue
            then = _status_at(changes.get(pk, []), end)
            if then is None:
                # No recorded status change: the current status, which was
                # still open before its last change.
                done_later = changed_at is not None and changed_at >= end
                then = Control.Status.PLANNED if done_later else status
            if then in Control.OPEN_STATUSES:
                counts.setdefault(str(owner), [0] * weeks)[i] += 1
    return out


def histories(
    deployments: Iterable[int] | Any, today: datetime.date | None = None
) -> list[History]:
    """The histories of the deployments (ids, or a query of ids) ending today:
    kept rows where nothing changed since, derived and kept for the others."""
    today = today or timezone.localdate()
    versions = deployment_versions(deployments)
    found: list[History] = []
    stale = set(versions)
    for dep, seq, data in TrendSnapshot.objects.filter(
        deployment_id__in=list(versions), day=today
    ).values_list("deployment_id", "seq", "data"):
        if seq == versions[dep] and data.get("shape") == SHAPE:
            found.append(data)
            stale.discard(dep)
    if stale:
        points = history_points(today)
        ordered = sorted(stale)
        for start in range(0, len(ordered), CHUNK):
            derived = derive(ordered[start : start + CHUNK], points)
            TrendSnapshot.objects.bulk_create(
                [
                    TrendSnapshot(
                        deployment_id=dep, day=today, seq=versions[dep], data=data
                    )
                    for dep, data in derived.items()
                ],
                update_conflicts=True,
                unique_fields=["deployment"],
                update_fields=["day", "seq", "data"],
            )
            found.extend(derived.values())
    return found


def summed(items: list[History], part: str) -> dict[str, list[int]]:
    """One part (``levels``, ``owners``, ``expiring``) of several histories
    added up."""
    total: dict[str, list[int]] = {}
    for history in items:
        for key, values in history.get(part, {}).items():
            into = total.setdefault(key, [0] * len(values))
            for i, n in enumerate(values):
                into[i] += n
    return total
