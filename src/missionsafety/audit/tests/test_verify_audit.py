"""``missionsafety verify-audit`` passes on an intact chain and finds any break."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from missionsafety.audit.models import ChangeRecord
from missionsafety.testing import walk

pytestmark = pytest.mark.django_db


def verify() -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("verify_audit", stdout=out)
    return out.getvalue()


def broken() -> str:
    with pytest.raises(CommandError) as error, translation.override("en"):
        call_command("verify_audit", stdout=StringIO())
    return str(error.value)


def delete_raw(seq: int) -> None:
    # Around the model, as someone with database access would.
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {ChangeRecord._meta.db_table} WHERE seq = %s", [seq]
        )


def test_intact_chain_verifies(world: Any) -> None:
    walk(world.dep, world.jfc_safety, "closed")
    total = ChangeRecord.objects.count()
    assert f"{total} records verified" in verify()


def test_an_edited_record_is_detected(world: Any) -> None:
    victim = ChangeRecord.objects.filter(action="move_phase").first()
    assert victim is not None
    ChangeRecord.objects.filter(pk=victim.pk).update(after={"phase": "closed"})
    message = broken()
    assert f"record {victim.seq}" in message
    assert "does not match its hash" in message


def test_an_edited_record_with_a_recomputed_hash_breaks_the_next_link(
    world: Any,
) -> None:
    from missionsafety.audit.services import _digest

    victim = ChangeRecord.objects.order_by("seq")[3]
    victim.actor_label = "iemand anders"
    ChangeRecord.objects.filter(pk=victim.pk).update(
        actor_label=victim.actor_label, hash=_digest(victim)
    )
    message = broken()
    assert f"record {victim.seq + 1}" in message
    assert "link to the previous record" in message


def test_a_deleted_middle_record_is_detected(world: Any) -> None:
    middle = ChangeRecord.objects.count() // 2
    delete_raw(middle)
    message = broken()
    assert f"record {middle} is missing" in message


def test_a_deleted_last_record_is_detected(world: Any) -> None:
    last = ChangeRecord.objects.order_by("-seq").first()
    assert last is not None
    delete_raw(last.seq)
    assert f"record {last.seq} is missing" in broken()


def test_deleting_a_user_keeps_the_chain_intact(world: Any) -> None:
    from missionsafety.organisations import services

    user = services.user_create(actor=None, username="leaver", password="x" * 12)
    services.password_changed(user=user)
    user.delete()
    assert "records verified" in verify()
