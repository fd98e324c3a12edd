"""WCAG 2.1 AA on every page: axe-core run in Chromium on one sample URL of every
page pattern, as three roles, in both languages, on a desktop and on a phone.

The sample URLs come from the access-control suite (each app's ``access.py``), so
a page added tomorrow is crawled the day it is described there. Only serious and
critical violations fail the test; each is listed with its page and elements.
Run only this crawl with ``uv run pytest -m browser tests/browser/test_accessibility.py``.
"""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.urls import reverse

from tests.test_access_control import all_targets

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROLES = {
    "brigade safety officer": "bde13.safety",
    "battalion commander": "bn.commander",
    "inspector": "ivd.inspector",
}
LOCALES = {"nl": "nl-NL", "en": "en-GB"}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
    "iframes": False,  # the pages have none
}
FAILING_IMPACTS = {"serious", "critical"}
MISSING = "/deployments/999999/"  # the "not found" page
# Pages that are not HTML pages: files, exports and HTMX fragments.
NOT_PAGES = {
    "audit:deployment_csv",
    "evaluations:agreement_pdf",
    "field_pages",
    "lessons:attachment",
    "lessons:suggest",
    "occurrences:attachment",
    "reports:register_xlsx",
    "reports:risk_picture_pdf",
    "reports:worksheet_pdf",
    "reports:worksheets_pdf",
    "risks:attachment",
    "risks:import_template",
    "service_worker",
}


def sample_urls(world: Any) -> list[str]:
    """One URL per page pattern that answers a GET with a page."""
    urls = ["/", "/outbox/", "/offline/"]
    for name, target in sorted(all_targets(world).items()):
        if name.startswith("api:") or name in NOT_PAGES:
            continue
        if target.get("status", 200) != 200 or "get" not in target.get(
            "methods", ["get"]
        ):
            continue
        urls.append(reverse(name, kwargs=target.get("kwargs", {})))
    return urls


def axe_violations(page: Any) -> list[dict[str, Any]]:
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [v for v in result["violations"] if v["impact"] in FAILING_IMPACTS]


def describe(where: str, violation: dict[str, Any]) -> str:
    nodes = "; ".join(
        " ".join(node["target"]) + " " + node["html"][:80]
        for node in violation["nodes"][:3]
    )
    return (
        f"{where}: {violation['id']} ({violation['impact']}) {violation['help']}"
        f" — {len(violation['nodes'])} element(s): {nodes}"
    )


def crawl(page: Any, base: str, urls: list[str], label: str) -> tuple[list[str], int]:
    """Run axe on every URL the user can open; the failures and pages checked."""
    failures: list[str] = []
    checked = 0
    for url in urls:
        # Deferred scripts run after the stylesheet loads, so the page is styled
        # (colours, sizes) when DOMContentLoaded fires.
        response = page.goto(base + url, wait_until="domcontentloaded")
        expected = 404 if url == MISSING else 200
        if response is None or response.status != expected:
            continue  # this role may not see it (404) or is sent elsewhere
        checked += 1
        failures.extend(describe(f"[{label}] {url}", v) for v in axe_violations(page))
    return failures, checked


def open_page(new_page: Any, language: str, viewport: dict[str, int]) -> Any:
    page = new_page(locale=LOCALES[language], viewport=viewport)
    page.context.add_init_script(script=AXE_SCRIPT)  # axe-core in every page
    return page


# Every role in both languages on a desktop; a phone pass in each language by
# the role with the most forms (the safety officer) and the one who reads all.
PASSES = [(role, language, DESKTOP) for role in ROLES for language in LOCALES] + [
    ("brigade safety officer", "nl", PHONE),
    ("inspector", "en", PHONE),
]


def test_every_page_has_no_serious_or_critical_violations(
    new_page: Any, live_world: Any, login: Any, live_server: Any
) -> None:
    urls = sample_urls(live_world)
    failures: list[str] = []
    for role, language, viewport in PASSES:
        page = open_page(new_page, language, viewport)
        login(page, ROLES[role])
        label = f"{role}, {language}, {viewport['width']}px"
        found, checked = crawl(page, live_server.url, [*urls, MISSING], label)
        # Most pages open for every role (the rest answer 404 to this role).
        assert checked >= len(urls) // 2, f"{label}: {checked} of {len(urls)} opened"
        failures += found
        page.context.close()
    for language in LOCALES:
        for viewport in (DESKTOP, PHONE):
            page = open_page(new_page, language, viewport)
            label = f"signed out, {language}, {viewport['width']}px"
            failures += crawl(page, live_server.url, ["/login/"], label)[0]
            page.context.close()
    assert not failures, f"{len(failures)} serious or critical:\n" + "\n".join(failures)


def test_the_check_reports_what_it_should(new_page: Any) -> None:
    """The crawl's check does find a serious problem when a page has one."""
    page = open_page(new_page, "en", DESKTOP)
    page.set_content(
        '<!doctype html><html lang="en"><head><title>t</title></head><body><main>'
        '<p style="color:#999;background:#fff">faint text</p>'
        "<label>Name</label><input name=x></main></body></html>"
    )
    page.evaluate(AXE_SCRIPT)
    found = {v["id"] for v in axe_violations(page)}
    assert {"color-contrast", "label"} <= found
