"""Logging in and out, and changing one's password (forced after a reset)."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from ventanilla.accounts.models import User
from ventanilla.core.models import AuditEvent

NEW_PASSWORD = "otra-clave-larga-2026"


def _login(client, user, password):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": password})


def test_login_page_works(client, world):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()


@pytest.mark.parametrize(
    "actor, home",
    [("intake", "/work/"), ("analyst", "/figures/"), ("admin", "/accounts/users/")],
)
def test_it_logs_in_and_lands_where_the_role_works(client, world, actor, home):
    response = _login(client, getattr(world, actor), world.password)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(getattr(world, actor).pk)
    assert client.get(reverse("home"))["Location"] == home


def test_it_goes_to_next_after_login(client, world):
    response = client.get(reverse("registry:search"))
    assert response["Location"] == "/accounts/login/?next=/registry/"
    response = client.post(response["Location"], {"username": "intake", "password": world.password})
    assert response["Location"] == "/registry/"


def test_it_ignores_an_offsite_next(client, world):
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": "intake", "password": world.password},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_wrong_password_is_refused_in_place(client, world):
    response = _login(client, world.intake, "not-the-password")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert SESSION_KEY not in client.session


def test_an_inactive_user_cannot_log_in(client, world):
    User.objects.filter(pk=world.partner.pk).update(is_active=False)
    response = _login(client, world.partner, world.password)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_a_logged_in_user_is_sent_away_from_the_login_page(client, world):
    client.force_login(world.intake)
    assert client.get(reverse("accounts:login")).status_code == 302


def test_logout_ends_the_session(client, world):
    client.force_login(world.intake)
    assert client.get(reverse("accounts:logout")).status_code == 405  # POST only (CSRF)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session
    assert client.get(reverse("registry:search")).status_code == 302


def test_password_change_needs_login(client, world):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_password_change_works(client, world):
    client.force_login(world.case_worker)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": world.password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    world.case_worker.refresh_from_db()
    assert world.case_worker.check_password(NEW_PASSWORD)
    assert SESSION_KEY in client.session  # still logged in after the change
    assert client.get(reverse("registry:search")).status_code == 200
    assert AuditEvent.objects.filter(
        action="accounts.user.password_changed", actor=world.case_worker
    ).exists()


@pytest.mark.parametrize(
    "data, field",
    [
        (
            {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
            "old_password",
        ),
        ({"new_password1": "corto", "new_password2": "corto"}, "new_password2"),
        ({"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"}, "new_password2"),
    ],
)
def test_password_change_errors_are_shown_next_to_the_field(client, world, data, field):
    client.force_login(world.case_worker)
    response = client.post(
        reverse("accounts:password_change"), {"old_password": world.password} | data
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    world.case_worker.refresh_from_db()
    assert world.case_worker.check_password(world.password)


def test_a_temporary_password_must_be_changed_before_anything_else(client, world):
    User.objects.filter(pk=world.intake.pk).update(must_change_password=True)
    response = _login(client, world.intake, world.password)
    assert response.status_code == 302
    change = reverse("accounts:password_change")
    for url in (
        reverse("home"),
        reverse("registry:search"),
        reverse("territory:attention_point_list"),
    ):
        assert client.get(url)["Location"] == change
    response = client.get("/api/v1/persons/", {"q": "x"})
    assert response.status_code == 403
    assert "error" in response.json()
    page = client.get(change)
    assert page.status_code == 200 and page.context["user"].must_change_password

    response = client.post(
        change,
        {
            "old_password": world.password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    world.intake.refresh_from_db()
    assert not world.intake.must_change_password
    assert client.get(reverse("registry:search")).status_code == 200


def test_logout_is_allowed_while_a_password_change_is_pending(client, world):
    User.objects.filter(pk=world.intake.pk).update(must_change_password=True)
    client.force_login(world.intake)
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session
