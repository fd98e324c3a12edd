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
    # wcag22aa adds target-size: every tap target at least 24 x 24 px or
    # spaced as far from its neighbours.
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    "resultTypes": ["violations"],
    "iframes": False,  # the pages have none
}
FAILING_IMPACTS = {"serious", "critical"}
MISSING = "/deployments/999999/"  # the "not found" page
# Pages that are not HTML pages: files, exports and HTMX fragments.
NOT_PAGES = {
    "audit:deployment_csv",
    "evaluations:agreement_pdf",
    "feedback:attachment",
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


# Each visible control must show a focus outline (the browser's own ring, or
# at least 2 px) or a focus shadow when it gets the keyboard's focus. axe has
# no rule for this.
FOCUS_CHECK = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea,'
    + ' summary, [tabindex]:not([tabindex="-1"])';
  const missing = [];
  for (const el of document.querySelectorAll(selector)) {
    if (el.disabled || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    const shadow = style.boxShadow;
    el.focus({preventScroll: true});
    if (document.activeElement !== el) continue;
    const now = getComputedStyle(el);
    const outline = now.outlineStyle === 'auto'
      || (now.outlineStyle !== 'none' && parseFloat(now.outlineWidth) >= 2);
    if (!outline && (now.boxShadow === 'none' || now.boxShadow === shadow)) {
      missing.push(el.outerHTML.slice(0, 80));
    }
  }
  if (document.activeElement) document.activeElement.blur();
  return missing;
}"""


def focus_problems(page: Any) -> list[str]:
    # A key press first: from then on the browser shows focus as for a
    # keyboard user (:focus-visible), also when a script moves it.
    page.keyboard.press("Shift")
    return list(page.evaluate(FOCUS_CHECK))


def describe(where: str, violation: dict[str, Any]) -> str:
    nodes = "; ".join(
        " ".join(node["target"]) + " " + node["html"][:80]
        for node in violation["nodes"][:3]
    )
    return (
        f"{where}: {violation['id']} ({violation['impact']}) {violation['help']}"
        f" — {len(violation['nodes'])} element(s): {nodes}"
    )


def crawl(
    page: Any,
    base: str,
    urls: list[str],
    label: str,
    *,
    focus: bool = False,
) -> tuple[list[str], int]:
    """Run axe on every URL the user can open, at the desktop size and then at
    the phone size on the same page (the stylesheet re-lays it out; nothing is
    fetched twice); with ``focus`` also check the focus style of every control.
    The failures and the number of pages checked."""
    failures: list[str] = []
    checked = 0
    for url in urls:
        page.set_viewport_size(DESKTOP)
        # Deferred scripts run after the stylesheet loads, so the page is styled
        # (colours, sizes) when DOMContentLoaded fires.
        response = page.goto(base + url, wait_until="domcontentloaded")
        expected = 404 if url == MISSING else 200
        if response is None or response.status != expected:
            continue  # this role may not see it (404) or is sent elsewhere
        checked += 1
        for viewport in (DESKTOP, PHONE):
            where = f"[{label}, {viewport['width']}px] {url}"
            if viewport is PHONE:
                page.set_viewport_size(PHONE)
            failures.extend(describe(where, v) for v in axe_violations(page))
        if focus:
            page.set_viewport_size(DESKTOP)
            failures.extend(
                f"[{label}] {url}: no visible focus on {html}"
                for html in focus_problems(page)
            )
    return failures, checked


def open_page(
    new_page: Any, language: str, viewport: dict[str, int], **options: Any
) -> Any:
    page = new_page(locale=LOCALES[language], viewport=viewport, **options)
    page.context.add_init_script(script=AXE_SCRIPT)  # axe-core in every page
    return page


def signed_in(new_page: Any, login: Any, username: str) -> Any:
    """The cookies of a logged-in session, to start each pass of this user from."""
    page = new_page()
    login(page, username)
    state = page.context.storage_state()
    page.context.close()
    return state


# Every role in both languages, each page at a desktop size and at a phone
# size: 3 roles x 2 languages x 2 sizes, one test per role (so that parallel
# test processes share the crawl), one log-in per role.
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_has_no_serious_or_critical_violations(
    role: str, new_page: Any, live_world: Any, login: Any, live_server: Any
) -> None:
    urls = sample_urls(live_world)
    failures: list[str] = []
    state = signed_in(new_page, login, ROLES[role])
    for language in LOCALES:
        page = open_page(new_page, language, DESKTOP, storage_state=state)
        label = f"{role}, {language}"
        page.goto(live_server.url + "/")
        # The page follows the browser's language, not the one of the log-in.
        assert page.locator("html").get_attribute("lang") == language, label
        # Focus styles do not depend on the language: checked once per role.
        focus = language == "nl"
        found, checked = crawl(
            page, live_server.url, [*urls, MISSING], label, focus=focus
        )
        # Most pages open for every role (the rest answer 404 to this role).
        assert checked >= len(urls) // 2, f"{label}: {checked} of {len(urls)} opened"
        failures += found
        page.context.close()
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)


def test_the_login_page_has_no_serious_or_critical_violations(
    new_page: Any, live_server: Any
) -> None:
    failures: list[str] = []
    for language in LOCALES:
        page = open_page(new_page, language, DESKTOP)
        failures += crawl(
            page, live_server.url, ["/login/"], f"signed out, {language}", focus=True
        )[0]
        page.context.close()
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)


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


def test_the_check_finds_small_targets_and_hidden_focus(new_page: Any) -> None:
    """Tap targets under 24 px close together, and a control whose focus is not
    shown, are reported too."""
    page = open_page(new_page, "en", DESKTOP)
    page.set_content(
        '<!doctype html><html lang="en"><head><title>t</title></head><body><main>'
        '<p><button style="width:12px;height:12px;padding:0;border:0">a</button>'
        '<button style="width:12px;height:12px;padding:0;border:0">b</button></p>'
        '<p><a href="#x" style="outline:none">no focus shown</a> '
        '<a href="#y" style="outline:3px solid blue">focus shown</a></p>'
        "</main></body></html>"
    )
    page.evaluate(AXE_SCRIPT)
    assert "target-size" in {v["id"] for v in axe_violations(page)}
    missing = focus_problems(page)
    assert len(missing) == 1 and "no focus shown" in missing[0]
