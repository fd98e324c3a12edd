"""The staff officer's desk: a register goes to Excel and back, and the
register and deployment pages print without the screen's furniture."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.browser.journeys import risk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_register_round_trip_through_excel(
    page: Any, live_world: Any, login: Any, live_server: Any, tmp_path: Any
) -> None:
    from missionsafety.audit.models import ChangeRecord
    from missionsafety.risks.models import Risk

    w = live_world
    first = risk(w, "Munitieopslag bij hoge temperaturen")
    second = risk(w, "Konvooi over de E67")
    risk(w, "Hitteletsel op patrouille")
    login(page, "bde13.safety")
    page.goto(f"{live_server.url}/deployments/{w.dep.pk}/risks/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporteren (XLSX)").click()
    exported = tmp_path / "export.xlsx"
    download.value.save_as(exported)
    wb = load_workbook(exported)
    sheet = wb.worksheets[0]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
    sheet.cell(row=rows["R-001"], column=2).value = "Munitieopslag in de zon"
    sheet.cell(row=rows["R-001"], column=4).value = "Zeecontainers in de volle zon"
    sheet.cell(row=rows["R-002"], column=7).value = "13 LBR"
    sheet.append(["", "Stofstormen", "Zicht onder 50 m", "", "", "", "NLD JFC"])
    edited = tmp_path / "register.xlsx"
    wb.save(edited)
    records = ChangeRecord.objects.count()

    page.get_by_role("link", name="Importeren uit Excel").click()
    page.set_input_files("input[type=file]", str(edited))
    page.get_by_role("button", name="Voorvertoning").click()
    counts = page.locator("#import-counts").inner_text()
    assert "1 aan te maken" in counts
    assert "2 bij te werken" in counts
    assert "0 met fouten" in counts
    page.get_by_role("button", name="Toepassen").click()
    page.wait_for_url(f"{live_server.url}/deployments/{w.dep.pk}/risks/")
    assert "Import verwerkt" in page.locator(".messages").inner_text()

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.title == "Munitieopslag in de zon"
    assert first.cause == "Zeecontainers in de volle zon"
    assert second.owner_party == w.party_bde13
    assert Risk.objects.filter(title="Stofstormen", owner_party=w.party_jfc).exists()
    assert Risk.objects.get(number=3).version == 2  # untouched since its assessment
    actions = list(
        ChangeRecord.objects.order_by("seq").values_list("action", flat=True)[records:]
    )
    assert actions == [
        "import_preview",
        "update",
        "update",
        "create",
        "import_apply",
    ]


def _printed(page: Any, url: str) -> str:
    page.goto(url)
    pdf = page.pdf(format="A4", print_background=False)
    keep = os.environ.get("MS_KEEP_PDF")  # to look at the printout as images
    if keep:
        Path(keep, url.rstrip("/").replace("/", "_")[-40:] + ".pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_register_and_deployment_print_without_navigation(
    page: Any, live_world: Any, login: Any, live_server: Any
) -> None:
    from missionsafety.risks import services

    w = live_world
    raised = risk(w, "Munitieopslag bij hoge temperaturen", residual=("D", "III"))
    services.decide(
        outcome="accept",
        actor=w.coy_commander,
        risk=raised,
        assessment=raised.current_assessment,
        conditions="",
        valid_until=None,
        rationale="Aanvaardbaar.",
    )
    raised.refresh_from_db()
    services.assessment_record(
        actor=w.bde13_safety,
        risk=raised,
        inherent_probability="A",
        inherent_severity="I",
        residual_probability="B",
        residual_severity="II",
    )
    login(page, "bde13.safety")
    register = _printed(page, f"{live_server.url}/deployments/{w.dep.pk}/risks/")
    for furniture in ("Mijn inzetten", "Wacht op mijn besluit", "Zoeken", "Afmelden"):
        assert furniture not in register
    assert "R-001" in register
    assert "EH → H" in register  # the levels as text
    assert "stop: opnieuw aanvaarden nodig" in register
    assert "Afgedrukt" in register and "Bde13 Tester" in register

    deployment = _printed(page, f"{live_server.url}/deployments/{w.dep.pk}/")
    for furniture in ("Mijn inzetten", "Wacht op mijn besluit", "Afmelden"):
        assert furniture not in deployment
    assert "EFP-R12" in deployment
    assert "Afgedrukt" in deployment
    # The trend charts print with their tables, collapsed on the screen.
    assert "Open risico’s per restrisiconiveau" in deployment
    assert "Beheersmaatregelen over de termijn per partij" in deployment
    assert "week tot en met" in deployment
