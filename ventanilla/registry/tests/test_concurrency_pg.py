"""Two staff doing the same thing at the same moment, on PostgreSQL.

Each test runs two threads, each with its own database connection, lined up with a barrier.
A short pause inside the service (after the read that decides, before the write) makes the
two transactions overlap every time, so a missing lock or an unhandled unique violation
shows up as a lost update or an IntegrityError instead of passing by luck.
SQLite serializes writers (transaction_mode IMMEDIATE), so these tests need PostgreSQL.
"""

import threading
import time
from datetime import date

import pytest
from django.db import IntegrityError, connection, connections
from rest_framework.test import APIClient

from ventanilla.core.exceptions import Conflict, InvalidInput
from ventanilla.core.models import AuditEvent
from ventanilla.registry import services
from ventanilla.registry.models import (
    Household,
    IdentityDocument,
    Membership,
    Person,
    PopulationGroupPeriod,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PAUSE = 0.3


@pytest.fixture(autouse=True)
def _needs_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: row locks and concurrent transactions (SQLite serializes writers)"
        )


def run_together(*calls, timeout: float = 30) -> list[tuple[str, object]]:
    """Run the calls in threads released at the same moment; ("ok", value) or ("error", exc)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=timeout)
            results[index] = ("ok", call())
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[index] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a thread is stuck (deadlock?)"
    return results


def slow_down(monkeypatch, name: str) -> None:
    """Pause after services.<name> so that the other transaction catches up."""
    original = getattr(services, name)

    def slow(*args, **kwargs):
        result = original(*args, **kwargs)
        time.sleep(PAUSE)
        return result

    monkeypatch.setattr(services, name, slow)


def outcomes(results) -> list:
    return sorted(type(value).__name__ if kind == "error" else "ok" for kind, value in results)


def test_two_edits_with_the_same_version_one_wins_and_nothing_is_lost(
    world, make_person, monkeypatch
):
    person = make_person()
    version = person.updated_at
    # The pause comes after the read of the row: without a row lock both edits would read
    # the same version and both would be saved, the first one silently overwritten.
    slow_down(monkeypatch, "_check_person_dates")

    def edit(actor, occupation, phone):
        def call():
            return services.person_update(
                actor=actor,
                person=person,
                fields={"occupation": occupation, "phone": phone},
                expected_version=version,
            )

        return call

    results = run_together(
        edit(world.intake, "Cocinera", "3001111111"),
        edit(world.case_worker, "Costurera", "3002222222"),
    )

    assert outcomes(results) == ["Conflict", "ok"], results
    winner = next(value for kind, value in results if kind == "ok")
    person.refresh_from_db()
    assert (person.occupation, person.phone) == (winner.occupation, winner.phone)
    assert person.updated_at == winner.updated_at != version
    assert (
        AuditEvent.objects.filter(action="registry.person.updated", person_id=person.pk).count()
        == 1
    )


def test_two_edits_without_a_version_both_apply_one_after_the_other(
    world, make_person, monkeypatch
):
    person = make_person()
    slow_down(monkeypatch, "_check_person_dates")

    def edit(actor, fields):
        return lambda: services.person_update(
            actor=actor, person=person, fields=fields, expected_version=None
        )

    results = run_together(
        edit(world.intake, {"occupation": "Cocinera"}),
        edit(world.case_worker, {"phone": "3002222222"}),
    )

    assert outcomes(results) == ["ok", "ok"], results
    person.refresh_from_db()
    # Each edit locked the row and started from the other's saved values: both survive.
    assert (person.occupation, person.phone) == ("Cocinera", "3002222222")


DOCUMENT = {
    "document_type": "ve_cedula",
    "number": "V-20.111.222",
    "issuing_country": "VE",
    "issued_on": date(2012, 3, 4),
}


def test_two_registrations_of_the_same_document_create_one_person(world, monkeypatch):
    # The pause comes after the duplicate check: both pass it, then both insert.
    slow_down(monkeypatch, "_duplicate_document_error")

    def register(actor, given_names, number):
        def call():
            return services.person_register(
                actor=actor,
                population_group="settled",
                fields={
                    "given_names": given_names,
                    "first_surname": "Rondón",
                    "birth_date": date(1988, 7, 9),
                    "sex": "female",
                    "nationalities": ["VE"],
                },
                documents=[{**DOCUMENT, "number": number}],
            )

        return call

    results = run_together(
        register(world.intake, "Ana", "V-20.111.222"),
        register(world.case_worker, "Ana María", "v20111222"),
    )

    kinds = outcomes(results)
    assert kinds in (["Conflict", "ok"], ["InvalidInput", "ok"]), results
    loser = next(value for kind, value in results if kind == "error")
    assert isinstance(loser, Conflict | InvalidInput) and not isinstance(loser, IntegrityError)
    assert str(loser.message)
    assert Person.objects.count() == 1
    assert IdentityDocument.objects.count() == 1
    assert PopulationGroupPeriod.objects.count() == 1  # the loser left nothing behind
    assert AuditEvent.objects.filter(action="registry.person.created").count() == 1


def test_two_api_registrations_of_the_same_document_give_201_and_409(world, monkeypatch):
    slow_down(monkeypatch, "_duplicate_document_error")

    def post(user, given_names):
        def call():
            client = APIClient()
            client.force_login(user)
            return client.post(
                "/api/v1/persons/",
                {
                    "given_names": given_names,
                    "first_surname": "Rondón",
                    "birth_date": "1988-07-09",
                    "sex": "female",
                    "population_group": "settled",
                    "documents": [
                        {
                            "document_type": "passport",
                            "number": "153 998 877",
                            "issuing_country": "VE",
                        }
                    ],
                },
                format="json",
            )

        return call

    results = run_together(post(world.intake, "Ana"), post(world.case_worker, "Ana María"))

    assert all(kind == "ok" for kind, _value in results), results
    statuses = sorted(response.status_code for _kind, response in results)
    assert statuses in ([201, 409], [201, 400]), [r.content for _k, r in results]
    refused = next(response for _kind, response in results if response.status_code != 201)
    assert set(refused.json()["error"]) == {"code", "message", "fields"}
    assert Person.objects.count() == 1


@pytest.mark.parametrize("already_in_a_household", [True, False])
def test_two_households_taking_the_same_person_leave_one_current_membership(
    world, make_person, monkeypatch, already_in_a_household
):
    person = make_person(given_names="Rosa", first_surname="Linares")
    if already_in_a_household:
        services.household_register(
            actor=world.intake, members=[{"person": person, "relationship": "head"}]
        )
    # The pause comes after the old membership was looked up (and ended).
    slow_down(monkeypatch, "_end_current_membership")

    def register(actor, head_name):
        def call():
            return services.household_register(
                actor=actor,
                members=[
                    {
                        "relationship": "head",
                        "population_group": "settled",
                        "fields": {
                            "given_names": head_name,
                            "first_surname": "Mora",
                            "birth_date": date(1980, 1, 2),
                            "sex": "male",
                        },
                    },
                    {"person": person, "relationship": "parent"},
                ],
            )

        return call

    results = run_together(register(world.intake, "Luis"), register(world.case_worker, "Juan"))

    assert set(outcomes(results)) <= {"ok", "Conflict"}, results
    assert "ok" in outcomes(results)
    current = Membership.objects.filter(person=person, end_date__isnull=True)
    assert current.count() == 1
    created = [value for kind, value in results if kind == "ok"]
    assert current.get().household in created
    # A household that failed left nothing; one that succeeded still has its head.
    assert Household.objects.count() == len(created) + (1 if already_in_a_household else 0)
    for household in created:
        assert (
            Membership.objects.filter(
                household=household, relationship="head", end_date__isnull=True
            ).count()
            == 1
        )
    # The history keeps every household the person passed through.
    assert Membership.objects.filter(person=person).count() == len(created) + (
        1 if already_in_a_household else 0
    )


def test_two_members_added_to_different_households_at_once(world, make_person, monkeypatch):
    person = make_person(given_names="Rosa", first_surname="Linares")
    first, second = (
        services.household_register(
            actor=world.intake,
            members=[
                {
                    "relationship": "head",
                    "population_group": "settled",
                    "fields": {
                        "given_names": name,
                        "first_surname": "Mora",
                        "birth_date": date(1980, 1, 2),
                        "sex": "male",
                    },
                }
            ],
        )
        for name in ("Luis", "Juan")
    )
    slow_down(monkeypatch, "_end_current_membership")

    def add(actor, household):
        return lambda: services.household_add_member(
            actor=actor, household=household, person=person, relationship="parent"
        )

    results = run_together(add(world.intake, first), add(world.case_worker, second))

    # One after the other, or a clear conflict; never a misleading "already has a head".
    assert set(outcomes(results)) <= {"ok", "Conflict"}, results
    current = Membership.objects.filter(person=person, end_date__isnull=True)
    assert current.count() == 1
    assert current.get().household in (first, second)
    assert Membership.objects.filter(person=person).count() == outcomes(results).count("ok")


def test_two_new_heads_registered_into_a_headless_household_at_once(
    world, make_person, monkeypatch
):
    head = make_person(given_names="Rosa", first_surname="Linares")
    household = services.household_register(
        actor=world.intake, members=[{"person": head, "relationship": "head"}]
    )
    services.household_remove_member(
        actor=world.intake, membership=Membership.objects.get(person=head, end_date__isnull=True)
    )
    # The pause comes after the "already has a head?" check, before the membership is saved.
    slow_down(monkeypatch, "_create_person")

    def register(actor, given_names):
        return lambda: services.household_register_member(
            actor=actor,
            household=household,
            member={
                "relationship": "head",
                "population_group": "settled",
                "fields": {
                    "given_names": given_names,
                    "first_surname": "Mora",
                    "birth_date": date(1980, 1, 2),
                    "sex": "male",
                },
            },
        )

    results = run_together(register(world.intake, "Luis"), register(world.case_worker, "Juan"))

    assert outcomes(results) == ["InvalidInput", "ok"], results
    loser = next(value for kind, value in results if kind == "error")
    assert "relationship" in loser.field_errors
    assert (
        Membership.objects.filter(
            household=household, relationship="head", end_date__isnull=True
        ).count()
        == 1
    )
    assert Person.objects.filter(given_names__in=["Luis", "Juan"]).count() == 1
