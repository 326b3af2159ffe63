"""A case worker on a phone: open a case from the person page, record the assessment."""

import pytest
from django.utils import translation
from django.utils.translation import gettext as tr  # not "_", which makemessages collects
from playwright.sync_api import expect

from ventanilla.cases.models import Case

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _spanish():
    with translation.override("es"):
        yield


def test_open_and_assess_a_case_on_a_phone(phone_page, log_in, world, make_person, browser_errors):
    person = make_person(given_names="Yolanda", first_surname="Ríos")
    page = phone_page
    log_in(page, world.case_worker, world.password)
    page.goto(f"/registry/persons/{person.uuid}/")
    page.get_by_role("button", name=tr("Open case"), exact=True).click()
    case = Case.objects.get(person=person)
    page.wait_for_url(f"**/cases/{case.uuid}/")
    page.get_by_role("link", name=tr("Assess needs")).click()
    page.get_by_label("Situación migratoria").select_option("in_process")
    page.get_by_label("¿Tiene afiliación al sistema de salud?").select_option("none")
    page.get_by_label("¿Trabaja actualmente?").select_option("no")
    page.get_by_label("Ingreso mensual del hogar").select_option("none")
    page.get_by_label("Tipo de vivienda").select_option("shelter")
    page.get_by_label("¿Siente temor por su seguridad?").select_option("no")
    page.get_by_label("Personas a cargo").fill("2")
    page.get_by_role("button", name=tr("Save assessment")).click()
    page.wait_for_url(f"**/cases/{case.uuid}/")
    expect(page.locator("#case-status")).to_have_text(tr("Assessment"))
    expect(page.get_by_text("Albergue")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, "the case page scrolls sideways on a phone"
    assert browser_errors == []
