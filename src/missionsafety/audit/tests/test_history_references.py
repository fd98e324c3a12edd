"""History pages name what a foreign key refers to, not its number."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from missionsafety.audit.services import record_change
from missionsafety.risks import services
from missionsafety.risks.tests.factories import fresh, make_risk

pytestmark = pytest.mark.django_db


def _history(client: Any, risk: Any) -> str:
    response = client.get(reverse("audit:history", args=["risks.risk", risk.pk]))
    assert response.status_code == 200
    return str(response.content.decode())


def _move_owner(world: Any, risk: Any, times: int) -> None:
    parties = [world.party_bde13, world.party_jfc, world.party_bn]
    for i in range(times):
        risk = fresh(risk)
        services.risk_update(
            actor=world.bde13_safety,
            risk=risk,
            version=risk.version,
            owner_party=parties[i % len(parties)],
        )


def test_a_changed_owner_party_reads_as_the_party(world: Any, client_for: Any) -> None:
    risk = make_risk(world, owner_party=world.party_bn)
    _move_owner(world, risk, 1)
    html = _history(client_for(world.bde13_safety), risk)
    assert (
        "<del>42 BLJ (ingezette eenheid)</del> → <ins>13 LBR (moederbrigade)</ins>"
        in html
    )
    assert f"<ins>{world.party_bde13.pk}</ins>" not in html


def test_a_reference_to_something_gone_or_hidden_says_so(
    world: Any, client_for: Any
) -> None:
    risk = make_risk(world)
    foreign = make_risk(
        world,
        actor=world.bde43_safety,
        deployment=world.other,
        owner_party=world.other_party,
        title="Geheim risico",
    )
    record_change(
        actor=world.bde13_safety,
        obj=risk,
        action="update",
        before={"owner_party_id": 99999, "copied_from_id": None},
        after={"owner_party_id": world.party_bn.pk, "copied_from_id": foreign.pk},
    )
    html = _history(client_for(world.bde13_safety), risk)
    assert "<del>#99999 (verwijderd)</del>" in html
    assert f"<ins>#{foreign.pk}</ins>" in html  # not visible to 13 LBR
    assert "Geheim risico" not in html
    assert "Geheim risico" in _history(client_for(world.inspector), risk)


def test_naming_them_costs_no_query_per_row(world: Any, client_for: Any) -> None:
    risk = make_risk(world)
    client = client_for(world.bde13_safety)
    _move_owner(world, risk, 2)
    _history(client, risk)
    with CaptureQueriesContext(connection) as few:
        _history(client, risk)
    _move_owner(world, risk, 12)
    with CaptureQueriesContext(connection) as many:
        _history(client, risk)
    assert len(many.captured_queries) == len(few.captured_queries)
