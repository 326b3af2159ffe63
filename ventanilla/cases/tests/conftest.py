import pytest
from django.utils import translation

from ventanilla.cases import services

# Valid answers to every required question of the shipped questionnaires (needs v1 and v2:
# v2 adds only optional questions).
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


CONSENT = {"share_with_referrals": True}


@pytest.fixture
def make_service(world):
    """A published catalog service of the partner organization (the catalog's own fixture)."""
    from datetime import timedelta

    from django.utils import timezone

    from ventanilla.catalog import services as catalog

    counter = {"n": 0}

    def make(*, provider=None, **fields):
        counter["n"] += 1
        defaults = {
            "category": "legal_aid",
            "name_es": f"Orientación jurídica {counter['n']}",
            "description_es": "Asesoría sobre regularización migratoria.",
            "languages": ["es"],
            "active_from": timezone.localdate() - timedelta(days=30),
            "response_time_days": 3,
        }
        defaults.update(fields)
        return catalog.service_create(
            actor=None, provider=provider or world.partner_org, attention_points=[], **defaults
        )

    return make


@pytest.fixture
def referral_setup(world, make_person, make_case, make_service):
    """A case whose person consented to share, a need in its plan, a partner service."""
    person = make_person(consents=CONSENT, phone="3001234567")
    case = make_case(person)
    need = services.plan_item_add(
        actor=world.case_worker,
        case=case,
        kind="need",
        area="documentation",
        description="Regularize migratory status",
    )
    service = make_service()
    return case, need, service, person


@pytest.fixture
def send(world, referral_setup):
    """Send a referral of the case's person to the partner service."""
    case, need, service, person = referral_setup

    def do(**kwargs):
        args = {
            "actor": world.case_worker,
            "case": case,
            "need": need,
            "service": service,
            "persons": [person],
            "summary": "Needs guidance for the PPT.",
        } | kwargs
        return services.referral_send(**args)

    return do
