from __future__ import annotations
from typing import Any
from django.db import connection
from django.test.utils import CaptureQueriesContext

def test_probe(world: Any, api_for: Any, django_capture_on_commit_callbacks: Any) -> None:
    c = api_for(world.coy_leader)
    body = {"kind": "near_miss", "title": "Bijna", "description": "x", "occurred_at": "2025-03-01T10:00:00+01:00", "place": "Rukla", "unit_id": world.bn.pk, "actual_category": 0, "potential_category": 2}
    c.post(f"/api/v1/deployments/{world.dep.pk}/occurrences", body, content_type="application/json")
    with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks(execute=True):
        r = c.post(f"/api/v1/deployments/{world.dep.pk}/occurrences", {**body, "title": "Tweede"}, content_type="application/json")
    assert r.status_code == 201, r.content
    with open("/tmp/C_scratch/q.txt", "w") as f:
        for q in ctx.captured_queries:
            f.write(q["sql"][:200] + "\n")
    print(len(ctx.captured_queries))
