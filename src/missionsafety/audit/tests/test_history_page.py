"""The history page of an object shows its changes to those who may see it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from missionsafety.deployments import services

pytestmark = pytest.mark.django_db


def history(dep: Any) -> str:
    return reverse("audit:history", args=["deployments.deployment", dep.pk])


def test_history_shows_a_phase_change(world: Any, client_for: Any) -> None:
    services.deployment_move_phase(
        actor=world.bde13_safety, deployment=world.dep, to_phase="redeployment"
    )
    client = client_for(world.coy_commander)
    client.cookies.load({"missionsafety_language": "en"})
    html = client.get(history(world.dep)).content.decode()
    assert "move_phase" in html
    assert "<del>deployed</del> → <ins>redeployment</ins>" in html
    assert str(world.bde13_safety) in html
    assert html.index("move_phase") < html.rindex(">created<")  # newest first


def test_outsider_and_unknown_objects_get_404(world: Any, client_for: Any) -> None:
    outsider = client_for(world.bde43_safety)
    assert outsider.get(history(world.dep)).status_code == 404
    for model, pk in [("nope.nothing", "1"), ("deployments.deployment", "x")]:
        url = reverse("audit:history", args=[model, pk])
        assert outsider.get(url).status_code == 404


def test_objects_without_visibility_rules_only_for_auditors(
    world: Any, client_for: Any
) -> None:
    from missionsafety.audit.models import ChangeRecord

    record = ChangeRecord.objects.order_by("seq").first()
    assert record is not None
    url = reverse("audit:history", args=["audit.changerecord", str(record.pk)])
    assert client_for(world.bde13_safety).get(url).status_code == 404
    assert client_for(world.inspector).get(url).status_code == 200


def test_audit_page_verifies_the_chain_for_inspectors(
    world: Any, client_for: Any
) -> None:
    client = client_for(world.inspector)
    client.cookies.load({"missionsafety_language": "en"})
    html = client.get(reverse("audit:chain"), {"verify": "1"}).content.decode()
    assert "The chain is intact" in html
    assert client_for(world.bde13_safety).get(reverse("audit:chain")).status_code == 404
