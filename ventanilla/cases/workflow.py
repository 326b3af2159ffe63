"""The case workflow as a table: which status may follow which. Pure Python, no Django.

new → assessment → plan → follow_up → closure_requested → closed (a coordinator approves)
or back to follow_up (a coordinator declines); closed → reopened → assessment | plan |
follow_up. Closing needs a reason. The services enforce who may make each move.
"""

NEW = "new"
ASSESSMENT = "assessment"
PLAN = "plan"
FOLLOW_UP = "follow_up"
CLOSURE_REQUESTED = "closure_requested"
CLOSED = "closed"
REOPENED = "reopened"

TRANSITIONS: dict[str, frozenset[str]] = {
    NEW: frozenset({ASSESSMENT}),
    ASSESSMENT: frozenset({PLAN}),
    PLAN: frozenset({FOLLOW_UP}),
    FOLLOW_UP: frozenset({CLOSURE_REQUESTED}),
    CLOSURE_REQUESTED: frozenset({CLOSED, FOLLOW_UP}),
    CLOSED: frozenset({REOPENED}),
    REOPENED: frozenset({ASSESSMENT, PLAN, FOLLOW_UP}),
}

# Moves only a closure approver makes (approve or decline a closure request).
APPROVER_ONLY = frozenset({(CLOSURE_REQUESTED, CLOSED), (CLOSURE_REQUESTED, FOLLOW_UP)})
# Moves that need a reason.
NEEDS_REASON = frozenset({(FOLLOW_UP, CLOSURE_REQUESTED), (CLOSED, REOPENED)})
# A case in these statuses is open (one open case per person or household).
OPEN_STATUSES = frozenset(TRANSITIONS) - {CLOSED}


def allowed_next(status: str) -> frozenset[str]:
    return TRANSITIONS.get(status, frozenset())


def can_move(current: str, to: str) -> bool:
    return to in allowed_next(current)


def needs_approver(current: str, to: str) -> bool:
    return (current, to) in APPROVER_ONLY


def needs_reason(current: str, to: str) -> bool:
    return (current, to) in NEEDS_REASON
