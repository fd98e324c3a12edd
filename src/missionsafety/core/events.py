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
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)

Handler = Callable[..., None]
_subscribers: dict[str, list[Handler]] = defaultdict(list)


def subscribe(event: str, handler: Handler) -> None:
    if handler not in _subscribers[event]:
        _subscribers[event].append(handler)


def publish(event: str, **payload: Any) -> None:
    """Call each subscriber once the current transaction commits."""
    for handler in list(_subscribers.get(event, [])):
        transaction.on_commit(_guarded(event, handler, payload))


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
