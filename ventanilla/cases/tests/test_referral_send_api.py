"""Case-team referrals API: send from a plan need, list, cancel, follow up external ones."""

from datetime import date
from uuid import uuid4

import pytest
from rest_framework.test import APIClient

from ventanilla.accounts.services import api_token_for
from ventanilla.cases import services
from ventanilla.cases.models import Referral
from ventanilla.cases.tests.conftest import CONSENT
from ventanilla.core.models import AuditEvent
from ventanilla.privacy.models import AccessEvent
from ventanilla.registry import services as registry


def token_client(user) -> APIClient:
    client = APIClient()
    # Answers in English, so that the tests read the messages (msgids).
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {api_token_for(user=user)}", HTTP_ACCEPT_LANGUAGE="en"
    )
    return client


def referrals_url(case) -> str:
    return f"/api/v1/cases/{case.uuid}/referrals/"


def referral_url(case, referral, action) -> str:
    return f"/api/v1/cases/{case.uuid}/referrals/{referral.uuid}/{action}/"


def body(need, person, service=None, **extra) -> dict:
    data = {
        "need": str(need.uuid),
        "persons": [str(person.uuid)],
        "summary": "Needs guidance for the PPT.",
    }
    if service is not None:
        data["service"] = str(service.uuid)
    return data | extra


def test_it_sends_to_a_catalog_service(world, referral_setup):
    case, need, service, person = referral_setup
    client = token_client(world.case_worker)
    response = client.post(referrals_url(case), body(need, person, service), format="json")
    assert response.status_code == 201, response.json()
    [sent] = response.json()
    assert sent["status"] == "sent"
    assert sent["service"]["id"] == str(service.uuid)
    assert sent["person"]["id"] == str(person.uuid)
    assert sent["need"]["id"] == str(need.uuid)
    assert sent["household_referral"] is None and sent["consent_overridden"] is False
    assert set(sent["next_statuses"]) == {"accepted", "rejected", "cancelled"}
    referral = Referral.objects.get()
    assert referral.sent_by == world.case_worker
    assert referral.snapshot["receiving_org"]["name"] == world.partner_org.name
    assert AuditEvent.objects.filter(action="cases.referral.sent").count() == 1
    # The partner gets it, as from the screens.
    assert world.partner.notifications.count() == 1


def test_it_sends_to_an_external_provider_and_follows_it_up(world, referral_setup):
    case, need, _service, person = referral_setup
    client = token_client(world.case_worker)
    response = client.post(
        referrals_url(case),
        body(need, person, external_provider="Hospital San Juan", external_contact="601 555"),
        format="json",
    )
    assert response.status_code == 201
    [sent] = response.json()
    assert sent["is_external"] is True and sent["provider"] == "Hospital San Juan"
    referral = Referral.objects.get()
    accept = client.post(
        referral_url(case, referral, "follow-up"),
        {"to": "accepted", "version": sent["version"]},
        format="json",
    )
    assert accept.status_code == 200 and accept.json()["status"] == "accepted"
    stale = client.post(
        referral_url(case, referral, "follow-up"),
        {"to": "completed", "text": "Seen", "version": sent["version"]},
        format="json",
    )
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    no_outcome = client.post(
        referral_url(case, referral, "follow-up"), {"to": "completed"}, format="json"
    )
    assert no_outcome.status_code == 400
    assert "outcome" in no_outcome.json()["error"]["fields"]
    done = client.post(
        referral_url(case, referral, "follow-up"),
        {"to": "completed", "text": "Seen by the doctor", "version": accept.json()["version"]},
        format="json",
    )
    assert done.status_code == 200
    assert done.json()["outcome"] == "Seen by the doctor" and done.json()["next_statuses"] == []


def test_the_case_team_cannot_answer_a_catalog_referral_for_the_partner(world, send):
    [referral] = send()
    response = token_client(world.case_worker).post(
        referral_url(referral.case, referral, "follow-up"), {"to": "accepted"}, format="json"
    )
    assert response.status_code == 403
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert Referral.objects.get().status == "sent"


def test_it_lists_the_case_referrals_with_status_and_outcome(world, send):
    [referral] = send()
    services.referral_answer(actor=world.partner, referral=referral, accept=True)
    services.referral_complete(actor=world.partner, referral=referral, outcome="Got the PPT")
    client = token_client(world.case_worker)
    response = client.get(referrals_url(referral.case))
    assert response.status_code == 200
    [listed] = response.json()
    assert listed["status"] == "completed" and listed["outcome"] == "Got the PPT"
    assert AccessEvent.objects.filter(view="api.cases.referrals", actor=world.case_worker).exists()


def test_it_cancels_with_the_version(world, send):
    [referral] = send()
    client = token_client(world.case_worker)
    [listed] = client.get(referrals_url(referral.case)).json()
    response = client.post(
        referral_url(referral.case, referral, "cancel"),
        {"version": listed["version"], "reason": "The person moved away"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert response.json()["reason"] == "The person moved away"
    again = client.post(
        referral_url(referral.case, referral, "cancel"),
        {"version": listed["version"]},
        format="json",
    )
    assert again.status_code == 409


def test_without_consent_it_is_refused(world, make_person, make_case, make_service):
    person = make_person()  # no consent to share with referrals
    case = make_case(person)
    need = services.plan_item_add(
        actor=world.case_worker, case=case, kind="need", area="health", description="Doctor"
    )
    service = make_service()
    client = token_client(world.case_worker)
    response = client.post(referrals_url(case), body(need, person, service), format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and "persons" in error["fields"]
    assert "consent" in error["message"]
    # A case worker may not override, even with a reason.
    response = client.post(
        referrals_url(case),
        body(need, person, service, override_reason="Urgent"),
        format="json",
    )
    assert response.status_code == 403
    assert not Referral.objects.exists()


def test_the_coordinator_overrides_only_with_a_reason(world, make_person, make_case, make_service):
    person = make_person()
    case = make_case(person)
    need = services.plan_item_add(
        actor=world.case_worker, case=case, kind="need", area="health", description="Doctor"
    )
    service = make_service()
    client = token_client(world.coordinator)
    refused = client.post(referrals_url(case), body(need, person, service), format="json")
    assert refused.status_code == 400
    assert "written reason" in refused.json()["error"]["message"]
    blank = client.post(
        referrals_url(case), body(need, person, service, override_reason="  "), format="json"
    )
    assert blank.status_code == 400
    assert not Referral.objects.exists()
    sent = client.post(
        referrals_url(case),
        body(need, person, service, override_reason="Risk to life, consent by phone pending"),
        format="json",
    )
    assert sent.status_code == 201 and sent.json()[0]["consent_overridden"] is True
    assert AuditEvent.objects.filter(action="cases.referral.consent_overridden").count() == 1


def test_household_members_fan_out(world, make_person, make_service):
    head = make_person(consents=CONSENT)
    child = make_person(given_names="Luis", birth_date=date(2015, 3, 1), consents=CONSENT)
    cousin = make_person(given_names="Ana")  # no consent
    household = registry.household_register(
        actor=world.intake,
        members=[
            {"person": head, "relationship": "head"},
            {"person": child, "relationship": "child"},
            {"person": cousin, "relationship": "other_relative"},
        ],
    )
    case = services.case_open(actor=world.case_worker, household=household)
    need = services.plan_item_add(
        actor=world.case_worker, case=case, kind="need", area="education", description="School"
    )
    service = make_service()
    client = token_client(world.case_worker)
    everyone = body(need, head, service) | {
        "persons": [str(head.uuid), str(child.uuid), str(cousin.uuid)]
    }
    # One member without consent: all or none.
    refused = client.post(referrals_url(case), everyone, format="json")
    assert refused.status_code == 400 and "Ana" in refused.json()["error"]["message"]
    assert not Referral.objects.exists()
    two = body(need, head, service) | {"persons": [str(head.uuid), str(child.uuid)]}
    response = client.post(referrals_url(case), two, format="json")
    assert response.status_code == 201
    sent = response.json()
    assert {r["person"]["id"] for r in sent} == {str(head.uuid), str(child.uuid)}
    groups = {r["household_referral"] for r in sent}
    assert len(groups) == 1 and None not in groups
    assert Referral.objects.count() == 2


def test_only_persons_of_the_case_or_household(world, referral_setup, make_person):
    case, need, service, _person = referral_setup
    stranger = make_person(given_names="Pedro", consents=CONSENT)
    response = token_client(world.case_worker).post(
        referrals_url(case), body(need, stranger, service), format="json"
    )
    assert response.status_code == 400 and "persons" in response.json()["error"]["fields"]


def test_a_need_of_another_case_or_an_unknown_service_is_refused(world, referral_setup, make_case):
    case, need, service, person = referral_setup
    other = make_case()
    other_need = services.plan_item_add(
        actor=world.case_worker, case=other, kind="need", area="health", description="Doctor"
    )
    client = token_client(world.case_worker)
    response = client.post(referrals_url(case), body(other_need, person, service), format="json")
    assert response.status_code == 400 and "need" in response.json()["error"]["fields"]
    response = client.post(
        referrals_url(case), body(need, person) | {"service": str(uuid4())}, format="json"
    )
    assert response.status_code == 400 and "service" in response.json()["error"]["fields"]
    response = client.post(referrals_url(case), body(need, person), format="json")
    assert response.status_code == 400 and "service" in response.json()["error"]["fields"]
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("name", "read", "write"),
    [
        ("intake", 403, 403),
        ("partner", 403, 403),
        ("outsider", 403, 403),
        ("analyst", 403, 403),
        ("admin", 403, 403),
        ("legal", 200, 403),
        ("case_worker", 200, None),
        ("coordinator", 200, None),
    ],
)
def test_the_permission_matrix(world, send, referral_setup, name, read, write):
    case, need, service, person = referral_setup
    [referral] = send()
    client = token_client(getattr(world, name))
    assert client.get(referrals_url(case)).status_code == read
    sending = client.post(referrals_url(case), body(need, person, service), format="json")
    cancelling = client.post(referral_url(case, referral, "cancel"), {}, format="json")
    following = client.post(
        referral_url(case, referral, "follow-up"), {"to": "accepted"}, format="json"
    )
    if write is None:
        assert sending.status_code == 201
        assert cancelling.status_code == 200
    else:
        assert sending.status_code == write
        assert cancelling.status_code == write
        assert following.status_code == write
        assert Referral.objects.filter(status="sent").count() == 1
    for response in (sending, cancelling, following):
        if response.status_code >= 400:
            assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_anonymous_gets_401(world, send, referral_setup):
    case, need, service, person = referral_setup
    [referral] = send()
    client = APIClient()
    assert client.get(referrals_url(case)).status_code == 401
    assert client.post(referrals_url(case), body(need, person, service)).status_code == 401
    assert client.post(referral_url(case, referral, "cancel")).status_code == 401


def test_a_referral_of_another_case_is_not_found(world, send, make_case):
    [referral] = send()
    other = make_case()
    response = token_client(world.case_worker).post(referral_url(other, referral, "cancel"))
    assert response.status_code == 404


def test_the_schema_documents_the_referral_endpoints(db):
    from drf_spectacular.drainage import GENERATOR_STATS, reset_generator_stats
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    reset_generator_stats()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    warnings, errors = dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache)
    reset_generator_stats()
    assert warnings == {} and errors == {}
    validate_schema(schema)
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/cases/{uuid}/referrals/"])
    assert "post" in paths["/api/v1/cases/{uuid}/referrals/{referral_uuid}/cancel/"]
    assert "post" in paths["/api/v1/cases/{uuid}/referrals/{referral_uuid}/follow-up/"]
    assert "/api/v1/referrals/{uuid}/accept/" in paths


def test_the_schema_endpoint_serves_the_new_paths(world):
    client = APIClient()
    client.force_login(world.case_worker)
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert b"/api/v1/cases/{uuid}/referrals/{referral_uuid}/follow-up/" in response.content
