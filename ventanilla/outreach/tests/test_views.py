"""Outreach screens: who sees what, planning, recording attendance, query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ventanilla.outreach import services
from ventanilla.outreach.models import AnonymousAttendance, OutreachSession, SessionAttendance
from ventanilla.privacy.models import AccessedPerson
from ventanilla.registry.models import Visit

LIST = "/outreach/"
NEW = "/outreach/new/"


def detail(session):
    return reverse("outreach:session_detail", args=[session.uuid])


def test_anonymous_users_go_to_the_login_page(client, world, make_session):
    session = make_session()
    for url in (LIST, NEW, detail(session)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    post = client.post(reverse("outreach:anonymous_counts", args=[session.uuid]))
    assert post.status_code == 302 and not AnonymousAttendance.objects.exists()


@pytest.mark.parametrize("actor", ["analyst", "admin", "legal"])
def test_roles_without_an_outreach_capability_get_403(client, world, make_session, actor):
    session = make_session()
    client.force_login(getattr(world, actor))
    assert client.get(LIST).status_code == 403
    assert client.get(detail(session)).status_code == 403
    assert client.get(NEW).status_code == 403
    url = reverse("outreach:anonymous_counts", args=[session.uuid])
    assert client.post(url, {"n_female_18_29": "3"}).status_code == 403
    assert not AnonymousAttendance.objects.exists()


def test_the_nav_link_follows_the_capabilities(client, world):
    link = reverse("outreach:session_list")
    for actor, shown in [("coordinator", True), ("intake", True), ("partner", True)]:
        client.force_login(getattr(world, actor))
        page = client.get(reverse("catalog:service_list")).content.decode()
        assert (link in page) is shown, actor
    client.force_login(world.analyst)
    assert link not in client.get(reverse("catalog:service_list")).content.decode()


def test_the_coordinator_plans_a_session(client, world, today):
    client.force_login(world.coordinator)
    assert client.get(NEW).status_code == 200
    response = client.post(
        NEW,
        {
            "kind": "mobile_unit_day",
            "attention_point": world.point.pk,
            "date": (today + timedelta(days=7)).isoformat(),
            "start_time": "09:00",
            "end_time": "13:00",
            "topic": "Jornada de PPT",
            "organizations": [world.partner_org.pk, world.other_org.pk],
        },
    )
    session = OutreachSession.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(session)
    assert session.locality == world.locality
    assert set(session.organizations.all()) == {world.partner_org, world.other_org}


def test_a_stale_edit_shows_a_conflict(client, world, make_session):
    session = make_session()
    client.force_login(world.coordinator)
    url = reverse("outreach:session_edit", args=[session.uuid])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data |= {
        "attention_point": world.point.pk,
        "locality": world.locality.pk,
        "organizations": [world.partner_org.pk],
        "date": session.date.isoformat(),
        "start_time": "09:00",
        "end_time": "12:00",
        "version": session.updated_at.isoformat(),
        "topic": "Primero",
    }
    assert client.post(url, data).status_code == 302
    response = client.post(url, data | {"topic": "Segundo"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    session.refresh_from_db()
    assert session.topic == "Primero"


def test_intake_records_attendance(client, world, make_session, make_person):
    session = make_session()
    person = make_person(given_names="Yuleisy", first_surname="Marcano")
    client.force_login(world.intake)
    page = client.get(detail(session), {"q": "yuleisy"})
    assert page.status_code == 200 and "Yuleisy" in page.content.decode()
    assert AccessedPerson.objects.filter(person=person).exists()  # the search result was logged
    response = client.post(
        reverse("outreach:attendance_add", args=[session.uuid]), {"person": str(person.uuid)}
    )
    assert response.status_code == 302
    attendance = SessionAttendance.objects.get()
    assert attendance.person == person and attendance.visit is not None
    assert Visit.objects.get().attention_point == world.point
    response = client.post(
        reverse("outreach:anonymous_counts", args=[session.uuid]),
        {"n_female_18_29": "4", "n_not_recorded_60plus": "2", "n_male_0_5": ""},
    )
    assert response.status_code == 302
    rows = {(r.sex, r.age_group): r.count for r in AnonymousAttendance.objects.all()}
    assert rows == {("female", "18-29"): 4, ("not_recorded", "60+"): 2}
    page = client.get(detail(session)).content.decode()
    assert "Marcano" in page
    assert client.get(detail(session)).context["totals"]["total"] == 7


def test_the_htmx_search_renders_the_results_only(client, world, make_session, make_person):
    session = make_session()
    make_person(given_names="Yuleisy")
    client.force_login(world.case_worker)
    response = client.get(detail(session), {"q": "yuleisy"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Yuleisy" in html and "<html" not in html


def test_a_partner_sees_only_its_sessions_and_no_names(client, world, make_session, make_person):
    own = make_session(topic="Con aliada")
    other = make_session(topic="Sin aliada", organizations=[world.other_org])
    person = make_person(given_names="Yuleisy", first_surname="Marcano")
    services.attendance_add_person(actor=world.intake, session=own, person=person)
    services.anonymous_counts_set(actor=world.intake, session=own, counts={("male", "30-59"): 3})
    client.force_login(world.partner)
    listed = client.get(LIST).context["sessions"]
    assert [s.topic for s in listed] == ["Con aliada"]
    response = client.get(detail(own))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Marcano" not in html and "Yuleisy" not in html
    assert response.context["totals"]["total"] == 4
    assert client.get(detail(own), {"q": "yuleisy"}).context["results"] == []
    assert client.get(detail(other)).status_code == 404
    url = reverse("outreach:attendance_add", args=[own.uuid])
    assert client.post(url, {"person": str(person.uuid)}).status_code == 403
    client.force_login(world.outsider)
    assert client.get(detail(own)).status_code == 404


def test_a_future_session_offers_no_recording(client, world, make_session, today):
    session = make_session(date=today + timedelta(days=5))
    client.force_login(world.intake)
    response = client.get(detail(session))
    assert response.context["open_for_recording"] is False
    client.post(reverse("outreach:anonymous_counts", args=[session.uuid]), {"n_female_18_29": "4"})
    assert not AnonymousAttendance.objects.exists()


def test_the_coordinator_cancels_with_a_reason(client, world, make_session):
    session = make_session()
    client.force_login(world.coordinator)
    url = reverse("outreach:session_cancel", args=[session.uuid])
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "Lluvia"}).status_code == 302
    session.refresh_from_db()
    assert session.status == "cancelled"
    client.force_login(world.intake)
    assert client.post(url, {"reason": "x"}).status_code == 403


def _queries(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_sessions_list_takes_a_fixed_number_of_queries(
    client, world, make_session, today, django_assert_num_queries
):
    for i in range(3):
        make_session(date=today + timedelta(days=i))
    client.force_login(world.coordinator)
    client.get(LIST)
    few = _queries(client, LIST)
    for i in range(10):
        make_session(
            date=today + timedelta(days=i), organizations=[world.partner_org, world.other_org]
        )
    with django_assert_num_queries(few):
        response = client.get(LIST)
    assert len(response.context["sessions"]) == 13


def test_the_session_page_takes_a_fixed_number_of_queries(
    client, world, make_session, make_person, django_assert_num_queries
):
    session = make_session()

    def attend(n, start):
        for i in range(start, start + n):
            person = make_person(given_names=f"Persona{i}")
            services.attendance_add_person(actor=world.intake, session=session, person=person)
            services.service_delivered_add(
                actor=world.intake, session=session, description=f"S{i}", count=1, persons=[person]
            )

    attend(2, 0)
    client.force_login(world.intake)
    client.get(detail(session))
    few = _queries(client, detail(session))
    attend(8, 2)
    with django_assert_num_queries(few):
        response = client.get(detail(session))
    assert len(response.context["attendees"]) == 10


def test_services_delivered_and_removing_an_attendee(client, world, make_session, make_person):
    from ventanilla.outreach.models import ServiceDelivered

    session = make_session()
    person = make_person(given_names="Yuleisy")
    client.force_login(world.case_worker)
    client.post(reverse("outreach:attendance_add", args=[session.uuid]), {"person": person.uuid})
    url = reverse("outreach:service_add", args=[session.uuid])
    response = client.post(
        url,
        {
            "description": "Vacunación",
            "provider": world.partner_org.pk,
            "count": "12",
            "persons": [str(person.uuid)],
        },
    )
    assert response.status_code == 302
    delivered = ServiceDelivered.objects.get()
    assert delivered.count == 12 and list(delivered.persons.all()) == [person]
    assert client.post(url, {"count": "3"}).status_code == 302  # neither service nor text
    assert ServiceDelivered.objects.count() == 1
    remove = reverse("outreach:attendance_remove", args=[session.uuid])
    assert client.post(remove, {"person": str(person.uuid)}).status_code == 302
    assert not SessionAttendance.objects.exists() and not Visit.objects.exists()
    partner = Client()  # a browser of its own: the case worker's flash messages stay behind
    partner.force_login(world.partner)
    html = partner.get(detail(session)).content.decode()
    assert "Vacunación" in html and "Yuleisy" not in html
