"""The main pages on a 390 × 844 phone: nothing scrolls sideways, and every
column of every table is on screen, as a "label: value" line of its row's card."""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_access_control import all_targets

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2}

# For each table.list cell: is it on screen, inside the page's width, and does
# it show its column's header before its value?
CHECK_TABLES = r"""() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  for (const table of document.querySelectorAll("main table.list")) {
    const headers = [...table.querySelectorAll("thead th")].map(
      (th) => th.innerText.trim());
    for (const row of table.querySelectorAll("tbody tr")) {
      [...row.children].forEach((cell, column) => {
        const box = cell.getBoundingClientRect();
        const header = headers[column] || "";
        const shown = getComputedStyle(cell).display !== "none"
          && getComputedStyle(cell).visibility !== "hidden";
        if (!shown || (cell.textContent.trim() && box.width === 0)) {
          problems.push(`hidden: ${header} = ${cell.innerText.trim()}`);
        }
        if (box.right > width + 1) {
          problems.push(`off screen: ${header} (${Math.round(box.right)}px)`);
        }
        const label = getComputedStyle(cell, "::before").content;
        const lines = header.split("\n").map((line) => line.trim());
        if (cell.tagName === "TD" && header && !lines.every((l) => label.includes(l))) {
          problems.push(`no label: ${header} (shows ${label})`);
        }
      });
    }
  }
  return problems;
}"""


def phone_problems(page: Any) -> list[str]:
    problems: list[str] = page.evaluate(CHECK_TABLES)
    scroll, inner = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if scroll > inner:
        problems.append(f"scrolls sideways: {scroll}px content in {inner}px")
    return problems


def test_main_pages_show_every_column_on_a_phone(
    new_page: Any, live_world: Any, login: Any, live_server: Any
) -> None:
    w = live_world
    all_targets(w)  # a risk, an occurrence, an agreement, lessons, evaluations
    pages = {
        "home": "/",
        "register": f"/deployments/{w.dep.pk}/risks/",
        "overview": "/overview/",
        "agreement": f"/deployments/{w.dep.pk}/agreement/",
        "occurrences": f"/deployments/{w.dep.pk}/occurrences/",
        "lessons search": "/lessons/search/",
    }
    phone = new_page(**PHONE)
    login(phone, "bde13.safety")
    failures = []
    rows_seen = {}
    for name, url in pages.items():
        phone.goto(live_server.url + url)
        failures += [f"{name}: {p}" for p in phone_problems(phone)]
        rows_seen[name] = phone.locator("main table.list tbody tr").count()
    assert not failures, "\n".join(failures)
    # The tables checked hold rows (the register's risk, the agreement's steps...).
    for name in ("home", "register", "overview", "agreement", "occurrences"):
        assert rows_seen[name] > 0, name


def test_register_columns_read_as_label_and_value_on_a_phone(
    new_page: Any, live_world: Any, login: Any, live_server: Any
) -> None:
    w = live_world
    all_targets(w)
    phone = new_page(**PHONE)
    login(phone, "bde13.safety")
    phone.goto(f"{live_server.url}/deployments/{w.dep.pk}/risks/")
    card = phone.locator("#results table.list tbody tr").first
    lines = card.inner_text()
    # The seven columns, the last four of which a phone used to hide.
    for label in (
        "Nr.",
        "Risico",
        "Niveau",
        "Status",
        "Eigenaar",
        "Beheersmaatregelen",
    ):
        assert card.locator(f"td[data-label='{label}']").is_visible(), label
    assert "42 BLJ" in lines and "R-001" in lines
    # The heat maps fit the screen too.
    for heat in phone.locator("table.heatmap").all():
        box = heat.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390
