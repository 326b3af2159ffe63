from datetime import date, timedelta

import pytest
from django.utils import timezone

from ventanilla.core.exceptions import Conflict, InvalidInput, PermissionDenied
from ventanilla.core.models import AuditEvent
from ventanilla.privacy.models import Consent
from ventanilla.registry import services
from ventanilla.registry.models import (
    Household,
    IdentityDocument,
    Membership,
    Person,
    PopulationGroupPeriod,
)

PASSPORT = {
    "document_type": "passport",
    "number": "X123456",
    "issuing_country": "VE",
    "issued_on": date(2018, 1, 1),
    "expires_on": date(2023, 1, 1),
}


def test_it_registers_a_person_with_documents_consent_and_history(world, make_person):
    person = make_person(
        documents=[PASSPORT], consents={"receive_services": True, "anonymous_statistics": False}
    )
    assert person.search_text == "maria jose perez gomez x123456"
    assert person.documents.get().is_expired(date(2026, 1, 1))
    assert PopulationGroupPeriod.objects.get(person=person).group == "settled"
    assert dict(Consent.objects.filter(person=person).values_list("purpose", "granted")) == {
        "receive_services": True,
        "anonymous_statistics": False,
    }
    assert AuditEvent.objects.filter(action="registry.person.created", person_id=person.pk).exists()


def test_an_expired_document_still_identifies_and_blocks_a_duplicate(world, make_person):
    first = make_person(documents=[PASSPORT])
    with pytest.raises(InvalidInput) as exc:
        make_person(given_names="Otra", documents=[{**PASSPORT, "number": "x-123 456"}])
    assert first.full_name in str(exc.value.message)
    assert f"/registry/persons/{first.uuid}/" in str(exc.value.message)
    assert Person.objects.count() == 1  # nothing half-saved


def test_same_number_of_another_type_or_country_is_allowed(world, make_person):
    make_person(documents=[PASSPORT])
    make_person(documents=[{**PASSPORT, "issuing_country": "CO"}])
    make_person(documents=[{**PASSPORT, "document_type": "ve_cedula"}])
    assert IdentityDocument.objects.count() == 3


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"birth_date": date.today() + timedelta(days=1)}, "birth_date"),
        (
            {"birth_date": date(1990, 1, 1), "arrival_country_date": date(1989, 12, 31)},
            "arrival_country_date",
        ),
        (
            {"birth_date": date(1990, 1, 1), "arrival_city_date": date(1985, 1, 1)},
            "arrival_city_date",
        ),
        (
            {"arrival_country_date": date(2020, 1, 1), "arrival_city_date": date(2019, 1, 1)},
            "arrival_city_date",
        ),
        ({"arrival_city_date": date.today() + timedelta(days=3)}, "arrival_city_date"),
        ({"is_stateless": True, "nationalities": ["VE"]}, "nationalities"),
        ({"sex": "unknown-value"}, "sex"),
        ({"given_names": ""}, "given_names"),
    ],
)
def test_impossible_or_missing_values_are_refused_with_the_field_named(
    world, make_person, fields, field
):
    with pytest.raises(InvalidInput) as exc:
        make_person(**fields)
    assert field in exc.value.field_errors
    assert Person.objects.count() == 0


def test_document_expiring_before_issue_is_refused(world, make_person):
    with pytest.raises(InvalidInput) as exc:
        make_person(documents=[{**PASSPORT, "expires_on": date(2017, 1, 1)}])
    assert "documents.0.expires_on" in exc.value.field_errors
    assert Person.objects.count() == 0


def test_roles_without_permission_cannot_register(world):
    for actor in (world.analyst, world.partner, world.admin, world.legal):
        with pytest.raises(PermissionDenied):
            services.person_register(actor=actor, fields={}, population_group="settled")


def _member(relationship, given, **extra):
    return {
        "relationship": relationship,
        "population_group": "settled",
        "fields": {
            "given_names": given,
            "first_surname": "Rincón",
            "sex": "female",
            "birth_date": date(1988, 3, 2),
            "nationalities": ["VE"],
            **extra,
        },
    }


def test_it_registers_a_whole_household_at_once(world):
    household = services.household_register(
        actor=world.intake,
        locality=world.locality,
        address="Calle 5",
        members=[
            _member("head", "Ana"),
            _member("spouse", "Luis"),
            _member("child", "Sofía", birth_date=date(2015, 1, 1)),
        ],
        consents={"receive_services": True},
    )
    members = Membership.objects.filter(household=household, end_date__isnull=True)
    assert sorted(members.values_list("relationship", flat=True)) == ["child", "head", "spouse"]
    assert Consent.objects.filter(purpose="receive_services").count() == 3


def test_a_bad_member_saves_nothing_of_the_household(world):
    with pytest.raises(InvalidInput) as exc:
        services.household_register(
            actor=world.intake,
            members=[
                _member("head", "Ana"),
                _member("child", "Sofía", birth_date=date.today() + timedelta(days=9)),
            ],
        )
    assert "members.1.birth_date" in exc.value.field_errors
    assert "2" in str(exc.value.message)
    assert Household.objects.count() == 0 and Person.objects.count() == 0


@pytest.mark.parametrize("relationships", [["spouse"], ["head", "head"], []])
def test_a_household_needs_exactly_one_head(world, relationships):
    with pytest.raises(InvalidInput):
        services.household_register(
            actor=world.intake, members=[_member(r, f"P{i}") for i, r in enumerate(relationships)]
        )
    assert Household.objects.count() == 0


def test_moving_to_another_household_keeps_the_history(world, make_person):
    person = make_person()
    first = services.household_register(
        actor=world.intake, members=[{"person": person, "relationship": "head"}]
    )
    second = services.household_register(
        actor=world.intake,
        members=[_member("head", "Rosa"), {"person": person, "relationship": "sibling"}],
    )
    history = Membership.objects.filter(person=person).order_by("id")
    assert [(m.household_id, m.end_date is None) for m in history] == [
        (first.pk, False),
        (second.pk, True),
    ]


def test_a_stale_edit_is_refused_and_a_fresh_one_is_logged(world, make_person):
    person = make_person()
    seen = person.updated_at
    services.person_update(
        actor=world.case_worker,
        person=person,
        fields={"phone": "300 111 2222"},
        expected_version=seen,
    )
    with pytest.raises(Conflict):
        services.person_update(
            actor=world.intake,
            person=person,
            fields={"phone": "300 999 9999"},
            expected_version=seen,
        )
    person.refresh_from_db()
    assert person.phone == "300 111 2222"
    assert "3001112222" in person.search_text
    event = AuditEvent.objects.get(action="registry.person.updated")
    assert event.changes == {"phone": ["", "300 111 2222"]}
    assert event.actor == world.case_worker


def test_sensitive_changes_are_logged_without_their_values(world, make_person):
    person = make_person()
    services.person_update(
        actor=world.case_worker,
        person=person,
        fields={},
        expected_version=person.updated_at,
        differential={"survivor_of_gbv": True},
    )
    event = AuditEvent.objects.get(action="registry.person.updated")
    assert event.changes == {"survivor_of_gbv": ["•", "•"]}
    assert person.differential_approach.survivor_of_gbv is True


def test_population_group_change_closes_the_previous_period(world, make_person):
    person = make_person(population_group="in_transit")
    since = timezone.localdate()
    services.population_group_change(
        actor=world.intake, person=person, group="settled", since=since
    )
    periods = list(PopulationGroupPeriod.objects.filter(person=person).order_by("id"))
    assert [(p.group, p.end_date) for p in periods] == [("in_transit", since), ("settled", None)]
    with pytest.raises(InvalidInput):
        services.population_group_change(
            actor=world.intake, person=person, group="returnee", since=since - timedelta(days=400)
        )


def test_visit_updates_last_visit_and_refuses_outsiders_of_the_household(world, make_person):
    household = services.household_register(
        actor=world.intake, members=[_member("head", "Ana"), _member("child", "Leo")]
    )
    stranger = make_person(given_names="Extraña")
    members = [m.person for m in household.memberships.all()]
    visit = services.visit_record(
        actor=world.intake,
        persons=members,
        household=household,
        attention_point=world.point,
        reasons=["health"],
    )
    assert visit.persons.count() == 2
    assert all(
        p.last_visit_at == visit.occurred_at
        for p in Person.objects.filter(pk__in=[m.pk for m in members])
    )
    with pytest.raises(InvalidInput) as exc:
        services.visit_record(
            actor=world.intake,
            persons=[stranger],
            household=household,
            attention_point=world.point,
            reasons=["health"],
        )
    assert "persons" in exc.value.field_errors


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"reasons": []}, "reasons"),
        ({"reasons": ["nope"]}, "reasons"),
        ({"persons": []}, "persons"),
        ({"occurred_at": timezone.now() + timedelta(days=1)}, "occurred_at"),
    ],
)
def test_bad_visits_are_refused(world, make_person, kwargs, field):
    person = make_person()
    args = {"persons": [person], "attention_point": world.point, "reasons": ["health"]} | kwargs
    with pytest.raises(InvalidInput) as exc:
        services.visit_record(actor=world.intake, **args)
    assert field in exc.value.field_errors


def test_document_remove_needs_a_reason_and_updates_search(world, make_person):
    person = make_person(documents=[PASSPORT])
    doc = person.documents.get()
    with pytest.raises(InvalidInput):
        services.document_remove(actor=world.intake, document=doc, reason=" ")
    services.document_remove(actor=world.intake, document=doc, reason="Typo")
    person.refresh_from_db()
    assert "x123456" not in person.search_text


def test_birth_date_from_age_gives_that_age():
    from ventanilla.registry.models import age_on

    today = date(2026, 2, 28)
    for age in (0, 1, 17, 18, 45, 99):
        assert age_on(services.birth_date_from_age(age, today), today) == age
