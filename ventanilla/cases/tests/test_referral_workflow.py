"""The referral workflow table, pure."""

import pytest

from ventanilla.cases import referral_workflow as rwf
from ventanilla.cases.choices import ReferralStatus

ALLOWED = {
    ("sent", "accepted"),
    ("sent", "rejected"),
    ("sent", "cancelled"),
    ("accepted", "in_progress"),
    ("accepted", "completed"),
    ("accepted", "did_not_attend"),
    ("accepted", "cancelled"),
    ("in_progress", "completed"),
    ("in_progress", "did_not_attend"),
    ("in_progress", "cancelled"),
}


def test_the_table_covers_every_status():
    assert set(rwf.TRANSITIONS) == set(ReferralStatus.values)


@pytest.mark.parametrize("current", ReferralStatus.values)
@pytest.mark.parametrize("to", ReferralStatus.values)
def test_it_allows_exactly_the_listed_moves(current, to):
    assert rwf.can_move(current, to) == ((current, to) in ALLOWED)


def test_completing_a_rejected_referral_is_refused():
    assert not rwf.can_move("rejected", "completed")


def test_final_statuses_and_texts():
    assert rwf.FINAL == {"rejected", "completed", "did_not_attend", "cancelled"}
    assert rwf.needs_text("rejected") and rwf.needs_text("completed")
    assert not rwf.needs_text("accepted")
