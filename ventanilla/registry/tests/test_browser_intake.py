"""The intake worker's first visit, end to end in a real browser: search, register the
household from the empty result, record the visit, see it on the person's page."""

import pytest
from django.utils import translation
from django.utils.translation import gettext as tr  # not "_", which makemessages collects
from playwright.sync_api import expect

from ventanilla.registry.choices import VisitReason
from ventanilla.registry.models import Household, IdentityDocument, Person, Visit

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _spanish():
    # The browser asks for es-CO; the labels the test looks for are the same translations.
    with translation.override("es"):
        yield


def _fill_member(
    member,
    *,
    relationship,
    given_names,
    first_surname,
    second_surname="",
    birth_date=None,
    approximate_age=None,
    sex,
    population_group="settled",
):
    member.get_by_label(tr("Relationship to the head")).select_option(relationship)
    member.get_by_role("textbox", name=tr("Given names"), exact=True).fill(given_names)
    member.get_by_label(tr("First surname")).fill(first_surname)
    member.get_by_label(tr("Second surname")).fill(second_surname)
    if birth_date:
        member.get_by_label(tr("Date of birth")).fill(birth_date)
    else:
        member.get_by_label(tr("or approximate age")).fill(str(approximate_age))
    member.get_by_label(tr("Sex")).select_option(sex)
    member.get_by_label(tr("Population group")).select_option(population_group)


def _add_member(page):
    members = page.locator("#members .vt-member")
    count = members.count()
    page.get_by_role("button", name=tr("Add member")).click()
    expect(members).to_have_count(count + 1)  # loaded through htmx
    return members.nth(count)


def test_intake_registers_a_household_and_records_a_visit(world, page, log_in, browser_errors):
    log_in(page, world.intake, world.password)

    # Search before registering: nobody is called that yet.
    search = page.get_by_label(tr("Name, document or phone"))
    search.press_sequentially("wilmer ocampo rengifo", delay=15)
    expect(page.locator("#results [role=status]")).to_be_visible()  # search-as-you-type
    page.get_by_role("link", name=tr("Register a new person or household")).click()

    # The typed name is carried into the first member.
    head = page.locator("#members .vt-member").first
    expect(head.get_by_role("textbox", name=tr("Given names"), exact=True)).to_have_value("Wilmer")
    expect(head.get_by_label(tr("First surname"))).to_have_value("Ocampo")
    expect(head.get_by_label(tr("Second surname"))).to_have_value("Rengifo")
    expect(head.get_by_label(tr("Relationship to the head"))).to_have_value("head")
    _fill_member(
        head,
        relationship="head",
        given_names="Wilmer",
        first_surname="Ocampo",
        second_surname="Rengifo",
        birth_date="1988-04-12",
        sex="male",
    )
    head.get_by_label(tr("Document type")).select_option("ve_cedula")
    head.get_by_label(tr("Document number")).fill("20111222")
    head.get_by_label(tr("Issued by")).select_option("VE")

    _fill_member(
        _add_member(page),
        relationship="spouse",
        given_names="Yuleisy",
        first_surname="Marín",
        approximate_age=34,
        sex="female",
    )
    _fill_member(
        _add_member(page),
        relationship="child",
        given_names="Santiago",
        first_surname="Ocampo",
        second_surname="Marín",
        birth_date="2016-09-03",
        sex="male",
    )
    page.get_by_label(tr("Locality")).select_option(label=world.locality.name)
    page.get_by_role("button", name=tr("Save household")).click()

    # After registering, the visit form of the head of household.
    expect(page.get_by_role("heading", name=tr("Record visit"))).to_be_visible()
    page.get_by_label(tr("Attention point")).select_option(label=str(world.point))
    page.get_by_label(str(VisitReason.DOCUMENTATION.label), exact=True).check()
    page.get_by_label(str(VisitReason.LEGAL.label), exact=True).check()
    page.get_by_role("button", name=tr("Save visit")).click()

    # The person's page shows the visit.
    expect(page.get_by_role("heading", level=1)).to_have_text("Wilmer Ocampo Rengifo")
    visits = page.get_by_role("region", name=tr("Visits"))
    expect(visits).to_contain_text(str(VisitReason.DOCUMENTATION.label))
    expect(visits).to_contain_text(str(VisitReason.LEGAL.label))

    assert Person.objects.count() == 3
    assert Household.objects.count() == 1
    wilmer = Person.objects.get(given_names="Wilmer")
    assert IdentityDocument.objects.filter(person=wilmer, number__contains="20111222").exists()
    assert Person.objects.get(given_names="Yuleisy").birth_date_estimated
    visit = Visit.objects.get()
    assert sorted(visit.reasons) == ["documentation", "legal"]
    assert list(visit.persons.all()) == [wilmer]
    assert browser_errors == []


def _assert_fits_the_phone(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the phone"
    expect(page.locator("#nav-main")).to_be_hidden()  # the navbar is collapsed...
    toggler = page.get_by_role("button", name=tr("Menu"))
    expect(toggler).to_be_visible()  # ...behind the toggler
    toggler.click()
    expect(page.get_by_role("link", name=tr("Search"), exact=True)).to_be_visible()


def test_search_and_person_pages_fit_a_phone(
    world, make_person, phone_page, log_in, browser_errors
):
    person = make_person(
        documents=[{"document_type": "passport", "number": "AB1234567", "issuing_country": "VE"}]
    )
    page = phone_page
    log_in(page, world.intake, world.password)

    page.goto("/registry/?q=maria+perez")
    expect(page.get_by_role("link", name=person.display_name)).to_be_visible()
    _assert_fits_the_phone(page)

    page.goto(f"/registry/persons/{person.uuid}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(person.display_name)
    _assert_fits_the_phone(page)
    assert browser_errors == []
