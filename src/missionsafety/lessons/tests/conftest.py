"""An earlier deployment with observations, for the lessons tests."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

import pytest

from missionsafety.deployments import services as dep_services
from missionsafety.deployments.models import Party, Phase
from missionsafety.lessons import services
from missionsafety.risks.models import HazardCategory
from missionsafety.testing import walk

R = Party.PartyRole


def full_odcr(**extra: Any) -> dict[str, Any]:
    return {
        "discussion": "Niemand had de temperatuur in de gaten gehouden.",
        "conclusion": "Opslag zonder koeling is ongeschikt in de zomer.",
        "recommendation": "Gekoelde containers voorschrijven.",
        **extra,
    }


def make_earlier(w: Any, code: str, theatre: str, parties: list) -> Any:
    today = w.today
    dep = dep_services.deployment_create(
        actor=w.jfc_safety,
        name=f"Eerdere inzet {code}",
        code=code,
        theatre=theatre,
        start_date=today - datetime.timedelta(days=900),
        end_date=today - datetime.timedelta(days=700),
        parties=parties,
    )
    return walk(dep, w.jfc_safety, Phase.CLOSED)


@pytest.fixture
def loop(world: Any) -> SimpleNamespace:
    """Earlier deployments with a fuze observation released to all of defence
    and an ammunition observation released to 13 LBR only."""
    w = world
    s = SimpleNamespace(w=w)
    s.ammo = HazardCategory.objects.get(code="weapons-ammo")
    s.climate = HazardCategory.objects.get(code="climate")
    s.mali = make_earlier(
        w,
        "MINUSMA-R3",
        "Mali (Gao)",
        [
            (w.jfc, R.OPERATIONAL_COMMAND),
            (w.clas, R.FORCE_PROVIDER),
            (w.bde13, R.PARENT_BRIGADE),
        ],
    )
    s.fuzes = services.observation_submit(
        actor=w.bde13_safety,
        deployment=s.mali,
        title="Ontstekers aangetast door hitte in ongekoelde container",
        observation=(
            "Munitie werd opgeslagen in een niet-gekoelde zeecontainer op het kamp. "
            "Bij controle bleken ontstekers van 60mm-granaten door de hitte "
            "aangetast; binnen liep de temperatuur op tot 58 graden."
        ),
        source="aar",
        categories=[s.ammo, s.climate],
        releasability="defence",
        **full_odcr(),
    )
    s.secret = services.observation_submit(
        actor=w.bde13_safety,
        deployment=s.mali,
        title="Munitieopslag bij hitte: afwijkende procedure",
        observation="Munitie opgeslagen in een tent; hitte deed de verpakking smelten.",
        source="hot_wash",
        categories=[s.ammo],
        releasability="organisations",
        released_to=[w.bde13],
    )
    s.parties_only = services.observation_submit(
        actor=w.bde13_safety,
        deployment=s.mali,
        title="Munitie in de hitte zonder schaduw",
        observation="Munitiekisten stonden in de zon; hitte boven de 50 graden.",
        source="review",
        categories=[s.ammo],
    )
    return s
