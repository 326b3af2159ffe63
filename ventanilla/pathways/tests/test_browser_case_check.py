"""The navigator inside a case, in a browser on a phone: the case worker runs it from the
case page, reads the result, sees the deadline task on the case, and after a new document
is recorded the case page offers to run it again. Screenshots go to /tmp/pathways_case_*.png."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext as tr  # not "_", which makemessages collects
from playwright.sync_api import expect

from ventanilla.cases import services as case_services
from ventanilla.pathways.models import PathwayCheck
from ventanilla.registry import services as registry

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _spanish():
    with translation.override("es"):
        yield


def test_a_case_worker_runs_the_navigator_on_a_phone(phone_page, log_in, world, make_person):
    expires = timezone.localdate() + timedelta(days=45)
    person = make_person(
        given_names="Rosa",
        nationalities=["PE"],
        documents=[
            {
                "document_type": "foreigner_id",
                "number": "E-4455",
                "issuing_country": "CO",
                "issued_on": expires - timedelta(days=700),
                "expires_on": expires,
            }
        ],
    )
    case = case_services.case_open(
        actor=world.case_worker, person=person, assigned_to=world.case_worker
    )
    page = phone_page
    log_in(page, world.case_worker, world.password)
    page.goto(f"/cases/{case.uuid}/")
    page.get_by_role("link", name=tr("Run the navigator")).click()
    page.wait_for_url(f"**/pathways/cases/{case.uuid}/run/")
    page.get_by_label(tr("How the person entered the country")).select_option("regular")
    page.get_by_label(tr("Criminal record in any country")).select_option("no")
    page.screenshot(path="/tmp/pathways_case_run.png", full_page=True)
    page.get_by_role("button", name=tr("Run the navigator and save")).click()

    check = PathwayCheck.objects.get(case=case)
    page.wait_for_url(f"**/pathways/checks/{check.uuid}/")
    mercosur = page.locator("[data-pathway=mercosur_residence_co]")
    expect(mercosur).to_have_attribute("data-status", "eligible")
    expect(mercosur).to_contain_text(tr("Tasks created"))
    expect(page.locator("[data-pathway=co_ppt]")).to_have_attribute("data-status", "closed")
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    page.screenshot(path="/tmp/pathways_case_result.png", full_page=True)

    # The deadline is now a task of the case, and the case page links the check.
    page.goto(f"/cases/{case.uuid}/")
    tasks = page.locator("section[aria-labelledby=h-tasks]")
    expect(tasks).to_contain_text("MERCOSUR")
    expect(page.locator("#pathways")).to_be_visible()
    expect(page.locator("#pathways-changed")).to_have_count(0)

    # A new document on the person's record: the case page offers to run it again.
    registry.document_add(
        actor=world.intake,
        person=person,
        data={"document_type": "passport", "number": "P-9", "issuing_country": "PE"},
    )
    page.reload()
    expect(page.locator("#pathways-changed")).to_be_visible()
    page.locator("#pathways-changed").get_by_role("link").click()
    page.wait_for_url(f"**/pathways/cases/{case.uuid}/run/**")
