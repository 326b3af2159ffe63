"""The navigator inside a case: facts from the records, snapshots, deadline tasks, re-runs."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from ventanilla.cases import services as case_services
from ventanilla.cases.models import Task
from ventanilla.core.exceptions import InvalidInput, PermissionDenied
from ventanilla.core.models import AuditEvent
from ventanilla.pathways import selectors, services
from ventanilla.pathways.models import PathwayCheck
from ventanilla.privacy.models import AccessEvent
from ventanilla.registry import services as registry


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Services and screens in English (screens follow the language cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def _open_case(world, person):
    return case_services.case_open(
        actor=world.case_worker, person=person, assigned_to=world.case_worker
    )


def _permit(expires, number="E-100"):
    return {
        "document_type": "foreigner_id",
        "number": number,
        "issuing_country": "CO",
        "issued_on": expires - timedelta(days=700),
        "expires_on": expires,
    }


@pytest.fixture
def peruvian(world, make_person):
    """A Peruvian in Colombia whose residence permit expires in 60 days."""
    today = timezone.localdate()
    person = make_person(
        nationalities=["PE"],
        arrival_country_date=date(2024, 3, 1),
        documents=[_permit(today + timedelta(days=60))],
    )
    return person, _open_case(world, person)


def test_records_facts_read_the_registry_household_and_assessment(world, make_person):
    head = make_person(
        nationalities=["VE"],
        birth_date=date(1988, 2, 3),
        arrival_country_date=date(2020, 6, 1),
        arrival_city_date=date(2021, 1, 15),
        documents=[
            {
                "document_type": "ppt",
                "number": "PPT-1",
                "issuing_country": "CO",
                "issued_on": date(2022, 1, 10),
                "expires_on": date(2031, 5, 30),
            }
        ],
    )
    child = make_person(
        given_names="Ana",
        birth_date=date(2015, 4, 4),
        documents=[
            {
                "document_type": "ppt",
                "number": "PPT-2",
                "issuing_country": "CO",
                "issued_on": date(2022, 3, 1),
            }
        ],
    )
    registry.household_register(
        actor=world.intake,
        members=[
            {"person": head, "relationship": "head"},
            {"person": child, "relationship": "child"},
        ],
    )
    case = _open_case(world, head)
    case_services.assessment_record(
        actor=world.case_worker,
        case=case,
        answers={
            "migration_status": "asylum_seeker",
            "doc_held": ["passport", "ppt"],
            "health_affiliated": "none",
            "work_now": False,
            "income_monthly_range": "none",
            "housing_type": "rented",
            "protection_feels_unsafe": False,
            "family_dependents": 1,
        },
    )
    records = selectors.records_facts(person=head, case=case)
    facts, sources = records["facts"], records["sources"]
    assert facts["nationalities"] == ["VE"]
    assert facts["birth_date"] == "1988-02-03"
    assert facts["entry_date"] == facts["in_country_since"] == "2020-06-01"
    assert facts["city_arrival_date"] == "2021-01-15"
    # The registry's PPT with its dates, then the passport the assessment adds (no dates).
    assert facts["documents"][0] == {
        "type": "ppt",
        "issuing_country": "CO",
        "issued": "2022-01-10",
        "expires": "2031-05-30",
    }
    assert facts["documents"][1:] == [{"type": "passport"}]
    assert facts["current_residence_permit"] == {"type": "ppt", "expires": "2031-05-30"}
    assert facts["asylum_claim"] is True and sources["asylum_claim"] == "assessment"
    assert facts["children"] == [
        {
            "birth_date": "2015-04-04",
            "documents": [{"type": "ppt", "issuing_country": "CO", "issued": "2022-03-01"}],
        }
    ]
    assert sources["children"] == "household"
    assert "entry_mode" not in facts and "criminal_record" not in facts


def test_nothing_recorded_means_missing_not_no(world, make_person):
    person = make_person(nationalities=[], birth_date=None)
    case = _open_case(world, person)
    facts = selectors.records_facts(person=person, case=case)["facts"]
    # No household: children unknown; no documents: documents unknown.
    assert "children" not in facts and "documents" not in facts
    assert "nationalities" not in facts and "birth_date" not in facts


def test_a_run_saves_a_snapshot_in_three_languages_and_is_audited(world, peruvian):
    person, case = peruvian
    check = services.pathway_check_run(
        actor=world.case_worker,
        case=case,
        person=person,
        country="CO",
        answers={"entry_mode": "regular", "criminal_record": False, "asylum_claim": None},
    )
    assert check.rules_version == selectors.rules_version() and len(check.rules_version) == 12
    assert set(check.results) == {"es", "en", "pt"}
    by_id = {r["pathway"]: r for r in check.results["en"]}
    assert by_id["mercosur_residence_co"]["status"] == "eligible"
    assert by_id["andean_statute_co"]["status"] == "eligible"
    assert by_id["co_ppt"]["status"] == "closed"
    assert by_id["co_visa_v_special"]["status"] == "not_eligible"  # Venezuelans only
    assert (
        by_id["co_ppt"]["name"] != {r["pathway"]: r for r in check.results["es"]}["co_ppt"]["name"]
    )
    assert check.answers == {"entry_mode": "regular", "criminal_record": False}
    assert check.profile["entry_mode"] == "regular"
    assert check.profile["nationalities"] == ["PE"]
    event = AuditEvent.objects.get(action="pathways.check.run")
    assert event.person_id == person.pk
    assert event.changes["statuses"]["mercosur_residence_co"] == "eligible"


def test_deadlines_become_case_tasks_once(world, peruvian):
    person, case = peruvian
    expires = timezone.localdate() + timedelta(days=60)
    check = services.pathway_check_run(
        actor=world.case_worker, case=case, person=person, country="CO", answers={}
    )
    links = list(check.deadline_tasks.select_related("task"))
    pathways = {link.pathway for link in links}
    assert {"mercosur_residence_co", "andean_statute_co"} <= pathways
    for link in links:
        assert link.task.case == case and link.task.owner == world.case_worker
        assert link.task.due_date == link.window_to
    mercosur = next(link for link in links if link.pathway == "mercosur_residence_co")
    assert mercosur.window_to == expires and mercosur.window_from == expires - timedelta(days=90)
    assert "MERCOSUR" in mercosur.task.title
    # Not-eligible pathways give no tasks.
    assert "co_ppt" not in pathways
    count = Task.objects.filter(case=case).count()

    # A second run repeats no task, not even one already done.
    case_services.task_complete(actor=world.case_worker, task=mercosur.task)
    again = services.pathway_check_run(
        actor=world.case_worker, case=case, person=person, country="CO", answers={}
    )
    assert again.deadline_tasks.count() == 0
    assert Task.objects.filter(case=case).count() == count


def test_a_new_permit_gives_new_deadlines(world, peruvian):
    person, case = peruvian
    services.pathway_check_run(
        actor=world.case_worker, case=case, person=person, country="CO", answers={}
    )
    later = timezone.localdate() + timedelta(days=30)
    again = services.pathway_check_run(
        actor=world.case_worker,
        case=case,
        person=person,
        country="CO",
        answers={"permit_expires": later},
    )
    assert {link.window_to for link in again.deadline_tasks.all()} == {later}


@pytest.mark.parametrize("name", ["legal", "intake", "partner", "analyst"])
def test_roles_that_do_not_run_it_are_refused(world, peruvian, name):
    person, case = peruvian
    with pytest.raises(PermissionDenied):
        services.pathway_check_run(
            actor=getattr(world, name), case=case, person=person, country="CO", answers={}
        )
    assert not PathwayCheck.objects.exists()


def test_bad_input_is_refused_and_changes_nothing(world, peruvian, make_person):
    person, case = peruvian
    with pytest.raises(InvalidInput, match="country"):
        services.pathway_check_run(
            actor=world.case_worker, case=case, person=person, country="ZZ", answers={}
        )
    stranger = make_person()
    with pytest.raises(InvalidInput, match="not part of the case"):
        services.pathway_check_run(
            actor=world.case_worker, case=case, person=stranger, country="CO", answers={}
        )
    assert not PathwayCheck.objects.exists() and not Task.objects.exists()


def test_a_closed_case_is_refused(world, peruvian):
    person, case = peruvian
    case.status, case.closure_reason = "closed", "Done"
    case.save(update_fields=["status", "closure_reason"])
    with pytest.raises(InvalidInput, match="closed"):
        services.pathway_check_run(
            actor=world.coordinator, case=case, person=person, country="CO", answers={}
        )
    assert not PathwayCheck.objects.exists()


def test_stale_rules_are_flagged_on_the_snapshot(world, peruvian, settings):
    person, case = peruvian
    settings.VENTANILLA_PATHWAYS_STALE_DAYS = 0
    check = services.pathway_check_run(
        actor=world.case_worker,
        case=case,
        person=person,
        country="CO",
        answers={},
        on=timezone.localdate() + timedelta(days=400),
    )
    assert check.stale_rules is True
    assert all(r["source"]["stale_rules"] for r in check.results["es"])


# --- screens ----------------------------------------------------------------------------


def test_the_run_page_shows_the_records_and_saves_a_check(client, world, peruvian):
    person, case = peruvian
    client.force_login(world.case_worker)
    url = reverse("pathways:check_run", args=[case.uuid])
    page = client.get(url)
    assert page.status_code == 200
    assert b"2024-03-01" in page.content  # arrival date, from the record
    assert AccessEvent.objects.filter(view="pathways.check_run").exists()
    response = client.post(
        url,
        {
            "country": "CO",
            "person": str(person.uuid),
            "entry_mode": "regular",
            "criminal_record": "no",
            "asylum_claim": "",
            "has_job_offer": "",
            "entry_date": "2024-03-01",
            "permit_expires": "",
        },
    )
    check = PathwayCheck.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("pathways:check_detail", args=[check.uuid])
    # The entry date only repeats the record: it is not kept as an interview answer.
    assert check.answers == {"entry_mode": "regular", "criminal_record": False}
    assert check.profile["entry_date"] == "2024-03-01"
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert b"MERCOSUR residence in Colombia" in detail.content
    assert check.rules_version.encode() in detail.content
    assert AccessEvent.objects.filter(view="pathways.check_detail").exists()
    # The case page shows the latest check.
    case_page = client.get(reverse("cases:case_detail", args=[case.uuid]))
    assert reverse("pathways:check_detail", args=[check.uuid]).encode() in case_page.content
    assert b"pathways-changed" not in case_page.content


def test_a_future_entry_date_is_refused_on_screen(client, world, peruvian):
    person, case = peruvian
    client.force_login(world.case_worker)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(
        reverse("pathways:check_run", args=[case.uuid]),
        {"country": "CO", "person": str(person.uuid), "entry_date": future},
    )
    assert response.status_code == 200
    assert b"cannot be in the future" in response.content
    assert not PathwayCheck.objects.exists()


def test_a_document_change_offers_to_run_it_again(client, world, peruvian):
    person, case = peruvian
    check = services.pathway_check_run(
        actor=world.case_worker, case=case, person=person, country="CO", answers={}
    )
    registry.document_add(
        actor=world.intake,
        person=person,
        data={"document_type": "passport", "number": "P-555", "issuing_country": "PE"},
    )
    assert selectors.changed_facts(check, person=person, case=case) == ["documents"]
    client.force_login(world.case_worker)
    page = client.get(reverse("cases:case_detail", args=[case.uuid]))
    assert b"pathways-changed" in page.content
    assert b"documents held" in page.content
    assert reverse("pathways:check_run", args=[case.uuid]).encode() in page.content


@pytest.mark.parametrize("name", ["partner", "analyst", "intake", "admin"])
def test_other_roles_cannot_open_the_run_page_or_a_check(client, world, peruvian, name):
    person, case = peruvian
    check = services.pathway_check_run(
        actor=world.case_worker, case=case, person=person, country="CO", answers={}
    )
    client.force_login(getattr(world, name))
    assert client.get(reverse("pathways:check_run", args=[case.uuid])).status_code == 403
    assert client.get(reverse("pathways:check_detail", args=[check.uuid])).status_code == 403


def test_the_legal_specialist_reads_a_check_but_cannot_run(client, world, peruvian):
    person, case = peruvian
    check = services.pathway_check_run(
        actor=world.case_worker, case=case, person=person, country="CO", answers={}
    )
    client.force_login(world.legal)
    assert client.get(reverse("pathways:check_detail", args=[check.uuid])).status_code == 200
    assert client.get(reverse("pathways:check_run", args=[case.uuid])).status_code == 403


def test_an_unknown_check_is_404(client, world):
    import uuid

    client.force_login(world.case_worker)
    url = reverse("pathways:check_detail", args=[uuid.uuid4()])
    assert client.get(url).status_code == 404


# --- review fixes: permit types, date bounds, full snapshots, visible errors ----------------


def _visa(expires):
    return {
        "document_type": "visa",
        "number": "V-1",
        "issuing_country": "CO",
        "issued_on": expires - timedelta(days=300),
        "expires_on": expires,
    }


def test_the_current_permit_carries_its_rule_type(world, peruvian, make_person):
    person, case = peruvian
    facts = selectors.records_facts(person=person, case=case)["facts"]
    # A foreigner ID card is what the rules call a residence permit.
    assert facts["current_residence_permit"]["type"] == "residence_permit"


def test_a_visa_gives_no_residence_permanence_tasks(world, make_person):
    expires = timezone.localdate() + timedelta(days=60)
    person = make_person(nationalities=["PE"], documents=[_visa(expires)])
    case = _open_case(world, person)
    check = services.pathway_check_run(
        actor=world.case_worker, case=case, person=person, country="CO", answers={}
    )
    by_id = {r["pathway"]: r for r in check.results["en"]}
    assert by_id["mercosur_residence_co"]["status"] == "eligible"
    assert by_id["mercosur_residence_co"]["deadlines"] == []
    assert not check.deadline_tasks.exists()
    # The case worker says the permit is in fact a residence permit: now the windows open.
    again = services.pathway_check_run(
        actor=world.case_worker,
        case=case,
        person=person,
        country="CO",
        answers={"permit_type": "residence_permit"},
    )
    assert again.answers == {"permit_type": "residence_permit"}
    assert again.profile["current_residence_permit"]["type"] == "residence_permit"
    assert {link.pathway for link in again.deadline_tasks.all()} == {
        "mercosur_residence_co",
        "andean_statute_co",
    }


def test_a_ppt_holder_gets_the_ppt_task_although_registration_closed(world, make_person):
    expires = timezone.localdate() + timedelta(days=60)
    ppt = {
        "document_type": "ppt",
        "number": "PPT-9",
        "issuing_country": "CO",
        "issued_on": date(2022, 1, 10),
        "expires_on": expires,
    }
    person = make_person(nationalities=["VE"], documents=[ppt])
    case = _open_case(world, person)
    check = services.pathway_check_run(
        actor=world.case_worker, case=case, person=person, country="CO", answers={}
    )
    by_id = {r["pathway"]: r for r in check.results["en"]}
    assert by_id["co_ppt"]["status"] == "closed"
    links = list(check.deadline_tasks.all())
    assert [(link.pathway, link.kind, link.window_to) for link in links] == [
        ("co_ppt", "follows", expires)
    ]


def test_application_windows_give_tasks_only_if_the_pathway_may_fit(world, peruvian):
    person, case = peruvian
    check = services.pathway_check_run(
        actor=world.case_worker,
        case=case,
        person=person,
        country="CO",
        answers={},
        on=date(2026, 1, 15),  # PEP Tutor's application window is open
    )
    tutor = {r["pathway"]: r for r in check.results["en"]}["co_pep_tutor"]
    assert tutor["status"] == "not_eligible"
    assert tutor["deadlines"][0]["kind"] == "application_window"
    assert not check.deadline_tasks.filter(pathway="co_pep_tutor").exists()


def test_a_permit_expiring_in_year_1_on_the_record_does_not_crash(world, make_person):
    permit = {
        "document_type": "foreigner_id",
        "number": "E-1",
        "issuing_country": "CO",
        "expires_on": date(1, 1, 2),
    }
    person = make_person(nationalities=["PE"], documents=[permit])
    case = _open_case(world, person)
    check = services.pathway_check_run(
        actor=world.case_worker, case=case, person=person, country="CO", answers={}
    )
    by_id = {r["pathway"]: r for r in check.results["en"]}
    assert by_id["mercosur_residence_co"]["deadlines"] == []


@pytest.mark.parametrize("field", ["permit_expires", "entry_date"])
@pytest.mark.parametrize("value", ["0001-01-02", "1899-12-31"])
def test_dates_before_1900_are_refused_on_screen(client, world, peruvian, field, value):
    person, case = peruvian
    client.force_login(world.case_worker)
    response = client.post(
        reverse("pathways:check_run", args=[case.uuid]),
        {"country": "CO", "person": str(person.uuid), field: value},
    )
    assert response.status_code == 200
    assert b"Enter a date from 1900 onwards" in response.content
    assert not PathwayCheck.objects.exists()


def test_the_run_page_asks_the_permit_type_prefilled_from_the_records(client, world, peruvian):
    person, case = peruvian
    client.force_login(world.case_worker)
    page = client.get(reverse("pathways:check_run", args=[case.uuid]))
    assert b'name="permit_type"' in page.content
    assert b'<option value="residence_permit" selected>' in page.content


def test_an_unknown_person_is_shown_as_an_error(client, world, peruvian):
    person, case = peruvian
    client.force_login(world.case_worker)
    response = client.post(
        reverse("pathways:check_run", args=[case.uuid]),
        {"country": "CO", "person": "00000000-0000-0000-0000-000000000000"},
    )
    assert response.status_code == 200
    assert b"alert-danger" in response.content
    assert b"Select a valid choice" in response.content
    assert not PathwayCheck.objects.exists()


def test_a_check_keeps_what_to_bring_and_where_as_they_were(client, world, peruvian):
    person, case = peruvian
    check = services.pathway_check_run(
        actor=world.case_worker, case=case, person=person, country="CO", answers={}
    )
    rule = selectors.rules_by_id()["mercosur_residence_co"]
    for lang in ("es", "en", "pt"):
        saved = {r["pathway"]: r for r in check.results[lang]}["mercosur_residence_co"]
        assert saved["summary"] == rule["summary"][lang]
        assert saved["documents"] == [d[lang] for d in rule["documents"]]
        assert saved["fees"] == [f[lang] for f in rule.get("fees") or []]
        assert saved["where"] == rule["where"][lang]
        assert saved["grants"] == {
            "work": rule["grants"]["work"],
            "health": rule["grants"]["health"],
            "education": rule["grants"]["education"],
            "duration": rule["grants"]["duration"][lang],
        }
    # The page reads the snapshot, not today's rule file...
    for result in check.results["en"]:
        if result["pathway"] == "mercosur_residence_co":
            result["documents"] = ["A document the rules asked for back then"]
            result["where"] = "An office that has since moved"
    check.save()
    client.force_login(world.case_worker)
    url = reverse("pathways:check_detail", args=[check.uuid])
    page = client.get(url).content.decode()
    assert "A document the rules asked for back then" in page
    assert "An office that has since moved" in page
    # ...and a check saved before snapshots held them falls back to the rule file.
    for result in check.results["en"]:
        for key in ("summary", "documents", "fees", "where", "grants"):
            result.pop(key)
    check.save()
    page = client.get(url).content.decode()
    assert rule["where"]["en"] in page
