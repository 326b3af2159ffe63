"""Two partner staff answering the same referral at the same moment, on PostgreSQL.

Same pattern as registry/tests/test_concurrency_pg.py: two threads with their own
connections, released together by a barrier; a pause after the referral row is locked makes
the transactions overlap every time. SQLite serializes writers, so these need PostgreSQL.
"""

import time

import pytest
from django.db import connection
from django.utils import translation

from ventanilla.accounts.choices import Role
from ventanilla.accounts.services import user_create
from ventanilla.cases import services
from ventanilla.cases.models import Referral
from ventanilla.core.models import AuditEvent
from ventanilla.registry.tests.test_concurrency_pg import PAUSE, outcomes, run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: row locks and concurrent transactions (SQLite serializes writers)"
        )


@pytest.fixture
def colleague(world):
    return user_create(
        actor=None,
        username="partner2",
        organization=world.partner_org,
        roles=[Role.PARTNER],
        password=world.password,
        must_change_password=False,
        first_name="Colleague",
    )


def slow_lock(monkeypatch):
    original = services.referrals._lock_referral

    def slow(*args, **kwargs):
        translation.activate("en")  # each thread has its own active language
        result = original(*args, **kwargs)
        time.sleep(PAUSE)
        return result

    monkeypatch.setattr(services.referrals, "_lock_referral", slow)


def test_accept_and_reject_at_once_one_wins_the_other_is_told(world, colleague, send, monkeypatch):
    [referral] = send()
    version = referral.updated_at
    slow_lock(monkeypatch)

    results = run_together(
        lambda: services.referral_answer(
            actor=world.partner, referral=referral, accept=True, expected_version=version
        ),
        lambda: services.referral_answer(
            actor=colleague,
            referral=referral,
            accept=False,
            reason="Full",
            expected_version=version,
        ),
    )

    assert outcomes(results) == ["Conflict", "ok"], results
    winner = next(value for kind, value in results if kind == "ok")
    loser = next(value for kind, value in results if kind == "error")
    assert "already answered by" in str(loser)
    assert winner.answered_by.get_full_name() in str(loser)
    referral.refresh_from_db()
    assert referral.status == winner.status and referral.answered_by == winner.answered_by
    answered = AuditEvent.objects.filter(
        action__in=["cases.referral.accepted", "cases.referral.rejected"]
    )
    assert answered.count() == 1


def test_two_blind_accepts_do_not_answer_twice(world, colleague, send, monkeypatch):
    [referral] = send()
    slow_lock(monkeypatch)

    results = run_together(
        lambda: services.referral_answer(actor=world.partner, referral=referral, accept=True),
        lambda: services.referral_answer(actor=colleague, referral=referral, accept=True),
    )

    # The second one reads the row after the first commits: accepted cannot be accepted again.
    assert outcomes(results) == ["InvalidInput", "ok"], results
    assert Referral.objects.get().status == "accepted"
    assert AuditEvent.objects.filter(action="cases.referral.accepted").count() == 1


def test_an_update_and_a_completion_at_once_lose_nothing(world, colleague, send, monkeypatch):
    [referral] = send()
    referral = services.referral_answer(actor=world.partner, referral=referral, accept=True)
    version = referral.updated_at
    slow_lock(monkeypatch)

    results = run_together(
        lambda: services.referral_update_note(
            actor=world.partner, referral=referral, note="Called", expected_version=version
        ),
        lambda: services.referral_complete(
            actor=colleague, referral=referral, outcome="Done", expected_version=version
        ),
    )

    assert outcomes(results) == ["Conflict", "ok"], results
    referral.refresh_from_db()
    assert referral.status == "completed" or referral.note == "Called"
