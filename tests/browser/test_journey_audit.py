"""Audit: an inspector reads a deployment's full history in words, checks that
a decision was taken at the right level, verifies the chain and exports."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from tests.browser.journeys import risk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_inspector_reads_checks_verifies_and_exports(
    page: Any, live_world: Any, login: Any, live_server: Any
) -> None:
    from openpyxl import load_workbook

    from missionsafety.risks.services import decide

    w = live_world
    ice = risk(w, "Bevroren wegen naar Pabradė", residual=("C", "I"))  # H
    decide(
        outcome="accept",
        actor=w.jfc_commander,
        risk=ice,
        assessment=ice.current_assessment,
        consultation_note="Overleg per VTC met 13 LBR, Staf CLAS en 42 BLJ.",
        conditions="Strooiploeg paraat",
        rationale="Aanvaardbaar met strooiploeg.",
    )

    login(page, "ivd.inspector")
    page.goto(f"{live_server.url}/deployments/{w.dep.pk}/")
    main = page.locator("main").inner_text()
    assert "Vraag een partij" not in main and "Nieuwe waarneming" not in main
    page.get_by_role("link", name="Volledige geschiedenis").click()
    history = page.locator("table.history").inner_text()
    for words in ("beoordeeld", "aanvaard", "fase verplaatst", "fase"):
        assert words in history, words
    assert "\tassess\t" not in history and "deployment_id" not in history

    # The decision was taken at the right level: the risk page says by whom,
    # for which organisation, and who was consulted.
    page.goto(f"{live_server.url}/risks/{ice.pk}/")
    decisions = page.locator("main section.card", has_text="Besluiten").last
    text = decisions.inner_text()
    assert "aanvaard" in text and "(NLD JFC)" in text and "13 LBR" in text

    page.get_by_role("link", name="Audit").click()
    page.get_by_role("link", name="De keten controleren").click()
    assert "De keten is intact" in page.locator("main").inner_text()

    page.goto(f"{live_server.url}/deployments/{w.dep.pk}/changes/")
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Geschiedenis exporteren (CSV)").click()
    exported = Path(csv_download.value.path()).read_text(encoding="utf-8")
    assert "Bevroren wegen naar Pabradė" in exported
    assert exported.count("\n") > 10
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Register exporteren (XLSX)").click()
    workbook = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    risks, _controls, decisions_sheet = workbook.worksheets
    assert risks["B2"].value == "Bevroren wegen naar Pabradė"
    assert decisions_sheet["C2"].value == "aanvaarden"
    assert decisions_sheet["I2"].value == "Strooiploeg paraat"
