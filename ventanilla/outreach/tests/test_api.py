"""The outreach API (/api/v1/outreach-sessions/): every endpoint by role and organization."""

import json
from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from ventanilla.outreach.models import AnonymousAttendance, OutreachSession, SessionAttendance
from ventanilla.privacy.models import AccessedPerson
from ventanilla.registry.models import Visit

BASE = "/api/v1/outreach-sessions/"


def api(world, name=None) -> APIClient:
    client = APIClient()
    if name:
        client.force_login(getattr(world, name))
    return client


def send(client, method, url, body=None):
    return getattr(client, method)(
        url, data=json.dumps(body or {}), content_type="application/json"
    )


@pytest.fixture
def session(make_session):
    return make_session()


def test_anonymous_calls_get_401(world, session):
    client = api(world)
    assert client.get(BASE).status_code == 401
    assert client.get(f"{BASE}{session.uuid}/").status_code == 401
    assert send(client, "post", BASE, {}).status_code == 401


@pytest.mark.parametrize("actor", ["analyst", "admin", "legal"])
def test_roles_without_a_capability_get_403(world, session, make_person, actor):
    client = api(world, actor)
    assert client.get(BASE).status_code == 403
    assert client.get(f"{BASE}{session.uuid}/").status_code == 403
    person = make_person()
    url = f"{BASE}{session.uuid}/attendance/"
    assert send(client, "post", url, {"person": str(person.uuid)}).status_code == 403
    url = f"{BASE}{session.uuid}/anonymous-counts/"
    body = {"counts": [{"sex": "female", "age_group": "0-5", "count": 1}]}
    assert send(client, "put", url, body).status_code == 403
    assert not SessionAttendance.objects.exists() and not AnonymousAttendance.objects.exists()


@pytest.mark.parametrize(
    ("actor", "status"), [("coordinator", 201), ("intake", 403), ("partner", 403)]
)
def test_only_planners_create(world, today, actor, status):
    body = {
        "kind": "extramural_workshop",
        "locality": str(world.other_locality.uuid),
        "date": (today + timedelta(days=3)).isoformat(),
        "topic": "Derechos laborales",
        "organizations": [str(world.partner_org.uuid)],
    }
    response = send(api(world, actor), "post", BASE, body)
    assert response.status_code == status
    if status == 201:
        assert response.json()["locality"] == str(world.other_locality.uuid)
        assert response.json()["status"] == "planned"


def test_bad_input_gives_400_in_the_error_shape(world, today):
    body = {"kind": "extramural_workshop", "date": today.isoformat(), "topic": "X"}
    response = send(api(world, "coordinator"), "post", BASE, body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "locality" in response.json()["error"]["fields"]
    assert not OutreachSession.objects.exists()


def test_partner_lists_only_its_sessions(world, make_session):
    make_session(topic="Con aliada")
    other = make_session(topic="Sin aliada", organizations=[world.other_org])
    client = api(world, "partner")
    topics = [s["topic"] for s in client.get(BASE).json()["results"]]
    assert topics == ["Con aliada"]
    assert client.get(f"{BASE}{other.uuid}/").status_code == 404
    assert len(api(world, "intake").get(BASE).json()["results"]) == 2


def test_intake_records_attendance_and_counts(world, session, make_person):
    person = make_person()
    client = api(world, "intake")
    response = send(
        client, "post", f"{BASE}{session.uuid}/attendance/", {"person": str(person.uuid)}
    )
    assert response.status_code == 201
    assert response.json()["visit"] == str(Visit.objects.get().uuid)
    assert AccessedPerson.objects.filter(person=person, event__channel="api").exists()
    again = send(client, "post", f"{BASE}{session.uuid}/attendance/", {"person": str(person.uuid)})
    assert again.status_code == 400
    body = {
        "counts": [
            {"sex": "female", "age_group": "18-29", "count": 3},
            {"sex": "not_recorded", "age_group": "60+", "count": 1},
        ]
    }
    response = send(client, "put", f"{BASE}{session.uuid}/anonymous-counts/", body)
    assert response.status_code == 200
    data = response.json()
    assert data["registered_attendees"] == 1
    assert {(c["sex"], c["age_group"], c["count"]) for c in data["anonymous_counts"]} == {
        ("female", "18-29", 3),
        ("not_recorded", "60+", 1),
    }
    bad = {"counts": [{"sex": "female", "age_group": "99+", "count": 3}]}
    response = send(client, "put", f"{BASE}{session.uuid}/anonymous-counts/", bad)
    assert response.status_code == 400 and AnonymousAttendance.objects.count() == 2


def test_partner_reads_counts_without_names(world, session, make_person):
    person = make_person(given_names="Yuleisy")
    client = api(world, "intake")
    send(client, "post", f"{BASE}{session.uuid}/attendance/", {"person": str(person.uuid)})
    response = api(world, "partner").get(f"{BASE}{session.uuid}/")
    assert response.status_code == 200
    assert response.json()["registered_attendees"] == 1
    assert "Yuleisy" not in response.content.decode()
    assert str(person.uuid) not in response.content.decode()


def test_the_schema_documents_the_outreach_endpoints(db):
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path in (
        "/api/v1/outreach-sessions/",
        "/api/v1/outreach-sessions/{uuid}/",
        "/api/v1/outreach-sessions/{uuid}/attendance/",
        "/api/v1/outreach-sessions/{uuid}/anonymous-counts/",
    ):
        assert path in paths
