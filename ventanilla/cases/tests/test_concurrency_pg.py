"""Two staff moving the same case at the same moment, on PostgreSQL.

Same pattern as registry/tests/test_concurrency_pg.py: two threads, each with its own
connection, released together; a pause after the case row is read and locked makes the
transactions overlap every time. SQLite serializes writers, so these need PostgreSQL.
"""

import time

import pytest
from django.db import connection

from ventanilla.cases import services
from ventanilla.cases.models import Case
from ventanilla.core.models import AuditEvent
from ventanilla.registry.tests.test_concurrency_pg import PAUSE, outcomes, run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def slow_down(monkeypatch, name: str) -> None:
    """Pause after cases.services.core.<name> so that the other transaction catches up."""
    original = getattr(services.core, name)

    def slow(*args, **kwargs):
        result = original(*args, **kwargs)
        time.sleep(PAUSE)
        return result

    monkeypatch.setattr(services.core, name, slow)


@pytest.fixture(autouse=True)
def _needs_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: row locks and concurrent transactions (SQLite serializes writers)"
        )


def test_two_transitions_with_the_same_version_one_wins(world, make_person, monkeypatch):
    case = services.case_open(actor=world.case_worker, person=make_person())
    version = case.updated_at
    slow_down(monkeypatch, "_lock")

    def go(actor):
        return lambda: services.case_transition(
            actor=actor, case=case, to="assessment", expected_version=version
        )

    results = run_together(go(world.case_worker), go(world.coordinator))

    assert outcomes(results) == ["Conflict", "ok"], results
    case.refresh_from_db()
    assert case.status == "assessment"
    assert AuditEvent.objects.filter(action="cases.case.status_changed").count() == 1


def test_two_openings_for_the_same_person_make_one_case(world, make_person, monkeypatch):
    person = make_person()
    slow_down(monkeypatch, "_open_case_of")

    results = run_together(
        lambda: services.case_open(actor=world.intake, person=person),
        lambda: services.case_open(actor=world.case_worker, person=person),
    )

    assert outcomes(results) == ["Conflict", "ok"], results
    assert Case.objects.filter(person=person).count() == 1
