"""Import from Excel: export, edit, preview, apply; bad rows and bad files."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from missionsafety.audit.models import ChangeRecord
from missionsafety.risks import services
from missionsafety.risks.models import Control, RegisterImport, Risk
from missionsafety.risks.tests.factories import assess, make_risk

pytestmark = pytest.mark.django_db


def _export(client: Any, dep: Any) -> Any:
    response = client.get(
        reverse("reports:register_xlsx", kwargs={"deployment_pk": dep.pk})
    )
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _bytes(wb: Any) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _upload(client: Any, dep: Any, data: bytes, name: str = "register.xlsx") -> Any:
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(
        reverse("risks:import", kwargs={"deployment_pk": dep.pk}), {"file": upload}
    )


def _register(world: Any) -> list[Risk]:
    risks = []
    for n in range(3):
        risk = make_risk(
            world,
            title=f"Risico {n}",
            controls=[
                {
                    "description": f"Maatregel {n}",
                    "kind": "engineer",
                    # The importing brigade safety officer's own party: only
                    # the owning party changes a control's due date.
                    "owner_party": world.party_bde13,
                }
            ],
        )
        assess(world, risk)
        risks.append(risk)
    return risks


def test_round_trip_updates_exactly_what_was_edited(
    world: Any, client_for: Any
) -> None:
    first, second, third = _register(world)
    client = client_for(world.bde13_safety)
    wb = _export(client, world.dep)
    sheet, controls = wb.worksheets[0], wb.worksheets[1]
    sheet["B2"] = "Munitieopslag in de zon"  # title of R-001
    sheet["G3"] = "13 LBR"  # owner party of R-002
    sheet["M3"] = "D/I"  # residual of R-002
    sheet.append(["", "Nieuw risico", "Nieuw gevaar", "", "", "", "NLD JFC"])
    # due date of the control of R-001
    due = (world.dep.start_date + datetime.timedelta(days=40)).isoformat()
    controls["F2"] = due
    before = ChangeRecord.objects.count()

    response = _upload(client, world.dep, _bytes(wb))
    assert response.status_code == 302
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "1 to create" in text or "1 aan te maken" in text
    pending = RegisterImport.objects.get()
    assert pending.count("update") == 3  # two risks and one control
    assert pending.count("create") == 1
    assert pending.count("error") == 0
    assert pending.unchanged == 3  # R-003 and the two untouched controls
    assert Risk.objects.filter(title="Nieuw risico").count() == 0  # not yet

    third.refresh_from_db()
    third_version = third.version
    response = client.post(response["Location"])
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    third.refresh_from_db()
    assert first.title == "Munitieopslag in de zon"
    assert first.current_assessment and first.current_assessment.sequence == 1
    assert second.owner_party == world.party_bde13
    assert second.current_assessment and second.current_assessment.sequence == 2
    assert second.residual_level == "H"
    assert third.version == third_version  # not edited, not touched
    new = Risk.objects.get(title="Nieuw risico")
    assert new.owner_party == world.party_jfc and new.hazard == "Nieuw gevaar"
    control = Control.objects.get(risk=first)
    assert str(control.due_date) == due
    actions = list(
        ChangeRecord.objects.filter(seq__gt=0)
        .order_by("seq")
        .values_list("action", flat=True)[before:]
    )
    # preview, R-001 update, R-002 update + assess, create, control, apply
    assert actions.count("update") == 3
    assert actions.count("assess") == 1
    assert actions.count("create") == 1
    assert actions[-1] == "import_apply"


def test_every_bad_row_is_named_and_nothing_is_written(
    world: Any, client_for: Any
) -> None:
    _register(world)
    client = client_for(world.bde13_safety)
    wb = _export(client, world.dep)
    sheet, controls = wb.worksheets[0], wb.worksheets[1]
    sheet["G2"] = "4 BLJ"  # unknown owner party
    sheet["M3"] = "Z/IX"  # not in the matrix
    sheet["B4"] = ""  # missing title
    sheet["B3"] = "Wel veranderd"  # a good edit on a bad row is not written
    controls["F2"] = "morgen"  # not a date
    sheet.append(["", "Goed nieuw risico", "Gevaar", "", "", "", "NLD JFC"])

    response = _upload(client, world.dep, _bytes(wb))
    page = client.get(response["Location"])
    text = page.content.decode()
    for cell in ("G2", "M3", "B4", "F2"):
        assert cell in text
    assert "4 BLJ" in text and "Z/IX" in text and "morgen" in text
    pending = RegisterImport.objects.get()
    assert pending.count("error") == 4
    response = client.post(page.request["PATH_INFO"])
    assert response.status_code == 422
    assert not Risk.objects.filter(title__in=["Wel veranderd", "Goed nieuw risico"])
    assert pending.__class__.objects.get().applied_at is None


def test_apply_after_someone_edited_the_risk_is_a_conflict(
    world: Any, api_for: Any
) -> None:
    risk, *_rest = _register(world)
    wb = Workbook()
    wb.active.append(["reference", "title", "hazard", "owner party"])
    wb.active.append(["R-001", "Nieuwe titel", risk.hazard, "42 BLJ"])
    api = api_for(world.bde13_safety)
    url = f"/api/v1/deployments/{world.dep.pk}/register-import"
    upload = io.BytesIO(_bytes(wb))
    upload.name = "r.xlsx"
    response = api.post(url, {"file": upload})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["update"], body["create"], body["error"]) == (1, 0, 0)
    risk.refresh_from_db()
    services.risk_update(
        actor=world.bde13_safety, risk=risk, version=risk.version, cause="Hitte"
    )
    response = api.post(f"{url}/{body['token']}/apply")
    assert response.status_code == 409
    risk.refresh_from_db()
    assert risk.title != "Nieuwe titel"


def test_api_applies_a_preview_once(world: Any, api_for: Any) -> None:
    wb = Workbook()
    wb.active.append(["titel", "gevaar", "eigenaar (partij)", "inherent (K/E)"])
    wb.active.append(["Stof", "Zandstormen", "42 BLJ", ""])
    api = api_for(world.bde13_safety)
    url = f"/api/v1/deployments/{world.dep.pk}/register-import"
    upload = io.BytesIO(_bytes(wb))
    upload.name = "r.xlsx"
    body = api.post(url, {"file": upload}).json()
    assert body["create"] == 1
    response = api.post(f"{url}/{body['token']}/apply")
    assert response.status_code == 200
    assert response.json() == {"created": 1, "updated": 0, "assessed": 0}
    assert Risk.objects.filter(title="Stof").count() == 1
    again = api.post(f"{url}/{body['token']}/apply")
    assert again.status_code == 422
    assert Risk.objects.filter(title="Stof").count() == 1


def test_formula_like_text_stays_text_both_ways(world: Any, client_for: Any) -> None:
    risk = make_risk(world, title='=HYPERLINK("http://x","klik")')
    client = client_for(world.bde13_safety)
    wb = _export(client, world.dep)
    assert wb.worksheets[0]["B2"].data_type == "s"
    assert wb.worksheets[0]["B2"].value == "'" + risk.title  # shown as text
    wb.worksheets[0]["D2"] = "@SUM(A1:A2)"
    wb.worksheets[0]["E2"] = "+31 6 1234"
    response = _upload(client, world.dep, _bytes(wb))
    client.post(response["Location"])
    risk.refresh_from_db()
    assert risk.title.startswith("=HYPERLINK")
    assert risk.cause == "@SUM(A1:A2)"
    assert risk.consequence == "+31 6 1234"


def test_formula_cells_are_read_as_their_values(world: Any) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["title", "hazard", "owner party"])
    ws.append(["Berekend", "Gevaar", "42 BLJ"])
    ws["A2"] = "=1+1"  # a formula without a computed value reads as empty
    pending = services.register_import_preview(
        actor=world.bde13_safety, deployment=world.dep, data=_bytes(wb)
    )
    [row] = pending.plan["risks"]
    assert row["action"] == "error"
    assert row["errors"][0]["cell"].endswith("A2")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"reference;title\nR-001;x\n", "not an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "encrypted"),
        (b"PK\x03\x04broken", "not an Excel workbook"),
    ],
)
def test_files_that_are_no_workbook_are_refused(
    world: Any, client_for: Any, data: bytes, message: str
) -> None:
    client = client_for(world.bde13_safety)
    client.cookies.load({"missionsafety_language": "en"})
    response = _upload(client, world.dep, data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not RegisterImport.objects.exists()


def test_too_many_rows_and_too_large_are_refused(world: Any, client_for: Any) -> None:
    client = client_for(world.bde13_safety)
    client.cookies.load({"missionsafety_language": "en"})
    wb = Workbook()
    wb.active.append(["title", "hazard", "owner party"])
    for n in range(2001):
        wb.active.append([f"Risico {n}", "Gevaar", "42 BLJ"])
    response = _upload(client, world.dep, _bytes(wb))
    assert response.status_code == 422
    assert "more than 2000 rows" in response.content.decode()
    big = b"PK\x03\x04" + b"\0" * (5 * 1024 * 1024 + 10)
    response = _upload(client, world.dep, big)
    assert response.status_code == 422
    assert "the limit is 5 MB" in response.content.decode()


def test_template_offers_the_matrix_as_drop_downs(world: Any, client_for: Any) -> None:
    client = client_for(world.bde13_safety)
    response = client.get(
        reverse("risks:import_template", kwargs={"deployment_pk": world.dep.pk})
    )
    wb = load_workbook(io.BytesIO(response.content))
    risks = wb.worksheets[0]
    formulas = {dv.formula1 for dv in risks.data_validations.dataValidation}
    lists = wb["Lists"]
    cells = [c.value for c in lists["C"] if c.value]
    assert "A/I" in cells and "E/IV" in cells
    parties = [c.value for c in lists["A"] if c.value]
    assert sorted(parties) == ["13 LBR", "42 BLJ", "NLD JFC", "Staf CLAS"]
    assert any("$C$" in f for f in formulas)
    # The empty template imports as nothing to do.
    pending = services.register_import_preview(
        actor=world.bde13_safety, deployment=world.dep, data=response.content
    )
    assert pending.rows == []


def test_viewer_may_not_import_and_outsider_sees_nothing(
    world: Any, client_for: Any, api_for: Any
) -> None:
    wb = Workbook()
    wb.active.append(["title", "hazard", "owner party"])
    wb.active.append(["Stof", "Zandstormen", "42 BLJ"])
    response = _upload(client_for(world.viewer), world.dep, _bytes(wb))
    assert response.status_code == 422
    assert not RegisterImport.objects.exists()
    upload = io.BytesIO(_bytes(wb))
    upload.name = "r.xlsx"
    response = api_for(world.bde43_safety).post(
        f"/api/v1/deployments/{world.dep.pk}/register-import", {"file": upload}
    )
    assert response.status_code == 404


def test_contributor_cannot_change_levels_by_import(world: Any) -> None:
    risk = make_risk(world)
    assess(world, risk)
    wb = Workbook()
    wb.active.append(
        ["reference", "title", "owner party", "inherent (P/S)", "residual (P/S)"]
    )
    wb.active.append(["R-001", risk.title, "42 BLJ", "A/I", "E/IV"])
    pending = services.register_import_preview(
        actor=world.coy_leader, deployment=world.dep, data=_bytes(wb)
    )
    [row] = pending.plan["risks"]
    assert row["action"] == "error"
    assert row["errors"][0]["cell"].endswith("!E2")


def _column_of(sheet: Any, *names: str) -> str:
    for cell in sheet[1]:
        if str(cell.value or "").strip().lower() in names:
            return str(cell.column_letter)
    raise AssertionError(f"no column {names}")


def test_preview_refuses_what_the_control_ownership_rule_would_refuse(
    world: Any, client_for: Any
) -> None:
    """A safety officer of 13 LBR may hand any control to another party, but
    changes only the controls of 13 LBR: the preview names the refused row, so
    the apply never refuses a row the preview accepted."""
    theirs = make_risk(
        world,
        title="Verbindingen",
        controls=[
            {
                "description": "Satelliet",
                "kind": "engineer",
                "owner_party": world.party_jfc,
            }
        ],
    )
    handed = make_risk(
        world,
        title="Hitte",
        controls=[
            {
                "description": "Schaduw",
                "kind": "engineer",
                "owner_party": world.party_jfc,
            }
        ],
    )
    client = client_for(world.bde13_safety)
    client.cookies.load({"missionsafety_language": "en"})
    wb = _export(client, world.dep)
    controls = wb.worksheets[1]
    text_col = _column_of(controls, "control", "beheersmaatregel")
    party_col = _column_of(controls, "owner party", "eigenaar (partij)")
    rows = {controls[f"A{r}"].value: r for r in range(2, controls.max_row + 1)}
    theirs_row, handed_row = rows[theirs.reference], rows[handed.reference]
    controls[f"{text_col}{theirs_row}"] = "Satelliet en HF-radio"  # not 13 LBR's
    controls[f"{party_col}{handed_row}"] = "13 LBR"  # handing it over: allowed

    response = _upload(client, world.dep, _bytes(wb))
    page = client.get(response["Location"]).content.decode()
    assert f"Controls!{text_col}{theirs_row}" in page
    assert "This control belongs to NLD JFC" in page
    pending = RegisterImport.objects.get()
    [refused] = pending.errors
    assert refused["reference"] == theirs.reference
    assert pending.count("update") == 1  # the hand-over
    assert client.post(response["Location"]).status_code == 422
    assert Control.objects.get(risk=theirs).description == "Satelliet"

    # Without the refused edit, the same workbook applies as previewed.
    controls[f"{text_col}{theirs_row}"] = "Satelliet"
    response = _upload(client, world.dep, _bytes(wb))
    assert not RegisterImport.objects.order_by("-pk").first().errors  # type: ignore[union-attr]
    assert client.post(response["Location"]).status_code == 302
    assert Control.objects.get(risk=handed).owner_party == world.party_bde13
