"""The workflow table, and every allowed move through the services."""

import pytest

from ventanilla.cases import services, workflow
from ventanilla.cases.choices import CaseStatus
from ventanilla.cases.tests.conftest import move
from ventanilla.core.exceptions import InvalidInput, PermissionDenied

ALL = CaseStatus.values

# The shortest path from a new case to each status (done by the coordinator, who may all).
PATH = {
    "new": [],
    "assessment": ["assessment"],
    "plan": ["assessment", "plan"],
    "follow_up": ["assessment", "plan", "follow_up"],
    "closure_requested": ["assessment", "plan", "follow_up", "closure_requested"],
    "closed": ["assessment", "plan", "follow_up", "closure_requested", "closed"],
    "reopened": ["assessment", "plan", "follow_up", "closure_requested", "closed", "reopened"],
}
ALLOWED = [(a, b) for a in ALL for b in ALL if workflow.can_move(a, b)]
REFUSED = [(a, b) for a in ALL for b in ALL if not workflow.can_move(a, b)]


def test_the_table_covers_every_status_and_names_only_known_ones():
    assert set(workflow.TRANSITIONS) == set(ALL)
    assert all(targets <= set(ALL) for targets in workflow.TRANSITIONS.values())
    assert workflow.OPEN_STATUSES == set(ALL) - {"closed"}
    assert len(ALLOWED) == 10


@pytest.mark.parametrize(("start", "to"), ALLOWED)
def test_every_allowed_move(world, make_case, start, to):
    case = move(make_case(), world.coordinator, *PATH[start])
    moved = services.case_transition(actor=world.coordinator, case=case, to=to, reason="Done")
    assert moved.status == to


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ("new", "plan"),
        ("new", "closed"),
        ("assessment", "follow_up"),
        ("plan", "closure_requested"),
        ("follow_up", "closed"),
        ("closed", "follow_up"),
        ("reopened", "closed"),
        ("new", "new"),
    ],
)
def test_refused_moves_name_both_statuses(world, make_case, start, to):
    assert (start, to) in REFUSED
    case = move(make_case(), world.coordinator, *PATH[start])
    with pytest.raises(InvalidInput) as exc:
        services.case_transition(actor=world.coordinator, case=case, to=to, reason="x")
    message = str(exc.value.message)
    assert str(CaseStatus(start).label) in message and str(CaseStatus(to).label) in message
    case.refresh_from_db()
    assert case.status == start


def test_an_unknown_status_is_refused_clearly(world, make_case):
    with pytest.raises(InvalidInput, match="martian"):
        services.case_transition(actor=world.case_worker, case=make_case(), to="martian")


def test_closing_needs_a_reason(world, make_case):
    case = move(make_case(), world.case_worker, "assessment", "plan", "follow_up")
    with pytest.raises(InvalidInput) as exc:
        services.case_request_closure(actor=world.case_worker, case=case, reason="  ")
    assert "reason" in exc.value.field_errors


def test_only_a_coordinator_approves_or_declines_a_closure(world, make_case):
    case = move(make_case(), world.case_worker, "assessment", "plan", "follow_up")
    case = services.case_request_closure(actor=world.case_worker, case=case, reason="Goals met")
    for to in ("closed", "follow_up"):
        with pytest.raises(PermissionDenied):
            services.case_transition(actor=world.case_worker, case=case, to=to)
    closed = services.case_approve_closure(actor=world.coordinator, case=case)
    assert closed.status == "closed"
    assert closed.closure_reason == "Goals met"
    assert closed.closure_approved_by == world.coordinator
    assert closed.closure_requested_by == world.case_worker


def test_a_declined_closure_goes_back_to_follow_up(world, make_case):
    case = move(make_case(), world.case_worker, "assessment", "plan", "follow_up")
    case = services.case_request_closure(actor=world.case_worker, case=case, reason="Moved")
    case = services.case_decline_closure(actor=world.coordinator, case=case, reason="Not yet")
    assert case.status == "follow_up" and case.closure_reason == ""


def test_reopening_needs_a_reason_and_no_other_open_case(world, make_case):
    case = move(make_case(), world.coordinator, *PATH["closed"])
    with pytest.raises(InvalidInput):
        services.case_reopen(actor=world.case_worker, case=case, reason="")
    other = services.case_open(actor=world.intake, person=case.person)
    with pytest.raises(Exception) as exc:
        services.case_reopen(actor=world.case_worker, case=case, reason="Back")
    assert "already has an open case" in str(exc.value)
    move(other, world.coordinator, *PATH["closed"])
    reopened = services.case_reopen(actor=world.case_worker, case=case, reason="Back")
    assert reopened.status == "reopened"
