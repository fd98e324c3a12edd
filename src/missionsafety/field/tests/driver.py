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


def photo(size: int, seed: str) -> bytes:
    """A PNG-looking file that does not compress (as a real photo)."""
    import hashlib

    body = b"".join(
        hashlib.sha256(f"{seed}-{n}".encode()).digest() for n in range(size // 32 + 1)
    )
    return (b"\x89PNG\r\n\x1a\n" + body)[:size]


def upload(name: str, size: int) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, photo(size, name), "image/png")


def attach_in_field(tag: str, large: int = 0) -> None:
    """Photos on an occurrence, an observation and a thread message."""
    from missionsafety.deployments.models import Deployment
    from missionsafety.feedback.services import thread_open, thread_reply
    from missionsafety.lessons.models import Observation
    from missionsafety.lessons.services import attachment_add as observation_attach
    from missionsafety.occurrences.models import Occurrence
    from missionsafety.occurrences.services import attachment_add
    from missionsafety.organisations.models import User
    from missionsafety.risks.models import Risk

    leader = User.objects.get(username="coy.leader")
    deployment = Deployment.objects.get()
    occurrence = Occurrence.objects.order_by("pk").last()
    assert occurrence is not None
    attachment_add(
        actor=leader, occurrence=occurrence, upload=upload(f"{tag}-voorval.png", 9000)
    )
    if large:
        attachment_add(
            actor=leader,
            occurrence=occurrence,
            upload=upload(f"{tag}-groot.png", large),
        )
    observation = Observation.objects.order_by("pk").last()
    assert observation is not None
    observation_attach(
        actor=leader, observation=observation, upload=upload(f"{tag}-waarn.png", 7000)
    )
    subject = Risk.objects.order_by("pk").first()
    assert subject is not None
    thread = thread_open(
        actor=leader,
        deployment=deployment,
        to_party=deployment.parties.get(role="parent_brigade"),
        subject=subject,
        title=f"Vraag {tag}",
        body="Zie foto.",
    )
    thread_reply(
        actor=leader,
        thread=thread,
        body="Foto erbij.",
        uploads=[upload(f"{tag}-bericht.png", 5000)],
    )


def more() -> dict[str, Any]:
    """Photos made in the field after the first sync, one larger than a batch."""
    attach_in_field("https", large=300_000)
    return {}


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
    attach_in_field("veld")
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
        "attachments": attachments(),
        "audit_ok": verify_chain().ok,
    }


def attachments() -> list[list[Any]]:
    """Every attachment as (kind, name, SHA-256 of the stored bytes)."""
    import hashlib

    from django.apps import apps

    from missionsafety.field.files import ATTACHMENT_LABELS

    found = []
    for label in sorted(ATTACHMENT_LABELS):
        for item in apps.get_model(label).objects.all():
            with item.file.open("rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
            found.append([label, item.filename, digest])
    return sorted(found)


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

    actions = {"work": work, "facts": facts, "more": more}
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
