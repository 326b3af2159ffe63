"""The demo city: reproducible, complete (every kind of thing), and safe to re-run."""

import hashlib
import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from ventanilla.accounts.choices import OrganizationKind, Role
from ventanilla.accounts.models import Organization, User
from ventanilla.catalog import selectors as catalog_selectors
from ventanilla.catalog.choices import ServiceCategory
from ventanilla.catalog.models import Service
from ventanilla.core.management.commands.seed_demo import DEMO_USERS, LOCALITIES
from ventanilla.outreach.models import (
    AnonymousAttendance,
    OutreachSession,
    ServiceDelivered,
    SessionAttendance,
)
from ventanilla.privacy.models import Consent
from ventanilla.registry.models import (
    DifferentialApproach,
    Household,
    IdentityDocument,
    Membership,
    Person,
    Visit,
)
from ventanilla.territory.choices import AttentionPointKind
from ventanilla.territory.models import AttentionPoint, City, Locality

TODAY = date(2026, 11, 21)
ARGS = ["--households", "20", "--seed", "7", "--today", TODAY.isoformat()]


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def digest() -> str:
    """A fingerprint of the registry data: what must not change between two seeded runs."""
    data = {
        "persons": [
            [
                str(p.uuid),
                p.given_names,
                p.first_surname,
                p.second_surname,
                str(p.birth_date),
                p.birth_date_estimated,
                p.sex,
                [str(c) for c in p.nationalities],
                str(p.country_of_birth),
                p.population_group,
                str(p.population_group_since),
                str(p.arrival_country_date),
                str(p.arrival_city_date),
                p.phone,
                p.address,
                p.locality.name,
                p.languages,
                p.education_level,
                p.occupation,
                p.search_text,
                p.last_visit_at.isoformat() if p.last_visit_at else None,
            ]
            for p in Person.objects.select_related("locality").order_by("uuid")
        ],
        "documents": [
            [
                str(d.uuid),
                str(d.person.uuid),
                d.document_type,
                d.number,
                d.number_key,
                str(d.issuing_country),
                str(d.issued_on),
                str(d.expires_on),
            ]
            for d in IdentityDocument.objects.select_related("person").order_by("uuid")
        ],
        "households": [
            [str(h.uuid), h.address, h.locality.name]
            for h in Household.objects.select_related("locality").order_by("uuid")
        ],
        "memberships": sorted(
            [str(m.household.uuid), str(m.person.uuid), m.relationship, str(m.start_date)]
            for m in Membership.objects.select_related("household", "person")
        ),
        "visits": [
            [
                str(v.uuid),
                v.occurred_at.isoformat(),
                v.attention_point.name,
                v.staff.username,
                v.reasons,
                v.orientation_topics,
                str(v.household.uuid),
                sorted(str(p.uuid) for p in v.persons.all()),
            ]
            for v in Visit.objects.select_related("attention_point", "staff", "household")
            .prefetch_related("persons")
            .order_by("uuid")
        ],
        "consents": [
            [
                str(c.uuid),
                str(c.person.uuid),
                c.purpose,
                c.granted,
                c.recorded_at.isoformat(),
                c.recorded_by.username,
            ]
            for c in Consent.objects.select_related("person", "recorded_by").order_by("uuid")
        ],
        "differential": sorted(
            [
                str(d.person.uuid),
                d.gender_identity,
                *(getattr(d, f) for f in d.WG_FIELDS),
                d.ethnic_self_recognition,
                d.pregnancy,
                d.single_head_of_household,
                d.child_separation,
                d.survivor_of_gbv,
            ]
            for d in DifferentialApproach.objects.select_related("person")
        ),
    }
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class _Undo(Exception):
    pass


def seeded_digest(*args: str) -> str:
    """Seed an empty database, take its digest, and roll everything back."""
    assert not City.objects.exists() and not Person.objects.exists()
    result = None
    try:
        with transaction.atomic():
            seed(*args)
            assert Person.objects.exists()
            result = digest()
            raise _Undo
    except _Undo:
        pass
    assert not Person.objects.exists()
    return result


@pytest.fixture
def seeded(db):
    return seed(*ARGS)


def test_the_same_seed_gives_the_same_data(db):
    first = seeded_digest(*ARGS)
    second = seeded_digest(*ARGS)
    assert first == second
    # The digest does see the data: another seed (or another day) gives another city.
    assert seeded_digest("--households", "20", "--seed", "8", "--today", TODAY.isoformat()) != first
    assert seeded_digest("--households", "20", "--seed", "7", "--today", "2026-11-20") != first


def test_it_reports_what_it_loaded(seeded):
    assert "20 households" in seeded and "(seed 7)" in seeded
    assert f"{Person.objects.count()} persons" in seeded
    assert f"{Visit.objects.count()} visits" in seeded
    assert Household.objects.count() == 20


def test_territory_organizations_and_staff(seeded):
    assert City.objects.count() == 1
    assert sorted(Locality.objects.values_list("name", flat=True)) == sorted(LOCALITIES)
    assert len(LOCALITIES) == 5
    assert set(AttentionPoint.objects.values_list("kind", flat=True)) == set(
        AttentionPointKind.values
    )
    assert set(Organization.objects.values_list("kind", flat=True)) == set(OrganizationKind.values)
    for role in Role.values:
        holders = [u for u in User.objects.all() if role in u.roles]
        assert len(holders) == 1, role
        assert holders[0].roles == [role]
        assert holders[0].is_active and holders[0].organization is not None
        assert holders[0].check_password("demo-ventanilla-2026")
        assert not holders[0].must_change_password


def catalog_digest() -> list:
    return [
        [str(s.uuid), s.provider.acronym, s.category, s.name_es, s.name_pt, s.search_text]
        + [s.languages, str(s.active_from), str(s.active_to), s.contact_phone]
        + [sorted(p.name for p in s.attention_points.all())]
        for s in Service.objects.select_related("provider")
        .prefetch_related("attention_points")
        .order_by("uuid")
    ]


def test_the_catalog_is_reproducible(db):
    runs = []
    for _ in range(2):
        try:
            with transaction.atomic():
                seed(*ARGS)
                runs.append(catalog_digest())
                raise _Undo
        except _Undo:
            pass
    assert runs[0] and runs[0] == runs[1]


def test_the_catalog_has_published_services_in_every_category(seeded):
    assert "services" in seeded
    public = list(catalog_selectors.services_public(today=TODAY))
    assert {s.category for s in public} == set(ServiceCategory.values)
    assert len(public) == Service.objects.count() >= 18
    for service in public:
        assert service.name_es and service.name_en and service.name_pt
        assert service.description_es and service.description_en and service.description_pt
        assert service.attention_points.all() and service.languages
        assert service.search_text
    # A provider other than the center publishes services, and a partner office hosts some.
    assert len({s.provider_id for s in public}) >= 5


def test_households_mix_nationalities_and_have_one_head(seeded):
    mixed = 0
    for household in Household.objects.all():
        members = list(
            Membership.objects.filter(household=household, end_date__isnull=True).select_related(
                "person"
            )
        )
        assert sum(m.relationship == "head" for m in members) == 1
        nationalities = {tuple(sorted(str(c) for c in m.person.nationalities)) for m in members}
        mixed += len(nationalities) > 1
    assert mixed >= 1
    assert Membership.objects.filter(end_date__isnull=True).count() == Person.objects.count()


def test_documents_of_several_types_some_expired(seeded):
    documents = list(IdentityDocument.objects.all())
    assert len({d.document_type for d in documents}) >= 4
    expired = [d for d in documents if d.is_expired(TODAY)]
    assert expired and len(expired) < len(documents)
    for doc in documents:
        assert doc.expires_on is None or doc.issued_on is None or doc.expires_on >= doc.issued_on


def test_visits_fall_within_the_last_two_years(seeded):
    visits = list(Visit.objects.prefetch_related("persons"))
    assert visits
    for visit in visits:
        day = timezone.localtime(visit.occurred_at).date()
        assert TODAY - timedelta(days=730) <= day <= TODAY
        assert visit.reasons and visit.persons.exists()
    # The last visit shown on each person agrees with the visits.
    for person in Person.objects.filter(last_visit_at__isnull=False):
        assert person.last_visit_at == max(v.occurred_at for v in person.visits.all())


def test_seeded_persons_respect_the_registry_rules(seeded):
    for person in Person.objects.prefetch_related("documents"):
        assert person.birth_date <= TODAY
        if person.arrival_country_date:
            assert person.birth_date <= person.arrival_country_date <= TODAY
        if person.arrival_city_date:
            assert person.arrival_country_date <= person.arrival_city_date <= TODAY
        for doc in person.documents.all():
            if doc.issued_on:
                assert person.birth_date <= doc.issued_on <= TODAY, (person.birth_date, doc)


def test_if_empty_keeps_existing_data(seeded):
    before = digest()
    out = seed("--if-empty", "--households", "3", "--seed", "99")
    assert "already loaded" in out
    assert digest() == before
    assert City.objects.count() == 1 and Household.objects.count() == 20


def test_without_if_empty_it_refuses_a_database_with_data(seeded):
    before = digest()
    with pytest.raises(CommandError, match="already has a city"):
        seed("--households", "3", "--seed", "99")
    assert digest() == before


def test_demo_users_prints_every_demo_user(seeded):
    out = StringIO()
    call_command("demo_users", stdout=out)
    text = out.getvalue()
    assert "demo-ventanilla-2026" in text
    labels = dict(Role.choices)
    for username, _given, _surname, acronym, roles in DEMO_USERS:
        line = next((line for line in text.splitlines() if line.split()[:1] == [username]), None)
        assert line is not None, username
        assert acronym in line
        assert all(str(labels[role]) in line for role in roles)
    assert {row[0] for row in DEMO_USERS} == set(User.objects.values_list("username", flat=True))


def outreach_digest() -> list:
    return [
        [str(s.uuid), s.kind, s.status, str(s.date), s.topic, s.locality.name]
        + [s.attention_point.name if s.attention_point else None]
        + [sorted(o.acronym for o in s.organizations.all())]
        + [sorted((a.sex, a.age_group, a.count) for a in s.anonymous_counts.all())]
        + [sorted(str(a.person.uuid) for a in s.attendances.all())]
        for s in OutreachSession.objects.select_related("locality", "attention_point")
        .prefetch_related("organizations", "anonymous_counts", "attendances__person")
        .order_by("uuid")
    ]


def test_the_outreach_sessions_are_reproducible(db):
    runs = []
    for _ in range(2):
        try:
            with transaction.atomic():
                seed(*ARGS)
                runs.append(outreach_digest())
                raise _Undo
        except _Undo:
            pass
    assert runs[0] and runs[0] == runs[1]


def test_outreach_sessions_past_and_upcoming_with_attendance(seeded):
    sessions = list(OutreachSession.objects.select_related("attention_point"))
    assert "12 outreach sessions" in seeded and len(sessions) == 12
    assert {s.kind for s in sessions} == {"mobile_unit_day", "extramural_workshop"}
    assert len({s.locality_id for s in sessions}) >= 3
    past = [s for s in sessions if s.date < TODAY]
    upcoming = [s for s in sessions if s.date > TODAY]
    assert past and upcoming
    assert all(s.status == "planned" for s in upcoming)
    assert {s.status for s in past} == {"held", "cancelled"}
    assert any(s.attention_point is None for s in sessions)
    assert all(s.organizations.exists() for s in sessions)
    for session in past:
        counted = AnonymousAttendance.objects.filter(session=session).exists()
        assert counted is (session.status == "held")
    attendances = list(SessionAttendance.objects.select_related("session", "visit", "person"))
    assert attendances
    for attendance in attendances:
        # Each registered attendee was served at the session's point, on the session's day.
        visit = attendance.visit
        assert visit.attention_point_id == attendance.session.attention_point_id
        assert timezone.localtime(visit.occurred_at).date() == attendance.session.date
        assert list(visit.persons.all()) == [attendance.person]
        assert attendance.sex == attendance.person.sex and attendance.age_group
        assert attendance.person.last_visit_at >= visit.occurred_at
    # Services delivered on the spot: at held sessions only, by a participating organization,
    # registered persons among the session's attendees and never more than the count.
    delivered = list(ServiceDelivered.objects.select_related("session"))
    assert {d.session.status for d in delivered} == {"held"}
    assert {d.session_id for d in delivered} == {s.pk for s in past if s.status == "held"}
    for service in delivered:
        assert service.provider in service.session.organizations.all()
        persons = set(service.persons.all())
        assert len(persons) <= service.count
        assert persons <= {a.person for a in attendances if a.session_id == service.session_id}


def cases_digest() -> list:
    from ventanilla.cases.models import Case, Referral

    return [
        [str(c.uuid), c.status, c.opened_at.isoformat(), str(c.person.uuid)]
        for c in Case.objects.select_related("person").order_by("uuid")
    ] + [
        [str(r.uuid), r.status, r.sent_at.isoformat(), str(r.due_date), r.outcome, r.reason]
        for r in Referral.objects.order_by("uuid")
    ]


def test_the_cases_and_referrals_are_reproducible(db):
    runs = []
    for _ in range(2):
        try:
            with transaction.atomic():
                seed(*ARGS)
                runs.append(cases_digest())
                raise _Undo
        except _Undo:
            pass
    assert runs[0] and runs[0] == runs[1]


def test_cases_in_every_status_with_plans_notes_and_tasks(seeded):
    from ventanilla.cases.choices import CaseStatus
    from ventanilla.cases.models import Assessment, Case, CaseNote, PlanItem, Task

    cases = list(Case.objects.all())
    assert 20 <= len(cases) <= 30 and f"{len(cases)} cases" in seeded
    by_status = {s: sum(c.status == s for c in cases) for s in CaseStatus.values}
    assert all(by_status[s] >= 2 for s in CaseStatus.values), by_status
    gestora = User.objects.get(username="gestora")
    assert all(c.assigned_to_id == gestora.pk for c in cases)
    for case in cases:
        assert TODAY - timedelta(days=181) <= timezone.localtime(case.opened_at).date() <= TODAY
        answered = Assessment.objects.filter(case=case).exists()
        assert answered is (case.status != CaseStatus.NEW)
        has_needs = PlanItem.objects.filter(case=case, kind="need").exists()
        assert has_needs is (case.status not in (CaseStatus.NEW, CaseStatus.ASSESSMENT))
    notes = set(CaseNote.objects.values_list("confidentiality", flat=True))
    assert notes == {"team", "specialists_only"}
    assert Task.objects.filter(done_at__isnull=True, due_date__lt=TODAY).exists()


def test_referrals_in_every_status_and_the_partner_sees_them(seeded):
    from ventanilla.cases import selectors
    from ventanilla.cases.choices import ReferralStatus
    from ventanilla.cases.models import Referral, ReferralGroup

    referrals = list(Referral.objects.select_related("service"))
    assert 20 <= len(referrals) <= 60 and f"{len(referrals)} referrals" in seeded
    assert {r.status for r in referrals} >= set(ReferralStatus.values) - {"in_progress"}
    assert any(r.is_external for r in referrals) and ReferralGroup.objects.exists()
    for referral in referrals:
        assert TODAY - timedelta(days=181) <= timezone.localtime(referral.sent_at).date() <= TODAY
        assert referral.snapshot["receiving_org"]["name"]
        if referral.status == "completed":
            assert referral.outcome
        if referral.status == "rejected":
            assert referral.reason
    # Closed cases have no referral still waiting.
    assert not Referral.objects.filter(case__status="closed", status__in=["sent", "accepted"])
    partner = User.objects.get(username="aliado")
    inbox = selectors.referral_inbox(user=partner, today=TODAY)
    assert inbox["new"] and inbox["overdue"]
    assert partner.notifications.filter(read_at__isnull=True).exists()


def test_open_demo_cases_have_navigator_checks(seeded):
    from ventanilla.pathways.models import PathwayCheck
    from ventanilla.pathways.selectors import rules_version

    checks = list(PathwayCheck.objects.select_related("case"))
    assert checks and f"{len(checks)} pathway checks" in seeded
    for check in checks:
        assert check.case.status not in ("closed", "closure_requested")
        assert set(check.results) == {"es", "en", "pt"} and check.results["es"]
        assert check.rules_version == rules_version() and check.evaluated_on == TODAY
