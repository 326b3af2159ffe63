"""Two staff running the navigator in the same case at the same moment, on PostgreSQL.

Same pattern as registry/tests/test_concurrency_pg.py: two threads, each with its own
connection, released together; a pause after the existing tasks are read makes the runs overlap.
"""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from ventanilla.cases import services as case_services
from ventanilla.cases.models import Task
from ventanilla.pathways import services
from ventanilla.pathways.models import PathwayCheck, PathwayDeadlineTask
from ventanilla.registry.tests.test_concurrency_pg import outcomes, run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks and concurrent transactions")


def test_two_runs_at_once_make_each_deadline_task_once(world, make_person, monkeypatch):
    expires = timezone.localdate() + timedelta(days=60)
    person = make_person(
        nationalities=["PE"],
        documents=[
            {
                "document_type": "foreigner_id",
                "number": "E-77",
                "issuing_country": "CO",
                "issued_on": expires - timedelta(days=700),
                "expires_on": expires,
            }
        ],
    )
    case = case_services.case_open(
        actor=world.case_worker, person=person, assigned_to=world.case_worker
    )
    # The pause comes after the run has read which deadline tasks exist: without the case
    # lock both runs would read "none yet" and both would add the same tasks.
    original = services._task_title

    def slow(*args):
        time.sleep(0.3)
        return original(*args)

    monkeypatch.setattr(services, "_task_title", slow)

    def go(actor):
        return lambda: services.pathway_check_run(
            actor=actor, case=case, person=person, country="CO", answers={}
        )

    results = run_together(go(world.case_worker), go(world.coordinator))

    assert outcomes(results) == ["ok", "ok"], results
    assert PathwayCheck.objects.count() == 2
    links = PathwayDeadlineTask.objects.all()
    keys = [(d.pathway, d.kind, d.window_from, d.window_to) for d in links]
    assert keys and len(keys) == len(set(keys))
    assert Task.objects.filter(case=case).count() == len(keys)
