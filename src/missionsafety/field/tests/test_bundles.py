"""Applying field bundles at home: merges, conflicts, and every refusal."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from missionsafety.audit.models import ChangeRecord
from missionsafety.audit.services import verify_chain
from missionsafety.field.envelope import BundleRefused, new_key, seal
from missionsafety.field.models import Conflict, Instance
from missionsafety.field.services import BUNDLE_MAGIC, bundle_apply, conflict_resolve
from missionsafety.field.tests.helpers import export, forge, register, risk_change
from missionsafety.risks import services
from missionsafety.risks.models import Risk


@pytest.fixture
def home(world: Any) -> Any:
    risks = register(world)
    _data, package = export(world)
    return world, risks, package


def _refused(data: bytes, reason: str) -> None:
    records = ChangeRecord.objects.count()
    titles = list(Risk.objects.values_list("title", flat=True))
    with translation.override("en"), pytest.raises(BundleRefused) as exc:
        bundle_apply(data=data)
    assert reason in exc.value.message
    assert ChangeRecord.objects.count() == records
    assert list(Risk.objects.values_list("title", flat=True)) == titles


def test_a_field_edit_applies_once_and_is_recorded_with_its_origin(home: Any) -> None:
    _w, risks, package = home
    change = risk_change(
        package, "Munitieopslag", field="title", old="Munitieopslag", new="Opslag"
    )
    result = bundle_apply(data=forge(package, [change]))
    assert result.updated == 1 and result.conflicts == 0
    assert Risk.objects.get(pk=risks["edited"].pk).title == "Opslag"
    record = ChangeRecord.objects.filter(action="field_import").last()
    assert record is not None
    assert isinstance(record.after, dict)
    assert record.after["origin"]["actor"] == "bde13.safety"
    assert record.after["origin"]["instance"] == package["field"]["uuid"]
    assert record.after["origin"]["bundle"] == 1
    assert verify_chain().ok
    _refused(forge(package, [change]), "already applied")


def test_same_field_changed_on_both_sides_is_a_conflict_other_fields_merge(
    home: Any,
) -> None:
    w, risks, package = home
    risk = Risk.objects.get(pk=risks["edited"].pk)
    services.risk_update(
        actor=w.bde13_safety, risk=risk, version=risk.version, title="Thuis"
    )
    title = risk_change(
        package, "Munitieopslag", field="title", old="Munitieopslag", new="Veld"
    )
    cause = risk_change(
        package, "Munitieopslag", field="cause", old="Oorzaak", new="Hitte"
    )
    result = bundle_apply(data=forge(package, [title, cause]))
    risk = Risk.objects.get(pk=risk.pk)
    assert (risk.title, risk.cause) == ("Thuis", "Hitte")
    conflict = Conflict.objects.get(status="open")
    assert (conflict.field, conflict.local_value, conflict.remote_value) == (
        "title",
        "Thuis",
        "Veld",
    )
    assert conflict.local_actor == str(w.bde13_safety)
    assert conflict.remote_actor == "bde13.safety"
    assert result.conflicts == 1
    # A viewer may not resolve; a safety officer keeps the field's value.
    with pytest.raises(Exception):  # noqa: B017
        conflict_resolve(actor=w.viewer, conflict=conflict, choice="remote")
    conflict_resolve(actor=w.bde13_safety, conflict=conflict, choice="remote")
    assert Risk.objects.get(pk=risk.pk).title == "Veld"
    assert not Conflict.objects.filter(status="open").exists()
    assert verify_chain().ok


def test_unsigned_bundle_is_refused(home: Any) -> None:
    _w, _risks, package = home
    data = forge(package, [])
    header, _sig, payload = data.split(b"\n", 2)
    _refused(header + b"\n\n" + payload, "not signed")


def test_tampered_bundle_is_refused(home: Any) -> None:
    _w, _risks, package = home
    change = risk_change(
        package, "Munitieopslag", field="title", old="Munitieopslag", new="Veld"
    )
    data = forge(package, [change])
    header, sig, payload = data.split(b"\n", 2)
    import gzip

    body = gzip.decompress(payload).replace(b"Veld", b"Vals")
    _refused(header + b"\n" + sig + b"\n" + gzip.compress(body), "altered")


def test_truncated_bundle_is_refused_whole(home: Any) -> None:
    _w, _risks, package = home
    change = risk_change(
        package, "Munitieopslag", field="title", old="Munitieopslag", new="Veld"
    )
    data = forge(package, [change])
    _refused(data[: len(data) - 20], "incomplete")


def test_bundle_skipping_a_number_is_refused(home: Any) -> None:
    _w, _risks, package = home
    _refused(forge(package, [], seq=2), "out of order")


def test_bundle_for_another_deployment_is_refused(home: Any) -> None:
    _w, _risks, package = home
    _refused(forge(package, [], deployment="KFOR-1"), "another deployment")


def test_bundle_from_an_unknown_instance_is_refused(home: Any) -> None:
    _w, _risks, _package = home
    private, _public = new_key()
    stranger = "00000000-0000-4000-8000-000000000001"
    data = seal(BUNDLE_MAGIC, stranger, {"seq": 1, "changes": []}, private)
    _refused(data, "unknown instance")


def test_bundle_signed_by_another_key_is_refused(home: Any) -> None:
    _w, _risks, package = home
    private, _public = new_key()
    forged = dict(package, field=dict(package["field"], private_key=private))
    _refused(forge(forged, []), "altered or signed by another key")


def test_not_a_bundle_is_refused(home: Any) -> None:
    _refused(b"hello", "not a Mission Safety bundle")


def test_applying_is_all_or_nothing(home: Any) -> None:
    _w, _risks, package = home
    good = risk_change(
        package, "Munitieopslag", field="title", old="Munitieopslag", new="Veld"
    )
    bad = dict(good, id="00000000-0000-4000-8000-000000000002")
    _refused(forge(package, [good, bad]), "never received")
    assert Instance.objects.get(uuid=package["field"]["uuid"]).received_seq == 0
