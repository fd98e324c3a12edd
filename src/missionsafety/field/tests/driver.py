"""Drives a field instance from the tests, in its own process and database.

    MISSIONSAFETY_DATA_DIR=DIR DATABASE_URL=sqlite:///DIR/db.sqlite3 \
        python -m missionsafety.field.tests.driver work|facts|serve
"""

from __future__ import annotations

import datetime
import json
import os
import sys
from typing import Any


def work() -> dict[str, Any]:
    """What the deployed unit does while cut off from home."""
    from django.utils import timezone

    from missionsafety.deployments.models import Deployment
    from missionsafety.lessons.services import observation_submit
    from missionsafety.occurrences.services import occurrence_report
    from missionsafety.organisations.models import Organisation, User
    from missionsafety.risks import services
    from missionsafety.risks.models import Control, Risk

    user = {u.username: u for u in User.objects.all()}
    deployment = Deployment.objects.get()
    unit = Organisation.objects.get(short_name="42 BLJ")
    now = timezone.now()
    for n in range(20):
        occurrence_report(
            actor=user["coy.leader"],
            deployment=deployment,
            occurred_at=now - datetime.timedelta(hours=n + 1),
            place="Rukla",
            unit=unit,
            kind="near_miss",
            title=f"Bijna-ongeval {n + 1}",
            actual_category=0,
            potential_category=1,
        )
    for n in range(5):
        observation_submit(
            actor=user["coy.leader"],
            deployment=deployment,
            title=f"Waarneming {n + 1}",
            observation="Looppaden zijn glad in de ochtend.",
        )
    for control in Control.objects.order_by("pk")[:3]:
        services.control_update(
            actor=user["bn.commander"],
            control=control,
            version=control.version,
            status="implemented",
        )
    made = [
        services.risk_create(
            actor=user["bde13.safety"],
            deployment=deployment,
            title=f"Veldrisico {n + 1}",
            hazard="Ijzel op de bevoorradingsroute.",
            owner_party=deployment.parties.get(role="deployed_unit"),
        )
        for n in range(2)
    ]
    edited = Risk.objects.get(title="Munitieopslag")
    services.risk_update(
        actor=user["bde13.safety"],
        risk=edited,
        version=edited.version,
        title="Munitieopslag (veld)",
    )
    waiting = Risk.objects.get(title="Wachtpost")
    services.decision_accept(
        actor=user["bn.commander"],
        risk=waiting,
        assessment=waiting.current_assessment,
        rationale="Binnen eigen bevoegdheid.",
    )
    return {"numbers": [r.number for r in made]}


def facts() -> dict[str, Any]:
    """What a test compares between the two instances."""
    from missionsafety.audit.services import verify_chain
    from missionsafety.field.models import Conflict
    from missionsafety.lessons.models import Lesson, Observation
    from missionsafety.occurrences.models import Occurrence
    from missionsafety.risks.models import Decision, Risk

    return {
        "occurrences": sorted(Occurrence.objects.values_list("title", flat=True)),
        "observations": sorted(Observation.objects.values_list("title", flat=True)),
        "risks": sorted(Risk.objects.values_list("number", "title", "cause")),
        "decisions": sorted(
            Decision.objects.values_list("risk__title", "outcome", "rationale")
        ),
        "controls": sorted(
            Risk.objects.filter(controls__isnull=False).values_list(
                "controls__description", "controls__status"
            )
        ),
        "lessons": sorted(Lesson.objects.values_list("title", flat=True)),
        "conflicts": sorted(
            Conflict.objects.filter(status="open").values_list(
                "field", "local_value", "remote_value"
            )
        ),
        "audit_ok": verify_chain().ok,
    }


def _serve() -> None:
    """Answer one JSON request a line until stdin closes: a ``missionsafety``
    command (``{"command": [...]}``) or work (``{"drive": "work"}``)."""
    import io
    import traceback

    from django.conf import settings
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import transaction
    from django.utils import translation

    actions = {"work": work, "facts": facts}
    for line in sys.stdin:
        request = json.loads(line)
        out, err = io.StringIO(), io.StringIO()
        reply: dict[str, Any] = {"rc": 0}
        translation.activate(settings.LANGUAGE_CODE)
        try:
            if "command" in request:
                name, *args = request["command"]
                call_command(name.replace("-", "_"), *args, stdout=out, stderr=err)
            else:
                with transaction.atomic():
                    reply["result"] = actions[request["drive"]]()
        except CommandError as exc:
            reply["rc"] = 1
            err.write(f"CommandError: {exc}\n")
        except Exception:
            reply["rc"] = 1
            err.write(traceback.format_exc())
        reply.update(out=out.getvalue(), err=err.getvalue())
        sys.stdout.write(json.dumps(reply, default=str) + "\n")
        sys.stdout.flush()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "missionsafety.test_settings")
    import django

    django.setup()
    from django.db import transaction

    action = sys.argv[1]
    if action == "serve":
        _serve()
        return
    with transaction.atomic():
        result = {"work": work, "facts": facts}[action]()
    sys.stdout.write(json.dumps(result, default=str) + "\n")


if __name__ == "__main__":
    main()
