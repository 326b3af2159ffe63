"""Pages and endpoints that list rows use a fixed number of queries, however many rows.

Each test measures a page with a few rows, adds many more rows, and asserts that the page
still takes exactly as many queries.
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ventanilla.registry import services
from ventanilla.registry.models import Person

FEW, MANY = 3, 30


def _queries(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(context.captured_queries)


def _assert_same_queries(client, django_assert_num_queries, url, data, grow):
    client.get(url, data)  # warm up per-process caches (content types, countries)
    few = _queries(client, url, data)
    grow()
    with django_assert_num_queries(few):
        response = client.get(url, data)
    assert response.status_code == 200
    return response


def _registered(world, n: int, start: int = 0) -> list[Person]:
    """n persons named Rincón, each with a document, in a household with a visit."""
    persons = []
    for i in range(start, start + n):
        household = services.household_register(
            actor=world.intake,
            locality=world.locality,
            members=[
                {
                    "relationship": "head",
                    "population_group": "settled",
                    "documents": [
                        {
                            "document_type": "passport",
                            "number": f"P{i:05d}",
                            "issuing_country": "VE",
                        }
                    ],
                    "fields": {
                        "given_names": f"Persona{i}",
                        "first_surname": "Rincón",
                        "sex": "female",
                        "birth_date": date(1980, 1, 1) + timedelta(days=i),
                        "nationalities": ["VE"],
                        "locality": world.locality,
                    },
                }
            ],
        )
        person = household.memberships.get().person
        services.visit_record(
            actor=world.intake,
            persons=[person],
            household=household,
            attention_point=world.point,
            reasons=["health"],
        )
        persons.append(person)
    return persons


@pytest.fixture
def rincon(world):
    _registered(world, FEW)
    return lambda: _registered(world, MANY - FEW, start=FEW)


def test_search_page_queries_do_not_grow_with_results(
    client, world, rincon, django_assert_num_queries
):
    client.force_login(world.intake)
    response = _assert_same_queries(
        client, django_assert_num_queries, reverse("registry:search"), {"q": "rincon"}, rincon
    )
    assert len(response.context["results"]) == MANY


def test_api_search_queries_do_not_grow_with_results(
    client, world, rincon, django_assert_num_queries
):
    client.force_login(world.intake)
    response = _assert_same_queries(
        client, django_assert_num_queries, "/api/v1/persons/", {"q": "rincon"}, rincon
    )
    assert response.json()["count"] == MANY


def _busy_person(world, make_person):
    """A person whose page shows documents, visits, relatives, consents, history and reads."""
    person = services.person_register(
        actor=world.intake,
        population_group="settled",
        population_group_since=date(1990, 1, 1),
        fields={
            "given_names": "Ocupada",
            "first_surname": "Rincón",
            "sex": "female",
            "birth_date": date(1970, 1, 1),
        },
        consents={"receive_services": True},
    )
    household = services.household_register(
        actor=world.intake, members=[{"person": person, "relationship": "head"}]
    )
    state = {"n": 0, "group": "settled", "since": date(1990, 1, 1)}

    def add(n):
        for _ in range(n):
            i = state["n"] = state["n"] + 1
            services.document_add(
                actor=world.intake,
                person=person,
                data={"document_type": "other", "number": f"D{i:05d}", "issuing_country": "CO"},
            )
            relative = make_person(given_names=f"Pariente{i}")
            services.household_add_member(
                actor=world.intake, household=household, person=relative, relationship="child"
            )
            services.visit_record(
                actor=world.case_worker,
                persons=[person, relative],
                household=household,
                attention_point=world.point,
                reasons=["health", "legal"],
                orientation_topics=["rights"],
            )
            state["group"] = "returnee" if state["group"] == "settled" else "settled"
            state["since"] += timedelta(days=30)
            services.population_group_change(
                actor=world.intake, person=person, group=state["group"], since=state["since"]
            )
            services.consent_record(
                actor=world.intake, person=person, purposes={"anonymous_statistics": i % 2 == 0}
            )

    add(FEW)
    return person, lambda: add(MANY - FEW)


def test_person_page_queries_do_not_grow_with_rows(
    client, world, make_person, django_assert_num_queries
):
    person, grow = _busy_person(world, make_person)
    client.force_login(world.coordinator)  # sees every section, history and reads included
    url = reverse("registry:person_detail", args=[person.uuid])
    response = _assert_same_queries(client, django_assert_num_queries, url, None, grow)
    assert len(response.context["documents"]) == MANY
    assert len(response.context["visits"]) == MANY
    assert len(response.context["members"]) == MANY + 1


def test_api_person_queries_do_not_grow_with_rows(
    client, world, make_person, django_assert_num_queries
):
    person, grow = _busy_person(world, make_person)
    client.force_login(world.case_worker)
    response = _assert_same_queries(
        client, django_assert_num_queries, f"/api/v1/persons/{person.uuid}/", None, grow
    )
    assert len(response.json()["documents"]) == MANY


def test_household_page_queries_do_not_grow_with_members(
    client, world, make_person, django_assert_num_queries
):
    person, grow = _busy_person(world, make_person)
    household = person.memberships.get().household
    client.force_login(world.case_worker)
    url = reverse("registry:household_detail", args=[household.uuid])
    response = _assert_same_queries(client, django_assert_num_queries, url, None, grow)
    assert len(response.context["current"]) == MANY + 1


def test_visit_form_queries_do_not_grow_with_members(
    client, world, make_person, django_assert_num_queries
):
    person, grow = _busy_person(world, make_person)
    client.force_login(world.intake)
    url = reverse("registry:visit_create", args=[person.uuid])
    response = _assert_same_queries(client, django_assert_num_queries, url, None, grow)
    assert len(response.context["form"].fields["persons"].choices) == MANY + 1
