"""A small synthetic year (2025) of the center, recorded through the services.

Dates the services set to "today" (group periods, memberships) are moved into the past with
the ORM, as if the records had been kept since then; times are the city's local time.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from ventanilla.cases.models import Referral
from ventanilla.registry.models import Membership, PopulationGroupPeriod

YEAR = 2025


def local(y, m, d, hh=10, mm=0) -> datetime:
    return datetime.combine(date(y, m, d), time(hh, mm), timezone.get_current_timezone())


@dataclass
class Dataset:
    point: object
    north_point: object
    persons: dict = field(default_factory=dict)
    household: object = None
    sessions: dict = field(default_factory=dict)
    referrals: dict = field(default_factory=dict)


def _since_2020(*persons):
    PopulationGroupPeriod.objects.filter(person__in=persons).update(start_date=date(2020, 1, 1))
    Membership.objects.filter(person__in=persons).update(start_date=date(2020, 1, 1))


@pytest.fixture
def dataset(world, make_person):
    from ventanilla.cases import services as cases
    from ventanilla.catalog import services as catalog
    from ventanilla.outreach import services as outreach
    from ventanilla.privacy.services import consent_record
    from ventanilla.registry import services as registry
    from ventanilla.territory import services as territory

    north = territory.attention_point_create(
        actor=None,
        name="Punto Norte",
        kind="fixed_center",
        locality=world.other_locality,
        address="Carrera 9",
        hours=[(0, time(8), time(17))],
    )
    data = Dataset(point=world.point, north_point=north)
    consent = {"share_with_referrals": True}

    def person(name, **fields):
        p = make_person(given_names=name, consents=consent, **fields)
        _since_2020(p)
        data.persons[name] = p
        return p

    ana = person("Ana", sex="female", birth_date=date(1995, 1, 1))
    beto = person("Beto", sex="male", birth_date=date(2019, 3, 10))
    cruz = person("Cruz", sex="intersex", birth_date=None)
    dora = person("Dora", sex="female", birth_date=date(1960, 7, 1), population_group="in_transit")
    many = [person(f"Varios{i}", sex="male", birth_date=date(1990, 1, 1)) for i in range(6)]

    home = registry.household_register(
        actor=world.intake,
        members=[
            {
                "relationship": rel,
                "population_group": "settled",
                "fields": {
                    "given_names": name,
                    "first_surname": "Quintanilla",
                    "sex": "female",
                    "birth_date": date(1985, 2, 2),
                    "locality": world.locality,
                },
            }
            for name, rel in (("Elena", "head"), ("Fabio", "child"))
        ],
    )
    elena, fabio = (m.person for m in home.memberships.order_by("id"))
    _since_2020(elena, fabio)
    for member in (elena, fabio):
        consent_record(actor=world.intake, person=member, purposes=consent)
    data.persons |= {"Elena": elena, "Fabio": fabio}
    data.household = home

    # Dora changes group mid-year: settled... no, in transit until 15 June, then settled.
    registry.population_group_change(
        actor=world.intake, person=dora, group="settled", since=date(YEAR, 6, 15)
    )

    def visit(persons, at, point=world.point, household=None):
        return registry.visit_record(
            actor=world.intake,
            persons=persons,
            attention_point=point,
            reasons=["legal"],
            household=household,
            occurred_at=at,
        )

    visit([beto], local(YEAR - 1, 12, 31, 23, 30))  # the previous year, in local time
    visit([ana], local(YEAR, 1, 1, 0, 30))  # 05:30 UTC, the first of January
    visit([beto], local(YEAR, 1, 31, 23, 59), point=north)  # 04:59 UTC on 1 February
    for p in many:
        visit([p], local(YEAR, 2, 10))
    visit([elena], local(YEAR, 3, 10))  # no household on the visit: found by membership
    visit([elena, fabio], local(YEAR, 3, 11), household=home)
    visit([dora], local(YEAR, 5, 1), point=north)  # in transit that day
    visit([dora], local(YEAR, 7, 1))  # settled that day
    visit([cruz], local(YEAR, 12, 31, 23, 59))  # the last minute of the year

    # Outreach: a held session with a point (attendance also records a visit), one by
    # locality only (anonymous counts), a planned one that never happened.
    held = outreach.session_plan(
        actor=world.coordinator,
        kind="extramural_workshop",
        attention_point=north,
        date=date(YEAR, 4, 5),
        topic="Derechos",
    )
    outreach.attendance_add_person(actor=world.intake, session=held, person=ana)
    outreach.attendance_add_person(actor=world.intake, session=held, person=dora)
    outreach.anonymous_counts_set(
        actor=world.intake,
        session=held,
        counts={("female", "18-29"): 3, ("not_recorded", "0-5"): 2},
    )
    outreach.service_delivered_add(
        actor=world.intake, session=held, count=4, description="Kits", persons=[ana]
    )
    street = outreach.session_plan(
        actor=world.coordinator,
        kind="mobile_unit_day",
        locality=world.locality,
        date=date(YEAR, 8, 20),
        topic="Jornada",
    )
    outreach.anonymous_counts_set(actor=world.intake, session=street, counts={("male", "30-59"): 6})
    outreach.service_delivered_add(
        actor=world.intake, session=street, count=7, description="Vacunas"
    )
    outreach.session_plan(
        actor=world.coordinator,
        kind="extramural_workshop",
        attention_point=world.point,
        date=date(YEAR, 9, 1),
        topic="Nunca",
    )
    data.sessions = {"held": held, "street": street}

    # Referrals: sent in 2025 (one on the last evening of 2024), moved along the workflow.
    service = catalog.service_create(
        actor=None,
        provider=world.partner_org,
        attention_points=[],
        category="legal_aid",
        name_es="Orientación jurídica",
        description_es="Asesoría.",
        languages=["es"],
        active_from=timezone.localdate() - timedelta(days=30),
        response_time_days=3,
    )

    def refer(p, sent_at, *, external=False):
        case = cases.case_open(actor=world.case_worker, person=p, assigned_to=world.case_worker)
        need = cases.plan_item_add(
            actor=world.case_worker, case=case, kind="need", area="documentation", description="x"
        )
        extra = {"external_provider": "Clínica"} if external else {"service": service}
        (referral,) = cases.referral_send(
            actor=world.case_worker, case=case, need=need, persons=[p], summary="s", **extra
        )
        Referral.objects.filter(pk=referral.pk).update(sent_at=sent_at)
        referral.refresh_from_db()
        return referral

    def move(referral, to, actor, text="", at=None):
        moved = cases.referral_transition(actor=actor, referral=referral, to=to, text=text)
        if at is not None:
            fields = {"completed_at": at} if to in ("completed", "rejected", "cancelled") else {}
            if to in ("accepted", "rejected"):
                fields["answered_at"] = at
            Referral.objects.filter(pk=moved.pk).update(**fields)
        return moved

    sent = local(YEAR, 2, 1)
    done = refer(ana, sent)
    move(done, "accepted", world.partner, at=sent + timedelta(days=2))
    move(done, "in_progress", world.partner)
    move(done, "completed", world.partner, text="ok", at=sent + timedelta(days=10))
    accepted = refer(beto, local(YEAR, 3, 1))
    move(accepted, "accepted", world.partner, at=local(YEAR, 3, 5))
    rejected = refer(cruz, local(YEAR, 3, 2))
    move(rejected, "rejected", world.partner, text="no", at=local(YEAR, 3, 3))
    cancelled = refer(dora, local(YEAR, 6, 20))  # settled by then
    move(cancelled, "cancelled", world.case_worker, text="moved away")
    external = refer(elena, local(YEAR, 12, 31, 23, 0), external=True)
    before = refer(fabio, local(YEAR - 1, 12, 31, 23, 0))
    data.referrals = {
        "completed": done,
        "accepted": accepted,
        "rejected": rejected,
        "cancelled": cancelled,
        "external": external,
        "before": before,
    }
    return data
