"""TOTP two-factor authentication: set-up when required, verification after every login."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

SETUP = "/accounts/two-factor/setup/"
VERIFY = "/accounts/two-factor/verify/"


def _code(device, drift: int = 0) -> str:
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + drift)
    return f"{value:0{device.digits}d}"


def _wrong_code(device) -> str:
    valid = {_code(device, d) for d in range(-device.tolerance - 1, device.tolerance + 2)}
    return next(c for c in (f"{n:06d}" for n in range(1000000)) if c not in valid)


def _login(client, user, password):
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": password}
    )
    assert response.status_code == 302
    return response


@pytest.fixture
def required(settings):
    settings.VENTANILLA_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code may be followed by a right one at once


@pytest.fixture
def enrolled(world):
    """The case worker has a confirmed device (2FA is then always asked, required or not)."""
    return TOTPDevice.objects.create(user=world.case_worker, name="default", confirmed=True)


def test_intake_must_set_up_a_device_then_reaches_the_registry(client, world, required):
    _login(client, world.intake, world.password)
    for url in (reverse("home"), reverse("registry:search"), reverse("privacy:access_log")):
        assert client.get(url)["Location"] == SETUP
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "<svg" in page.content.decode()  # the QR code
    device = TOTPDevice.objects.get(user=world.intake)
    assert not device.confirmed
    assert page.context["secret"] in device.config_url
    assert client.get(SETUP).context["secret"] == page.context["secret"]  # same device

    response = client.post(SETUP, {"token": _code(device)})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("registry:search")).status_code == 200
    assert client.get("/api/v1/persons/", {"q": "x"}).status_code == 200


def test_a_wrong_code_does_not_confirm_the_device(client, world, required):
    _login(client, world.intake, world.password)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=world.intake)
    response = client.post(SETUP, {"token": _wrong_code(device)})
    assert response.status_code == 200
    assert "token" in response.context["form"].errors
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("registry:search"))["Location"] == SETUP
    assert client.post(SETUP, {"token": "12"}).context["form"].errors["token"]


@pytest.mark.parametrize("actor", ["analyst", "partner", "outsider"])
def test_roles_without_personal_data_are_not_forced_to_set_up(client, world, required, actor):
    _login(client, getattr(world, actor), world.password)
    response = client.get(reverse("home"))
    assert response.get("Location") != SETUP
    if actor == "analyst":
        assert client.get(reverse("insights:figures")).status_code == 200
    assert client.get(reverse("territory:attention_point_list")).status_code == 200
    assert not TOTPDevice.objects.exists()


@pytest.mark.parametrize("actor", ["admin", "coordinator", "case_worker", "legal"])
def test_roles_that_read_personal_data_are_forced_to_set_up(client, world, required, actor):
    _login(client, getattr(world, actor), world.password)
    assert client.get(reverse("home"))["Location"] == SETUP


def test_nothing_is_forced_when_two_factor_is_not_required(client, world):
    _login(client, world.intake, world.password)
    assert client.get(reverse("registry:search")).status_code == 200


def test_a_user_with_a_device_must_verify_a_code_after_login(client, world, enrolled):
    _login(client, world.case_worker, world.password)
    for url in (
        reverse("home"),
        reverse("registry:search"),
        SETUP,
        reverse("accounts:password_change"),
    ):
        assert client.get(url)["Location"] == VERIFY, url
    response = client.post(VERIFY, {"token": _code(enrolled)})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("registry:search")).status_code == 200
    # A new login asks again.
    client.post(reverse("accounts:logout"))
    _login(client, world.case_worker, world.password)
    assert client.get(reverse("registry:search"))["Location"] == VERIFY


def test_a_wrong_code_is_refused_at_verification(client, world, enrolled, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    _login(client, world.case_worker, world.password)
    response = client.post(VERIFY, {"token": _wrong_code(enrolled)})
    assert response.status_code == 200
    assert "token" in response.context["form"].errors
    assert client.get(reverse("registry:search"))["Location"] == VERIFY
    assert client.post(VERIFY, {"token": _code(enrolled)}).status_code == 302


def test_a_code_cannot_be_used_twice(client, world, enrolled, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    code = _code(enrolled)
    _login(client, world.case_worker, world.password)
    assert client.post(VERIFY, {"token": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    _login(client, world.case_worker, world.password)
    assert client.post(VERIFY, {"token": code}).status_code == 200


def test_verification_goes_to_next_but_never_off_site(client, world, enrolled, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    _login(client, world.case_worker, world.password)
    response = client.post(VERIFY + "?next=https://evil.example/", {"token": _code(enrolled)})
    assert response["Location"] == reverse("home")
    client.post(reverse("accounts:logout"))
    _login(client, world.case_worker, world.password)
    response = client.post(VERIFY + "?next=/registry/", {"token": _code(enrolled, drift=1)})
    assert response["Location"] == "/registry/"


def test_unverified_api_calls_with_a_session_get_403_json(client, world, enrolled):
    _login(client, world.case_worker, world.password)
    response = client.get("/api/v1/persons/", {"q": "x"})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "two_factor_required"


def test_api_calls_before_set_up_get_403_json(client, world, required):
    _login(client, world.intake, world.password)
    response = client.get("/api/v1/persons/", {"q": "x"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "two_factor_required"


def test_logout_is_allowed_before_verification(client, world, enrolled):
    _login(client, world.case_worker, world.password)
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_verify_page_needs_login(client, world):
    response = client.get(VERIFY)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_api_calls_before_changing_a_temporary_password_say_so(client, world):
    world.intake.must_change_password = True
    world.intake.save()
    _login(client, world.intake, world.password)
    response = client.get("/api/v1/persons/", {"q": "x"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "password_change_required"
