"""Decide: a commander opens "awaiting my decision" on a tablet and accepts with
conditions and validity, rejects with a reason, or escalates — each from one
decision page that shows everything the decision needs."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.journeys import ask, consulted, report, risk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TABLET = {"width": 768, "height": 1024}


def decide_from_the_list(page: Any, title: str, outcome: str, rationale: str) -> str:
    """Open the risk from "awaiting my decision", decide, return the page text."""
    page.get_by_role("link", name="Wacht op mijn besluit").click()
    page.get_by_role("link", name=title).click()
    page.check(f"input[name=outcome][value={outcome}]")
    page.fill("#id_rationale", rationale)
    page.get_by_role("button", name="Besluit vastleggen").click()
    return str(page.locator("main").inner_text())


def test_commander_decides_on_a_tablet(
    new_page: Any, live_world: Any, login: Any, live_server: Any
) -> None:
    w = live_world
    heat = risk(
        w,
        "Hitte tijdens patrouilles",
        controls=[
            {
                "description": "Werk-rustschema bij hitte",
                "kind": "administrate",
                "owner_party": live_world.party_bn,
            }
        ],
    )
    consulted(w, heat)
    risk(w, "Vermoeidheid chauffeurs")
    risk(w, "Bevroren wegen naar Pabradė")
    report(w, "Schutter onwel door hitte", risks=[heat], actual_category=1)
    ask(
        w,
        heat,
        "Werk-rustschema haalbaar?",
        "Is het schema haalbaar tijdens de oefening?",
    )

    tablet = new_page(viewport=TABLET)
    login(tablet, "jfc.commander")
    tablet.get_by_role("link", name="Wacht op mijn besluit").click()
    awaiting = tablet.locator("main").inner_text()
    for title in ("Hitte tijdens patrouilles", "Vermoeidheid chauffeurs"):
        assert title in awaiting

    # One page with everything: hazard, assessments, controls with owners,
    # the authority needed, related occurrences, threads and lessons.
    tablet.get_by_role("link", name="Hitte tijdens patrouilles").click()
    main = tablet.locator("main").inner_text()
    for expected in (
        "Gevaar",
        "Beoordelingen",
        "Werk-rustschema bij hitte",
        "Commandant NLD JFC",
        "Schutter onwel door hitte",
        "Werk-rustschema haalbaar?",
        "Lessen uit eerdere inzetten",
        "Raadpleging",
        "akkoord",
    ):
        assert expected in main, expected
    overflow = tablet.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert overflow[0] <= overflow[1]

    tablet.check("input[name=outcome][value=accept]")
    tablet.fill("#id_conditions", "Alleen met werk-rustschema en waterpost")
    valid = timezone.localdate() + datetime.timedelta(days=20)
    tablet.fill("#id_valid_until", valid.isoformat())
    tablet.fill("#id_rationale", "Restrisico aanvaardbaar met deze voorwaarden.")
    tablet.get_by_role("button", name="Besluit vastleggen").click()
    decided = tablet.locator("main").inner_text()
    assert "aanvaard" in decided
    assert "Alleen met werk-rustschema en waterpost" in decided

    rejected = decide_from_the_list(
        tablet, "Vermoeidheid chauffeurs", "reject", "Eerst rijtijden uitwerken."
    )
    assert "Eerst rijtijden uitwerken." in rejected
    escalated = decide_from_the_list(
        tablet, "Bevroren wegen naar Pabradė", "escalate", "Boven mijn bevoegdheid."
    )
    assert "geëscaleerd naar" in escalated

    tablet.get_by_role("link", name="Wacht op mijn besluit").click()
    left = tablet.locator("main").inner_text()
    assert "Hitte tijdens patrouilles" not in left
    assert "Vermoeidheid chauffeurs" not in left
