import pytest
from django.utils import translation

from ventanilla.cases import services

# Valid answers to every required question of the shipped questionnaire (needs v1).
REQUIRED_ANSWERS = {
    "migration_status": "in_process",
    "health_affiliated": "none",
    "work_now": False,
    "income_monthly_range": "below_half_mw",
    "housing_type": "rented",
    "protection_feels_unsafe": False,
    "family_dependents": 2,
}


@pytest.fixture(autouse=True)
def _english():
    """Services word their messages in the active language: tests read them in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def answers():
    return dict(REQUIRED_ANSWERS)


@pytest.fixture
def make_case(world, make_person):
    """Open a case (by the case worker, assigned to them) for a new person."""

    def make(person=None, *, actor=None, assigned_to="default", **person_fields):
        person = person or make_person(**person_fields)
        return services.case_open(
            actor=actor or world.case_worker,
            person=person,
            assigned_to=world.case_worker if assigned_to == "default" else assigned_to,
        )

    return make


def move(case, actor, *statuses, reason="Reason"):
    """Walk a case through statuses with the services."""
    for status in statuses:
        case = services.case_transition(actor=actor, case=case, to=status, reason=reason)
    return case
