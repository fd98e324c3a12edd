"""Learn: a lessons officer verifies an observation, forms a lesson, tasks an
action body in another organisation and validates it; the next rotation finds
the lesson on its own page, unasked."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.journeys import next_rotation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def apply(page: Any, to_status: str, **fields: str) -> None:
    page.select_option("select[name=to_status]", to_status)
    for name, value in fields.items():
        page.fill(f"[name={name}]", value)
    page.get_by_role("button", name="Toepassen").click()


def test_lessons_officer_closes_the_loop(
    new_page: Any, live_world: Any, login: Any, live_server: Any
) -> None:
    from missionsafety.lessons import services as lesson_services

    w = live_world
    obs = lesson_services.observation_submit(
        actor=w.coy_leader,
        deployment=w.dep,
        title="MEDEVAC duurde langer dan gepland",
        observation="De helikopter kwam na 50 minuten; de landingsplaats was niet "
        "gemarkeerd.",
        discussion="Niemand wist wie de landingsplaats markeert.",
        conclusion="De MEDEVAC-procedure mist een taak voor de LZ.",
        recommendation="Landingsplaatsen vooraf markeren en oefenen.",
    )

    lessons = new_page()
    login(lessons, "jfc.lessons")
    lessons.goto(f"{live_server.url}/observations/{obs.pk}/")
    apply(lessons, "verified")
    assert "geverifieerd" in lessons.locator("main").inner_text()
    lessons.get_by_role("link", name="Les vormen").click()
    lessons.fill("#id_title", "Landingsplaatsen MEDEVAC markeren")
    lessons.fill("#id_root_cause", "Geen standaard voor het markeren van LZ's.")
    lessons.fill("#id_remedial_action", "LZ-markering opnemen in de gereedstelling.")
    lessons.select_option("#id_action_body", str(w.clas.pk))
    lessons.select_option("#id_tasking_authority", str(w.jfc.pk))
    due = timezone.localdate() + datetime.timedelta(days=60)
    lessons.fill("#id_due_date", due.isoformat())
    lessons.locator("main button[type=submit]").click()
    lesson_url = lessons.url
    assert "Landingsplaatsen MEDEVAC markeren" in lessons.locator("h1").inner_text()

    commander = new_page()
    login(commander, "jfc.commander")
    commander.goto(lesson_url)
    apply(commander, "endorsed")
    lessons.goto(lesson_url)
    apply(lessons, "tasked")
    assert "opgedragen" in lessons.locator("main").inner_text()

    # The action body, in another organisation, reports it done.
    action_body = new_page()
    login(action_body, "clas.safety")
    action_body.goto(lesson_url)
    apply(action_body, "implemented")

    lessons.goto(lesson_url)
    apply(
        lessons,
        "validated",
        validation_evidence="Gecontroleerd tijdens oefening Iron Wolf.",
    )
    assert "gevalideerd" in lessons.locator("main").inner_text()

    # The next rotation finds it on its deployment page, without searching.
    r13 = next_rotation(w)
    officer = new_page()
    login(officer, "bde13.safety")
    officer.goto(f"{live_server.url}/deployments/{r13.pk}/")
    panel = officer.locator("section.card", has_text="Lessen van eerdere rotaties")
    panel.locator("summary").click()
    assert "Landingsplaatsen MEDEVAC markeren" in panel.inner_text()
