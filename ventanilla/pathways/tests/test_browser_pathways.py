"""A person on a phone goes through the regular-pathways questionnaire, without logging in."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_questionnaire_on_a_phone(phone_page, browser_errors):
    page = phone_page
    page.goto("/pathways/?lang=en")
    expect(page.get_by_text("Orientation only, not a legal decision.")).to_be_visible()
    assert no_sideways_scroll(page)
    page.get_by_label("Your nationality").select_option("VE")
    page.get_by_role("button", name="Continue").click()
    # Answer whatever the steps ask until the results show.
    for _ in range(6):
        if page.get_by_role("heading", name="May fit you", exact=True).count():
            break
        assert no_sideways_scroll(page)
        for name, value in (
            ("entry_date", "2020-06-01"),
            ("birth_date", "1990-05-31"),
            ("in_country_since", "2020-06-01"),
            ("city_arrival_date", "2020-06-01"),
        ):
            if page.locator(f"input[name={name}]").count():
                page.locator(f"input[name={name}]").fill(value)
        for name in ("entry_mode", "criminal_record", "asylum_claim", "has_job_offer"):
            radios = page.locator(f"input[name={name}]")
            if radios.count():
                radios.first.check()
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="May fit you", exact=True)).to_be_visible()
    expect(page.get_by_text("Colombia: Temporary Protection Statute (PPT)").first).to_be_attached()
    expect(page.get_by_role("link", name="Free legal aid")).to_be_visible()
    assert no_sideways_scroll(page)
    page.screenshot(path="/tmp/pw_results.png", full_page=True)
    assert browser_errors == []
