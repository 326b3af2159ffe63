"""Writes to the catalog: validation, who may write what, and concurrent edits."""

from datetime import timedelta

import pytest

from ventanilla.catalog import services
from ventanilla.catalog.models import Service
from ventanilla.core.exceptions import Conflict, InvalidInput, PermissionDenied
from ventanilla.core.models import AuditEvent


def fields(today, **extra):
    return {
        "category": "health",
        "name_es": "Vacunación sin barreras",
        "description_es": "Jornadas de vacunación para toda la población.",
        "active_from": today,
    } | extra


def test_it_creates_a_service_with_its_places_and_an_audit_entry(world, today):
    service = services.service_create(
        actor=world.coordinator,
        provider=world.partner_org,
        attention_points=[world.point],
        languages=["pt", "es", "es"],
        **fields(today, name_en="Vaccination without barriers"),
    )
    service.refresh_from_db()
    assert service.provider == world.partner_org
    assert list(service.attention_points.all()) == [world.point]
    assert service.languages == ["es", "pt"]
    assert service.response_time_days == 5
    assert "vacunacion sin barreras" in service.search_text
    assert "vaccination without barriers" in service.search_text
    event = AuditEvent.objects.get(action="catalog.service.created")
    assert event.actor == world.coordinator and event.object_uuid == service.uuid


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"name_es": ""}, "name_es"),
        ({"description_es": ""}, "description_es"),
        ({"category": "astrology"}, "category"),
        ({"min_age": 18, "max_age": 12}, "max_age"),
        ({"max_age": 300}, "max_age"),
        ({"weekly_capacity": 0}, "weekly_capacity"),
        ({"response_time_days": 0}, "response_time_days"),
        ({"population_groups": ["martians"]}, "population_groups"),
        ({"languages": ["klingon"]}, "languages"),
        ({"contact_email": "not-an-email"}, "contact_email"),
    ],
)
def test_it_refuses_invalid_input_and_saves_nothing(world, today, extra, field):
    with pytest.raises(InvalidInput) as exc:
        services.service_create(
            actor=world.coordinator, provider=world.partner_org, **fields(today, **extra)
        )
    assert field in exc.value.field_errors
    assert not Service.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="catalog.").exists()


def test_the_end_date_cannot_be_before_the_start(world, today):
    with pytest.raises(InvalidInput) as exc:
        services.service_create(
            actor=world.coordinator,
            provider=world.partner_org,
            **fields(today, active_to=today - timedelta(days=1)),
        )
    assert "active_to" in exc.value.field_errors
    assert not Service.objects.exists()


def test_the_database_holds_the_date_and_age_rules(world, today, make_service):
    from django.db import IntegrityError, transaction

    service = make_service()
    for change in (
        {"active_to": today - timedelta(days=365)},
        {"min_age": 30, "max_age": 10},
        {"weekly_capacity": 0},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Service.objects.filter(pk=service.pk).update(**change)


def test_unknown_fields_are_refused(world, today):
    with pytest.raises(InvalidInput):
        services.service_create(
            actor=world.coordinator, provider=world.partner_org, **fields(today, uuid="x")
        )


def test_a_partner_creates_services_for_its_own_organization_only(world, today):
    own = services.service_create(actor=world.partner, provider=world.partner_org, **fields(today))
    assert own.provider == world.partner_org
    with pytest.raises(PermissionDenied):
        services.service_create(actor=world.partner, provider=world.other_org, **fields(today))
    assert Service.objects.count() == 1


@pytest.mark.parametrize("actor", ["intake", "analyst", "admin", "legal"])
def test_roles_without_a_catalog_capability_cannot_write(world, today, actor, make_service):
    with pytest.raises(PermissionDenied):
        services.service_create(
            actor=getattr(world, actor), provider=world.partner_org, **fields(today)
        )
    service = make_service()
    with pytest.raises(PermissionDenied):
        services.service_update(
            actor=getattr(world, actor), service=service, expected_version=None, name_es="X"
        )
    with pytest.raises(PermissionDenied):
        services.service_unpublish(actor=getattr(world, actor), service=service)


def test_a_partner_cannot_edit_or_unpublish_another_organizations_service(world, make_service):
    theirs = make_service(provider=world.other_org)
    with pytest.raises(PermissionDenied):
        services.service_update(
            actor=world.partner, service=theirs, expected_version=None, name_es="Mío"
        )
    with pytest.raises(PermissionDenied):
        services.service_unpublish(actor=world.partner, service=theirs)
    theirs.refresh_from_db()
    assert theirs.name_es != "Mío" and theirs.is_published


def test_a_partner_cannot_hand_its_service_to_another_organization(world, make_service):
    own = make_service()
    with pytest.raises(PermissionDenied):
        services.service_update(
            actor=world.partner, service=own, expected_version=None, provider=world.other_org
        )
    own.refresh_from_db()
    assert own.provider == world.partner_org


def test_update_records_the_changes_and_refreshes_the_search_text(world, make_service):
    service = make_service()
    updated = services.service_update(
        actor=world.partner,
        service=service,
        expected_version=service.updated_at,
        name_es="Asesoría en Tutela",
        attention_points=[],
    )
    assert updated.updated_at != service.updated_at
    assert "asesoria en tutela" in updated.search_text
    event = AuditEvent.objects.get(action="catalog.service.updated")
    assert event.changes["name_es"][1] == "Asesoría en Tutela"
    assert event.changes["attention_points"] == [[str(world.point.uuid)], []]


def test_a_stale_version_is_a_conflict_and_changes_nothing(world, make_service):
    service = make_service()
    seen = service.updated_at
    services.service_update(
        actor=world.coordinator, service=service, expected_version=seen, name_es="Primero"
    )
    with pytest.raises(Conflict):
        services.service_update(
            actor=world.partner, service=service, expected_version=seen, name_es="Segundo"
        )
    service.refresh_from_db()
    assert service.name_es == "Primero"


def test_unpublish(world, make_service):
    service = make_service()
    services.service_unpublish(actor=world.partner, service=service)
    service.refresh_from_db()
    assert not service.is_published
    assert AuditEvent.objects.filter(action="catalog.service.unpublished").count() == 1
    services.service_unpublish(actor=world.partner, service=service)  # already: no new entry
    assert AuditEvent.objects.filter(action="catalog.service.unpublished").count() == 1


def test_texts_fall_back_to_spanish(world, make_service):
    from django.utils import translation

    service = make_service(name_pt="", description_en="")
    with translation.override("pt-br"):
        assert service.name == service.name_es
    with translation.override("en"):
        assert service.name == service.name_en
        assert service.description == service.description_es
