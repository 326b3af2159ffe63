"""A referral end to end: the case worker assesses, plans and refers; the partner (on a
phone) accepts and completes; the case worker sees the outcome and asks to close; the
coordinator approves. Screenshots of the key screens go to /tmp/flow_*.png."""

import pytest
from django.utils import translation
from django.utils.translation import gettext as tr  # not "_", which makemessages collects
from playwright.sync_api import expect

from ventanilla.cases.choices import CaseStatus
from ventanilla.cases.models import Case, Referral
from ventanilla.cases.tests.conftest import CONSENT

pytestmark = pytest.mark.browser

SHOTS = "/tmp/flow_{}.png"


@pytest.fixture(autouse=True)
def _spanish():
    with translation.override("es"):
        yield


def no_sideways_scroll(page) -> bool:
    return not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_a_referral_from_need_to_closed_case(
    new_page, log_in, world, make_person, make_service, browser_errors
):
    from ventanilla.conftest import PHONE

    person = make_person(given_names="Yolanda", first_surname="Ríos", consents=CONSENT)
    service = make_service(name_es="Orientación jurídica migratoria")

    # The case worker opens the case, answers the assessment and adds a need.
    worker = new_page()
    log_in(worker, world.case_worker, world.password)
    worker.goto(f"/registry/persons/{person.uuid}/")
    worker.get_by_role("button", name=tr("Open case"), exact=True).click()
    case = Case.objects.get(person=person)
    worker.wait_for_url(f"**/cases/{case.uuid}/")
    worker.get_by_role("link", name=tr("Assess needs")).click()
    worker.get_by_label("Situación migratoria").select_option("in_process")
    worker.get_by_label("¿Tiene afiliación al sistema de salud?").select_option("none")
    worker.get_by_label("¿Trabaja actualmente?").select_option("no")
    worker.get_by_label("Ingreso mensual del hogar").select_option("none")
    worker.get_by_label("Tipo de vivienda").select_option("shelter")
    worker.get_by_label("¿Siente temor por su seguridad?").select_option("no")
    worker.get_by_label("Personas a cargo").fill("2")
    worker.get_by_role("button", name=tr("Save assessment")).click()
    worker.wait_for_url(f"**/cases/{case.uuid}/")
    expect(worker.locator("#case-status")).to_have_text(tr("Assessment"))

    plan = worker.locator("section[aria-labelledby=h-plan]")
    plan.get_by_label(tr("Kind")).select_option("need")
    plan.get_by_label(tr("Area")).select_option("documentation")
    plan.get_by_label(tr("Description")).fill("Regularizar su situación migratoria (PPT)")
    plan.get_by_role("button", name=tr("Add to the plan")).click()
    expect(plan.get_by_text("Regularizar su situación migratoria (PPT)")).to_be_visible()

    # The referral to the partner's catalog service (the person consented).
    referrals = worker.locator("#referrals")
    referrals.get_by_label(tr("Service (catalog)")).select_option(str(service.uuid))
    referrals.get_by_label(person.full_name).check()
    referrals.get_by_label(tr("Summary for the receiving organization")).fill(
        "Necesita orientación para el PPT."
    )
    referrals.get_by_role("button", name=tr("Send referral")).click()
    expect(referrals.get_by_text(str(tr("Sent")), exact=True)).to_be_visible()
    worker.screenshot(path=SHOTS.format("1_case_worker_sent"), full_page=True)
    referral = Referral.objects.get(case=case)
    assert referral.service == service and referral.status == "sent"

    # The partner, on a phone: the inbox shows it as new; accept, then complete.
    partner = new_page(viewport=PHONE)
    log_in(partner, world.partner, world.password)
    partner.goto("/cases/referrals/")
    new = partner.locator("section[aria-labelledby=h-new]")
    expect(new.get_by_role("link", name=person.display_name)).to_be_visible()
    assert no_sideways_scroll(partner), "the inbox scrolls sideways on a phone"
    partner.screenshot(path=SHOTS.format("2_partner_inbox"), full_page=True)
    new.get_by_role("link", name=person.display_name).click()
    partner.wait_for_url(f"**/cases/referrals/{referral.uuid}/")
    partner.get_by_role("button", name=tr("Accept")).click()
    expect(partner.get_by_label(tr("Outcome"))).to_be_visible()
    partner.get_by_label(tr("Outcome")).fill("Radicó la solicitud del PPT con acompañamiento.")
    partner.get_by_role("button", name=tr("Complete")).click()
    expect(partner.get_by_text("Radicó la solicitud del PPT con acompañamiento.")).to_be_visible()
    assert no_sideways_scroll(partner), "the referral page scrolls sideways on a phone"
    partner.screenshot(path=SHOTS.format("3_partner_completed"), full_page=True)
    referral.refresh_from_db()
    assert referral.status == "completed" and referral.answered_by == world.partner

    # The case worker sees the outcome, moves the case on and asks to close it.
    worker.goto(f"/cases/{case.uuid}/")
    expect(worker.locator("#referrals")).to_contain_text(
        "Radicó la solicitud del PPT con acompañamiento."
    )
    for status in ("plan", "follow_up"):
        label = str(CaseStatus(status).label)
        worker.get_by_role("button", name=tr("Move to “%(label)s”") % {"label": label}).click()
        expect(worker.locator("#case-status")).to_have_text(label)
    worker.get_by_label(tr("Reason for closing")).fill("Se cumplió el objetivo del plan.")
    worker.get_by_role("button", name=tr("Request closure")).click()
    expect(worker.locator("#case-status")).to_have_text(tr("Closure requested"))
    worker.screenshot(path=SHOTS.format("4_closure_requested"), full_page=True)

    # The coordinator approves the closure.
    coordinator = new_page()
    log_in(coordinator, world.coordinator, world.password)
    coordinator.goto(f"/cases/{case.uuid}/")
    coordinator.get_by_role("button", name=tr("Approve closure")).click()
    expect(coordinator.locator("#case-status")).to_have_text(tr("Closed"))
    coordinator.screenshot(path=SHOTS.format("5_closed"), full_page=True)
    case.refresh_from_db()
    assert case.status == "closed" and case.closure_approved_by == world.coordinator
    assert browser_errors == []
