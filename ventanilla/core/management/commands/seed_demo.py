"""Build a fictional demo city: territory, organizations, one user per role, households, visits.

Everything is synthetic. The same --seed (and --today) gives the same data, UUIDs included.
Bulk inserts are used for speed; derived fields are computed by the same functions the
services use (normalize.search_text, birth_date_from_age).
"""

import random
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from ventanilla.accounts import services as account_services
from ventanilla.accounts.choices import OrganizationKind, Role
from ventanilla.accounts.models import Organization
from ventanilla.catalog.demo_services import DEMO_SERVICES
from ventanilla.catalog.models import Service
from ventanilla.catalog.services import search_text_of
from ventanilla.outreach.choices import (
    AgeGroup,
    AttendeeSex,
    SessionKind,
    SessionStatus,
    age_group_of,
)
from ventanilla.outreach.models import (
    AnonymousAttendance,
    OutreachSession,
    ServiceDelivered,
    SessionAttendance,
)
from ventanilla.outreach.services import VISIT_REASON_OF_KIND
from ventanilla.privacy.choices import ConsentPurpose
from ventanilla.privacy.models import Consent
from ventanilla.registry import demo_names, normalize
from ventanilla.registry.choices import (
    DocumentType,
    EducationLevel,
    OrientationTopic,
    PopulationGroup,
    Relationship,
    Sex,
    VisitReason,
)
from ventanilla.registry.models import (
    DifferentialApproach,
    Household,
    IdentityDocument,
    Membership,
    Person,
    PopulationGroupPeriod,
    Visit,
    VisitPerson,
)
from ventanilla.territory import services as territory_services
from ventanilla.territory.choices import AttentionPointKind
from ventanilla.territory.models import City

LOCALITIES = ["Ribera Norte", "Centro Histórico", "Suroccidente", "Suroriente", "Metropolitana"]

ORGANIZATIONS = [
    ("Secretaría Distrital de Inclusión Social", "SDIS", OrganizationKind.CITY_DEPARTMENT),
    ("Agencia Nacional de Movilidad Humana (demo)", "ANMH", OrganizationKind.NATIONAL_AGENCY),
    (
        "Cooperación Internacional para las Migraciones (demo)",
        "CIM",
        OrganizationKind.INTERNATIONAL_COOPERATION,
    ),
    ("Fundación Manos Unidas", "FMU", OrganizationKind.NGO),
    ("Corporación Puentes de Integración", "CPI", OrganizationKind.NGO),
    ("Consultorio Jurídico Universidad del Caribe", "CJUC", OrganizationKind.LEGAL_CLINIC),
    ("Instituto de Formación para el Trabajo", "IFT", OrganizationKind.TRAINING_INSTITUTE),
    ("Cooperativa Textil del Norte", "CTN", OrganizationKind.EMPLOYER),
    ("Alcaldía de Ciudad Hermana", "ACH", OrganizationKind.OTHER_CITY),
]

# username, given name, surname, organization acronym, roles
DEMO_USERS = [
    ("admin", "Adriana", "Pacheco", "SDIS", [Role.ADMINISTRATOR]),
    ("coordinadora", "Claudia", "Benítez", "SDIS", [Role.COORDINATOR]),
    ("orientador", "Óscar", "Lozano", "SDIS", [Role.INTAKE]),
    ("gestora", "Gloria", "Fuentes", "SDIS", [Role.CASE_WORKER]),
    ("juridica", "Julia", "Navarro", "CJUC", [Role.SPECIALIST_LEGAL]),
    ("psicosocial", "Patricia", "Rosales", "CIM", [Role.SPECIALIST_PSYCHOSOCIAL]),
    ("empleo", "Esteban", "Molina", "IFT", [Role.SPECIALIST_EMPLOYMENT]),
    ("aliado", "Alberto", "Guerra", "FMU", [Role.PARTNER]),
    ("analista", "Ana", "Villa", "SDIS", [Role.ANALYST]),
]

WEEKDAYS_8_TO_5 = [(d, time(8), time(17)) for d in range(5)]


class Command(BaseCommand):
    help = "Load the fictional demo city (territory, organizations, users, households, visits)."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=500)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="Anchor date (YYYY-MM-DD); default today.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has a city.",
        )

    def handle(self, *args, households, seed, today, if_empty, **options):
        if households < 0 or households > 200_000:
            raise CommandError("--households must be between 0 and 200000")
        if City.objects.exists():
            if if_empty:
                self.stdout.write("Demo city already loaded; keeping the data.")
                return
            raise CommandError("The database already has a city; use an empty database.")
        today = today or date.today()
        # The referral services notify by email too: demo addresses get no mail.
        with (
            override_settings(
                MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
            ),
            transaction.atomic(),
        ):
            seeder = DemoSeeder(seed=seed, today=today)
            seeder.build_territory_and_staff()
            seeder.build_catalog()
            seeder.build_households(households)
            seeder.build_outreach()
            seeder.build_cases()
            seeder.build_ivl_scores()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo city loaded: {households} households, {seeder.person_count} persons, "
                f"{seeder.visit_count} visits, {seeder.service_count} services, "
                f"{seeder.session_count} outreach sessions, {seeder.case_count} cases, "
                f"{seeder.referral_count} referrals, {seeder.check_count} pathway checks, "
                f"{seeder.score_count} vulnerability scores (seed {seed})."
            )
        )


class DemoSeeder:
    def __init__(self, *, seed: int, today: date):
        self.rng = random.Random(seed)
        self.seed = seed
        self.today = today
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.person_count = 0
        self.visit_count = 0
        self.service_count = 0
        self.session_count = 0
        self.case_count = 0
        self.referral_count = 0
        self.persons: list[Person] = []
        self.households: list[Household] = []
        self.used_documents: set[tuple[str, str, str]] = set()

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    # Territory, organizations, staff -------------------------------------------------
    def build_territory_and_staff(self) -> None:
        city = territory_services.city_create(
            actor=None, name="San Isidro del Mar", country="CO", time_zone="America/Bogota"
        )
        self.localities = [
            territory_services.locality_create(actor=None, city=city, name=name, code=f"L{i + 1}")
            for i, name in enumerate(LOCALITIES)
        ]
        self.orgs = {}
        for name, acronym, kind in ORGANIZATIONS:
            self.orgs[acronym] = Organization.objects.create(
                name=name,
                acronym=acronym,
                kind=kind,
                contact_email=f"contacto@{acronym.lower()}.example.org",
            )
        center, north, south, metro = (
            self.localities[1],
            self.localities[0],
            self.localities[3],
            self.localities[4],
        )
        points = [
            (
                "Centro de Integración Local para Migrantes",
                AttentionPointKind.FIXED_CENTER,
                center,
                "Carrera 44 # 38-11",
                "SDIS",
                WEEKDAYS_8_TO_5 + [(5, time(8), time(12))],
            ),
            (
                "Punto de atención Terminal de Transporte",
                AttentionPointKind.FIXED_CENTER,
                metro,
                "Terminal Metropolitana, módulo 3",
                "SDIS",
                [(d, time(6), time(14)) for d in range(6)],
            ),
            (
                "Unidad móvil Ribera Norte",
                AttentionPointKind.MOBILE_UNIT,
                north,
                "Rota entre los parques de la localidad",
                "SDIS",
                [(1, time(9), time(15))],
            ),
            (
                "Unidad móvil Suroriente",
                AttentionPointKind.MOBILE_UNIT,
                south,
                "Plaza del barrio La Esperanza",
                "SDIS",
                [(3, time(9), time(15))],
            ),
            (
                "Taller extramural Suroccidente",
                AttentionPointKind.EXTRAMURAL_WORKSHOP,
                self.localities[2],
                "Casa comunal El Bosque",
                "SDIS",
                [],
            ),
            (
                "Oficina Fundación Manos Unidas",
                AttentionPointKind.PARTNER_OFFICE,
                center,
                "Calle 30 # 20-15",
                "FMU",
                WEEKDAYS_8_TO_5,
            ),
        ]
        self.points = [
            territory_services.attention_point_create(
                actor=None,
                name=name,
                kind=kind,
                locality=loc,
                address=addr,
                organization=self.orgs[org],
                hours=hours,
            )
            for name, kind, loc, addr, org, hours in points
        ]
        self.staff = []
        self.users = {}
        for username, given, surname, org, roles in DEMO_USERS:
            user = account_services.user_create(
                actor=None,
                username=username,
                organization=self.orgs[org],
                roles=roles,
                password=settings.VENTANILLA_DEMO_PASSWORD,
                first_name=given,
                last_name=surname,
                email=f"{username}@demo.example.org",
                must_change_password=False,
            )
            self.users[username] = user
            if set(roles) & {Role.INTAKE, Role.CASE_WORKER, Role.COORDINATOR}:
                self.staff.append(user)

    # Service catalog -------------------------------------------------------------------
    def build_catalog(self) -> None:
        """The demo services, in bulk, with the derived fields the services compute.

        A random generator of its own keeps the registry data of a seed unchanged.
        """
        rng = random.Random(f"catalog-{self.seed}")
        services, links = [], []
        for index, row in enumerate(DEMO_SERVICES):
            acronym, category, names, descriptions, schedules, points, languages = row[:7]
            groups, min_age, max_age, capacity = row[7:]
            service = Service(
                uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                provider=self.orgs[acronym],
                category=category,
                name_es=names[0],
                name_en=names[1],
                name_pt=names[2],
                description_es=descriptions[0],
                description_en=descriptions[1],
                description_pt=descriptions[2],
                schedule_es=schedules[0],
                schedule_en=schedules[1],
                schedule_pt=schedules[2],
                languages=sorted(languages),
                population_groups=sorted(groups),
                min_age=min_age,
                max_age=max_age,
                weekly_capacity=capacity,
                response_time_days=rng.choice([2, 3, 5, 5, 8]),
                contact_name=f"Punto de contacto {acronym}",
                contact_phone=f"+57 605 {rng.randint(300, 399)} {rng.randint(1000, 9999)}",
                contact_email=f"servicios@{acronym.lower()}.example.org",
                active_from=self.today - timedelta(days=rng.randint(30, 400)),
                # Every fifth service runs for a limited period (a project, a campaign).
                active_to=self.today + timedelta(days=rng.randint(30, 200))
                if index % 5 == 4
                else None,
            )
            service.search_text = search_text_of(service)
            service.full_clean(exclude=["uuid"])
            services.append(service)
            links.append(points)
        Service.objects.bulk_create(services)
        through = Service.attention_points.through
        through.objects.bulk_create(
            through(service_id=service.pk, attentionpoint_id=self.points[i].pk)
            for service, points in zip(services, links, strict=True)
            for i in points
        )
        self.service_count = len(services)

    # People ----------------------------------------------------------------------------
    def _birth(self, age_min: int, age_max: int) -> date:
        days = self.rng.randint(age_min * 365, age_max * 365 + 364)
        return self.today - timedelta(days=days)

    def _person(
        self,
        *,
        sex: str,
        age: tuple[int, int],
        nationality: list[str],
        group: str,
        surnames: tuple[str, str],
        household_locality,
        arrival: date | None,
    ) -> dict:
        rng = self.rng
        given = rng.choice(demo_names.FEMALE_GIVEN if sex == Sex.FEMALE else demo_names.MALE_GIVEN)
        birth = self._birth(*age)
        estimated = rng.random() < 0.04
        if arrival and arrival < birth:
            arrival = birth
        phone = (
            f"3{rng.randint(0, 2)}{rng.randint(0, 9)}{rng.randint(1000000, 9999999)}"
            if age[0] >= 15 and rng.random() < 0.85
            else ""
        )
        person = Person(
            uuid=self.uuid(),
            given_names=given,
            first_surname=surnames[0],
            second_surname=surnames[1] if rng.random() < 0.93 else "",
            preferred_name="",
            birth_date=birth,
            birth_date_estimated=estimated,
            sex=sex,
            nationalities=nationality,
            is_stateless=False,
            country_of_birth=nationality[0] if nationality else "",
            population_group=group,
            population_group_since=max(arrival or birth, birth),
            arrival_country_date=arrival if group != PopulationGroup.HOST_COMMUNITY else None,
            arrival_city_date=(arrival + timedelta(days=rng.randint(0, 90)))
            if arrival and group != PopulationGroup.HOST_COMMUNITY
            else None,
            phone=phone,
            email="",
            address="",
            locality=household_locality,
            languages=["es"] + (["ht", "fr"] if "HT" in nationality else []),
            education_level=rng.choice(EducationLevel.values) if age[0] >= 18 else "",
            occupation=rng.choice(demo_names.OCCUPATIONS) if age[0] >= 18 else "",
        )
        if person.arrival_city_date and person.arrival_city_date > self.today:
            person.arrival_city_date = self.today
        if person.population_group_since > self.today:
            person.population_group_since = self.today
        return {"person": person, "documents": self._documents(person, age[0])}

    def _number(self, length: int) -> str:
        return str(self.rng.randint(10 ** (length - 1), 10**length - 1))

    def _documents(self, person: Person, min_age: int) -> list[IdentityDocument]:
        rng, docs = self.rng, []
        nationality = [str(c) for c in person.nationalities]

        def add(doc_type, number, country, issued=None, expires=None):
            key = (doc_type, normalize.document_key(number, doc_type), country)
            if key in self.used_documents:
                return
            if issued is not None and issued < person.birth_date:
                return  # e.g. a PEP (2019) for a child born later: the services refuse it
            self.used_documents.add(key)
            docs.append(
                IdentityDocument(
                    uuid=self.uuid(),
                    person=person,
                    document_type=doc_type,
                    number=number,
                    number_key=key[1],
                    issuing_country=country,
                    issued_on=issued,
                    expires_on=expires,
                )
            )

        issued = person.birth_date + timedelta(days=365 * max(min_age, 10))
        issued = min(issued, self.today - timedelta(days=30))
        if "VE" in nationality:
            if min_age >= 10 and rng.random() < 0.8:
                add(
                    DocumentType.VE_CEDULA,
                    f"V-{self._number(8)}",
                    "VE",
                    issued,
                    issued + timedelta(days=365 * 10),
                )
            if rng.random() < 0.35:
                add(
                    DocumentType.PASSPORT,
                    self._number(9),
                    "VE",
                    issued,
                    issued + timedelta(days=365 * 5),
                )
            if person.population_group == PopulationGroup.SETTLED and rng.random() < 0.6:
                ppt_issued = self.today - timedelta(days=rng.randint(60, 1200))
                add(DocumentType.PPT, self._number(7), "CO", ppt_issued, date(2031, 5, 30))
            elif rng.random() < 0.2:
                add(DocumentType.PEP, self._number(15), "CO", date(2019, 3, 1), date(2021, 3, 1))
            if min_age < 10 and rng.random() < 0.5:
                add(DocumentType.BIRTH_CERTIFICATE, self._number(10), "VE", person.birth_date)
        if "CO" in nationality:
            if min_age >= 18:
                add(DocumentType.NATIONAL_ID, self._number(10), "CO", issued)
            else:
                add(DocumentType.BIRTH_CERTIFICATE, self._number(10), "CO", person.birth_date)
        for other in set(nationality) - {"VE", "CO"}:
            add(
                DocumentType.PASSPORT,
                f"{other}{self._number(7)}",
                other,
                issued,
                issued + timedelta(days=365 * 6),
            )
            if rng.random() < 0.3:
                add(
                    DocumentType.SAFE_CONDUCT,
                    self._number(8),
                    "CO",
                    self.today - timedelta(days=rng.randint(10, 300)),
                )
        return docs

    def _household_plan(self) -> list[dict]:
        """Who lives together: a head, maybe a partner, children, sometimes a grandparent."""
        rng = self.rng
        kind = rng.choices(
            ["venezuelan", "mixed", "host", "returnee", "other"], weights=[55, 15, 15, 8, 7]
        )[0]
        origin = {
            "venezuelan": "VE",
            "mixed": "VE",
            "host": "CO",
            "returnee": "CO",
            "other": rng.choice(["EC", "PE", "HT", "CU"]),
        }[kind]
        group = {
            "venezuelan": rng.choice(
                [PopulationGroup.SETTLED] * 6
                + [PopulationGroup.IN_TRANSIT, PopulationGroup.PENDULAR]
            ),
            "mixed": PopulationGroup.SETTLED,
            "host": PopulationGroup.HOST_COMMUNITY,
            "returnee": PopulationGroup.RETURNEE,
            "other": rng.choice([PopulationGroup.ASYLUM_SEEKER, PopulationGroup.SETTLED]),
        }[kind]
        arrival = (
            self.today - timedelta(days=rng.randint(20, 2900))
            if group != PopulationGroup.HOST_COMMUNITY
            else None
        )
        head_sex = rng.choice([Sex.FEMALE, Sex.FEMALE, Sex.MALE])
        family = (rng.choice(demo_names.SURNAMES), rng.choice(demo_names.SURNAMES))
        members = [
            dict(
                relationship=Relationship.HEAD,
                sex=head_sex,
                age=(20, 58),
                nationality=[origin],
                group=group,
                surnames=family,
            )
        ]
        size = rng.choices([1, 2, 3, 4, 5, 6], weights=[14, 18, 24, 22, 14, 8])[0]
        partner_surnames = (rng.choice(demo_names.SURNAMES), rng.choice(demo_names.SURNAMES))
        if size >= 2 and rng.random() < 0.6:
            partner_nat = ["CO"] if kind == "mixed" else [origin]
            partner_group = PopulationGroup.HOST_COMMUNITY if kind == "mixed" else group
            members.append(
                dict(
                    relationship=Relationship.SPOUSE,
                    sex=Sex.MALE if head_sex == Sex.FEMALE else Sex.FEMALE,
                    age=(20, 58),
                    nationality=partner_nat,
                    group=partner_group,
                    surnames=partner_surnames,
                )
            )
        while len(members) < size:
            if rng.random() < 0.12:
                members.append(
                    dict(
                        relationship=Relationship.PARENT,
                        sex=rng.choice([Sex.FEMALE, Sex.MALE]),
                        age=(60, 80),
                        nationality=[origin],
                        group=group,
                        surnames=(rng.choice(demo_names.SURNAMES), family[0]),
                    )
                )
                continue
            born_here = arrival is not None and rng.random() < 0.3
            nat = ["CO"] if (kind in ("host", "returnee") or born_here) else [origin]
            if born_here and origin == "VE" and rng.random() < 0.5:
                nat = ["CO", "VE"]
            age = (0, 5) if born_here else (0, 17)
            members.append(
                dict(
                    relationship=Relationship.CHILD,
                    sex=rng.choice([Sex.FEMALE, Sex.MALE]),
                    age=age,
                    nationality=nat,
                    group=PopulationGroup.HOST_COMMUNITY
                    if nat == ["CO"] and kind in ("host", "mixed")
                    else group,
                    surnames=(family[0], partner_surnames[0]),
                )
            )
        for member in members:
            member["arrival"] = arrival
        return members

    def build_households(self, count: int) -> None:
        rng = self.rng
        persons, documents, memberships, periods, consents, differentials = [], [], [], [], [], []
        visits, visit_links = [], []
        households = []
        for _ in range(count):
            locality = rng.choice(self.localities)
            household = Household(
                uuid=self.uuid(),
                locality=locality,
                address=f"{rng.choice(demo_names.STREETS)} "
                f"{rng.randint(1, 120)} # {rng.randint(1, 90)}-"
                f"{rng.randint(1, 99)}",
            )
            households.append(household)
            members = []
            for plan in self._household_plan():
                built = self._person(
                    sex=plan["sex"],
                    age=plan["age"],
                    nationality=plan["nationality"],
                    group=plan["group"],
                    surnames=plan["surnames"],
                    household_locality=locality,
                    arrival=plan["arrival"],
                )
                person = built["person"]
                person.address = household.address
                person.search_text = normalize.search_text(
                    names=[person.given_names, person.first_surname, person.second_surname],
                    document_numbers=[d.number for d in built["documents"]],
                    phones=[person.phone],
                )
                person.sort_key = normalize.sort_key(
                    first_surname=person.first_surname,
                    second_surname=person.second_surname,
                    given_names=person.given_names,
                )
                persons.append(person)
                documents.extend(built["documents"])
                members.append((person, plan["relationship"]))
            household._members = members
        Household.objects.bulk_create(households)
        Person.objects.bulk_create(persons, batch_size=500)
        self.persons, self.households = persons, households
        self.person_count = len(persons)
        IdentityDocument.objects.bulk_create(documents, batch_size=500)
        recorder = self.staff[0]
        for household in households:
            start = min(p.population_group_since for p, _rel in household._members)
            for person, relationship in household._members:
                memberships.append(
                    Membership(
                        household=household,
                        person=person,
                        relationship=relationship,
                        start_date=start,
                    )
                )
                periods.append(
                    PopulationGroupPeriod(
                        person=person,
                        group=person.population_group,
                        start_date=person.population_group_since,
                        recorded_by=recorder,
                    )
                )
                recorded = datetime.combine(start, time(10), self.tz)
                for purpose in ConsentPurpose.values:
                    consents.append(
                        Consent(
                            uuid=self.uuid(),
                            person=person,
                            purpose=purpose,
                            granted=purpose != ConsentPurpose.SHARE_WITH_REFERRALS
                            or rng.random() < 0.8,
                            recorded_at=recorded,
                            recorded_by=recorder,
                        )
                    )
                if rng.random() < 0.3:
                    differentials.append(self._differential(person))
            visits_here = self._visits(household)
            visits.extend(v for v, _people in visits_here)
            visit_links.extend(visits_here)
        Membership.objects.bulk_create(memberships, batch_size=1000)
        PopulationGroupPeriod.objects.bulk_create(periods, batch_size=1000)
        Consent.objects.bulk_create(consents, batch_size=1000)
        DifferentialApproach.objects.bulk_create(differentials, batch_size=500)
        Visit.objects.bulk_create(visits, batch_size=1000)
        VisitPerson.objects.bulk_create(
            [VisitPerson(visit=v, person=p) for v, people in visit_links for p in people],
            batch_size=1000,
        )
        self.visit_count = len(visits)
        last_visit: dict[int, datetime] = {}
        for visit, people in visit_links:
            for person in people:
                if person.pk not in last_visit or last_visit[person.pk] < visit.occurred_at:
                    last_visit[person.pk] = visit.occurred_at
        for person in persons:
            person.last_visit_at = last_visit.get(person.pk)
        Person.objects.bulk_update(persons, ["last_visit_at"], batch_size=500)

    def _differential(self, person: Person) -> DifferentialApproach:
        rng = self.rng
        age = person.age(self.today) or 0
        wg = {
            name: rng.choices([1, 2, 3, 4], weights=[85, 9, 4, 2])[0]
            for name in DifferentialApproach.WG_FIELDS
        }
        return DifferentialApproach(
            person=person,
            **wg,
            ethnic_self_recognition=rng.choices(
                ["none", "afro_descendant", "indigenous", ""], weights=[70, 15, 5, 10]
            )[0],
            pregnancy=rng.choice(["pregnant", "breastfeeding", "neither", "neither"])
            if person.sex == Sex.FEMALE and 15 <= age <= 45
            else "",
            single_head_of_household=rng.random() < 0.3 if age >= 18 else None,
            child_separation="no" if age < 18 else "",
            survivor_of_gbv=rng.random() < 0.08 if age >= 14 else None,
        )

    def _visits(self, household) -> list[tuple[Visit, list[Person]]]:
        rng = self.rng
        out = []
        members = [p for p, _rel in household._members]
        adults = [p for p in members if (p.age(self.today) or 0) >= 18] or members
        for _ in range(rng.choices([1, 2, 3, 4, 6], weights=[30, 30, 20, 12, 8])[0]):
            day = self.today - timedelta(days=rng.randint(0, 729))
            moment = datetime.combine(
                day, time(rng.randint(7, 16), rng.choice([0, 15, 30, 45])), self.tz
            )
            people = [rng.choice(adults)]
            if len(members) > 1 and rng.random() < 0.35:
                people = rng.sample(members, rng.randint(2, len(members)))
            reasons = rng.sample(VisitReason.values, rng.choice([1, 1, 2]))
            visit = Visit(
                uuid=self.uuid(),
                household=household,
                attention_point=rng.choice(self.points),
                occurred_at=moment,
                staff=rng.choice(self.staff),
                reasons=reasons,
                orientation_topics=rng.sample(OrientationTopic.values, rng.choice([0, 1, 2])),
                note="",
            )
            out.append((visit, people))
        return out

    # Mobile units and extramural workshops ----------------------------------------------
    def build_outreach(self) -> None:
        """About twelve sessions over the last months and the next weeks, with attendance.

        A random generator of its own keeps the registry data of a seed unchanged. Registered
        attendees get their registry visit at the session's point, as the services record it.
        """
        rng = random.Random(f"outreach-{self.seed}")

        def new_uuid():
            return uuid.UUID(int=rng.getrandbits(128), version=4)

        mobile = [p for p in self.points if p.kind == AttentionPointKind.MOBILE_UNIT]
        workshop = [p for p in self.points if p.kind == AttentionPointKind.EXTRAMURAL_WORKSHOP]
        partners = [self.orgs[a] for a in ("FMU", "CPI", "CIM", "IFT", "CJUC")]
        household_of = {p.pk: h for h in self.households for p, _rel in h._members}
        by_locality: dict[int, list[Person]] = {}
        for person in self.persons:
            by_locality.setdefault(person.locality_id, []).append(person)
        topics = [
            "Jornada de regularización: Permiso por Protección Temporal",
            "Afiliación al sistema de salud",
            "Rutas de empleo y hoja de vida",
            "Derechos laborales y trabajo decente",
            "Ruta de atención a violencias basadas en género",
            "Matrícula escolar para niñas, niños y adolescentes",
            "Educación financiera y apertura de cuentas",
            "Prevención de la trata de personas",
        ]
        sessions, attendances, anonymous, visits, links, orgs = [], [], [], [], [], []
        offsets = [-84, -70, -56, -45, -35, -28, -14, -7, 3, 10, 17, 24]
        for index, offset in enumerate(offsets):
            day = self.today + timedelta(days=offset)
            kind = (
                SessionKind.MOBILE_UNIT_DAY if index % 2 == 0 else SessionKind.EXTRAMURAL_WORKSHOP
            )
            if kind == SessionKind.MOBILE_UNIT_DAY:
                point = rng.choice(mobile)
            else:
                point = rng.choice(workshop) if index % 3 else None
            locality = point.locality if point else rng.choice(self.localities)
            status = SessionStatus.HELD if offset < 0 else SessionStatus.PLANNED
            if index == 5:
                status = SessionStatus.CANCELLED
            start = time(rng.choice([8, 9, 14]))
            session = OutreachSession(
                uuid=new_uuid(),
                kind=kind,
                attention_point=point,
                locality=locality,
                date=day,
                start_time=start,
                end_time=time(start.hour + 3),
                topic=topics[index % len(topics)],
                description="",
                planned_by=self.users["coordinadora"],
                status=status,
                cancel_reason="Lluvia fuerte: se reprograma."
                if status == SessionStatus.CANCELLED
                else "",
            )
            sessions.append(session)
            orgs.append(rng.sample(partners, rng.randint(1, 2)))
            if status != SessionStatus.HELD:
                continue
            for age in AgeGroup.values:
                for sex in AttendeeSex.values:
                    weight = 0.1 if sex in (AttendeeSex.INTERSEX, AttendeeSex.NOT_RECORDED) else 1
                    if rng.random() < 0.6 * weight:
                        count = rng.randint(1, 12)
                        anonymous.append(
                            AnonymousAttendance(
                                session=session, sex=sex, age_group=age, count=count
                            )
                        )
            if point is None:
                continue
            moment = datetime.combine(day, start, self.tz)
            neighbours = by_locality.get(locality.pk, [])
            for person in rng.sample(neighbours, min(len(neighbours), rng.randint(2, 5))):
                visit = Visit(
                    uuid=new_uuid(),
                    household=household_of[person.pk],
                    attention_point=point,
                    occurred_at=moment,
                    staff=rng.choice(self.staff),
                    reasons=[VISIT_REASON_OF_KIND[kind]],
                    orientation_topics=[],
                    note=f"Asistió: {session.topic}",
                )
                visits.append(visit)
                links.append((visit, person))
                attendances.append(
                    SessionAttendance(
                        session=session,
                        person=person,
                        visit=visit,
                        sex=person.sex,
                        age_group=age_group_of(person.age(day)),
                        population_group=person.population_group,
                        recorded_by=visit.staff,
                    )
                )
        OutreachSession.objects.bulk_create(sessions)
        through = OutreachSession.organizations.through
        through.objects.bulk_create(
            through(outreachsession_id=session.pk, organization_id=org.pk)
            for session, chosen in zip(sessions, orgs, strict=True)
            for org in chosen
        )
        AnonymousAttendance.objects.bulk_create(anonymous)
        Visit.objects.bulk_create(visits)
        VisitPerson.objects.bulk_create(VisitPerson(visit=v, person=p) for v, p in links)
        SessionAttendance.objects.bulk_create(attendances)
        changed = {}
        for visit, person in links:
            if person.last_visit_at is None or person.last_visit_at < visit.occurred_at:
                person.last_visit_at = visit.occurred_at
                changed[person.pk] = person
        Person.objects.bulk_update(list(changed.values()), ["last_visit_at"])
        self._services_delivered(rng, new_uuid, sessions, orgs, attendances)
        self.visit_count += len(visits)
        self.session_count = len(sessions)

    def _services_delivered(self, rng, new_uuid, sessions, orgs, attendances) -> None:
        """One to three services delivered on the spot at each held session, by one of its
        organizations, some to registered attendees (drawn last: nothing above changes)."""
        offered = [
            "Orientación para el Permiso por Protección Temporal",
            "Afiliación al régimen subsidiado de salud",
            "Vacunación",
            "Inscripción en la ruta de empleo",
            "Asesoría jurídica",
            "Atención psicosocial",
        ]
        attendees: dict[int, list] = {}
        for attendance in attendances:
            attendees.setdefault(attendance.session.pk, []).append(attendance.person)
        delivered, links = [], []
        for session, chosen in zip(sessions, orgs, strict=True):
            if session.status != SessionStatus.HELD:
                continue
            for description in rng.sample(offered, rng.randint(1, 3)):
                service = ServiceDelivered(
                    uuid=new_uuid(),
                    session=session,
                    description=description,
                    provider=rng.choice(chosen),
                    count=rng.randint(3, 25),
                    recorded_by=session.planned_by,
                )
                delivered.append(service)
                present = attendees.get(session.pk, [])
                for person in rng.sample(present, min(len(present), service.count)):
                    links.append((service, person))
        ServiceDelivered.objects.bulk_create(delivered)
        ServiceDelivered.persons.through.objects.bulk_create(
            ServiceDelivered.persons.through(servicedelivered_id=s.pk, person_id=p.pk)
            for s, p in links
        )

    # Cases and referrals ---------------------------------------------------------------
    def build_cases(self) -> None:
        """About 25 cases in every status, with plans, notes, tasks and referrals."""
        from ventanilla.cases.demo import DemoCases

        self.case_count, self.referral_count = DemoCases(
            seed=self.seed,
            today=self.today,
            users=self.users,
            persons=self.persons,
            households=self.households,
        ).build()
        from ventanilla.pathways.demo import build_pathway_checks

        self.check_count = build_pathway_checks(
            seed=self.seed, today=self.today, worker=self.users["gestora"]
        )

    # Labor vulnerability index ---------------------------------------------------------
    def build_ivl_scores(self) -> None:
        """Every demo person scored on --today, as one finished recomputation with its
        aggregates (run here, not by the background worker), UUIDs from the seed."""
        from ventanilla.cases.demo import _uuids_from
        from ventanilla.vulnerability.models import PersonScore, ScoringRun
        from ventanilla.vulnerability.services.scoring import scoring_run_execute

        with _uuids_from(random.Random(f"ivl-{self.seed}"), [PersonScore, ScoringRun]):
            run = scoring_run_execute(requested_by=self.users["coordinadora"], on=self.today)
        self.score_count = run.done
