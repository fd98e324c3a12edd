"""The decision form is offered only to who may decide now; others see who does."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from missionsafety.deployments.models import Phase
from missionsafety.risks import services
from missionsafety.risks.tests.factories import assess, fresh, make_risk

FORM = 'action="{}"'


def _page(client_for: Any, user: Any, risk: Any) -> str:
    response = client_for(user).get(reverse("risks:detail", args=[risk.pk]))
    assert response.status_code == 200
    return str(response.content.decode())


def test_a_brigade_commander_loses_the_form_once_they_escalate_it(
    world: Any, client_for: Any
) -> None:
    world.dep.phase = Phase.READINESS  # army chain: H is the brigade's to decide
    world.dep.save()
    risk = make_risk(world, title="Munitie in de hitte")
    assess(world, risk, request_decision=True)  # residual H
    form = FORM.format(reverse("risks:decide", args=[risk.pk]))

    page = _page(client_for, world.bde13_commander, risk)
    assert form in page
    assert "U kunt besluiten als commandant van 13 LBR." in page

    services.decision_escalate(
        actor=world.bde13_commander,
        risk=fresh(risk),
        assessment=fresh(risk).current_assessment,
        rationale="Past de hele landmacht aan.",
    )
    page = _page(client_for, world.bde13_commander, risk)
    assert form not in page
    assert "Geëscaleerd naar Staf CLAS" in page
    assert "Clas Tester (Staf CLAS)" in page  # who holds the decision

    assert form in _page(client_for, world.clas_commander, risk)


def test_a_commander_below_the_level_sees_who_decides_instead_of_the_form(
    world: Any, client_for: Any
) -> None:
    risk = make_risk(world, title="Munitie in de hitte")
    assess(world, risk, request_decision=True)  # H, operational chain: NLD JFC
    form = FORM.format(reverse("risks:decide", args=[risk.pk]))

    page = _page(client_for, world.bn_commander, risk)
    assert form not in page
    assert "Jfc Tester (NLD JFC)" in page
    assert "niet bij u" in page
    assert form in _page(client_for, world.jfc_commander, risk)
