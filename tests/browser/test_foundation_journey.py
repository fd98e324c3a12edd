"""A new user's first journey, in a real browser (the issue's "done when")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_safety_advisor_moves_a_phase_and_finds_it_in_the_history(
    page: Any, live_world: Any, login: Any, live_server: Any
) -> None:
    dep = live_world.dep
    login(page, "jfc.safety")
    assert page.locator("main table.list").get_by_text(dep.code).is_visible()
    page.click(f"a[href='/deployments/{dep.pk}/']")
    assert page.locator("h1").inner_text().startswith(dep.code)
    assert page.locator("ol.phases li.current").inner_text() == "ingezet"

    page.locator("summary", has_text="Fase verplaatsen").click()
    page.select_option("#id_to_phase", "redeployment")
    page.fill("#id_note", "Terugkeer hoofdmacht")
    page.click("form[action$='/phase/'] button[type=submit]")
    page.wait_for_selector("ul.messages")
    assert "herontplooiing" in page.locator("ul.messages").inner_text()
    assert page.locator("ol.phases li.current").inner_text() == "herontplooiing"

    page.click("a[href^='/history/deployments.deployment/']")
    # Newest first; the rescheduling the move caused may sit above it.
    first_change = page.locator(
        "table.history tbody tr", has_text="fase verplaatst"
    ).first
    assert first_change.locator("del").first.inner_text() == "ingezet"
    assert first_change.locator("ins").first.inner_text() == "herontplooiing"
    assert "Jfc Tester" in first_change.inner_text()


def test_outsider_gets_not_found(
    page: Any, live_world: Any, login: Any, live_server: Any
) -> None:
    login(page, "bde43.safety")
    assert live_world.dep.code not in page.locator("main").inner_text()
    response = page.goto(f"{live_server.url}/deployments/{live_world.dep.pk}/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Niet gevonden"
    api = page.goto(f"{live_server.url}/api/v1/deployments/{live_world.dep.pk}")
    assert api.status == 404


def test_language_switch(page: Any, live_world: Any, login: Any) -> None:
    login(page, "bde13.safety")
    assert page.locator("h1").inner_text() == "Mijn inzetten"
    page.click("form.lang button[value=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("h1").inner_text() == "My deployments"
    page.click("form.lang button[value=nl]")
    page.wait_for_selector("html[lang=nl]")
    assert page.locator("h1").inner_text() == "Mijn inzetten"


def test_deployment_page_fits_a_phone(
    new_page: Any, live_world: Any, login: Any, live_server: Any, tmp_path: Path
) -> None:
    phone = new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    login(phone, "bde13.safety")
    for path in ("/", f"/deployments/{live_world.dep.pk}/"):
        phone.goto(live_server.url + path)
        shot = tmp_path / f"phone{path.replace('/', '-')}.png"
        phone.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 1000
        overflow = phone.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert overflow[0] <= overflow[1], f"{path} overflows: {overflow}"


def test_htmx_filter_and_api_docs_work_under_the_csp(
    page: Any, live_world: Any, login: Any, live_server: Any
) -> None:
    login(page, "bde13.safety")
    page.select_option("select[name=phase]", "planning")
    page.wait_for_url("**phase=planning**")
    assert (
        "Geen inzetten voldoen aan deze filters."
        in page.locator("#results").inner_text()
    )
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Mission Safety API" in page.locator(".swagger-ui .info .title").inner_text()
