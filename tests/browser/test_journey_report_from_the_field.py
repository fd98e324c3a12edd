"""Report from the field: a unit leader reports an occurrence on a phone in one
short form; the brigade and NLD JFC see it at once, and a serious one puts its
linked risks up for reassessment."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.journeys import risk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2}


def test_unit_leader_reports_a_serious_occurrence_on_a_phone(
    new_page: Any, live_world: Any, login: Any, live_server: Any
) -> None:
    w = live_world
    road = risk(w, "Verkeersongevallen op gladde wegen", residual=("D", "II"))

    phone = new_page(**PHONE)
    login(phone, "coy.leader")
    phone.goto(f"{live_server.url}/deployments/{w.dep.pk}/")
    phone.get_by_role("link", name="Voorval melden").click()
    phone.select_option("#id_kind", "accident")
    phone.fill("#id_title", "YPR gekanteld op gladde weg")
    phone.fill("#id_place", "Weg 141 bij Jonava")
    phone.select_option("#id_actual_category", "3")
    phone.select_option("#id_potential_category", "4")
    phone.select_option("#id_risks", str(road.pk))
    phone.fill("#id_immediate_actions", "Eerste hulp, MEDEVAC gevraagd.")
    overflow = phone.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert overflow[0] <= overflow[1]
    phone.locator("main button[type=submit]").first.click()

    assert "YPR gekanteld op gladde weg" in phone.locator("h1").inner_text()
    shown = phone.locator("main").inner_text()
    assert "herbeoordeling nodig" in shown  # the linked risk
    occurrence_url = phone.url

    # The brigade and NLD JFC have it in their inboxes, linked to the report.
    for user in ("bde13.safety", "jfc.safety"):
        office = new_page()
        login(office, user)
        office.locator("header a.inbox").click()
        office.get_by_role("link", name="YPR gekanteld op gladde weg").first.click()
        assert office.url == occurrence_url
        # From the report, the linked risk is one click away and asks for a
        # new assessment.
        office.locator("main").get_by_role(
            "link", name="Verkeersongevallen op gladde wegen"
        ).click()
        assert "herbeoordeling nodig" in office.locator("main").inner_text()
        assert (
            "YPR gekanteld op gladde weg" in office.locator("#occurrences").inner_text()
        )
