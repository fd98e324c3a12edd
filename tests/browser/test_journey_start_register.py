"""Start a register: the brigade's safety officer starts the next rotation's
register from the previous rotation and the hazard library, sees earlier
lessons beside a hazard as they type, and asks another party to review."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.journeys import next_rotation, risk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_safety_officer_starts_the_next_rotations_register(
    page: Any, live_world: Any, login: Any, live_server: Any
) -> None:
    from missionsafety.lessons import services as lesson_services

    w = live_world
    risk(w, "Munitieopslag bij hoge temperaturen")
    lesson_services.observation_submit(
        actor=w.bde13_safety,
        deployment=w.dep,
        title="Koelcontainers voor munitie te laat geleverd",
        observation="De munitieopslag werd in juli te warm; koelcontainers kwamen pas "
        "na drie weken.",
        releasability="defence",
    )
    r13 = next_rotation(w)

    login(page, "bde13.safety")
    page.goto(f"{live_server.url}/deployments/{r13.pk}/")
    page.get_by_role("link", name="Open het register").click()
    page.get_by_role(
        "link", name="Toevoegen uit bibliotheek of eerder register"
    ).click()

    # From the previous rotation's register.
    page.select_option("select[name=source]", str(w.dep.pk))
    page.get_by_role("button", name="Register kopiëren").click()
    assert "Munitieopslag bij hoge temperaturen" in page.locator("main").inner_text()

    # From the hazard library.
    page.get_by_role(
        "link", name="Toevoegen uit bibliotheek of eerder register"
    ).click()
    first = page.locator("input[name=hazards]:not([disabled])").first
    hazard = first.locator("xpath=..").inner_text().strip()
    first.check()
    page.get_by_role("button", name="Gekozen gevaren toevoegen").click()
    assert hazard in page.locator("main").inner_text()

    # A new risk: earlier lessons follow what is typed.
    page.get_by_role("link", name="Nieuw risico").click()
    page.fill("#id_title", "Munitieopslag in de zomer")
    page.fill("#id_hazard", "Munitie warmt op in containers")
    page.wait_for_selector("#lesson-suggestions >> text=Koelcontainers voor munitie")

    # Ask another party to review a risk.
    page.goto(f"{live_server.url}/deployments/{r13.pk}/risks/")
    page.locator("main a[href^='/risks/']").first.click()
    assert "Lessen uit eerdere inzetten" in page.locator("main").inner_text()
    page.locator("main").get_by_role("link", name="Vraag een partij").click()
    page.select_option("#id_to_party", label="NLD JFC (operationele aansturing)")
    page.fill("#id_title", "Graag review van dit risico")
    page.fill("#id_body", "Kunnen jullie de beheersmaatregelen beoordelen?")
    page.locator("main button[type=submit]").click()
    assert page.locator("h1").inner_text() == "Graag review van dit risico"
    page.locator("p.muted a").first.click()  # back to what it is about
    assert "Graag review van dit risico" in page.locator("main").inner_text()
