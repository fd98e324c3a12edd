"""Moving a deployment along its phase machine, from the page and the service."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from missionsafety.audit.models import ChangeRecord
from missionsafety.core.exceptions import NotAllowed, ValidationError
from missionsafety.deployments import services
from missionsafety.deployments.models import PHASE_ORDER, Party, Phase, PhaseChange

pytestmark = pytest.mark.django_db


def new_deployment(world: Any) -> Any:
    return services.deployment_create(
        actor=world.bde13_safety,
        name="Oefening Noorderlicht",
        code="NL-1",
        theatre="Noorwegen",
        start_date=world.today,
        end_date=world.today + datetime.timedelta(days=30),
        parties=[(world.bde13, Party.PartyRole.PARENT_BRIGADE)],
    )


def move(client: Any, deployment: Any, to: str, **extra: Any) -> Any:
    return client.post(
        reverse("deployments:phase", args=[deployment.pk]),
        {"to_phase": to, "note": "", **extra},
        follow=True,
    )


def test_the_whole_machine_from_planning_to_closed(world: Any, client_for: Any) -> None:
    deployment = new_deployment(world)
    # An operational command whose commander can waive what the gate finds open.
    services.party_add(
        actor=world.bde13_safety,
        deployment=deployment,
        organisation=world.jfc,
        role=Party.PartyRole.OPERATIONAL_COMMAND,
    )
    client = client_for(world.bde13_safety)
    client.cookies.load({"missionsafety_language": "en"})
    for target in PHASE_ORDER[1:]:
        if target == Phase.DEPLOYED:
            # The readiness safety gate (evaluations) must be held first.
            from missionsafety.evaluations.services import gate_pass_for_walk

            gate_pass_for_walk(deployment, world.bde13_safety)
        response = move(client, deployment, target)
        deployment.refresh_from_db()
        assert deployment.phase == target
        label = str(Phase(target).label)
        assert f"Phase moved to {label}." in response.content.decode()
    history = [
        (c.from_phase, c.to_phase)
        for c in PhaseChange.objects.filter(deployment=deployment)
    ]
    assert history == list(itertools.pairwise(PHASE_ORDER))
    assert deployment.allowed_phases() == []
    page = client.get(
        reverse("deployments:detail", args=[deployment.pk])
    ).content.decode()
    assert "Move phase" not in page  # closed: nothing left to move to


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "closed",
            "A deployment in deployed cannot move to closed. Allowed next: redeployment.",
        ),
        ("planning", "A deployment in deployed cannot move to planning."),
        ("deployed", "A deployment in deployed cannot move to deployed."),
        ("holiday", "holiday is not one of the available choices."),
    ],
)
def test_refused_moves_explain_why(
    world: Any, client_for: Any, target: str, message: str
) -> None:
    client = client_for(world.bde13_safety)
    client.cookies.load({"missionsafety_language": "en"})
    records = ChangeRecord.objects.count()
    response = move(client, world.dep, target)
    assert message in response.content.decode()
    world.dep.refresh_from_db()
    assert world.dep.phase == "deployed"
    assert ChangeRecord.objects.count() == records


def test_a_closed_deployment_moves_nowhere(world: Any) -> None:
    from missionsafety.testing import walk

    closed = walk(world.dep, world.jfc_safety, Phase.CLOSED)
    for language, allowed in (("nl", "geen (afgesloten)"), ("en", "none (closed)")):
        with translation.override(language), pytest.raises(ValidationError) as error:
            services.deployment_move_phase(
                actor=world.jfc_safety, deployment=closed, to_phase="planning"
            )
        assert allowed in str(error.value.message_dict["phase"])


@pytest.mark.parametrize(
    "who", ["bde13_safety", "bde13_commander", "jfc_safety", "bn_commander"]
)
def test_safety_officers_and_commanders_of_a_party_may_move(
    world: Any, who: str
) -> None:
    moved = services.deployment_move_phase(
        actor=getattr(world, who), deployment=world.dep, to_phase="redeployment"
    )
    assert moved.phase == "redeployment"


@pytest.mark.parametrize("who", ["viewer", "inspector", "coy_leader", "jfc_lessons"])
def test_other_roles_may_not(world: Any, who: str) -> None:
    with pytest.raises(NotAllowed):
        services.deployment_move_phase(
            actor=getattr(world, who), deployment=world.dep, to_phase="redeployment"
        )
    world.dep.refresh_from_db()
    assert world.dep.phase == "deployed"


def test_page_refuses_readers_with_a_message(world: Any, client_for: Any) -> None:
    client = client_for(world.viewer)
    client.cookies.load({"missionsafety_language": "en"})
    response = move(client, world.dep, "redeployment")
    assert "This needs one of these roles" in response.content.decode()
    world.dep.refresh_from_db()
    assert world.dep.phase == "deployed"


def test_outsider_gets_not_found(world: Any, client_for: Any) -> None:
    response = client_for(world.bde43_safety).post(
        reverse("deployments:phase", args=[world.dep.pk]), {"to_phase": "redeployment"}
    )
    assert response.status_code == 404
    world.dep.refresh_from_db()
    assert world.dep.phase == "deployed"


def test_a_move_from_a_stale_page_is_refused(world: Any, client_for: Any) -> None:
    client = client_for(world.bde13_safety)
    client.cookies.load({"missionsafety_language": "en"})
    stale = world.dep.version
    services.deployment_update(
        actor=world.jfc_safety, deployment=world.dep, version=stale, name="Nieuw"
    )
    response = move(client, world.dep, "redeployment", version=stale)
    assert "Someone else changed this item" in response.content.decode()
    world.dep.refresh_from_db()
    assert world.dep.phase == "deployed"
