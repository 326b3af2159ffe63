"""The referral workflow as a table: which status may follow which. Pure Python, no Django.

sent → accepted | rejected (with a reason) | cancelled; accepted → in_progress |
did_not_attend | cancelled; in_progress → completed (with an outcome) | did_not_attend |
cancelled. Rejected, completed, did_not_attend and cancelled are final.
"""

SENT = "sent"
ACCEPTED = "accepted"
REJECTED = "rejected"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
DID_NOT_ATTEND = "did_not_attend"
CANCELLED = "cancelled"

TRANSITIONS: dict[str, frozenset[str]] = {
    SENT: frozenset({ACCEPTED, REJECTED, CANCELLED}),
    ACCEPTED: frozenset({IN_PROGRESS, COMPLETED, DID_NOT_ATTEND, CANCELLED}),
    IN_PROGRESS: frozenset({COMPLETED, DID_NOT_ATTEND, CANCELLED}),
    REJECTED: frozenset(),
    COMPLETED: frozenset(),
    DID_NOT_ATTEND: frozenset(),
    CANCELLED: frozenset(),
}

# Moves that need a written text: the reason for a rejection, the outcome of the service.
NEEDS_TEXT = frozenset({REJECTED, COMPLETED})
# Moves made by the sender's side (the case team), not by the receiving organization.
SENDER_ONLY = frozenset({CANCELLED})
# Still waiting on the provider: past the due date, these are overdue.
PENDING = frozenset({SENT, ACCEPTED})
FINAL = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)


def allowed_next(status: str) -> frozenset[str]:
    return TRANSITIONS.get(status, frozenset())


def can_move(current: str, to: str) -> bool:
    return to in allowed_next(current)


def needs_text(to: str) -> bool:
    return to in NEEDS_TEXT
