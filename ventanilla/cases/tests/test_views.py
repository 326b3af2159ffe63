"""Case screens: who reaches them, what they show, the access log, fixed query counts."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ventanilla.cases import services
from ventanilla.cases.models import Case, Task
from ventanilla.cases.tests.conftest import move
from ventanilla.privacy.models import AccessedPerson, AccessEvent


def client_for(client, user):
    client.force_login(user)
    return client


def detail_url(case):
    return reverse("cases:case_detail", args=[case.uuid])


def test_anonymous_goes_to_login(client, world, make_case):
    case = make_case()
    for url in (reverse("cases:my_cases"), detail_url(case)):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["partner", "analyst", "admin", "outsider", "intake"])
def test_roles_without_cases_get_403(client, world, make_case, name):
    case = make_case()
    client_for(client, getattr(world, name))
    assert client.get(reverse("cases:my_cases")).status_code == 403
    assert client.get(detail_url(case)).status_code == 403
    assert AccessEvent.objects.filter(view="cases.case_detail").count() == 0


@pytest.mark.parametrize("name", ["case_worker", "coordinator", "legal"])
def test_the_case_team_reads_the_case_and_the_read_is_logged(client, world, make_case, name):
    case = make_case()
    response = client_for(client, getattr(world, name)).get(detail_url(case))
    assert response.status_code == 200
    assert case.person.display_name in response.content.decode()
    event = AccessEvent.objects.get(view="cases.case_detail")
    assert event.actor == getattr(world, name)
    assert list(AccessedPerson.objects.filter(event=event).values_list("person_id", flat=True)) == [
        case.person.pk
    ]


def test_an_unknown_case_is_404(client, world):
    import uuid

    response = client_for(client, world.case_worker).get(
        reverse("cases:case_detail", args=[uuid.uuid4()])
    )
    assert response.status_code == 404


def test_specialists_only_notes_are_hidden_from_the_case_worker(client, world, make_case):
    case = make_case()
    services.note_add(actor=world.case_worker, case=case, text="Visible to the team")
    services.note_add(
        actor=world.legal, case=case, text="Only specialists", confidentiality="specialists_only"
    )
    seen = client_for(client, world.case_worker).get(detail_url(case)).content.decode()
    assert "Visible to the team" in seen and "Only specialists" not in seen
    assert 'value="specialists_only"' not in seen  # nor offered to write
    client.force_login(world.legal)
    seen = client.get(detail_url(case)).content.decode()
    assert "Visible to the team" in seen and "Only specialists" in seen


def test_the_person_page_lists_cases_and_opens_one(client, world, make_person):
    person = make_person()
    client_for(client, world.intake)
    page = client.get(reverse("registry:person_detail", args=[person.uuid])).content.decode()
    assert reverse("cases:case_open", args=[person.uuid]) in page
    response = client.post(reverse("cases:case_open", args=[person.uuid]), {"for": "person"})
    assert response.status_code == 302
    case = Case.objects.get(person=person)
    # Intake opens cases but does not work them: back to the person page.
    assert response["Location"] == reverse("registry:person_detail", args=[person.uuid])
    again = client.post(
        reverse("cases:case_open", args=[person.uuid]), {"for": "person"}, follow=True
    )
    assert [m.level_tag for m in again.context["messages"]][-1] == "error"
    assert Case.objects.count() == 1
    page = client.get(reverse("registry:person_detail", args=[person.uuid])).content.decode()
    assert case.get_status_display() in page


def test_partner_sees_no_cases_card(client, world, make_person):
    person = make_person()
    response = client_for(client, world.legal).get(
        reverse("registry:person_detail", args=[person.uuid])
    )
    assert "h-cases" in response.content.decode()  # specialists read cases
    assert reverse("cases:case_open", args=[person.uuid]) not in response.content.decode()


def test_the_case_worker_runs_a_case_through_the_screens(client, world, make_person, answers):
    person = make_person()
    client_for(client, world.case_worker)
    response = client.post(reverse("cases:case_open", args=[person.uuid]), {"for": "person"})
    case = Case.objects.get(person=person)
    assert response["Location"] == detail_url(case) and case.assigned_to == world.case_worker

    form = client.get(reverse("cases:assessment_new", args=[case.uuid]))
    assert form.status_code == 200 and "Situación migratoria" in form.content.decode()
    data = {
        "version": str(case.updated_at),
        "migration_status": "in_process",
        "health_affiliated": "none",
        "work_now": "no",
        "income_monthly_range": "none",
        "housing_type": "shelter",
        "protection_feels_unsafe": "yes",
        "family_dependents": "3",
        "doc_held": ["passport", "ppt"],
        "protection_last_incident": "2026-01-05",
    }
    bad = client.post(
        reverse("cases:assessment_new", args=[case.uuid]), {**data, "housing_type": ""}
    )
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()
    ok = client.post(reverse("cases:assessment_new", args=[case.uuid]), data)
    assert ok.status_code == 302
    case.refresh_from_db()
    assessment = case.assessments.get()
    assert case.status == "assessment"
    assert assessment.answers["work_now"] is False and assessment.answers["doc_held"] == [
        "passport",
        "ppt",
    ]
    assert assessment.answers["protection_last_incident"] == "2026-01-05"
    page = client.get(detail_url(case)).content.decode()
    assert "Albergue" in page  # the answer, in the reader's language

    client.post(
        reverse("cases:case_transition", args=[case.uuid]),
        {"to": "plan", "version": str(case.updated_at)},
    )
    case.refresh_from_db()
    assert case.status == "plan"
    # A stale version: refused with a message, nothing changed.
    stale = client.post(
        reverse("cases:case_transition", args=[case.uuid]),
        {"to": "follow_up", "version": str(assessment.case.created_at)},
        follow=True,
    )
    assert [m.level_tag for m in stale.context["messages"]][-1] == "error"
    refused = client.post(
        reverse("cases:case_transition", args=[case.uuid]), {"to": "closed"}, follow=True
    )
    assert [m.level_tag for m in refused.context["messages"]][-1] == "error"
    case.refresh_from_db()
    assert case.status == "plan"

    client.post(
        reverse("cases:plan_item_add", args=[case.uuid]),
        {"kind": "need", "area": "housing", "priority": "high", "description": "Stable room"},
    )
    client.post(
        reverse("cases:task_add", args=[case.uuid]),
        {
            "title": "Call the shelter",
            "due_date": (timezone.localdate() - timedelta(days=2)).isoformat(),
            "owner": str(world.case_worker.uuid),
        },
    )
    client.post(
        reverse("cases:note_add", args=[case.uuid]), {"text": "Met", "confidentiality": "team"}
    )
    page = client.get(detail_url(case)).content.decode()
    assert "Stable room" in page and "Call the shelter" in page and "list-group-item-danger" in page
    task = Task.objects.get()
    client.post(reverse("cases:task_complete", args=[case.uuid, task.uuid]))
    task.refresh_from_db()
    assert task.done_at is not None

    case = move(case, world.case_worker, "follow_up")
    client.post(
        reverse("cases:case_transition", args=[case.uuid]),
        {"to": "closure_requested", "reason": "Goals met"},
    )
    case.refresh_from_db()
    assert case.status == "closure_requested"
    client.force_login(world.coordinator)
    assert 'name="to" value="closed"' in client.get(detail_url(case)).content.decode()
    assert "Goals met" in client.get(reverse("cases:my_cases")).content.decode()
    client.post(reverse("cases:case_transition", args=[case.uuid]), {"to": "closed"})
    case.refresh_from_db()
    assert case.status == "closed" and case.closure_approved_by == world.coordinator


def test_my_cases_for_the_case_worker(client, world, make_case):
    case = make_case()
    services.task_add(
        actor=world.case_worker,
        case=case,
        title="Overdue thing",
        due_date=timezone.localdate() - timedelta(days=1),
        owner=world.case_worker,
    )
    page = client_for(client, world.case_worker).get(reverse("cases:my_cases")).content.decode()
    assert case.person.display_name in page and "Overdue thing" in page
    assert "h-closures" not in page
    event = AccessEvent.objects.get(view="cases.my_cases")
    assert AccessedPerson.objects.filter(event=event, person=case.person).exists()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _fill(world, case, n):
    for i in range(n):
        services.note_add(actor=world.legal, case=case, text=f"n{i}")
        services.task_add(
            actor=world.case_worker,
            case=case,
            title=f"t{i}",
            due_date=timezone.localdate() - timedelta(days=1),
            owner=world.case_worker,
        )
        services.plan_item_add(actor=world.case_worker, case=case, kind="goal", description="g")


def test_the_case_page_takes_a_fixed_number_of_queries(client, world, make_case, answers):
    case = make_case()
    services.assessment_record(actor=world.case_worker, case=case, answers=answers)
    _fill(world, case, 2)
    client_for(client, world.coordinator)
    client.get(detail_url(case))
    few = _queries(client, detail_url(case))
    _fill(world, case, 15)
    services.assessment_record(actor=world.case_worker, case=case, answers=answers)
    assert _queries(client, detail_url(case)) == few


def test_my_cases_takes_a_fixed_number_of_queries(client, world, make_case, make_person):
    def grow(n):
        for _i in range(n):
            case = make_case()
            _fill(world, case, 1)
            make_case(assigned_to=None)
            waiting = move(make_case(), world.coordinator, "assessment", "plan", "follow_up")
            services.case_request_closure(actor=world.coordinator, case=waiting, reason="ok")

    grow(1)
    client_for(client, world.coordinator)
    client.get(reverse("cases:my_cases"))
    few = _queries(client, reverse("cases:my_cases"))
    grow(6)
    assert _queries(client, reverse("cases:my_cases")) == few


def test_a_household_case_page_logs_every_current_member(client, world, make_person):
    from ventanilla.registry import services as registry

    head = make_person()
    child = make_person(given_names="Luis", birth_date=date(2018, 3, 1))
    household = registry.household_register(
        actor=world.intake, members=[{"person": head, "relationship": "head"}]
    )
    registry.household_add_member(
        actor=world.intake, household=household, person=child, relationship="child"
    )
    client_for(client, world.case_worker)
    response = client.post(reverse("cases:case_open", args=[head.uuid]), {"for": "household"})
    case = Case.objects.get(household=household)
    assert response["Location"] == detail_url(case)
    page = client.get(detail_url(case)).content.decode()
    assert head.display_name in page and child.display_name in page
    event = AccessEvent.objects.filter(view="cases.case_detail").get()
    logged = set(AccessedPerson.objects.filter(event=event).values_list("person_id", flat=True))
    assert logged == {head.pk, child.pk}
