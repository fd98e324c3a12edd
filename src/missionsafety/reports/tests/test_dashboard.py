"""The cross-deployment overview: per deployment, aggregated in the database."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from missionsafety.risks import services
from missionsafety.risks.tests.factories import assess, fresh, make_risk


def test_overview_shows_levels_stop_and_awaiting(world: Any, client_for: Any) -> None:
    low = make_risk(world, title="Laag")
    assessment = assess(world, low, residual=("D", "III"))
    services.decision_accept(
        actor=world.coy_commander, risk=fresh(low), assessment=assessment
    )
    assess(world, fresh(low), residual=("C", "III"), reason="occurrence")  # stop
    high = make_risk(world, title="Hoog")
    assess(world, high)
    page = client_for(world.jfc_safety).get(reverse("reports:dashboard"))
    body = page.content.decode()
    assert world.dep.code in body
    assert 'class="level level-H">H</span></td>' in body  # overall residual
    assert '?stop=1">1</a>' in body
    assert '?status=awaiting_decision">2</a>' in body
    # Open risks per level: the stopped one is now medium, the other high.
    assert (
        '<span class="level level-L">L</span> 0 <span class="level level-M">M</span> 1 '
        '<span class="level level-H">H</span> 1 '
    ) in body


def test_a_row_leads_to_the_deployment_and_to_its_register(
    world: Any, client_for: Any
) -> None:
    body = client_for(world.jfc_safety).get(reverse("reports:dashboard")).content
    deployment = reverse("deployments:detail", args=[world.dep.pk])
    register = reverse("risks:register", args=[world.dep.pk])
    assert (
        f'<a href="{deployment}"><strong>{world.dep.code}</strong><br>'
        f"{world.dep.name}</a>"
    ).encode() in body
    assert f'href="{register}">Risicoregister</a>'.encode() in body


def test_outsider_sees_none_of_it(world: Any, client_for: Any) -> None:
    assess(world, make_risk(world))
    body = client_for(world.bde43_safety).get(reverse("reports:dashboard")).content
    assert world.dep.code.encode() not in body
    assert world.other.code.encode() in body
