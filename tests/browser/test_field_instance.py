"""A home safety officer and the deployment's field instance: the panel on the
deployment page (last sync, waiting, open conflicts), the field package
download, and a sync conflict resolved by choosing one side — on a desktop
and on a 390 × 844 phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from missionsafety.field.models import Conflict
from missionsafety.field.package import package_read
from missionsafety.field.services import bundle_apply
from missionsafety.field.tests.helpers import export, forge, register, risk_change
from missionsafety.risks import services
from missionsafety.risks.models import Risk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2}


@pytest.fixture
def synced(live_world: Any) -> Any:
    """A field instance that synced once: its edits of one risk's title and
    cause conflict with home's; one home change waits to go."""
    w = live_world
    risks = register(w)
    _data, package = export(w)
    risk = Risk.objects.get(pk=risks["edited"].pk)
    services.risk_update(
        actor=w.bde13_safety,
        risk=risk,
        version=risk.version,
        title="Munitieopslag (thuis)",
        cause="Hitte",
    )
    bundle_apply(
        data=forge(
            package,
            [
                risk_change(
                    package,
                    "Munitieopslag",
                    field="title",
                    old="Munitieopslag",
                    new="Munitieopslag (veld)",
                ),
                risk_change(
                    package, "Munitieopslag", field="cause", old="Oorzaak", new="Kou"
                ),
            ],
        )
    )
    return w, risk


def test_safety_officer_sees_the_field_panel_downloads_and_resolves(
    synced: Any, new_page: Any, login: Any, live_server: Any
) -> None:
    w, risk = synced
    page = new_page()
    login(page, "bde13.safety")
    page.goto(f"{live_server.url}/deployments/{w.dep.pk}/")
    panel = page.locator("section", has_text="Veldinstantie")
    assert panel.is_visible()
    row = panel.locator("tr", has_text="EFP-R12 field 1")
    cells = row.locator("td").all_inner_texts()
    assert cells[1] not in ("", "nooit"), "the last sync is shown"
    assert int(cells[2]) >= 0
    assert "2 open synchronisatieconflicten" in panel.inner_text()

    with page.expect_download() as download_info:
        panel.get_by_role("button", name="Veldpakket downloaden").click()
    download = download_info.value
    assert download.suggested_filename == "EFP-R12-field-package.msf"
    package = package_read(Path(download.path()).read_bytes())
    assert package["deployment"] == "EFP-R12"

    panel.get_by_role("link", name="2 open synchronisatieconflicten").click()
    assert page.get_by_role("heading", name="Synchronisatieconflicten").is_visible()
    table = page.locator("table")
    assert "Titel" in table.inner_text() and "Oorzaak" in table.inner_text()
    assert "Munitieopslag (veld)" in table.inner_text()
    table.locator("tr", has_text="Titel").get_by_role("link").click()
    page.get_by_label("Ontvangen waarde").check()
    page.get_by_role("button", name="Oplossen").click()
    assert page.get_by_text("Conflict opgelost.").is_visible()
    assert "Munitieopslag (veld)" not in page.locator("main").inner_text()
    assert Risk.objects.get(pk=risk.pk).title == "Munitieopslag (veld)"
    assert Conflict.objects.filter(status="open").count() == 1


def test_conflict_resolved_on_a_phone(
    synced: Any, new_page: Any, login: Any, live_server: Any
) -> None:
    w, risk = synced
    phone = new_page(**PHONE)
    login(phone, "bde13.safety")
    phone.goto(f"{live_server.url}/deployments/{w.dep.pk}/")
    panel = phone.locator("section", has_text="Veldinstantie")
    assert panel.get_by_role("button", name="Veldpakket downloaden").is_visible()
    panel.get_by_role("link", name="2 open synchronisatieconflicten").click()
    for _page in ("list", "detail"):
        width, client = phone.evaluate(
            "[document.documentElement.scrollWidth,"
            " document.documentElement.clientWidth]"
        )
        assert width <= client, "nothing scrolls sideways"
        if _page == "list":
            phone.locator("tr", has_text="Oorzaak").get_by_role("link").click()
    assert phone.get_by_text("Kou").is_visible()
    assert phone.get_by_text("Hitte").is_visible()
    button = phone.get_by_role("button", name="Oplossen")
    box = button.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    phone.get_by_label("Waarde hier").check()
    button.click()
    assert phone.get_by_text("Conflict opgelost.").is_visible()
    assert Risk.objects.get(pk=risk.pk).cause == "Hitte"
    assert Conflict.objects.get(field="cause").resolved_value == "Hitte"
