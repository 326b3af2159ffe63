"""The registry API (/api/v1/): persons, documents, consents, households, visits.

Every endpoint is tried as anonymous, as roles without the capability, as a role with it,
with session and with token authentication; bad input must give 400 in the one error shape
({"error": {"code", "message", "fields"}}), never a 500.
"""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from ventanilla.accounts.permissions import ROLE_CAPABILITIES, Cap
from ventanilla.accounts.services import api_token_for
from ventanilla.privacy.models import AccessEvent, Consent
from ventanilla.registry import services
from ventanilla.registry.models import (
    DifferentialApproach,
    Household,
    IdentityDocument,
    Membership,
    Person,
    Visit,
)

PASSPORT = {
    "document_type": "passport",
    "number": "X123456",
    "issuing_country": "VE",
    "issued_on": "2018-01-01",
    "expires_on": "2023-01-01",
}
NO_PERMISSION = ["analyst", "partner", "admin", "outsider"]


# Helpers ----------------------------------------------------------------------------------


def api(world, name: str | None = None, *, auth: str = "session") -> APIClient:
    """A client for one of the world's actors, signed in by session or by token."""
    client = APIClient()
    if name is None:
        return client
    user = getattr(world, name)
    if auth == "session":
        client.force_login(user)
    else:
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user=user)}")
    return client


def send(client, method: str, url: str, body=None):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(
        url, data=json.dumps(body if body is not None else {}), content_type="application/json"
    )


def error_of(response, status: int) -> dict:
    """Assert the one error shape and return its content."""
    assert response.status_code == status, (response.status_code, response.content[:2000])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}, error
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    for name, messages in error["fields"].items():
        assert isinstance(name, str)
        assert isinstance(messages, list) and messages
        assert all(isinstance(m, str) and m for m in messages)
    return error


def person_url(person, suffix: str = "") -> str:
    return f"/api/v1/persons/{person.uuid}/{suffix}"


def new_person_body(world, **overrides) -> dict:
    body = {
        "given_names": "Yorgelis del Valle",
        "first_surname": "Rondón",
        "second_surname": "Pérez",
        "sex": "female",
        "approximate_age": 34,
        "nationalities": ["VE"],
        "population_group": "settled",
        "locality": str(world.locality.uuid),
        "phone": "+57 300 123 4567",
        "languages": ["es"],
        "documents": [
            {
                "document_type": "ve_cedula",
                "number": "V-18.765.432",
                "issuing_country": "VE",
                "issued_on": "2010-02-01",
            }
        ],
        "differential": {"gender_identity": "woman", "wg_seeing": 3, "survivor_of_gbv": True},
        "consents": {"receive_services": True, "anonymous_statistics": False},
    }
    body.update(overrides)
    return body


def household_body(world, *members, **overrides) -> dict:
    body = {
        "locality": str(world.locality.uuid),
        "address": "Calle 5 # 6-7",
        "consents": {"receive_services": True},
        "members": list(members),
    }
    body.update(overrides)
    return body


def new_member(relationship: str, **fields) -> dict:
    member = {
        "relationship": relationship,
        "given_names": "Ana",
        "first_surname": "Ruiz",
        "sex": "female",
        "birth_date": "1985-03-02",
        "population_group": "settled",
        "nationalities": ["VE"],
    }
    member.update(fields)
    return member


@pytest.fixture
def data(world, make_person):
    """A person with a document, consent, differential approach, a household and a visit."""
    person = make_person(
        documents=[{**PASSPORT, "issued_on": date(2018, 1, 1), "expires_on": date(2023, 1, 1)}],
        consents={"receive_services": True, "anonymous_statistics": True},
        phone="3001234567",
    )
    services.person_update(
        actor=world.intake,
        person=person,
        fields={},
        expected_version=None,
        differential={"wg_walking": 4, "lgbtiq": True, "survivor_of_trafficking": True},
    )
    household = services.household_register(
        actor=world.intake, members=[{"person": person, "relationship": "head"}]
    )
    visit = services.visit_record(
        actor=world.intake, persons=[person], attention_point=world.point, reasons=["legal"]
    )
    consent = Consent.objects.get(person=person, purpose="anonymous_statistics")
    AccessEvent.objects.all().delete()
    person.refresh_from_db()
    return {"person": person, "household": household, "visit": visit, "consent": consent}


# One row per endpoint: method, url, a valid body, the capability needed, success status.
def endpoints(world, data) -> dict:
    person, household, consent = data["person"], data["household"], data["consent"]
    return {
        "persons.search": ("get", "/api/v1/persons/?q=perez", None, 200),
        "persons.retrieve": ("get", person_url(person), None, 200),
        "persons.create": ("post", "/api/v1/persons/", new_person_body(world), 201),
        "persons.update": ("patch", person_url(person), {"occupation": "Cocinera"}, 200),
        "persons.documents.list": ("get", person_url(person, "documents/"), None, 200),
        "persons.documents.add": (
            "post",
            person_url(person, "documents/"),
            {**PASSPORT, "number": "Z999"},
            201,
        ),
        "persons.consents.list": ("get", person_url(person, "consents/"), None, 200),
        "persons.consents.record": (
            "post",
            person_url(person, "consents/"),
            {"purposes": {"share_with_referrals": True}},
            201,
        ),
        "consents.withdraw": (
            "post",
            f"/api/v1/consents/{consent.uuid}/withdraw/",
            {"reason": "Lo pidió la persona"},
            200,
        ),
        "households.create": (
            "post",
            "/api/v1/households/",
            household_body(world, new_member("head")),
            201,
        ),
        "households.retrieve": ("get", f"/api/v1/households/{household.uuid}/", None, 200),
        "visits.list": ("get", f"/api/v1/visits/?person={person.uuid}", None, 200),
        "visits.create": (
            "post",
            "/api/v1/visits/",
            {
                "persons": [str(person.uuid)],
                "attention_point": str(world.point.uuid),
                "reasons": ["health"],
            },
            201,
        ),
    }


ENDPOINTS = [
    "persons.search",
    "persons.retrieve",
    "persons.create",
    "persons.update",
    "persons.documents.list",
    "persons.documents.add",
    "persons.consents.list",
    "persons.consents.record",
    "consents.withdraw",
    "households.create",
    "households.retrieve",
    "visits.list",
    "visits.create",
]
# The legal specialist reads the registry and records visits, but edits nothing.
LEGAL_MAY = {
    "persons.search",
    "persons.retrieve",
    "persons.documents.list",
    "persons.consents.list",
    "households.retrieve",
    "visits.list",
    "visits.create",
}


def _counts() -> tuple:
    return (
        Person.objects.count(),
        IdentityDocument.objects.count(),
        Consent.objects.count(),
        Consent.objects.filter(withdrawn_at__isnull=False).count(),
        Household.objects.count(),
        Visit.objects.count(),
        AccessEvent.objects.count(),
    )


# Permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_it_refuses_anonymous_callers(world, data, endpoint):
    method, url, body, _status = endpoints(world, data)[endpoint]
    before = _counts()
    response = send(api(world), method, url, body)
    assert response.status_code in (401, 403)
    assert error_of(response, response.status_code)["code"] == "not_authenticated"
    if response.status_code == 401:
        assert response["WWW-Authenticate"]
    assert _counts() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_it_refuses_a_bad_token(world, data, endpoint):
    method, url, body, _status = endpoints(world, data)[endpoint]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = send(client, method, url, body)
    assert response.status_code in (401, 403)
    assert error_of(response, response.status_code)["code"] == "authentication_failed"


@pytest.mark.parametrize("role", NO_PERMISSION)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_it_refuses_roles_without_the_capability(world, data, endpoint, role):
    method, url, body, _status = endpoints(world, data)[endpoint]
    before = _counts()
    for auth in ("session", "token"):
        error = error_of(send(api(world, role, auth=auth), method, url, body), status=403)
        assert error["code"] == "permission_denied"
    assert _counts() == before  # nothing written, not even the access log


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_legal_specialist_reads_but_does_not_edit(world, data, endpoint):
    method, url, body, status = endpoints(world, data)[endpoint]
    response = send(api(world, "legal"), method, url, body)
    if endpoint in LEGAL_MAY:
        assert response.status_code == status, response.content
    else:
        error_of(response, status=403)


@pytest.mark.parametrize("auth", ["session", "token"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_it_works_for_the_intake_worker(world, data, endpoint, auth):
    method, url, body, status = endpoints(world, data)[endpoint]
    response = send(api(world, "intake", auth=auth), method, url, body)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")


def test_session_writes_need_the_csrf_token_but_token_writes_do_not(world, data):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.intake)
    body = {"occupation": "Panadera"}
    error = error_of(send(client, "patch", person_url(data["person"]), body), status=403)
    assert "CSRF" in error["message"]
    assert (
        send(
            api(world, "intake", auth="token"), "patch", person_url(data["person"]), body
        ).status_code
        == 200
    )


def test_a_deactivated_user_token_stops_working(world, data):
    client = api(world, "intake", auth="token")
    world.intake.is_active = False
    world.intake.save(update_fields=["is_active"])
    response = client.get(person_url(data["person"]))
    assert response.status_code in (401, 403)
    error_of(response, response.status_code)


# Persons --------------------------------------------------------------------------------------


def test_search_requires_q(world, data):
    for url in ("/api/v1/persons/", "/api/v1/persons/?q=", "/api/v1/persons/?q=%20%20"):
        error = error_of(api(world, "intake").get(url), status=400)
        assert error["code"] == "invalid"
        assert "q" in error["fields"]


def test_search_finds_by_name_document_and_phone(world, data):
    client = api(world, "intake")
    person = data["person"]
    for query in ("maria perez", "PÉREZ GÓMEZ", "x-123 456", "300 123 4567"):
        body = client.get("/api/v1/persons/", {"q": query}).json()
        assert [r["id"] for r in body["results"]] == [str(person.uuid)], query
        assert body["count"] == 1 and body["more"] is False
    assert client.get("/api/v1/persons/", {"q": "nadie"}).json()["results"] == []


def test_search_output_has_no_sensitive_or_contact_data(world, data):
    body = api(world, "coordinator").get("/api/v1/persons/", {"q": "perez"}).json()
    (row,) = body["results"]
    assert set(row) == {
        "id",
        "given_names",
        "first_surname",
        "second_surname",
        "preferred_name",
        "birth_date",
        "age",
        "sex",
        "locality",
        "population_group",
        "last_visit_at",
    }
    text = json.dumps(body)
    for secret in (
        "differential",
        "lgbtiq",
        "wg_",
        "trafficking",
        "documents",
        "X123456",
        "3001234567",
        "phone",
        "consent",
    ):
        assert secret not in text


def test_search_is_written_to_the_access_log(world, data, make_person):
    other = make_person(given_names="Pedro", first_surname="Pérez", sex="male")
    AccessEvent.objects.all().delete()
    api(world, "case_worker").get("/api/v1/persons/", {"q": "perez"})
    event = AccessEvent.objects.get()
    assert (event.actor, event.channel, event.view) == (
        world.case_worker,
        "api",
        "api.persons.search",
    )
    assert event.path == "/api/v1/persons/?q=perez"
    assert set(event.persons.values_list("person_id", flat=True)) == {data["person"].pk, other.pk}
    assert event.person_count == 2
    api(world, "case_worker").get("/api/v1/persons/", {"q": "nadie"})
    assert AccessEvent.objects.count() == 1  # nobody shown, nothing to log


def test_retrieve_shows_the_person_with_documents_household_and_differential(world, data):
    person, household = data["person"], data["household"]
    response = api(world, "intake").get(person_url(person))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(person.uuid)
    assert body["given_names"] == "María José"
    assert body["nationalities"] == ["VE"]
    assert body["household"] == str(household.uuid)
    assert body["locality"] == str(world.locality.uuid)
    (doc,) = body["documents"]
    assert doc["number"] == "X123456" and doc["expired"] is True
    assert body["differential"]["wg_walking"] == 4
    assert body["differential"]["lgbtiq"] is True
    assert body["differential"]["has_disability"] is True
    assert body["version"]


def test_retrieve_is_written_to_the_access_log(world, data):
    person = data["person"]
    api(world, "legal", auth="token").get(person_url(person))
    event = AccessEvent.objects.get()
    assert (event.actor, event.channel, event.view) == (world.legal, "api", "api.persons.retrieve")
    assert list(event.persons.values_list("person_id", flat=True)) == [person.pk]


@pytest.mark.parametrize(
    "screen, endpoint",
    [
        ("/registry/?q=perez", "/api/v1/persons/?q=perez"),
        ("/registry/persons/{person}/", "/api/v1/persons/{person}/"),
        ("/registry/households/{household}/", "/api/v1/households/{household}/"),
    ],
)
def test_reads_log_the_same_persons_as_the_screens(world, data, make_person, screen, endpoint):
    make_person(given_names="Pedro", first_surname="Pérez", sex="male")
    ids = {"person": data["person"].uuid, "household": data["household"].uuid}
    AccessEvent.objects.all().delete()
    client = api(world, "intake")
    assert client.get(screen.format(**ids)).status_code == 200
    assert client.get(endpoint.format(**ids)).status_code == 200
    ui, api_event = (AccessEvent.objects.get(channel="ui"), AccessEvent.objects.get(channel="api"))
    assert ui.actor == api_event.actor == world.intake
    assert ui.person_count == api_event.person_count > 0
    assert set(ui.persons.values_list("person_id", flat=True)) == set(
        api_event.persons.values_list("person_id", flat=True)
    )


def test_retrieve_of_an_unknown_person_is_404_in_the_error_shape(world, data):
    client = api(world, "intake")
    error = error_of(client.get("/api/v1/persons/8a4e7b4c-0e1f-4b0c-9a71-2a6f0e5f1d11/"), 404)
    assert error["code"] == "not_found"
    error_of(client.get("/api/v1/persons/not-a-uuid/"), 404)
    assert AccessEvent.objects.count() == 0


@pytest.fixture
def without_sensitive(monkeypatch):
    """No role reading persons lacks VIEW_SENSITIVE today; make the legal specialist one."""
    from ventanilla.accounts.choices import Role

    monkeypatch.setitem(
        ROLE_CAPABILITIES,
        Role.SPECIALIST_LEGAL,
        ROLE_CAPABILITIES[Role.SPECIALIST_LEGAL] - {Cap.VIEW_SENSITIVE},
    )
    monkeypatch.setitem(
        ROLE_CAPABILITIES,
        Role.CASE_WORKER,
        ROLE_CAPABILITIES[Role.CASE_WORKER] - {Cap.VIEW_SENSITIVE},
    )


def test_differential_is_null_for_roles_without_view_sensitive(world, data, without_sensitive):
    person = data["person"]
    body = api(world, "legal").get(person_url(person)).json()
    assert body["differential"] is None
    assert "lgbtiq" not in json.dumps(body) and "wg_walking" not in json.dumps(body)
    # The same role with the capability sees it (the fixture really is what hides it).
    assert api(world, "intake").get(person_url(person)).json()["differential"] is not None


def test_a_role_without_view_sensitive_cannot_write_the_differential(
    world, data, without_sensitive
):
    client = api(world, "case_worker")
    response = client.post("/api/v1/persons/", new_person_body(world), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["differential"] is None
    created = Person.objects.get(uuid=response.json()["id"])
    assert not DifferentialApproach.objects.filter(person=created).exists()
    person = data["person"]
    error_of(
        client.patch(person_url(person), {"differential": {"lgbtiq": False}}, format="json"), 400
    )
    assert DifferentialApproach.objects.get(person=person).lgbtiq is True


def test_create_registers_person_documents_differential_and_consents(world, data):
    response = api(world, "intake", auth="token").post(
        "/api/v1/persons/", new_person_body(world), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(uuid=body["id"])
    assert person.created_by == world.intake
    assert person.birth_date_estimated is True
    assert person.age() == 34 and body["age"] == 34
    assert body["birth_date"] == person.birth_date.isoformat()
    assert body["birth_date_estimated"] is True
    assert person.search_text == (
        "yorgelis del valle rondon perez v18765432 573001234567 3001234567"
    )
    (doc,) = person.documents.all()
    assert (doc.document_type, doc.number, doc.number_key) == (
        "ve_cedula",
        "V-18.765.432",
        "18765432",
    )
    assert [d["number"] for d in body["documents"]] == ["V-18.765.432"]
    differential = DifferentialApproach.objects.get(person=person)
    assert (differential.gender_identity, differential.wg_seeing, differential.survivor_of_gbv) == (
        "woman",
        3,
        True,
    )
    assert body["differential"]["has_disability"] is True
    assert dict(Consent.objects.filter(person=person).values_list("purpose", "granted")) == {
        "receive_services": True,
        "anonymous_statistics": False,
    }
    assert person.population_group_periods.get().group == "settled"


def test_create_with_birth_date_is_not_estimated(world, data):
    body = new_person_body(world, birth_date="1990-04-05", approximate_age=30, documents=[])
    del body["differential"], body["consents"]
    response = api(world, "intake").post("/api/v1/persons/", body, format="json")
    # birth_date wins over approximate_age when both are given
    assert response.status_code == 201, response.content
    assert response.json()["birth_date"] == "1990-04-05"
    assert response.json()["birth_date_estimated"] is False


def test_create_needs_a_birth_date_or_an_approximate_age(world, data):
    body = new_person_body(world)
    del body["approximate_age"]
    error = error_of(api(world, "intake").post("/api/v1/persons/", body, format="json"), 400)
    assert "birth_date" in error["fields"]
    assert Person.objects.count() == 1


def test_create_with_a_duplicate_document_names_the_field_and_saves_nothing(world, data):
    body = new_person_body(world, documents=[{**PASSPORT, "number": "x 123-456"}])
    error = error_of(api(world, "intake").post("/api/v1/persons/", body, format="json"), 400)
    assert "documents.0.number" in error["fields"]
    assert "María José Pérez Gómez" in error["message"]
    assert Person.objects.count() == 1 and IdentityDocument.objects.count() == 1


def test_partial_update_changes_fields_and_returns_a_new_version(world, data):
    person = data["person"]
    client = api(world, "case_worker")
    version = client.get(person_url(person)).json()["version"]
    response = client.patch(
        person_url(person),
        {"version": version, "occupation": "Cocinera", "phone": "311 555 0000"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["occupation"] == "Cocinera" and body["version"] != version
    person.refresh_from_db()
    assert person.occupation == "Cocinera"
    assert "3115550000" in person.search_text
    assert person.given_names == "María José"  # untouched fields stay
    assert (
        AccessEvent.objects.filter(view="api.persons.update", actor=world.case_worker).count() == 1
    )


def test_partial_update_with_a_stale_version_is_409_and_changes_nothing(world, data):
    person = data["person"]
    client = api(world, "intake")
    stale = client.get(person_url(person)).json()["version"]
    assert (
        client.patch(
            person_url(person), {"version": stale, "occupation": "Primera"}, format="json"
        ).status_code
        == 200
    )
    error = error_of(
        client.patch(
            person_url(person), {"version": stale, "occupation": "Segunda"}, format="json"
        ),
        409,
    )
    assert error["code"] == "conflict"
    person.refresh_from_db()
    assert person.occupation == "Primera"


def test_partial_update_checks_the_same_rules_as_the_service(world, data):
    person = data["person"]
    client = api(world, "intake")
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    for body, field in [
        ({"birth_date": future}, "birth_date"),
        ({"arrival_city_date": "1980-01-01"}, "arrival_city_date"),
        ({"is_stateless": True}, "nationalities"),
        ({"email": "not-an-email"}, "email"),
        ({"sex": "alien"}, "sex"),
    ]:
        error = error_of(client.patch(person_url(person), body, format="json"), 400)
        assert field in error["fields"], (body, error)
    person.refresh_from_db()
    assert person.birth_date == date(1990, 5, 17) and not person.is_stateless


def test_partial_update_with_approximate_age_estimates_the_birth_date(world, data):
    person = data["person"]
    response = api(world, "intake").patch(
        person_url(person), {"approximate_age": 40}, format="json"
    )
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert person.birth_date_estimated and person.age() == 40


# Documents --------------------------------------------------------------------------------


def test_documents_list_is_logged(world, data):
    person = data["person"]
    response = api(world, "intake").get(person_url(person, "documents/"))
    assert [d["number"] for d in response.json()] == ["X123456"]
    assert AccessEvent.objects.get().view == "api.persons.documents"


def test_document_add(world, data):
    person = data["person"]
    response = api(world, "intake").post(
        person_url(person, "documents/"),
        {
            "document_type": "ppt",
            "number": "1234 567",
            "issuing_country": "CO",
            "issued_on": "2022-05-01",
            "expires_on": "2031-05-30",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["expired"] is False
    person.refresh_from_db()
    assert "1234567" in person.search_text
    assert person.documents.count() == 2


def test_a_duplicate_document_is_400_with_the_field_error(world, data, make_person):
    other = make_person(given_names="Otra", documents=[])
    response = api(world, "intake").post(
        person_url(other, "documents/"), {**PASSPORT, "number": "x123-456"}, format="json"
    )
    error = error_of(response, 400)
    assert list(error["fields"]) == ["number"]
    assert str(data["person"].uuid) in error["fields"]["number"][0]
    assert other.documents.count() == 0


def test_a_document_expiring_before_issue_is_refused(world, data):
    response = api(world, "intake").post(
        person_url(data["person"], "documents/"),
        {**PASSPORT, "number": "Q1", "expires_on": "2017-01-01"},
        format="json",
    )
    assert "expires_on" in error_of(response, 400)["fields"]


# Consents ------------------------------------------------------------------------------------


def test_consents_list_and_record(world, data):
    person = data["person"]
    client = api(world, "intake")
    listed = client.get(person_url(person, "consents/")).json()
    assert {c["purpose"]: c["granted"] for c in listed} == {
        "receive_services": True,
        "anonymous_statistics": True,
    }
    assert AccessEvent.objects.get().view == "api.persons.consents"
    response = client.post(
        person_url(person, "consents/"),
        {"purposes": {"anonymous_statistics": False}},
        format="json",
    )
    assert response.status_code == 201, response.content
    active = Consent.objects.filter(
        person=person, purpose="anonymous_statistics", withdrawn_at__isnull=True
    ).get()
    assert active.granted is False and active.recorded_by == world.intake


def test_an_unknown_consent_purpose_is_refused(world, data):
    response = api(world, "intake").post(
        person_url(data["person"], "consents/"),
        {"purposes": {"sell_to_advertisers": True}},
        format="json",
    )
    assert "purposes" in error_of(response, 400)["fields"]


def test_consent_withdraw(world, data):
    consent = data["consent"]
    client = api(world, "case_worker")
    url = f"/api/v1/consents/{consent.uuid}/withdraw/"
    error_of(client.post(url, {}, format="json"), 400)
    error_of(client.post(url, {"reason": "   "}, format="json"), 400)
    response = client.post(url, {"reason": "Lo pidió la persona"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["withdrawn_at"]
    consent.refresh_from_db()
    assert consent.withdrawal_reason == "Lo pidió la persona"
    assert consent.withdrawn_by == world.case_worker
    assert (
        error_of(client.post(url, {"reason": "otra vez"}, format="json"), 409)["code"] == "conflict"
    )
    error_of(
        client.post(
            "/api/v1/consents/8a4e7b4c-0e1f-4b0c-9a71-2a6f0e5f1d11/withdraw/",
            {"reason": "x"},
            format="json",
        ),
        404,
    )


# Households ----------------------------------------------------------------------------------


def test_household_create_with_new_and_existing_members(world, data, make_person):
    existing = make_person(
        given_names="Carlos",
        first_surname="Mora",
        sex="male",
        nationalities=["CO"],
        population_group="host_community",
    )
    old_household = data["household"]
    moved = data["person"]  # head of another household: leaves it, kept in the history
    body = household_body(
        world,
        new_member(
            "head",
            documents=[{"document_type": "passport", "number": "P-777", "issuing_country": "VE"}],
        ),
        new_member("child", given_names="Luis", sex="male", birth_date=None, approximate_age=7),
        {"relationship": "spouse", "person": str(existing.uuid)},
        {"relationship": "parent", "person": str(moved.uuid)},
    )
    response = api(world, "intake", auth="token").post("/api/v1/households/", body, format="json")
    assert response.status_code == 201, response.content
    out = response.json()
    household = Household.objects.get(uuid=out["id"])
    assert out["locality"] == str(world.locality.uuid)
    members = {
        m.person.given_names: m.relationship
        for m in Membership.objects.filter(household=household, end_date__isnull=True)
    }
    assert members == {"Ana": "head", "Luis": "child", "Carlos": "spouse", "María José": "parent"}
    assert {m["person"] for m in out["current_members"]} >= {str(existing.uuid), str(moved.uuid)}
    assert "members" not in out and "consents" not in out
    luis = Person.objects.get(given_names="Luis")
    assert luis.birth_date_estimated and luis.age() == 7
    assert Person.objects.get(given_names="Ana").documents.get().number == "P-777"
    # new members get the household's consent; existing members keep their own answers
    assert Consent.objects.filter(person=luis, purpose="receive_services").exists()
    assert not Consent.objects.filter(person=existing).exists()
    old = Membership.objects.get(household=old_household, person=moved)
    assert old.end_date == timezone.localdate()
    assert Membership.objects.filter(person=moved, end_date__isnull=True).count() == 1


def test_household_create_is_atomic_and_names_the_bad_member_field(world, data):
    before = _counts()
    body = household_body(
        world, new_member("head"), new_member("child", given_names="Luis", birth_date="2999-01-01")
    )
    error = error_of(api(world, "intake").post("/api/v1/households/", body, format="json"), 400)
    assert "members.1.birth_date" in error["fields"]
    assert _counts() == before


def test_household_member_validation_errors_use_member_paths(world, data):
    client = api(world, "intake")
    before = _counts()
    cases = [
        (new_member("child", sex="robot"), "members.1.sex"),
        (new_member("child", given_names=""), "members.1.given_names"),
        ({"relationship": "child"}, "members.1.given_names"),
        (new_member("cousin_of_a_friend"), "members.1.relationship"),
        (
            new_member("child", documents=[{**PASSPORT, "number": "X-123456"}]),
            "members.1.documents.0.number",
        ),
        (
            new_member("child", documents=[{**PASSPORT, "issuing_country": "ZZ"}]),
            "members.1.documents.0.issuing_country",
        ),
        (
            {"relationship": "child", "person": "8a4e7b4c-0e1f-4b0c-9a71-2a6f0e5f1d11"},
            "members.1.person",
        ),
        ({"relationship": "child", "person": "not-a-uuid"}, "members.1.person"),
    ]
    for member, field in cases:
        response = client.post(
            "/api/v1/households/", household_body(world, new_member("head"), member), format="json"
        )
        error = error_of(response, 400)
        assert field in error["fields"], (member, error)
    assert _counts()[:6] == before[:6]
    # Only the duplicate-document error named someone (its holder): that read is logged.
    assert _counts()[6] == before[6] + 1


def test_household_needs_exactly_one_head(world, data):
    client = api(world, "intake")
    for members in ([new_member("child")], [new_member("head"), new_member("head")], []):
        error_of(
            client.post("/api/v1/households/", household_body(world, *members), format="json"), 400
        )
    assert Household.objects.count() == 1


def test_the_same_existing_person_twice_is_refused(world, data):
    person = data["person"]
    body = household_body(
        world,
        new_member("head"),
        {"relationship": "child", "person": str(person.uuid)},
        {"relationship": "sibling", "person": str(person.uuid)},
    )
    error_of(api(world, "intake").post("/api/v1/households/", body, format="json"), 400)
    assert (
        Membership.objects.get(person=person, end_date__isnull=True).household == data["household"]
    )


def test_household_retrieve_lists_current_members_and_is_logged(world, data):
    household, person = data["household"], data["person"]
    response = api(world, "legal").get(f"/api/v1/households/{household.uuid}/")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(household.uuid)
    assert [(m["person"], m["relationship"]) for m in body["current_members"]] == [
        (str(person.uuid), "head")
    ]
    event = AccessEvent.objects.get()
    assert (event.view, event.actor, event.channel) == (
        "api.households.retrieve",
        world.legal,
        "api",
    )
    assert list(event.persons.values_list("person_id", flat=True)) == [person.pk]


# Visits ----------------------------------------------------------------------------------------


def test_visit_create_and_list(world, data):
    person = data["person"]
    client = api(world, "legal", auth="token")
    response = client.post(
        "/api/v1/visits/",
        {
            "persons": [str(person.uuid)],
            "household": str(data["household"].uuid),
            "attention_point": str(world.point.uuid),
            "reasons": ["legal", "documentation"],
            "orientation_topics": ["regular_pathways"],
            "note": "Asesoría PPT",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["staff"] == "legal" and created["persons"] == [str(person.uuid)]
    visit = Visit.objects.get(uuid=created["id"])
    person.refresh_from_db()
    assert person.last_visit_at == visit.occurred_at
    AccessEvent.objects.all().delete()
    listed = client.get("/api/v1/visits/", {"person": str(person.uuid)}).json()
    assert [v["id"] for v in listed] == [created["id"], str(data["visit"].uuid)]
    event = AccessEvent.objects.get()
    assert (event.view, event.actor) == ("api.visits.list", world.legal)


def test_visit_list_needs_an_existing_person(world, data):
    client = api(world, "intake")
    for url in (
        "/api/v1/visits/",
        "/api/v1/visits/?person=nope",
        "/api/v1/visits/?person=8a4e7b4c-0e1f-4b0c-9a71-2a6f0e5f1d11",
    ):
        assert "person" in error_of(client.get(url), 400)["fields"]
    assert AccessEvent.objects.count() == 0


def test_visit_create_checks_its_rules(world, data, make_person):
    outsider_person = make_person(given_names="Lejano", documents=[])
    client = api(world, "intake")
    point = str(world.point.uuid)
    person = str(data["person"].uuid)
    future = (timezone.now() + timedelta(days=1)).isoformat()
    cases = [
        ({"persons": [], "attention_point": point, "reasons": ["legal"]}, "persons"),
        ({"persons": [person], "attention_point": point, "reasons": []}, "reasons"),
        ({"persons": [person], "attention_point": point, "reasons": ["magic"]}, "reasons.0"),
        (
            {
                "persons": [person],
                "attention_point": point,
                "reasons": ["legal"],
                "occurred_at": future,
            },
            "occurred_at",
        ),
        (
            {
                "persons": [str(outsider_person.uuid)],
                "attention_point": point,
                "household": str(data["household"].uuid),
                "reasons": ["legal"],
            },
            "persons",
        ),
        (
            {
                "persons": [person],
                "attention_point": str(world.locality.uuid),
                "reasons": ["legal"],
            },
            "attention_point",
        ),
        (
            {
                "persons": [person],
                "attention_point": point,
                "reasons": ["legal"],
                "note": "n" * 1001,
            },
            "note",
        ),
    ]
    for body, field in cases:
        error = error_of(client.post("/api/v1/visits/", body, format="json"), 400)
        assert field in error["fields"], (body, error)
    assert Visit.objects.count() == 1


# Bad input never gives a 500 --------------------------------------------------------------------

HUGE = "x" * 100_000


def fuzz_cases(world, data):
    person, consent = data["person"], data["consent"]
    persons = "/api/v1/persons/"
    detail = person_url(person)
    docs = person_url(person, "documents/")
    consents = person_url(person, "consents/")
    withdraw = f"/api/v1/consents/{consent.uuid}/withdraw/"
    households = "/api/v1/households/"
    visits = "/api/v1/visits/"
    good = new_person_body(world)
    return [
        # wrong types
        ("post", persons, {**good, "given_names": {"a": 1}}),
        ("post", persons, {**good, "birth_date": 5, "approximate_age": None}),
        ("post", persons, {**good, "approximate_age": "forty"}),
        ("post", persons, {**good, "approximate_age": 1e30}),
        ("post", persons, {**good, "approximate_age": -3}),
        ("post", persons, {**good, "nationalities": "VE"}),
        ("post", persons, {**good, "languages": [["es"]]}),
        ("post", persons, {**good, "documents": {"number": "1"}}),
        ("post", persons, {**good, "documents": ["passport"]}),
        ("post", persons, {**good, "differential": ["wg_seeing"]}),
        ("post", persons, {**good, "consents": ["receive_services"]}),
        ("post", persons, {**good, "consents": {"receive_services": "perhaps"}}),
        ("post", persons, {**good, "locality": 17}),
        ("post", persons, {**good, "locality": "not-a-uuid"}),
        ("post", persons, {**good, "is_stateless": "sometimes"}),
        ("post", persons, [good]),
        ("post", persons, "a string"),
        ("post", persons, 42),
        # nulls
        ("post", persons, None),
        ("post", persons, {**good, "given_names": None}),
        ("post", persons, {**good, "sex": None}),
        ("post", persons, {**good, "nationalities": None}),
        ("post", persons, {**good, "documents": None}),
        ("post", persons, {**good, "documents": [None]}),
        ("post", persons, {**good, "differential": {"wg_seeing": None, "lgbtiq": "many"}}),
        ("patch", detail, {"sex": None}),
        ("patch", detail, {"given_names": None}),
        ("patch", detail, {"version": None, "given_names": ""}),
        # NUL characters (PostgreSQL refuses them in text)
        ("post", persons, {**good, "given_names": "Ana\x00"}),
        ("patch", detail, {"occupation": "\x00"}),
        ("post", withdraw, {"reason": "no\x00"}),
        (
            "post",
            visits,
            {
                "persons": [str(person.uuid)],
                "attention_point": str(world.point.uuid),
                "reasons": ["legal"],
                "note": "\x00",
            },
        ),
        ("post", docs, {**PASSPORT, "number": "A\x00B"}),
        # huge strings
        ("post", persons, {**good, "given_names": HUGE}),
        ("post", persons, {**good, "email": HUGE + "@example.org"}),
        ("post", persons, {**good, "phone": HUGE}),
        ("post", persons, {**good, HUGE: 1, "sex": HUGE}),
        ("post", persons, {**good, "documents": [{**PASSPORT, "number": HUGE}]}),
        ("patch", detail, {"address": HUGE}),
        ("patch", detail, {"version": HUGE}),
        ("post", docs, {**PASSPORT, "number": HUGE}),
        ("post", withdraw, {"reason": HUGE}),
        (
            "post",
            visits,
            {
                "persons": [str(person.uuid)],
                "attention_point": str(world.point.uuid),
                "reasons": ["legal"],
                "note": HUGE,
            },
        ),
        ("post", households, household_body(world, new_member("head", address=HUGE))),
        # unknown choice values
        ("post", persons, {**good, "sex": "unknown-value"}),
        ("post", persons, {**good, "population_group": "tourist"}),
        ("post", persons, {**good, "nationalities": ["XX"]}),
        ("post", persons, {**good, "languages": ["klingon"]}),
        ("post", persons, {**good, "education_level": "phd-in-everything"}),
        ("post", persons, {**good, "differential": {"wg_seeing": 9}}),
        ("post", persons, {**good, "differential": {"gender_identity": "robot"}}),
        ("post", persons, {**good, "documents": [{**PASSPORT, "document_type": "library_card"}]}),
        ("post", persons, {**good, "consents": {"immigration_enforcement": True}}),
        ("patch", detail, {"education_level": "phd"}),
        ("post", docs, {**PASSPORT, "issuing_country": "Narnia"}),
        ("post", consents, {"purposes": {"immigration_enforcement": True}}),
        ("post", consents, {"purposes": "all"}),
        ("post", consents, {}),
        ("post", households, household_body(world, new_member("head", sex="x"))),
        ("post", households, {"members": "everyone"}),
        ("post", households, {"members": [None]}),
        ("post", households, {"members": [new_member("head")], "locality": "nowhere"}),
        (
            "post",
            visits,
            {"persons": "me", "attention_point": str(world.point.uuid), "reasons": ["legal"]},
        ),
        (
            "post",
            visits,
            {"persons": [str(person.uuid)], "attention_point": None, "reasons": ["legal"]},
        ),
        (
            "post",
            visits,
            {
                "persons": [str(person.uuid)],
                "attention_point": str(world.point.uuid),
                "reasons": ["legal"],
                "occurred_at": "yesterday-ish",
            },
        ),
        (
            "post",
            visits,
            {
                "persons": [str(person.uuid)],
                "attention_point": str(world.point.uuid),
                "reasons": ["legal"],
                "occurred_at": "0001-01-01T00:00:00Z",
            },
        ),
        (
            "post",
            visits,
            {
                "persons": [str(person.uuid)],
                "attention_point": str(world.point.uuid),
                "reasons": ["legal"],
                "orientation_topics": ["astrology"],
            },
        ),
        (
            "post",
            visits,
            {"persons": [None], "attention_point": str(world.point.uuid), "reasons": ["legal"]},
        ),
    ]


def test_malformed_bodies_give_400_in_the_error_shape(world, data):
    client = api(world, "intake")
    before = _counts()
    for method, url, body in fuzz_cases(world, data):
        response = send(client, method, url, body)
        error = error_of(response, 400)
        assert error["code"] in ("invalid", "parse_error"), (method, url, error)
    assert _counts() == before


@pytest.mark.parametrize(
    "url, method",
    [
        ("/api/v1/persons/", "post"),
        ("/api/v1/persons/{uuid}/", "patch"),
        ("/api/v1/persons/{uuid}/documents/", "post"),
        ("/api/v1/persons/{uuid}/consents/", "post"),
        ("/api/v1/households/", "post"),
        ("/api/v1/visits/", "post"),
        ("/api/v1/consents/{consent}/withdraw/", "post"),
    ],
)
@pytest.mark.parametrize(
    "raw",
    [
        '{"given_names": ',
        "not json at all",
        "\x00\xff",
        "[1, 2,]",
        "{'single': 'quotes'}",
        '{"a": NaN}',
    ],
)
def test_non_json_bodies_give_400(world, data, url, method, raw):
    url = url.format(uuid=data["person"].uuid, consent=data["consent"].uuid)
    response = getattr(api(world, "intake"), method)(url, data=raw, content_type="application/json")
    error = error_of(response, 400)
    assert error["code"] in ("parse_error", "invalid")


def test_an_unsupported_content_type_is_415_in_the_error_shape(world, data):
    response = api(world, "intake").post(
        "/api/v1/persons/", data="<person/>", content_type="application/xml"
    )
    assert error_of(response, 415)["code"] == "unsupported_media_type"


@pytest.mark.parametrize(
    "query",
    [
        "a" * 60_000,  # longer than SQLite's LIKE pattern limit
        " ".join(["ana"] * 3_000),  # deeper than SQLite's expression tree limit
        "a" * 121,  # the search screen's limit is 120
    ],
)
def test_a_too_long_search_text_is_400(world, data, query):
    response = api(world, "intake").get("/api/v1/persons/", {"q": query})
    assert "q" in error_of(response, 400)["fields"]
    assert AccessEvent.objects.count() == 0


@pytest.mark.parametrize(
    "query, found",
    [
        ("\x00maria", True),  # NUL cannot go into a PostgreSQL string
        ("perez " + "a" * 114, False),  # just within the limit
        ("%_%_\\", False),  # LIKE wildcards are not wildcards here
        ("31/02/1990", False),
        ("9999-99-99", False),
        ("17/05/1990", True),
    ],
)
def test_strange_search_texts_do_not_break_the_search(world, data, query, found):
    response = api(world, "intake").get("/api/v1/persons/", {"q": query})
    assert response.status_code == 200, response.content[:500]
    ids = [r["id"] for r in response.json()["results"]]
    assert ids == ([str(data["person"].uuid)] if found else [])


# OpenAPI schema and docs ----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_schema_is_generated_without_warnings_or_errors(db, language):
    from django.utils import translation
    from drf_spectacular.drainage import GENERATOR_STATS, reset_generator_stats
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    reset_generator_stats()
    with translation.override(language):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    warnings, errors = dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache)
    reset_generator_stats()
    assert warnings == {} and errors == {}
    validate_schema(schema)
    paths = schema["paths"]
    for path in (
        "/api/v1/persons/",
        "/api/v1/persons/{uuid}/",
        "/api/v1/persons/{uuid}/documents/",
        "/api/v1/persons/{uuid}/consents/",
        "/api/v1/households/",
        "/api/v1/households/{uuid}/",
        "/api/v1/visits/",
        "/api/v1/consents/{uuid}/withdraw/",
        "/api/v1/services/",
        "/api/v1/services/{uuid}/",
    ):
        assert path in paths
    enums = schema["components"]["schemas"]
    assert "WgDifficultyEnum" in enums and "CountryEnum" in enums
    assert not any(
        name.startswith(("WgSeeing", "WgRemembering", "Nationalities")) for name in enums
    )


def test_the_schema_endpoint_answers(world):
    response = api(world, "intake").get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert b"Ventanilla API" in response.content


def test_the_docs_page_uses_local_assets_only(world):
    import re

    from django.contrib.staticfiles import finders

    client = api(world, "intake")
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))], sources
    assets = [s for s in sources if s.startswith("/static/")]
    assert any("drf_spectacular_sidecar/swagger-ui-dist" in s for s in assets)
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset
    # The split view keeps the page free of inline scripts, so CSP needs no exception.
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    script_url = next(s for s in sources if "script" in s and not s.startswith("/static/"))
    script = client.get(script_url.replace("&amp;", "&"))
    assert script.status_code == 200
    assert b"SwaggerUIBundle" in script.content
