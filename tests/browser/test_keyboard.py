"""Keyboard only: report an occurrence with one field left wrong, land on the
error summary, follow its link to the field, put it right and send."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from missionsafety.occurrences.models import Occurrence

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FOCUSED = "document.activeElement.id || document.activeElement.className"


def tab_to(page: Any, element_id: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def test_keyboard_user_lands_on_the_error_summary_and_fixes_the_field(
    new_page: Any, live_world: Any, login: Any, live_server: Any
) -> None:
    w = live_world
    page = new_page()
    login(page, "coy.leader")
    page.goto(f"{live_server.url}/deployments/{w.dep.pk}/occurrences/new/")

    # The title is left empty; the place is typed; Enter sends the form.
    tab_to(page, "id_place")
    page.keyboard.type("Weg 141 bij Jonava")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.evaluate(FOCUSED) == "error-summary"
    summary = page.locator(".error-summary")
    assert "Er is een probleem met dit formulier" in summary.inner_text()
    assert not Occurrence.objects.exists()

    # The summary's link puts the cursor in the title field.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#id_title"
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED) == "id_title"
    assert page.locator("#id_title").get_attribute("aria-describedby") == (
        "id_title_error"
    )
    assert page.locator("#id_title_error").is_visible()
    assert page.locator("#id_place").input_value() == "Weg 141 bij Jonava"

    # The page with errors passes axe too (no serious or critical violation).
    page.evaluate(AXE_SCRIPT)
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    serious = [
        v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert serious == []

    page.keyboard.type("YPR gekanteld")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "YPR gekanteld" in page.locator("h1").inner_text()
    assert Occurrence.objects.get().title == "YPR gekanteld"
