"""A real browser for the tests: Debian's Chromium driven by Playwright.

The project never downloads a browser build (no ``playwright install``): it
launches the system's /usr/bin/chromium (``apt-get install chromium``, done by
.ci/run when it is missing). A browser that cannot start makes the test fail,
never skip. tests/browser/conftest.py offers the fixture to every browser test::

    def test_page(chromium, live_server):
        page = chromium.new_page()
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

CHROMIUM_PATH = os.environ.get("FORUM_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def chromium() -> Iterator:
    """A headless Chromium (Playwright ``Browser``) shared by a module's tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def local_context(browser, server, *, locale: str = "en-GB", **options):
    """A fresh browser context (its own cookies) that speaks ``locale`` (the
    Accept-Language the forum sees) and may reach only the live server: a request to
    any other host is refused, so a page that needs the network fails the test.
    ``options`` go to Playwright's ``new_context`` (``viewport``, ``bypass_csp``...)."""
    context = browser.new_context(locale=locale, **options)
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(server.base_url) else route.abort()
        ),
    )
    return context


def log_in(page, server, email: str, password: str) -> None:
    """Log in through the login form, in whatever language the page speaks."""
    page.goto(server.url("/login"))
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, f"login as {email} failed: {page.url}"


def log_out(page, server) -> None:
    """Log out with the header's logout button."""
    page.locator("form[action$='/logout'] button").click()
    page.wait_for_load_state()
