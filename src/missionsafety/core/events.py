"""Domain events: one app announces, others react (notifications, schedules).

Services publish after their write; subscribers run when the transaction
commits, so nothing reacts to a change that was rolled back::

    publish("risk.escalated", risk=risk, decision=decision, actor=actor)

    # in another app's AppConfig.ready()
    subscribe("risk.escalated", notify_escalation)

Events in use (keyword arguments in brackets):

- ``risk.decision_requested`` (risk, assessment, actor): a risk awaits a decision
- ``risk.escalated`` (risk, decision, actor): escalated to ``decision.escalated_to``
- ``risk.accepted`` / ``risk.rejected`` (risk, decision, actor)
- ``risk.stop_flagged`` (risk, assessment, actor): residual rose above the accepted level
- ``risk.reassessment_required`` (risk, reason, actor, source): e.g. a serious occurrence
- ``risk.consultation_requested`` / ``risk.consultation_answered`` (risk,
  consultation, actor): a party asked for its view on an assessment, or answering
- ``control.status_changed`` (control, actor)
- ``control.assigned`` (control, actor): a control was added to or handed to a party
- ``agreement.submitted`` (agreement, signatories, actor): sent for signature;
  ``signatories`` pairs each party with the commanders who sign for it
- ``occurrence.reported`` (occurrence, actor); ``occurrence.serious`` (occurrence, actor)
- ``thread.opened`` (thread, actor); ``thread.answered`` (thread, message, actor)
- ``observation.submitted`` (observation, actor); ``lesson.transitioned`` (lesson, actor)
- ``evaluation.scheduled`` / ``evaluation.held`` (evaluation, actor)
- ``deployment.dates_changed`` (deployment, actor): start or end date changed

A subscriber made with ``subscribe(..., background=True)`` (the notifications)
runs in the task queue instead of in the request: the task is written in the
publishing transaction (kept or rolled back with the change; the worker sees
it once the change is committed) and carries the payload's objects as
references, read again when it runs. Where the queue runs tasks at once (the
test settings) it runs after the commit, as an inline subscriber does.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.utils.functional import Promise

log = logging.getLogger(__name__)

Handler = Callable[..., None]
_subscribers: dict[str, list[Handler]] = defaultdict(list)
_background: set[Handler] = set()


def subscribe(event: str, handler: Handler, *, background: bool = False) -> None:
    if handler not in _subscribers[event]:
        _subscribers[event].append(handler)
    if background:
        _background.add(handler)


def publish(event: str, **payload: Any) -> None:
    """Call each subscriber once the current transaction commits; queue the
    background subscribers' work in it (one task for this event)."""
    later = []
    for handler in list(_subscribers.get(event, [])):
        if handler in _background:
            later.append(handler)
        else:
            transaction.on_commit(_guarded(event, handler, payload))
    if later:
        _queue(event, later, payload)


def _guarded(
    event: str, handler: Handler, payload: dict[str, Any]
) -> Callable[[], None]:
    def run() -> None:
        try:
            handler(**payload)
        except Exception:
            # The change is committed; a failing reaction is logged, not shown
            # to the user as a failed save. Tests see the error.
            log.exception("handler %s for %s failed", handler, event)
            if settings.TESTING:
                raise

    return run


def _path(handler: Handler) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"


def _queue(event: str, handlers: list[Handler], payload: dict[str, Any]) -> None:
    from django_tasks_db import DatabaseBackend

    from missionsafety.core.tasks import run_subscribers

    args = (event, [_path(h) for h in handlers], to_refs(payload))
    if isinstance(run_subscribers.get_backend(), DatabaseBackend):
        # A row in the publishing transaction: queued if and only if the
        # change is committed.
        run_subscribers.enqueue(*args)
        return
    transaction.on_commit(lambda: _run_queued(run_subscribers, args, handlers, payload))


def _run_queued(
    task: Any, args: tuple[Any, ...], handlers: list[Handler], payload: dict[str, Any]
) -> None:
    """After the commit, where the queue does not keep tasks in the database
    (it runs them at once): enqueue now; a failure is the test's failure."""
    try:
        result = task.enqueue(*args)
    except Exception:
        log.exception("could not queue %s: its subscribers run here", args[0])
        for handler in handlers:
            _guarded(args[0], handler, payload)()
        return
    if settings.TESTING and str(getattr(result, "status", "")) == "FAILED":
        errors = getattr(result, "errors", [])
        detail = errors[-1].traceback if errors else ""
        raise RuntimeError(f"subscribers of {args[0]} failed:\n{detail}")


def run_queued(event: str, paths: list[str], refs: dict[str, Any]) -> list[str]:
    """The worker's side: each named subscriber of the event, with the payload
    read again. A subscriber that fails is logged; the others still run."""
    by_path = {_path(h): h for h in _subscribers.get(event, [])}
    try:
        payload = from_refs(refs)
    except LookupError as exc:  # an object gone since: nothing to tell
        log.warning("subscribers of %s skipped: %s", event, exc)
        return ["skipped"]
    outcomes, failed = [], []
    for path in paths:
        handler = by_path.get(path)
        if handler is None:
            log.error("no subscriber %s for %s", path, event)
            outcomes.append("unknown")
            continue
        try:
            handler(**payload)
            outcomes.append("done")
        except Exception:
            log.exception("handler %s for %s failed", path, event)
            failed.append(path)
            outcomes.append("failed")
    if failed:
        raise RuntimeError(f"subscribers of {event} failed: {', '.join(failed)}")
    return outcomes


_MODEL = "$model"


def to_refs(value: Any) -> Any:
    """The payload as JSON: model instances become references."""
    if isinstance(value, Model):
        return {_MODEL: value._meta.label, "pk": value.pk}
    if isinstance(value, dict):
        return {str(k): to_refs(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_refs(v) for v in value]
    if isinstance(value, Promise):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"an event payload cannot carry {type(value).__name__}")


def from_refs(value: Any) -> Any:
    """The payload again: references read from the database (LookupError for
    an object that is gone)."""
    if isinstance(value, dict):
        if _MODEL in value:
            model = apps.get_model(value[_MODEL])
            try:
                return model._base_manager.get(pk=value["pk"])
            except model.DoesNotExist as exc:
                raise LookupError(f"{value[_MODEL]} {value['pk']}") from exc
        return {k: from_refs(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_refs(v) for v in value]
    return value
