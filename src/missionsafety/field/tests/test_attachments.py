"""Attachments travel with their bytes, once, in batches bounded in size."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone, translation

from missionsafety.field.envelope import BundleRefused
from missionsafety.field.models import Instance
from missionsafety.field.services import bundle_apply, bundle_make
from missionsafety.field.tests.helpers import export, forge, register
from missionsafety.field.travel import Codec, Identities
from missionsafety.occurrences.models import Attachment, Occurrence
from missionsafety.occurrences.services import attachment_add, occurrence_report

PNG_HEAD = b"\x89PNG\r\n\x1a\n"


def png(size: int, seed: int) -> bytes:
    """An incompressible PNG-looking file of ``size`` bytes."""
    body = b"".join(
        hashlib.sha256(f"{seed}-{n}".encode()).digest() for n in range(size // 32 + 1)
    )
    return (PNG_HEAD + body)[:size]


def report(w: Any, title: str) -> Occurrence:
    occurrence, _created = occurrence_report(
        actor=w.coy_leader,
        deployment=w.dep,
        occurred_at=timezone.now(),
        place="Rukla",
        unit=w.bn,
        kind="near_miss",
        title=title,
        actual_category=0,
        potential_category=1,
    )
    return occurrence


def attach(w: Any, occurrence: Occurrence, name: str, content: bytes) -> Attachment:
    return attachment_add(
        actor=w.coy_leader,
        occurrence=occurrence,
        upload=SimpleUploadedFile(name, content, "image/png"),
    )


def body_of(data: bytes) -> dict[str, Any]:
    _header, _signature, payload = data.split(b"\n", 2)
    result: dict[str, Any] = json.loads(gzip.decompress(payload))
    return result


@pytest.fixture
def home(world: Any) -> Any:
    register(world)
    _data, package = export(world)
    return world, package


def test_home_attachments_go_to_the_field_in_batches_bounded_in_size(
    home: Any,
) -> None:
    w, package = home
    occurrence = report(w, "Poort open")
    small = [attach(w, occurrence, f"foto{n}.png", png(20_000, n)) for n in range(3)]
    large = attach(w, occurrence, "groot.png", png(150_000, 9))
    peer = Instance.objects.get(uuid=package["field"]["uuid"])
    limit = 60_000
    sent: dict[str, bytes] = {}
    batches = []
    for _n in range(10):
        data, count = bundle_make(peer=peer, max_bytes=limit)
        if not count:
            break
        body = body_of(data)
        batches.append(body["changes"])
        for change in body["changes"]:
            if change["m"] == "occurrences.attachment":
                name = change["v"]["original_name"]
                assert name not in sent, "an attachment travels once"
                content = base64.b64decode(change["f"]["b64"])
                assert hashlib.sha256(content).hexdigest() == change["f"]["sha256"]
                sent[name] = content
    assert sent == {a.original_name: a.file.open("rb").read() for a in [*small, large]}
    for changes in batches:
        size = len(json.dumps(changes, separators=(",", ":")))
        if any(c.get("f") and c["v"]["original_name"] == "groot.png" for c in changes):
            # Larger than the limit: it goes in a batch of its own.
            assert len(changes) == 1
        else:
            assert size <= limit
    assert len(batches) >= 3
    print(f"\n  {len(batches)} batches of at most {limit} bytes for 4 attachments")


def _field_attachment(w: Any, content: bytes, name: str) -> dict[str, Any]:
    """An occurrence with a photo as the field's bundle carries them."""
    changes = []
    with transaction.atomic():
        occurrence = report(w, "Veldvoorval")
        made = attach(w, occurrence, name, content)
        ids = Identities(w.dep, None)
        ids.assign_missing()
        codec = Codec(ids)
        for obj, label in ((occurrence, "occurrences.occurrence"), (made, None)):
            changes.append(
                {
                    "m": label or "occurrences.attachment",
                    "id": ids.uuid_of(type(obj), obj.pk),
                    "pk": 100_000_000 + int(obj.pk),
                    "op": "create",
                    "v": codec.encode(obj),
                    "a": "coy.leader",
                    "t": "2026-01-01T00:00:00+00:00",
                }
            )
        changes[1]["f"] = {
            "n": made.file.name,
            "sha256": hashlib.sha256(content).hexdigest(),
            "b64": base64.b64encode(content).decode(),
        }
        made.file.delete(save=False)
        transaction.set_rollback(True)
    return {"changes": changes}


def _stored_names() -> set[str]:
    _dirs, files = default_storage.listdir("occurrences")
    return set(files)


def test_field_attachment_arrives_at_home_once_with_its_bytes(home: Any) -> None:
    w, package = home
    content = png(40_000, 1)
    changes = _field_attachment(w, content, "veldfoto.png")["changes"]
    result = bundle_apply(data=forge(package, changes))
    assert result.created == 2
    arrived = Attachment.objects.get(original_name="veldfoto.png")
    assert arrived.occurrence.title == "Veldvoorval"
    assert arrived.file.open("rb").read() == content
    # The same change again (a re-sent bundle): nothing new.
    again = bundle_apply(data=forge(package, changes, seq=2))
    assert again.created == 0
    assert Attachment.objects.filter(original_name="veldfoto.png").count() == 1


@pytest.mark.parametrize("damage", ["checksum", "size", "base64"])
def test_attachment_not_matching_its_checksum_refuses_the_bundle_whole(
    home: Any, damage: str
) -> None:
    w, package = home
    content = png(5_000, 2)
    changes = _field_attachment(w, content, "kapot.png")["changes"]
    payload = changes[1]["f"]
    if damage == "checksum":
        payload["b64"] = base64.b64encode(content[:-1] + b"!").decode()
    elif damage == "size":
        changes[1]["v"]["size"] = len(content) + 1
    else:
        payload["b64"] = "*" + payload["b64"]
    files_before = _stored_names()
    with translation.override("en"), pytest.raises(BundleRefused) as exc:
        bundle_apply(data=forge(package, changes))
    assert "checksum" in exc.value.message
    assert not Occurrence.objects.filter(title="Veldvoorval").exists()
    assert not Attachment.objects.filter(original_name="kapot.png").exists()
    assert _stored_names() == files_before, "no file left behind"


def test_cut_bundle_with_an_attachment_is_refused_whole(home: Any) -> None:
    w, package = home
    changes = _field_attachment(w, png(30_000, 3), "half.png")["changes"]
    data = forge(package, changes)
    with translation.override("en"), pytest.raises(BundleRefused) as exc:
        bundle_apply(data=data[: len(data) // 2])
    assert "incomplete" in exc.value.message
    assert not Attachment.objects.filter(original_name="half.png").exists()


def test_a_large_attachment_is_pushed_over_https(home: Any, client: Any) -> None:
    """Larger than Django's limit for form posts (2.5 MB)."""
    w, package = home
    content = png(2_800_000, 4)
    changes = _field_attachment(w, content, "groot.png")["changes"]
    data = forge(package, changes)
    assert len(data) > 2_621_440
    pushed = client.post(
        f"/api/v1/field/{package['field']['uuid']}/push",
        data,
        content_type="application/octet-stream",
        HTTP_X_FIELD_TOKEN=package["token"],
    )
    assert pushed.status_code == 200, pushed.content[:300]
    stored = Attachment.objects.get(original_name="groot.png")
    assert hashlib.sha256(stored.file.open("rb").read()).digest() == (
        hashlib.sha256(content).digest()
    )
