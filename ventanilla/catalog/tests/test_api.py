"""The catalog API (/api/v1/services/): public reads, writes for catalog managers only."""

import json
from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from ventanilla.accounts.services import api_token_for
from ventanilla.catalog import services
from ventanilla.catalog.models import Service

LIST = "/api/v1/services/"


def api(world, name=None, *, auth="session"):
    client = APIClient()
    if name is not None:
        user = getattr(world, name)
        if auth == "session":
            client.force_login(user)
        else:
            client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user=user)}")
    return client


def send(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def new_service(world, today, **extra):
    return {
        "provider": str(world.partner_org.uuid),
        "category": "food",
        "name_es": "Comedor comunitario",
        "description_es": "Almuerzo caliente de lunes a viernes.",
        "languages": ["es"],
        "attention_points": [str(world.point.uuid)],
        "active_from": today.isoformat(),
    } | extra


def test_anonymous_callers_read_published_active_services(world, today, make_service):
    shown = make_service(name_es="Visible", languages=["es", "fr"])
    expired = make_service(name_es="Vencido", active_to=today - timedelta(days=1))
    hidden = make_service(name_es="Oculto")
    services.service_unpublish(actor=None, service=hidden)
    response = api(world).get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["id"] == str(shown.uuid) and item["languages"] == ["es", "fr"]
    assert item["provider"]["name"] == world.partner_org.name
    assert item["attention_points"][0]["locality"] == "Centro"
    assert api(world).get(f"{LIST}{shown.uuid}/").status_code == 200
    for service in (expired, hidden):
        response = api(world).get(f"{LIST}{service.uuid}/")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_the_list_filters_like_the_page(world, make_service):
    make_service(name_es="Salud integral", category="health", languages=["es", "pt"])
    make_service(name_es="Jurídica", category="legal_aid")
    client = api(world)

    def found(**params):
        return [s["name_es"] for s in client.get(LIST, params).json()["results"]]

    assert found(category="health") == ["Salud integral"]
    assert found(language="pt") == ["Salud integral"]
    assert found(q="INTEGRAL") == ["Salud integral"]
    assert found(locality=str(world.other_locality.uuid)) == []
    assert sorted(found(locality=str(world.locality.uuid))) == ["Jurídica", "Salud integral"]


def test_a_bad_filter_is_400_in_the_error_shape(world):
    response = api(world).get(LIST, {"category": "nope"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and "category" in error["fields"]


def test_anonymous_callers_cannot_write(world, today, make_service):
    service = make_service()
    assert send(api(world), "post", LIST, new_service(world, today)).status_code == 401
    response = send(api(world), "patch", f"{LIST}{service.uuid}/", {"name_es": "X"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize("actor", ["intake", "analyst", "admin", "legal"])
def test_roles_without_the_capability_get_403(world, today, make_service, actor):
    service = make_service()
    client = api(world, actor)
    assert send(client, "post", LIST, new_service(world, today)).status_code == 403
    response = send(client, "patch", f"{LIST}{service.uuid}/", {"name_es": "X"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert Service.objects.count() == 1


@pytest.mark.parametrize("auth", ["session", "token"])
def test_a_partner_creates_and_edits_its_own_services(world, today, auth):
    client = api(world, "partner", auth=auth)
    response = send(client, "post", LIST, new_service(world, today))
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["provider"]["id"] == str(world.partner_org.uuid)
    response = send(
        client,
        "patch",
        f"{LIST}{created['id']}/",
        {"name_en": "Community kitchen", "version": created["version"]},
    )
    assert response.status_code == 200
    assert response.json()["name_en"] == "Community kitchen"
    assert response.json()["version"] != created["version"]


def test_a_partner_cannot_write_for_another_organization(world, today, make_service):
    client = api(world, "partner")
    response = send(
        client, "post", LIST, new_service(world, today, provider=str(world.other_org.uuid))
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    theirs = make_service(provider=world.other_org, name_es="Ajeno")
    response = send(client, "patch", f"{LIST}{theirs.uuid}/", {"name_es": "Mío"})
    assert response.status_code == 404
    own = make_service()
    response = send(client, "patch", f"{LIST}{own.uuid}/", {"provider": str(world.other_org.uuid)})
    assert response.status_code == 403
    theirs.refresh_from_db()
    own.refresh_from_db()
    assert theirs.name_es == "Ajeno" and own.provider == world.partner_org


def test_the_coordinator_edits_any_service(world, make_service):
    theirs = make_service(provider=world.other_org)
    response = send(
        api(world, "coordinator"), "patch", f"{LIST}{theirs.uuid}/", {"is_published": False}
    )
    assert response.status_code == 200 and response.json()["is_published"] is False


def test_a_stale_version_is_409_and_changes_nothing(world, make_service):
    service = make_service(name_es="Original")
    seen = service.updated_at.isoformat()
    client = api(world, "coordinator")
    send(client, "patch", f"{LIST}{service.uuid}/", {"name_es": "Primero", "version": seen})
    response = send(client, "patch", f"{LIST}{service.uuid}/", {"name_es": "X", "version": seen})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    service.refresh_from_db()
    assert service.name_es == "Primero"


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"category": "nope"}, "category"),
        ({"name_es": ""}, "name_es"),
        ({"languages": ["xx"]}, "languages.0"),
        ({"min_age": 30, "max_age": 10}, "max_age"),
        ({"active_to": "2000-01-01"}, "active_to"),
        ({"attention_points": ["00000000-0000-4000-8000-000000000000"]}, "attention_points"),
    ],
)
def test_bad_input_is_400_with_field_errors_and_saves_nothing(world, today, extra, field):
    response = send(api(world, "coordinator"), "post", LIST, new_service(world, today, **extra))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"], error
    assert not Service.objects.exists()


def test_a_malformed_id_is_404(world):
    assert api(world).get(f"{LIST}not-a-uuid/").status_code == 404
