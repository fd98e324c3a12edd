"""Decide: a commander opens "awaiting my decision" on a tablet and accepts with
conditions and validity, rejects with a reason, or escalates — each from one
decision page that shows everything the decision needs."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.journeys import risk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TABLET = {"width": 768, "height": 1024}


def test_commander_decides_on_a_tablet(
    new_page: Any, live_world: Any, login: Any, live_server: Any
) -> None:
    from missionsafety.feedback import services as feedback_services
    from missionsafety.occurrences import services as occurrence_services

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
    risk(w, "Vermoeidheid chauffeurs")
    risk(w, "Bevroren wegen naar Pabradė")
    occurrence_services.occurrence_report(
        actor=w.coy_leader,
        deployment=w.dep,
        occurred_at=timezone.now() - datetime.timedelta(days=2),
        place="Pabradė",
        unit=w.coy,
        kind="near_miss",
        title="Schutter onwel door hitte",
        actual_category=1,
        potential_category=2,
        risks=[heat],
    )
    feedback_services.thread_open(
        actor=w.bde13_safety,
        deployment=w.dep,
        to_party=w.party_jfc,
        subject=heat,
        title="Werk-rustschema haalbaar?",
        body="Is het schema haalbaar tijdens de oefening?",
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

    tablet.get_by_role("link", name="Wacht op mijn besluit").click()
    tablet.get_by_role("link", name="Vermoeidheid chauffeurs").click()
    tablet.check("input[name=outcome][value=reject]")
    tablet.fill("#id_rationale", "Eerst rijtijdenregeling uitwerken.")
    tablet.get_by_role("button", name="Besluit vastleggen").click()
    assert "Eerst rijtijdenregeling uitwerken." in tablet.locator("main").inner_text()

    tablet.get_by_role("link", name="Wacht op mijn besluit").click()
    tablet.get_by_role("link", name="Bevroren wegen naar Pabradė").click()
    tablet.check("input[name=outcome][value=escalate]")
    tablet.fill("#id_rationale", "Boven mijn bevoegdheid bij deze omvang.")
    tablet.get_by_role("button", name="Besluit vastleggen").click()
    assert "geëscaleerd naar" in tablet.locator("main").inner_text()

    tablet.get_by_role("link", name="Wacht op mijn besluit").click()
    left = tablet.locator("main").inner_text()
    assert "Hitte tijdens patrouilles" not in left
    assert "Vermoeidheid chauffeurs" not in left
