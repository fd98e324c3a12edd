"""Two instances, two databases: home (the test database) and a field instance
in its own process, cut off, then synced by bundle and again over HTTP."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from missionsafety.field.models import Instance
from missionsafety.field.services import bundle_apply, bundle_make
from missionsafety.field.tests.driver import facts, upload
from missionsafety.field.tests.helpers import register
from missionsafety.lessons import services as lessons
from missionsafety.occurrences.models import Occurrence
from missionsafety.occurrences.services import attachment_add, occurrence_report
from missionsafety.risks import services
from missionsafety.risks.models import Risk


def _facts() -> Any:
    """Home's facts as the field's arrive: through JSON."""
    return json.loads(json.dumps(facts(), default=str))


def _home_meanwhile(w: Any, risks: dict[str, Risk]) -> None:
    patrol = Risk.objects.get(pk=risks["patrol"].pk)
    services.decision_accept(
        actor=w.coy_commander,
        risk=patrol,
        assessment=patrol.current_assessment,
        rationale="Thuis besloten.",
    )
    obs = lessons.observation_submit(
        actor=w.jfc_lessons,
        deployment=w.dep,
        title="Thuiswaarneming",
        observation="Koeling faalt.",
        discussion="d",
        conclusion="c",
        recommendation="r",
    )
    lessons.observation_transition(
        actor=w.jfc_lessons, observation=obs, to_status="verified"
    )
    lessons.lesson_create(
        actor=w.jfc_lessons,
        title="Nieuwe les",
        observations=[obs],
        deployment=w.dep,
    )
    occurrence, _new = occurrence_report(
        actor=w.coy_leader,
        deployment=w.dep,
        occurred_at=timezone.now(),
        place="Vilnius",
        unit=w.bn,
        kind="unsafe_situation",
        title="Thuis gemeld",
        actual_category=0,
        potential_category=0,
    )
    attachment_add(
        actor=w.coy_leader, occurrence=occurrence, upload=upload("thuis.png", 8000)
    )
    edited = Risk.objects.get(pk=risks["edited"].pk)
    services.risk_update(
        actor=w.bde13_safety,
        risk=edited,
        version=edited.version,
        title="Munitieopslag (thuis)",
        cause="Hitte in containers",
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_field_and_home_sync_by_bundle_then_https(
    world: Any, live_server: Any, field_process: Any, tmp_path: Path
) -> None:
    w = world
    risks = register(w)
    package = tmp_path / "package.msf"
    from missionsafety.field.package import package_export

    package.write_bytes(
        package_export(actor=w.bde13_safety, deployment=w.dep, url=live_server.url)
    )
    field_process.init(package)
    # The link is cut: both sides work.
    worked = field_process.drive("work")
    assert worked["numbers"] == [10001, 10002]  # the field's own block
    _home_meanwhile(w, risks)

    # Sync by bundle files, both ways.
    peer = Instance.objects.get(role="field")
    to_home = tmp_path / "to-home.msb"
    field_process.run("field", "bundle", "--out", str(to_home))
    to_field = tmp_path / "to-field.msb"
    data, _count = bundle_make(peer=peer)
    to_field.write_bytes(data)
    bundle_apply(data=to_home.read_bytes())
    field_process.run("field", "apply", str(to_field))
    again = field_process.run("field", "apply", str(to_field), check=False)
    assert again.returncode != 0 and "al verwerkt" in again.stderr

    home, field = _facts(), field_process.drive("facts")
    for name in ("occurrences", "observations", "decisions", "lessons", "controls"):
        assert home[name] == field[name], name
    assert len(home["occurrences"]) == 21
    # Photos of both sides, once each, with the same bytes on both sides.
    assert home["attachments"] == field["attachments"]
    names = [name for _label, name, _sha in home["attachments"]]
    assert sorted(names) == sorted(
        ["thuis.png", "veld-voorval.png", "veld-waarn.png", "veld-bericht.png"]
    )
    assert len(home["observations"]) == 6
    assert len(home["decisions"]) == 2 and len(home["lessons"]) == 1
    assert sum(1 for _d, s in home["controls"] if s == "implemented") == 3
    numbers = [n for n, _t, _c in home["risks"]]
    assert len(numbers) == len(set(numbers)) == 5
    # The other field merged; the same field is a conflict on both sides.
    home_edited = Risk.objects.get(pk=risks["edited"].pk)
    assert home_edited.cause == "Hitte in containers"
    assert home_edited.title == "Munitieopslag (thuis)"
    assert home["conflicts"] == [
        ["title", "Munitieopslag (thuis)", "Munitieopslag (veld)"]
    ]
    assert field["conflicts"] == [
        ["title", "Munitieopslag (veld)", "Munitieopslag (thuis)"]
    ]
    edited_in_field = [r for r in field["risks"] if r[0] == home_edited.number]
    assert edited_in_field == [
        [home_edited.number, "Munitieopslag (veld)", "Hitte in containers"]
    ]
    assert home["audit_ok"] and field["audit_ok"]

    # Over HTTP now: photos made since, one larger than a batch (it goes in
    # a batch of its own), in batches of at most 64 kB.
    field_process.drive("more")
    attachment_add(
        actor=w.coy_leader,
        occurrence=Occurrence.objects.get(title="Thuis gemeld"),
        upload=upload("thuis-2.png", 90_000),
    )
    done = field_process.run(
        "field", "sync", "--url", live_server.url, "--batch-bytes", "65536"
    )
    assert "wijzigingen verzonden" in done.stdout
    home, field = _facts(), field_process.drive("facts")
    assert home["attachments"] == field["attachments"]
    assert len(home["attachments"]) == 9
    peer.refresh_from_db()
    assert peer.received_seq >= 3, "the field's photos came in several batches"
    # Again: nothing waits, nothing changes.
    done = field_process.run("field", "sync", "--url", live_server.url)
    assert "0 wijzigingen verzonden, 0 ontvangen" in done.stdout
    assert _facts() == home
    assert field_process.drive("facts") == field
    peer.refresh_from_db()
    assert peer.last_sync_at is not None
    assert peer.last_sync_at > datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
