"""A person on a phone goes through the regular-pathways questionnaire, without logging in."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/q2-shots")
# Names of answers: none may ever show in an address (history, access logs, Referer).
ANSWER_NAMES = ("country=", "nationality=", "birth_date=", "criminal_record=", "asylum_claim=")


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def no_answer_in_any_url(page) -> list[str]:
    """Records every address the page asks for; the test asserts none carries an answer."""
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def assert_no_answer_in(urls):
    leaked = [url for url in urls if any(name in url for name in ANSWER_NAMES)]
    assert leaked == []


def screenshot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / name, full_page=True)


@pytest.fixture
def today(monkeypatch):
    """The live server's date (it runs in this process): the rules' windows depend on it."""

    def set_today(day):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    return set_today


DATES = {
    "entry_date": "2020-06-01",
    "birth_date": "1990-05-31",
    "in_country_since": "2020-06-01",
    "city_arrival_date": "2020-06-01",
}

CHOICES = {
    "entry_mode": "irregular",
    "criminal_record": "no",
    "asylum_claim": "no",
    "has_job_offer": "no",
}


def fill_step(page):
    """Answers the questions on the page that are still empty."""
    for name, value in DATES.items():
        field = page.locator(f"input[name={name}]:visible")
        if field.count() and not field.input_value():
            field.fill(value)
    for name, value in CHOICES.items():
        radio = page.locator(f"input[name={name}][value={value}]:visible")
        if radio.count():
            radio.check()


def answer_until_results(page):
    """Answers whatever the steps ask until the results show."""
    for _ in range(6):
        if page.get_by_role("heading", name="May fit you", exact=True).count():
            return
        assert no_sideways_scroll(page)
        fill_step(page)
        page.get_by_role("button", name="Continue").click()
        assert not any(name in page.url for name in ANSWER_NAMES)
    expect(page.get_by_role("heading", name="May fit you", exact=True)).to_be_visible()


def test_the_questionnaire_on_a_phone(phone_page, browser_errors, today):
    # January 2026: the PEP Tutor window is open; it asks about a child's PPT.
    today(datetime.date(2026, 1, 15))
    page = phone_page
    urls = no_answer_in_any_url(page)
    page.goto("/pathways/?lang=en")
    expect(page.get_by_text("Orientation only, not a legal decision.")).to_be_visible()
    assert no_sideways_scroll(page)
    page.get_by_label("Your nationality").select_option("VE")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("input[name=children_documents]").first).to_be_visible()
    assert page.url.endswith("/pathways/?lang=en")
    # The asylum question covers fear of return, and the permit's type comes with its expiry.
    expect(page.get_by_text("Are you afraid to go back to your country")).to_be_visible()
    expect(page.get_by_text("Which permit or visa is it?")).to_be_visible()
    page.locator("input[name=children_documents][value=ppt]").check()
    fill_step(page)
    screenshot(page, "step.png")
    page.get_by_role("button", name="Continue").click()
    # A date question for the marked document only.
    issued = page.get_by_label("Your child's PPT (temporary protection permit): date of issue")
    expect(issued).to_be_visible()
    expect(page.locator("input[name=child_issued_pep]")).to_have_count(0)
    issued.fill("2022-01-01")
    assert no_sideways_scroll(page)
    screenshot(page, "step-child-document-dates.png")
    answer_until_results(page)
    fits = page.locator("#group-eligible")
    expect(fits.get_by_text("Colombia: PEP Tutor (special permit for guardians)")).to_be_visible()
    expect(page.get_by_text("Colombia: Temporary Protection Statute (PPT)").first).to_be_attached()
    expect(page.get_by_role("link", name="Free legal aid")).to_be_visible()
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    assert no_sideways_scroll(page)
    screenshot(page, "results.png")

    # Another language: the same results, every answer kept.
    page.get_by_role("button", name="Português").click()
    expect(page.get_by_role("button", name="Imprimir")).to_be_visible()
    expect(fits.get_by_role("heading", name="Colômbia: PEP Tutor")).to_be_visible()
    assert page.url.endswith("/pathways/?lang=pt-br")
    screenshot(page, "results-pt.png")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("button", name="Print")).to_be_visible()

    # Change one answer: every answer is there, prefilled.
    page.get_by_role("button", name="Change my answers").last.click()
    expect(page.locator("input[name=entry_date]")).to_have_value("2020-06-01")
    expect(page.locator("input[name=children_documents][value=ppt]")).to_be_checked()
    issued = page.get_by_label("Your child's PPT (temporary protection permit): date of issue")
    expect(issued).to_have_value("2022-01-01")
    assert no_sideways_scroll(page)
    screenshot(page, "step-change-my-answers.png")
    issued.fill("2024-02-01")  # after 2023-12-31: the PEP Tutor no longer fits
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="May fit you", exact=True)).to_be_visible()
    expect(fits.get_by_text("Colombia: PEP Tutor (special permit for guardians)")).to_have_count(0)

    # The catalog opens in the chosen language, with nothing of the answers.
    page.get_by_role("link", name="Free legal aid").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert "/catalog/?category=legal_aid" in page.url
    assert_no_answer_in(urls)
    assert browser_errors == []


def test_back_and_reload_start_again_without_resending(phone_page, browser_errors):
    page = phone_page
    page.goto("/pathways/?lang=en")
    page.get_by_label("Your nationality").select_option("VE")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Show my results").click()
    expect(page.get_by_role("heading", name="May fit you", exact=True)).to_be_visible()
    page.reload()
    expect(page.get_by_label("Your nationality")).to_have_value("")
    page.go_back()
    expect(page.get_by_label("Your nationality")).to_have_value("")
    assert page.url.endswith("/pathways/?lang=en")
    assert browser_errors == []


def test_own_document_dates_on_a_phone(phone_page, browser_errors, today):
    # June 2023 in Peru: the CPP asks whether a visa was valid on 2023-05-10.
    today(datetime.date(2023, 6, 1))
    page = phone_page
    page.goto("/pathways/?lang=en")
    page.get_by_label("Country where you are").select_option("PE")
    page.get_by_label("Your nationality").select_option("VE")
    page.get_by_role("button", name="Continue").click()
    page.locator("input[name=documents][value=passport]").check()
    page.locator("input[name=documents][value=visa]").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Visa: date of issue")).to_be_visible()
    expect(page.get_by_label("Visa: expiry date")).to_be_visible()
    expect(page.locator("input[name=issued_passport]")).to_have_count(0)
    assert no_sideways_scroll(page)
    screenshot(page, "step-document-dates.png")
    assert browser_errors == []
