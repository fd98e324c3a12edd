"""The register as a workbook: risks with their assessment, controls, decisions."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from missionsafety.deployments.models import Deployment
from missionsafety.risks.models import Risk
from missionsafety.risks.tests.factories import assess, make_risk

pytestmark = pytest.mark.django_db


def _workbook(client: Any, dep: Any) -> Any:
    url = reverse("reports:register_xlsx", kwargs={"deployment_pk": dep.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert "register.xlsx" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def test_register_export_has_risks_controls_and_decisions(
    world: Any, client_for: Any
) -> None:
    risk = make_risk(
        world,
        controls=[
            {
                "description": "Koelcontainers",
                "kind": "engineer",
                "owner_party": world.party_bn,
            }
        ],
    )
    assess(world, risk)
    client = client_for(world.inspector)
    client.cookies.load({"missionsafety_language": "en"})
    risks, controls, decisions = _workbook(client, world.dep).worksheets
    assert [c.value for c in risks[1]][:3] == ["reference", "title", "hazard"]
    assert risks["A2"].value == "R-001"
    assert risks["B2"].value == "Munitieopslag bij hoge temperaturen"
    assert risks["N2"].value == "H"  # residual level of the current assessment
    assert controls["B2"].value == "Koelcontainers"
    assert decisions.max_row == 1  # no decisions yet: only the header


def test_export_costs_the_same_queries_for_more_risks(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.bde13_safety)
    for n in range(3):
        assess(world, make_risk(world, title=f"Risico {n}"))
    url = reverse("reports:register_xlsx", kwargs={"deployment_pk": world.dep.pk})
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(5):
        assess(world, make_risk(world, title=f"Nog een risico {n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_text_that_a_spreadsheet_would_run_is_written_as_text(
    world: Any, client_for: Any
) -> None:
    titles = ['=HYPERLINK("http://x.example","klik")', "@SUM(A1:A9)", "+31 6", "-1"]
    for title in titles:
        make_risk(world, title=title)
    risks = _workbook(client_for(world.bde13_safety), world.dep).worksheets[0]
    cells = {risks.cell(row=n, column=2) for n in range(2, 2 + len(titles))}
    assert {c.value for c in cells} == {"'" + t for t in titles}
    assert {c.data_type for c in cells} == {"s"}  # none is a formula


def test_a_control_character_stored_earlier_is_stripped_from_the_export(
    world: Any, client_for: Any
) -> None:
    risk = make_risk(world)
    Risk.objects.filter(pk=risk.pk).update(title="Munitie\x0bopslag\x1b")
    risks = _workbook(client_for(world.bde13_safety), world.dep).worksheets[0]
    assert risks["B2"].value == "Munitieopslag"


def test_a_deployment_code_cannot_break_the_file_name(
    world: Any, client_for: Any
) -> None:
    Deployment.objects.filter(pk=world.dep.pk).update(
        code='EFP\r\nX-Evil: 1"; filename="evil.exe'
    )
    url = reverse("reports:register_xlsx", kwargs={"deployment_pk": world.dep.pk})
    response = client_for(world.bde13_safety).get(url)
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert "\r" not in header and "\n" not in header
    kind, plain, extended = header.split("; ")
    assert kind == "attachment"
    assert plain == 'filename="EFP-X-Evil-1-filename-evil.exe-register.xlsx"'
    assert extended.startswith("filename*=UTF-8''EFP-")
    assert extended.endswith("-register.xlsx")
    assert '"' not in extended and ";" not in extended


def test_the_audit_history_csv_writes_formulas_as_text(
    world: Any, client_for: Any
) -> None:
    import csv

    make_risk(
        world,
        controls=[
            {
                "description": "=cmd|' /C calc'!A0",
                "kind": "engineer",
                "owner_party": world.party_bn,
            }
        ],
    )
    url = reverse("audit:deployment_csv", kwargs={"deployment_pk": world.dep.pk})
    response = client_for(world.inspector).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith("-audit-history.csv")
    text = b"".join(response.streaming_content).decode()
    reprs = [row[4] for row in csv.reader(io.StringIO(text))]
    assert any(r.startswith("'=cmd") for r in reprs)
    assert not any(r.startswith("=") for r in reprs)
