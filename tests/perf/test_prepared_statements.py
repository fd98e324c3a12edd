"""PostgreSQL: a statement asked again on the same connection is prepared, so
the server plans it once (settings: DATABASE_PREPARE_THRESHOLD)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from missionsafety.risks.models import Risk

pytestmark = pytest.mark.django_db


def _prepared() -> int:
    """Prepared statements of this connection that read risks."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements"
            " WHERE strpos(statement, %s) > 0",
            ['FROM "risks_risk" '],
        )
        return int(cursor.fetchone()[0])


def test_a_statement_asked_again_is_prepared_once(world: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    before = _prepared()
    # The same read with other values: one statement text, bound on the server.
    for pk in (1, 2, 3, 4):
        list(Risk.objects.filter(pk=pk, deployment=world.dep))
    assert _prepared() == before + 1
    for pk in (5, 6):
        list(Risk.objects.filter(pk=pk, deployment=world.dep))
    assert _prepared() == before + 1  # the same one, not one per value
