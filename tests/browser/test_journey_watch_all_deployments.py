"""Watch all deployments: a safety advisor at NLD JFC sees, across every
deployment, the overall residual level, stop flags, expiring acceptances,
overdue controls, evaluations, feedback and occurrence trends."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.journeys import ask, report, risk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_safety_advisor_watches_every_deployment(
    page: Any, live_world: Any, login: Any, live_server: Any
) -> None:
    w = live_world
    ice = risk(w, "Bevroren wegen naar Pabradė", residual=("C", "I"))  # H
    report(w, "Slippende vrachtwagen", risks=[ice])
    ask(w, ice, "Strooiploeg beschikbaar?", "Kan NLD JFC een strooiploeg regelen?")

    login(page, "jfc.safety")
    page.locator("header nav").get_by_role("link", name="Overzicht").click()
    row = page.locator("main table.list tbody tr", has_text=w.dep.code)
    assert row.locator(".level").first.inner_text() == "H"  # overall residual
    header = page.locator("main table.list thead").first.inner_text()
    for column in ("Stop", "Verlopen", "beheersmaatregelen", "Wacht op"):
        assert column in header, column
    main = page.locator("main").inner_text()
    assert "Verloop van voorvallen" in main  # occurrence trend
    assert "Evaluatiemomenten" in main
    assert "Strooiploeg beschikbaar?" in main  # feedback between the parties

    # Every figure leads somewhere: the awaiting count opens the register.
    row.locator("a[href$='?status=awaiting_decision']").click()
    assert "Bevroren wegen naar Pabradė" in page.locator("main").inner_text()
    page.go_back()
    page.get_by_role("link", name="Strooiploeg beschikbaar?").click()
    assert page.locator("h1").inner_text() == "Strooiploeg beschikbaar?"
