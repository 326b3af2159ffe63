"""Referrals API: a partner organization's token lists and answers its referrals, nothing else."""

import pytest
from rest_framework.test import APIClient

from ventanilla.accounts.services import api_token_for
from ventanilla.cases.models import Referral
from ventanilla.privacy.models import AccessEvent


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user=user)}")
    return client


def url(referral=None, action=None):
    base = "/api/v1/referrals/"
    if referral is None:
        return base
    return f"{base}{referral.uuid}/" + (f"{action}/" if action else "")


@pytest.mark.parametrize(
    ("name", "listed", "retrieve"),
    [
        ("partner", 1, 200),
        ("outsider", 0, 404),
        ("case_worker", 1, 200),
        ("analyst", None, 403),
        ("admin", None, 403),
    ],
)
def test_the_list_and_retrieve_matrix(world, send, name, listed, retrieve):
    [referral] = send()
    client = token_client(getattr(world, name))
    response = client.get(url())
    if listed is None:
        assert response.status_code == 403
    else:
        assert response.status_code == 200 and response.json()["count"] == listed
    assert client.get(url(referral)).status_code == retrieve


def test_anonymous_gets_401(world, send):
    [referral] = send()
    assert APIClient().get(url()).status_code == 401
    assert APIClient().post(url(referral, "accept")).status_code == 401


def test_the_partner_sees_only_what_it_needs(world, send, referral_setup):
    [referral] = send()
    body = token_client(world.partner).get(url(referral)).json()
    assert set(body) == {
        "id",
        "status",
        "need",
        "person",
        "service",
        "is_external",
        "summary",
        "due_date",
        "sent_at",
        "reason",
        "outcome",
        "note",
        "version",
    }
    assert set(body["person"]) == {"name", "phone", "email"}
    assert body["person"]["phone"] == "3001234567"
    assert AccessEvent.objects.filter(actor=world.partner, channel="api").exists()


def test_the_partner_token_answers_and_completes(world, send):
    [referral] = send()
    client = token_client(world.partner)
    version = client.get(url(referral)).json()["version"]
    response = client.post(url(referral, "accept"), {"version": version}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    stale = client.post(url(referral, "reject"), {"version": version, "text": "x"}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    assert client.post(url(referral, "start")).status_code == 200
    assert client.post(url(referral, "update"), {"text": "First visit"}).status_code == 200
    response = client.post(url(referral, "complete"), {"text": ""}, format="json")
    assert response.status_code == 400
    response = client.post(url(referral, "complete"), {"text": "Done"}, format="json")
    assert response.status_code == 200 and response.json()["outcome"] == "Done"
    # Completed is final.
    assert client.post(url(referral, "did-not-attend")).status_code == 400


def test_completing_a_rejected_referral_is_refused(world, send):
    [referral] = send()
    client = token_client(world.partner)
    client.post(url(referral, "reject"), {"text": "No places"}, format="json")
    response = client.post(url(referral, "complete"), {"text": "Done"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert Referral.objects.get().status == "rejected"


def test_another_organization_cannot_answer(world, send):
    [referral] = send()
    response = token_client(world.outsider).post(url(referral, "accept"))
    assert response.status_code == 404
    assert Referral.objects.get().status == "sent"


def test_the_case_team_cannot_answer_for_the_partner(world, send):
    [referral] = send()
    assert token_client(world.case_worker).post(url(referral, "accept")).status_code == 403


def test_a_partner_token_does_nothing_else(world, send, referral_setup):
    case, _need, _service, person = referral_setup
    send()
    client = token_client(world.partner)
    for path in (
        "/api/v1/persons/",
        f"/api/v1/persons/{person.uuid}/",
        "/api/v1/cases/",
        f"/api/v1/cases/{case.uuid}/",
        f"/api/v1/cases/{case.uuid}/notes/",
        "/api/v1/visits/",
    ):
        assert client.get(path).status_code == 403, path


def test_a_partner_token_cannot_create_or_delete_referrals(world, send):
    [referral] = send()
    client = token_client(world.partner)
    assert client.post(url(), {}).status_code == 405
    assert client.delete(url(referral)).status_code == 405
    assert client.patch(url(referral), {"status": "completed"}).status_code == 405
