"""Mobile-unit staff record attendance on a phone (390 px): search and add a registered
person, fill the anonymous grid, see the totals; nothing wider than the screen."""

import pytest
from django.utils import translation
from django.utils.translation import gettext as tr  # not "_", which makemessages collects
from playwright.sync_api import expect

from ventanilla.outreach.models import AnonymousAttendance, SessionAttendance

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _spanish():
    with translation.override("es"):
        yield


def _fits(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the phone"


def test_attendance_on_a_phone(
    world, make_session, make_person, phone_page, log_in, browser_errors
):
    session = make_session()
    person = make_person(given_names="Yuleisy", first_surname="Marcano")
    page = phone_page
    log_in(page, world.intake, world.password)
    page.goto(f"/outreach/{session.uuid}/")
    _fits(page)
    page.get_by_label(tr("Find a registered person")).fill("yuleisy marcano")
    results = page.locator("#search-results")
    expect(results.get_by_text(person.display_name)).to_be_visible()  # loaded through htmx
    results.get_by_role("button", name=tr("Add")).click()
    expect(page.get_by_role("link", name=person.display_name)).to_be_visible()
    assert SessionAttendance.objects.filter(session=session, person=person).exists()
    female = str(tr("Female"))
    page.get_by_label(f"{female}, {tr('18 to 29')}").fill("6")
    page.get_by_role("button", name=tr("Save counts")).click()
    expect(page.get_by_role("heading", name=tr("Attendance"))).to_contain_text("7")
    assert AnonymousAttendance.objects.get(session=session).count == 6
    _fits(page)
    assert browser_errors == []
