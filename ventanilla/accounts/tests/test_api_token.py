"""The api_token management command and token authentication of the API."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ventanilla.accounts.models import User


def _token(username: str) -> str:
    out = StringIO()
    call_command("api_token", username, stdout=out)
    return out.getvalue().strip()


def test_it_prints_a_token_that_authenticates_api_calls(client, world, make_person):
    make_person(given_names="Ximena")
    key = _token("intake")
    assert len(key) == 40
    response = client.get("/api/v1/persons/", {"q": "ximena"}, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert [p["given_names"] for p in response.json()["results"]] == ["Ximena"]


def test_it_prints_the_same_token_every_time(world):
    assert _token("intake") == _token("intake")
    assert _token("intake") != _token(world.case_worker.username)


def test_the_token_carries_the_users_permissions(client, world):
    key = _token("analyst")
    response = client.get("/api/v1/persons/", {"q": "x"}, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize("header", [None, "Token not-a-real-token", "Bearer abc"])
def test_api_refuses_calls_without_a_valid_token(client, world, header):
    kwargs = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/api/v1/persons/", {"q": "x"}, **kwargs)
    assert response.status_code in (401, 403)
    assert response.json()["error"]["code"] in ("not_authenticated", "authentication_failed")


def test_it_fails_clearly_for_an_unknown_user(world):
    with pytest.raises(CommandError, match="nobody"):
        call_command("api_token", "nobody", stdout=StringIO())


def test_it_refuses_an_inactive_user_and_their_token_stops_working(client, world):
    key = _token("intake")
    User.objects.filter(username="intake").update(is_active=False)
    with pytest.raises(CommandError, match="inactive"):
        call_command("api_token", "intake", stdout=StringIO())
    response = client.get("/api/v1/persons/", {"q": "x"}, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code in (401, 403)
