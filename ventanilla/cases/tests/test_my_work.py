"""The "my work" page: one section per role, bounded lists, partner isolation, access log."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ventanilla.accounts.choices import Role
from ventanilla.accounts.services import user_create
from ventanilla.cases import selectors, services
from ventanilla.cases.models import Referral
from ventanilla.cases.tests.conftest import CONSENT, move
from ventanilla.privacy.models import AccessedPerson, AccessEvent
from ventanilla.registry import selectors as registry_selectors
from ventanilla.registry.services import visit_record

URL = "/work/"


def page(client, user, **params) -> str:
    """The page as the user reads it, in English (the tests' language)."""
    client.force_login(user)
    response = client.get(URL, params, headers={"accept-language": "en"})
    assert response.status_code == 200
    return response.content.decode()


def visit(world, person, *, actor=None, at=None, point=None):
    return visit_record(
        actor=actor or world.intake,
        persons=[person],
        attention_point=point or world.point,
        reasons=["documentation"],
        occurred_at=at,
    )


def overdue(referral, days=2):
    Referral.objects.filter(pk=referral.pk).update(
        due_date=timezone.localdate() - timedelta(days=days)
    )


# --- Access ------------------------------------------------------------------------------


def test_it_is_at_work_and_anonymous_goes_to_login(client, world):
    assert reverse("my_work") == URL
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["analyst", "admin"])
def test_roles_without_a_section_get_403(client, world, name):
    client.force_login(getattr(world, name))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize(
    "name, sections, absent",
    [
        ("intake", ["work-intake"], ["work-cases", "work-partner", "work-coordination"]),
        ("case_worker", ["work-intake", "work-cases"], ["work-partner", "work-coordination"]),
        ("partner", ["work-partner"], ["work-intake", "work-cases", "work-coordination"]),
        ("coordinator", ["work-intake", "work-cases", "work-coordination"], ["work-partner"]),
        ("legal", ["work-intake"], ["work-cases", "work-partner", "work-coordination"]),
    ],
)
def test_each_role_sees_its_sections(client, world, name, sections, absent):
    html = page(client, getattr(world, name))
    for section in sections:
        assert f'id="{section}"' in html
    for section in absent:
        assert f'id="{section}"' not in html


def test_a_user_with_several_roles_sees_every_section(client, world):
    both = user_create(
        actor=None,
        username="both",
        organization=world.partner_org,
        roles=[Role.INTAKE, Role.PARTNER],
        password=world.password,
        must_change_password=False,
    )
    html = page(client, both)
    assert 'id="work-intake"' in html and 'id="work-partner"' in html


@pytest.mark.parametrize(
    "name, target",
    [
        ("intake", "/work/"),
        ("case_worker", "/work/"),
        ("coordinator", "/work/"),
        ("partner", "/work/"),
        ("analyst", "/figures/"),
        ("admin", "/accounts/users/"),
    ],
)
def test_home_lands_on_my_work_for_roles_with_a_section(client, world, name, target):
    client.force_login(getattr(world, name))
    assert client.get(reverse("home"))["Location"] == target


def test_the_navigation_starts_with_my_work(client, world):
    html = page(client, world.case_worker)
    nav = html[html.index('id="nav-main"') :]
    first = nav.index('href="/work/"')
    assert first < nav.index('href="/registry/"')
    client.force_login(world.analyst)
    assert 'href="/work/"' not in client.get(reverse("catalog:service_list")).content.decode()


# --- Intake ------------------------------------------------------------------------------


def test_intake_sees_todays_visits_with_links_and_counts(client, world, make_person):
    ana = make_person(given_names="Ana")
    luis = make_person(given_names="Luis")
    visit(world, ana)
    visit(world, ana)
    visit(world, luis, actor=world.case_worker)
    html = page(client, world.intake)
    assert reverse("registry:person_detail", args=[ana.uuid]) in html
    assert "3 visits" in html and "2 people served" in html
    assert html.index("Luis") < html.index("Ana")  # newest first
    assert reverse("registry:search") in html and reverse("registry:household_register") in html


def test_intake_filters_recorded_by_me_and_by_point(client, world, make_person):
    from ventanilla.territory import services as territory

    other_point = territory.attention_point_create(
        actor=None,
        name="Unidad móvil",
        kind="mobile_unit",
        locality=world.locality,
        address="",
        hours=[],
    )
    visit(world, make_person(given_names="Ana"))
    visit(world, make_person(given_names="Luis"), actor=world.case_worker, point=other_point)
    mine = page(client, world.intake, mine="1")
    assert "Ana" in mine and "Luis" not in mine and "1 visit" in mine
    there = page(client, world.intake, point=str(other_point.uuid))
    assert "Luis" in there and "Ana" not in there


def test_the_day_runs_from_local_midnight_to_local_midnight(world, make_person):
    day = timezone.localdate() - timedelta(days=3)

    def at(d, t):
        return timezone.make_aware(datetime.combine(d, t))  # the center's time zone

    inside = [at(day, time(0, 0)), at(day, time(23, 59, 59))]
    outside = [at(day - timedelta(days=1), time(23, 59, 59)), at(day + timedelta(days=1), time())]
    for i, moment in enumerate(inside + outside):
        visit(world, make_person(given_names=f"P{i}"), at=moment)
    found = registry_selectors.visits_today(user=world.intake, today=day)
    assert found["visit_count"] == 2 and found["people_count"] == 2
    assert sorted(v.occurred_at for v in found["visits"]) == inside
    # Bogotá is UTC-5: 23:59 local is already the next day in UTC, and still counts.
    assert at(day, time(23, 59, 59)).astimezone(UTC).date() == day + timedelta(days=1)


def test_the_visit_list_is_capped_but_the_counts_are_not(world, make_person):
    person = make_person()
    for _ in range(5):
        visit(world, person)
    found = registry_selectors.visits_today(user=world.intake, limit=3)
    assert len(found["visits"]) == 3 and found["visit_count"] == 5 and found["people_count"] == 1


def test_persons_shown_are_written_to_the_access_log(client, world, make_person):
    ana = make_person(given_names="Ana")
    visit(world, ana)
    page(client, world.intake)
    event = AccessEvent.objects.get(view="my_work", actor=world.intake)
    assert list(AccessedPerson.objects.filter(event=event).values_list("person", flat=True)) == [
        ana.pk
    ]


def test_an_empty_day_says_what_to_do(client, world):
    html = page(client, world.intake)
    assert "No visits recorded today yet" in html
    assert not AccessEvent.objects.filter(view="my_work").exists()


# --- Case worker -------------------------------------------------------------------------


def test_the_case_worker_sees_cases_by_status_and_the_urgent_first(client, world, make_case):
    calm = make_case(given_names="Calma")
    urgent = make_case(given_names="Urgente")
    move(urgent, world.case_worker)  # stays new
    services.task_add(
        actor=world.case_worker,
        case=urgent,
        title="Call back",
        due_date=timezone.localdate() - timedelta(days=1),
        owner=world.case_worker,
    )
    make_case(given_names="Ajena", assigned_to=world.coordinator)
    found = selectors.case_worker_work(user=world.case_worker)
    assert found["open_count"] == 2
    assert found["by_status"] == [("new", "New", 2)]
    assert [c.pk for c in found["urgent"]] == [urgent.pk, calm.pk]
    html = page(client, world.case_worker)
    assert "Urgente" in html and "Ajena" not in html and "1 overdue task" in html


def test_tasks_overdue_and_due_soon_but_not_later_or_done(world, make_case):
    case = make_case()
    today = timezone.localdate()

    def task(title, days, owner=None):
        return services.task_add(
            actor=world.case_worker,
            case=case,
            title=title,
            due_date=today + timedelta(days=days),
            owner=owner or world.case_worker,
        )

    task("late", -2)
    task("today", 0)
    task("week", 7)
    task("later", 8)
    task("someone else's", -1, owner=world.coordinator)
    done = task("done", -3)
    services.task_complete(actor=world.case_worker, task=done)
    found = selectors.case_worker_work(user=world.case_worker)
    assert [t.title for t in found["tasks"]] == ["late", "today", "week"]
    assert (found["overdue_task_count"], found["soon_task_count"]) == (1, 2)


def test_referrals_waiting_oldest_first_with_overdue_flagged(client, world, send):
    [first] = send()
    [second] = send()
    overdue(first)
    found = selectors.case_worker_work(user=world.case_worker)
    assert [r.pk for r in found["waiting"]] == [first.pk, second.pk]
    assert (found["waiting_count"], found["waiting_overdue_count"]) == (2, 1)
    services.referral_answer(actor=world.partner, referral=second, accept=True)
    found = selectors.case_worker_work(user=world.case_worker)
    assert [r.pk for r in found["waiting"]] == [first.pk]
    assert [r.pk for r in found["answered"]] == [second.pk]
    html = page(client, world.case_worker)
    assert "Overdue" in html and "Accepted" in html


def test_answers_older_than_14_days_drop_out(world, send):
    [referral] = send()
    services.referral_answer(actor=world.partner, referral=referral, accept=False, reason="Full")
    Referral.objects.filter(pk=referral.pk).update(
        answered_at=timezone.now() - timedelta(days=15),
        completed_at=timezone.now() - timedelta(days=15),
    )
    assert selectors.case_worker_work(user=world.case_worker)["answered"] == []


def test_an_empty_case_worker_says_what_to_do(client, world):
    html = page(client, world.case_worker)
    assert "No open cases assigned to you" in html
    assert "No referral is waiting for an answer" in html


# --- Partner -----------------------------------------------------------------------------


def test_the_partner_sees_new_and_overdue_of_its_organization_only(
    client, world, send, make_service, referral_setup
):
    case, need, _service, person = referral_setup
    [new] = send()
    [late] = send()
    overdue(late)
    other = make_service(provider=world.other_org, name_es="Servicio de otra")
    [theirs] = send(service=other)
    overdue(theirs)
    found = selectors.partner_work(user=world.partner)
    assert [r.pk for r in found["new"]] == [new.pk]
    assert [r.pk for r in found["overdue"]] == [late.pk]
    assert (found["new_count"], found["overdue_count"]) == (1, 1)
    html = page(client, world.partner)
    assert reverse("cases:referral_detail", args=[new.uuid]) in html
    assert reverse("cases:referral_detail", args=[theirs.uuid]) not in html
    outsider = selectors.partner_work(user=world.outsider)
    assert [r.pk for r in outsider["overdue"]] == [theirs.pk] and outsider["new"] == []


def test_in_progress_or_answered_is_not_overdue_for_the_partner(world, send):
    [started] = send()
    services.referral_answer(actor=world.partner, referral=started, accept=True)
    accepted = Referral.objects.get(pk=started.pk)
    services.referral_start(actor=world.partner, referral=accepted)
    [rejected] = send()
    services.referral_answer(actor=world.partner, referral=rejected, accept=False, reason="No")
    [waiting_accepted] = send()
    services.referral_answer(actor=world.partner, referral=waiting_accepted, accept=True)
    for r in (started, rejected, waiting_accepted):
        overdue(r)
    found = selectors.partner_work(user=world.partner)
    assert [r.pk for r in found["overdue"]] == [waiting_accepted.pk]


def test_partner_staff_without_organization_see_nothing(world, send):
    [referral] = send()
    overdue(referral)
    world.partner.organization = None
    world.partner.save()
    found = selectors.partner_work(user=world.partner)
    assert found["new"] == [] and found["overdue"] == [] and found["overdue_count"] == 0


def test_the_partner_page_logs_the_persons_shown(client, world, send, referral_setup):
    send()
    page(client, world.partner)
    event = AccessEvent.objects.get(view="my_work", actor=world.partner)
    assert AccessedPerson.objects.filter(event=event, person=referral_setup[3]).exists()


# --- Coordinator -------------------------------------------------------------------------


def test_the_coordinator_sees_unassigned_cases_and_closures(client, world, make_case):
    loose = make_case(given_names="Suelta", assigned_to=None)
    closing = make_case(given_names="Cierre")
    move(closing, world.case_worker, "assessment", "plan", "follow_up", "closure_requested")
    closed = make_case(given_names="Cerrada", assigned_to=None)
    closed = move(closed, world.case_worker, "assessment", "plan", "follow_up")
    closed = move(closed, world.case_worker, "closure_requested")
    move(closed, world.coordinator, "closed")
    found = selectors.coordinator_work(user=world.coordinator)
    assert [c.pk for c in found["unassigned"]] == [loose.pk]
    assert [c.pk for c in found["closures"]] == [closing.pk]
    assert (found["unassigned_count"], found["closures_count"]) == (1, 1)
    html = page(client, world.coordinator)
    assert reverse("cases:case_detail", args=[closing.uuid]) in html


def test_overdue_referrals_are_grouped_by_provider(
    client, world, send, make_service, referral_setup
):
    late = [*send(), *send()]
    other_service = make_service(provider=world.partner_org)
    late += send(service=other_service)  # the same organization, another service
    elsewhere = send(service=make_service(provider=world.other_org))
    external = send(service=None, external_provider="Hospital Norte")
    [on_time] = send()
    for r in (*late, *elsewhere, *external):
        overdue(r)
    groups = selectors.overdue_referrals_by_provider()
    assert [(g["name"], g["count"]) for g in groups] == [
        ("Fundación Aliada", 3),
        ("Corporación Otra", 1),
        ("Hospital Norte", 1),
    ]
    assert groups[0]["organization"] == world.partner_org.uuid
    assert groups[2]["organization"] is None and groups[2]["external"] == "Hospital Norte"
    html = page(client, world.coordinator)
    assert f"?organization={world.partner_org.uuid}" in html
    assert "?external=Hospital%20Norte" in html
    client.force_login(world.coordinator)
    listed = client.get(
        reverse("cases:overdue_referrals"), {"organization": str(world.partner_org.uuid)}
    )
    assert [r.pk for r in listed.context["page"]] == [r.pk for r in late]
    assert on_time.pk not in [r.pk for r in listed.context["page"]]
    listed = client.get(reverse("cases:overdue_referrals"), {"external": "Hospital Norte"})
    assert [r.pk for r in listed.context["page"]] == [external[0].pk]
    everything = client.get(reverse("cases:overdue_referrals"))
    assert everything.context["page"].paginator.count == 5


@pytest.mark.parametrize("name, status", [("case_worker", 403), ("partner", 403)])
def test_the_overdue_list_is_for_coordinators(client, world, name, status):
    client.force_login(getattr(world, name))
    assert client.get(reverse("cases:overdue_referrals")).status_code == status
    client.logout()
    response = client.get(reverse("cases:overdue_referrals"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_malformed_organization_is_404(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("cases:overdue_referrals"), {"organization": "x"})
    assert response.status_code == 404


def test_the_coordinator_empty_states(client, world):
    html = page(client, world.coordinator)
    assert "Every open case has a case worker." in html
    assert "No closures waiting." in html and "No overdue referrals." in html


# --- Bounded cost ------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _grow(world, make_case, make_person, send, n):
    for i in range(n):
        person = make_person(given_names=f"Persona{i}", consents=CONSENT)
        case = make_case(person)
        services.task_add(
            actor=world.case_worker,
            case=case,
            title=f"t{i}",
            due_date=timezone.localdate() - timedelta(days=1),
            owner=world.case_worker,
        )
        visit(world, person)
        make_case(given_names=f"Suelta{i}", assigned_to=None)
    for referral in send() + send(service=None, external_provider=f"Externo {n}"):
        overdue(referral)


def test_the_page_takes_a_fixed_number_of_queries(
    client, world, make_case, make_person, send, django_assert_num_queries
):
    _grow(world, make_case, make_person, send, 2)
    client.force_login(world.coordinator)
    client.get(URL)
    few = _queries(client, URL)
    _grow(world, make_case, make_person, send, 6)
    with django_assert_num_queries(few):
        client.get(URL)
    client.force_login(world.partner)
    client.get(URL)
    few = _queries(client, URL)
    _grow(world, make_case, make_person, send, 3)
    with django_assert_num_queries(few):
        client.get(URL)


def test_every_list_is_capped(world, make_case):
    for i in range(4):
        make_case(given_names=f"C{i}", assigned_to=None)
    found = selectors.coordinator_work(user=world.coordinator, limit=2)
    assert len(found["unassigned"]) == 2 and found["unassigned_count"] == 4
