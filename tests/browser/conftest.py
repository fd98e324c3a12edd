"""Shared fixtures for browser tests: Chromium driven by Playwright.

Browser tests run against pytest-django's ``live_server`` (a real HTTP server
in a thread, on a transactional database). Write one like this::

    pytestmark = [
        pytest.mark.browser,
        pytest.mark.django_db(transaction=True, serialized_rollback=True),
    ]

    def test_something(page, live_world, login, live_server):
        login(page, "jfc.safety")
        page.goto(live_server.url + "/")

``serialized_rollback`` puts back the rows that migrations created (the risk
matrices) after the transactional flush, for the tests that run afterwards.
The tests skip when Chromium is not installed at ``CHROMIUM``; run only them
with ``uv run pytest -m browser``, or leave them out with ``-m "not browser"``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("MISSIONSAFETY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "test-pass-123"  # the password of every user in missionsafety.testing


@pytest.fixture(scope="session")
def browser(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made
    # by fixtures and tests around it are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    _keep_serialized_contents()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


def _keep_serialized_contents() -> None:
    """Once Playwright runs, Django hands out new connection objects (the
    execution context changed), which lack the database contents serialized at
    set-up; ``serialized_rollback`` would then restore nothing. Keep them on
    the class, where every connection object finds them."""
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """``new_page(**context_options)``: a page in a fresh browser context
    (its own cookies), e.g. ``new_page(viewport={"width": 390, "height": 844})``.
    Content-Security-Policy violations reported by the browser fail the test."""
    contexts: list[Any] = []
    violations: list[str] = []

    def make(**options: Any) -> Any:
        # A Dutch browser, as most users have; the page follows Accept-Language.
        context = browser.new_context(**{"locale": "nl-NL", **options})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        return _Loaded(page)

    yield make
    for context in contexts:
        context.close()
    assert not violations, "Blocked by the Content-Security-Policy:\n" + "\n".join(
        violations
    )


class _Loaded:
    """A Playwright page whose locators are made once the current document has
    loaded. A click on a link returns when the next page starts to arrive; read
    at that moment, ``main`` may hold only the part parsed so far (a risk page's
    heading without its tags). Everything else is the page itself."""

    LOCATING = frozenset({"locator", "get_by_role", "get_by_text"})

    def __init__(self, page: Any) -> None:
        self._page = page

    def __getattr__(self, name: str) -> Any:
        if name in self.LOCATING:
            self._page.wait_for_load_state()
        return getattr(self._page, name)


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    return new_page()


@pytest.fixture
def live_world(transactional_db: Any) -> Any:
    """The test world (see missionsafety.testing), in the live server's database."""
    from missionsafety.testing import build_world

    return build_world()


@pytest.fixture
def login(live_server: Any) -> Callable[[Any, str], None]:
    """``login(page, username)``: log in through the login form."""

    def do(page: Any, username: str, password: str = PASSWORD) -> None:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")

    return do
