"""Browser fixtures: Debian's chromium driven by Playwright against pytest-django's live_server.

Only the system browser is used (`apt-get install chromium`), never one downloaded by
`playwright install`. Without it the browser tests are skipped, except on CI (the CI
variable is set), where a missing browser must not pass unnoticed.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def chromium():
    """One headless chromium per test module (the event loop Playwright's sync API runs
    stays confined to the browser tests)."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; browser tests may not be skipped on CI", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_errors() -> list[str]:
    """Console errors and uncaught exceptions of every page opened by the test (a CSP
    violation is a console error); tests assert that it stays empty."""
    return []


def _reload_shipped_data() -> None:
    """Live-server tests flush the database after each test, and with it what data
    migrations loaded (the needs-assessment questionnaires, v1 then the active v2, and the
    default IVL definition): load it again, as they do."""
    from importlib import import_module

    from django.apps import apps

    import_module("ventanilla.cases.migrations.0002_default_questionnaire").load(apps, None)
    import_module("ventanilla.cases.migrations.0008_needs_questionnaire_v2").load(apps, None)
    import_module("ventanilla.vulnerability.migrations.0002_default_definition").load(apps, None)


@pytest.fixture
def new_page(chromium, live_server, browser_errors):
    """Opens a page in a fresh browser context (its own cookies) on the live server."""
    _reload_shipped_data()
    contexts = []

    def open_page(*, viewport: dict | None = None):
        context = chromium.new_context(
            viewport=viewport or DESKTOP, locale="es-CO", base_url=live_server.url
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda msg: msg.type == "error" and browser_errors.append(f"{page.url}: {msg.text}"),
        )
        page.on("pageerror", lambda exc: browser_errors.append(f"{page.url}: {exc}"))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop-sized page on the live server."""
    return new_page()


@pytest.fixture
def phone_page(new_page):
    """A phone-sized page (390×844) on the live server."""
    return new_page(viewport=PHONE)


@pytest.fixture
def log_in():
    """Logs in through the login form, as a person would: log_in(page, user, password)."""
    # Not "_": makemessages would copy these look-ups into the catalogs.
    from django.utils.translation import gettext as tr

    def log_in_(page, user, password: str) -> None:
        page.goto("/accounts/login/")
        page.get_by_label(tr("Username")).fill(user.username)
        page.get_by_label(tr("Password")).fill(password)
        page.get_by_role("button", name=tr("Log in")).click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return log_in_
