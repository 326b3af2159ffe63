"""Outreach services: planning, cancelling, attendance (registered and anonymous), services."""

from datetime import time, timedelta

import pytest

from ventanilla.core.exceptions import Conflict, InvalidInput, PermissionDenied
from ventanilla.core.models import AuditEvent
from ventanilla.outreach import services
from ventanilla.outreach.models import AnonymousAttendance, OutreachSession, SessionAttendance
from ventanilla.registry.models import Person, Visit


def test_planning_by_point_stores_the_points_locality(world, make_session):
    session = make_session()
    assert session.locality == world.point.locality
    assert session.status == "planned" and session.planned_by == world.coordinator
    assert list(session.organizations.all()) == [world.partner_org]
    assert AuditEvent.objects.filter(action="outreach.session.planned").count() == 1


def test_planning_by_locality_only(world, make_session):
    session = make_session(attention_point=None, locality=world.other_locality)
    assert session.attention_point is None and session.locality == world.other_locality


def test_a_point_overrides_a_different_locality(world, make_session):
    session = make_session(locality=world.other_locality)
    assert session.locality == world.locality


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"attention_point": None}, "locality"),
        ({"topic": "  "}, "topic"),
        ({"start_time": time(12), "end_time": time(9)}, "__all__"),
        ({"kind": "party"}, "kind"),
    ],
)
def test_planning_validates(world, make_session, fields, field):
    with pytest.raises(InvalidInput) as caught:
        make_session(**fields)
    assert field in caught.value.field_errors
    assert not OutreachSession.objects.exists()


def test_only_planners_plan(world, today):
    with pytest.raises(PermissionDenied):
        services.session_plan(
            actor=world.intake,
            kind="mobile_unit_day",
            attention_point=world.point,
            date=today,
            topic="x",
        )


def test_a_stale_edit_is_a_conflict(world, make_session):
    session = make_session()
    seen = session.updated_at
    services.session_update(
        actor=world.coordinator, session=session, expected_version=seen, topic="A"
    )
    with pytest.raises(Conflict):
        services.session_update(
            actor=world.coordinator, session=session, expected_version=seen, topic="B"
        )
    session.refresh_from_db()
    assert session.topic == "A"
    assert AuditEvent.objects.filter(action="outreach.session.updated").count() == 1


def test_edit_replaces_organizations_and_moves_the_locality_with_the_point(world, make_session):
    session = make_session(attention_point=None, locality=world.other_locality)
    updated = services.session_update(
        actor=world.coordinator,
        session=session,
        expected_version=session.updated_at,
        attention_point=world.point,
        organizations=[world.other_org],
    )
    assert updated.locality == world.locality
    assert list(updated.organizations.all()) == [world.other_org]


def test_cancel_needs_a_reason_and_only_planned_sessions(world, make_session):
    session = make_session()
    with pytest.raises(InvalidInput):
        services.session_cancel(actor=world.coordinator, session=session, reason=" ")
    cancelled = services.session_cancel(actor=world.coordinator, session=session, reason="Lluvia")
    assert cancelled.status == "cancelled" and cancelled.cancel_reason == "Lluvia"
    with pytest.raises(InvalidInput):
        services.session_cancel(actor=world.coordinator, session=session, reason="Otra vez")
    with pytest.raises(InvalidInput):
        services.anonymous_counts_set(
            actor=world.intake, session=session, counts={("female", "18-29"): 3}
        )


def test_attendance_waits_for_the_sessions_date(world, make_session, make_person, today):
    session = make_session(date=today + timedelta(days=3))
    with pytest.raises(InvalidInput):
        services.attendance_add_person(actor=world.intake, session=session, person=make_person())
    with pytest.raises(InvalidInput):
        services.session_mark_held(actor=world.intake, session=session)
    assert not Visit.objects.exists()


def test_a_registered_attendee_is_also_a_registry_visit(world, make_session, make_person, today):
    session = make_session(date=today - timedelta(days=2))
    person = make_person(birth_date=today.replace(year=today.year - 25) - timedelta(days=10))
    attendance = services.attendance_add_person(actor=world.intake, session=session, person=person)
    visit = Visit.objects.get()
    assert attendance.visit == visit
    assert visit.attention_point == world.point and visit.staff == world.intake
    assert list(visit.persons.all()) == [person]
    assert visit.occurred_at.date() <= today - timedelta(days=1)
    assert (attendance.sex, attendance.age_group, attendance.population_group) == (
        "female",
        "18-29",
        "settled",
    )
    person.refresh_from_db()
    assert person.last_visit_at == visit.occurred_at
    session.refresh_from_db()
    assert session.status == "held"  # recording on a planned session whose day came
    with pytest.raises(InvalidInput):
        services.attendance_add_person(actor=world.intake, session=session, person=person)
    assert Visit.objects.count() == 1


def test_removing_an_attendee_withdraws_the_visit(world, make_session, make_person):
    session = make_session()
    person = make_person()
    services.attendance_add_person(actor=world.case_worker, session=session, person=person)
    services.attendance_remove_person(actor=world.case_worker, session=session, person=person)
    assert not SessionAttendance.objects.exists() and not Visit.objects.exists()
    person.refresh_from_db()
    assert person.last_visit_at is None
    assert AuditEvent.objects.filter(action="registry.visit.withdrawn").count() == 1


def test_a_session_without_a_point_takes_no_registered_attendees(world, make_session, make_person):
    session = make_session(attention_point=None, locality=world.locality)
    with pytest.raises(InvalidInput) as caught:
        services.attendance_add_person(actor=world.intake, session=session, person=make_person())
    assert "person" in caught.value.field_errors
    assert not Visit.objects.exists()
    services.anonymous_counts_set(
        actor=world.intake, session=session, counts={("male", "30-59"): 4}
    )
    assert AnonymousAttendance.objects.get().count == 4


def test_the_anonymous_grid_is_replaced_whole(world, make_session):
    session = make_session()
    services.anonymous_counts_set(
        actor=world.intake,
        session=session,
        counts={("female", "18-29"): 5, ("male", "0-5"): 2, ("not_recorded", "60+"): 1},
    )
    services.anonymous_counts_set(
        actor=world.intake,
        session=session,
        counts={("female", "18-29"): 7, ("male", "0-5"): 0},
    )
    rows = {(r.sex, r.age_group): r.count for r in AnonymousAttendance.objects.all()}
    assert rows == {("female", "18-29"): 7}
    event = AuditEvent.objects.filter(action="outreach.anonymous_counts.set").first()
    assert event.changes["female__18-29"] == [5, 7]


@pytest.mark.parametrize(
    "counts",
    [
        {("female", "18-29"): 3, ("female", "7-8"): 1},
        {("female", "18-29"): 3, ("other", "0-5"): 1},
        {("female", "18-29"): 3, ("male", "0-5"): -1},
    ],
)
def test_a_bad_grid_changes_nothing(world, make_session, counts):
    session = make_session()
    services.anonymous_counts_set(actor=world.intake, session=session, counts={("male", "60+"): 2})
    with pytest.raises(InvalidInput):
        services.anonymous_counts_set(actor=world.intake, session=session, counts=counts)
    rows = {(r.sex, r.age_group): r.count for r in AnonymousAttendance.objects.all()}
    assert rows == {("male", "60+"): 2}


def test_the_grid_write_is_atomic(world, make_session, monkeypatch):
    session = make_session()
    services.anonymous_counts_set(actor=world.intake, session=session, counts={("male", "60+"): 2})

    def boom(**kwargs):
        raise RuntimeError

    monkeypatch.setattr(services, "audit_record", boom)
    with pytest.raises(RuntimeError):
        services.anonymous_counts_set(
            actor=world.intake, session=session, counts={("female", "0-5"): 9}
        )
    rows = {(r.sex, r.age_group): r.count for r in AnonymousAttendance.objects.all()}
    assert rows == {("male", "60+"): 2}


def test_services_delivered(world, make_session, make_person):
    session = make_session()
    person = make_person()
    services.attendance_add_person(actor=world.intake, session=session, person=person)
    delivered = services.service_delivered_add(
        actor=world.intake,
        session=session,
        description="Afiliación a salud",
        provider=world.partner_org,
        count=6,
        persons=[person],
    )
    assert delivered.count == 6 and list(delivered.persons.all()) == [person]
    with pytest.raises(InvalidInput) as caught:
        services.service_delivered_add(actor=world.intake, session=session, count=2)
    assert "service" in caught.value.field_errors
    stranger = make_person(given_names="Otra")
    with pytest.raises(InvalidInput) as caught:
        services.service_delivered_add(
            actor=world.intake, session=session, description="X", count=3, persons=[stranger]
        )
    assert "persons" in caught.value.field_errors
    with pytest.raises(PermissionDenied):
        services.service_delivered_add(
            actor=world.partner, session=session, description="X", count=3
        )


def test_person_counts_are_unchanged_by_anonymous_counts(world, make_session):
    session = make_session()
    services.anonymous_counts_set(actor=world.intake, session=session, counts={("male", "60+"): 2})
    assert not Person.objects.exists()
