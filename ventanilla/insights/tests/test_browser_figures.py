"""The figures dashboard in a browser: charts drawn under the CSP (no console errors), usable
on a 390 px phone, and a number opens its records."""

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext as tr  # not "_", which makemessages collects

from ventanilla.insights.tests.conftest import YEAR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _spanish():
    with translation.override("es"):
        yield


def _fits(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the phone"


@pytest.mark.parametrize("viewport", ["phone_page", "page"])
def test_the_dashboard_draws_its_charts(world, dataset, request, log_in, browser_errors, viewport):
    call_command("figures_refresh", "--year", str(YEAR))  # the page reads cells at once
    page = request.getfixturevalue(viewport)
    log_in(page, world.coordinator, world.password)
    page.goto(f"/figures/?from={YEAR}-01-01&to={YEAR}-12-31")
    page.wait_for_function("document.querySelectorAll('.vt-chart canvas').length > 0")
    drawn = page.evaluate(
        "[...document.querySelectorAll('.vt-chart canvas')].filter(c => Chart.getChart(c)).length"
    )
    assert drawn >= 10
    if viewport == "phone_page":
        _fits(page)
    page.get_by_role("link", name="12").first.click()
    page.wait_for_url("**/figures/records/**")
    assert page.get_by_role("link", name="Dora Pérez Gómez").count() == 1
    assert browser_errors == []


def test_the_analyst_sees_the_charts_without_links(world, dataset, page, log_in, browser_errors):
    call_command("figures_refresh", "--year", str(YEAR))
    log_in(page, world.analyst, world.password)
    page.goto(f"/figures/?from={YEAR}-01-01&to={YEAR}-12-31")
    page.wait_for_function("document.querySelectorAll('.vt-chart canvas').length > 0")
    assert page.locator("a[href*='/figures/records/']").count() == 0
    assert page.get_by_text(tr("How these are counted")).count() == 1
    assert browser_errors == []
