"""Shared test fixtures: a small world with named actors (STYLE.md rule 12)."""

import os
from dataclasses import dataclass
from datetime import date, time

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls
# from a thread with a running loop unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class World:
    center: object
    partner_org: object
    other_org: object
    locality: object
    other_locality: object
    point: object
    admin: object
    coordinator: object
    intake: object
    case_worker: object
    legal: object
    partner: object
    analyst: object
    outsider: object
    password: str = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def _settings_for_tests(settings):
    settings.VENTANILLA_REQUIRE_2FA = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "es"
    # Background tasks run at once, in the test (enqueued on commit: tests that need them
    # use django_capture_on_commit_callbacks(execute=True)).
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def world(db) -> World:
    from ventanilla.accounts.choices import OrganizationKind, Role
    from ventanilla.accounts.models import Organization
    from ventanilla.accounts.services import user_create
    from ventanilla.territory import services as territory

    center = Organization.objects.create(
        name="Secretaría de Inclusión", acronym="SDI", kind=OrganizationKind.CITY_DEPARTMENT
    )
    partner_org = Organization.objects.create(
        name="Fundación Aliada", acronym="FA", kind=OrganizationKind.NGO
    )
    other_org = Organization.objects.create(
        name="Corporación Otra", acronym="CO", kind=OrganizationKind.NGO
    )
    city = territory.city_create(
        actor=None, name="Ciudad de Prueba", country="CO", time_zone="America/Bogota"
    )
    locality = territory.locality_create(actor=None, city=city, name="Centro")
    other_locality = territory.locality_create(actor=None, city=city, name="Norte")
    point = territory.attention_point_create(
        actor=None,
        name="Centro de Integración",
        kind="fixed_center",
        locality=locality,
        address="Calle 1 # 2-3",
        hours=[(0, time(8), time(17))],
    )
    password = "correct-horse-battery-9"

    def user(name, org, *roles):
        return user_create(
            actor=None,
            username=name,
            organization=org,
            roles=list(roles),
            password=password,
            must_change_password=False,
            first_name=name.title(),
        )

    return World(
        center=center,
        partner_org=partner_org,
        other_org=other_org,
        locality=locality,
        other_locality=other_locality,
        point=point,
        admin=user("admin", center, Role.ADMINISTRATOR),
        coordinator=user("coordinator", center, Role.COORDINATOR),
        intake=user("intake", center, Role.INTAKE),
        case_worker=user("caseworker", center, Role.CASE_WORKER),
        legal=user("legal", partner_org, Role.SPECIALIST_LEGAL),
        partner=user("partner", partner_org, Role.PARTNER),
        analyst=user("analyst", center, Role.ANALYST),
        outsider=user("outsider", other_org, Role.PARTNER),
        password=password,
    )


@pytest.fixture
def make_person(world):
    """Register a person through the service, with sensible defaults."""
    from ventanilla.registry.services import person_register

    counter = {"n": 0}

    def make(*, documents=(), population_group="settled", consents=None, **fields):
        counter["n"] += 1
        defaults = {
            "given_names": "María José",
            "first_surname": "Pérez",
            "second_surname": "Gómez",
            "birth_date": date(1990, 5, 17),
            "sex": "female",
            "nationalities": ["VE"],
            "locality": world.locality,
        }
        defaults.update(fields)
        return person_register(
            actor=world.intake,
            fields=defaults,
            population_group=population_group,
            documents=list(documents),
            consents=consents,
        )

    return make
