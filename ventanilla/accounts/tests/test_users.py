"""User management by the administrator: list, create, edit roles, reset a password."""

import re
import uuid

import pytest
from django.urls import reverse

from ventanilla.accounts.models import User
from ventanilla.core.models import AuditEvent

NON_ADMINS = ["coordinator", "intake", "case_worker", "legal", "partner", "analyst", "outsider"]


def _create_post(world, **changes):
    data = {
        "username": "nueva",
        "first_name": "Nueva",
        "last_name": "Persona",
        "email": "nueva@example.org",
        "organization": str(world.center.pk),
        "roles": ["intake", "case_worker"],
        "password": "temporal-larga-2026",
    }
    data.update(changes)
    return data


def _edit_post(world, user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "organization": str(user.organization_id),
        "roles": list(user.roles),
        "is_active": "on" if user.is_active else "",
    }
    data.update(changes)
    return data


def _urls(world):
    target = world.intake.uuid
    return [
        ("get", reverse("accounts:user_list")),
        ("get", reverse("accounts:user_create")),
        ("post", reverse("accounts:user_create")),
        ("get", reverse("accounts:user_edit", args=[target])),
        ("post", reverse("accounts:user_edit", args=[target])),
        ("post", reverse("accounts:user_reset_password", args=[target])),
    ]


def test_user_pages_need_login(client, world):
    for method, url in _urls(world):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("actor", NON_ADMINS)
def test_it_checks_permission(client, world, actor):
    client.force_login(getattr(world, actor))
    for method, url in _urls(world):
        assert getattr(client, method)(url, _create_post(world)).status_code == 403, url
    assert not User.objects.filter(username="nueva").exists()
    world.intake.refresh_from_db()
    assert world.intake.check_password(world.password) and not world.intake.must_change_password


def test_user_list_works(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 200
    assert {u.username for u in response.context["users"]} == set(
        User.objects.values_list("username", flat=True)
    )
    assert reverse("accounts:user_edit", args=[world.legal.uuid]) in response.content.decode()


def test_administrator_creates_a_user(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("accounts:user_create"), _create_post(world))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_list")
    user = User.objects.get(username="nueva")
    assert user.roles == ["intake", "case_worker"]
    assert user.organization == world.center
    assert user.must_change_password
    assert user.check_password("temporal-larga-2026")
    event = AuditEvent.objects.get(action="accounts.user.created", object_uuid=user.uuid)
    assert event.actor == world.admin
    assert "temporal-larga-2026" not in str(event.changes)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"username": "INTAKE"}, "username"),
        ({"password": "123"}, "password"),
        ({"password": "password123"}, "password"),
        ({"roles": []}, "roles"),
        ({"roles": ["superhero"]}, "roles"),
    ],
)
def test_create_errors_are_shown_next_to_the_field(client, world, changes, field):
    before = User.objects.count()
    client.force_login(world.admin)
    response = client.post(reverse("accounts:user_create"), _create_post(world, **changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert f'<div id="id_{field}_error">' in response.content.decode()
    assert User.objects.count() == before


def test_the_form_keeps_what_was_typed_after_an_error(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("accounts:user_create"), _create_post(world, username="intake"))
    html = response.content.decode()
    assert 'value="nueva@example.org"' in html
    assert 'value="temporal-larga-2026"' not in html  # passwords are not sent back


def test_administrator_edits_roles(client, world):
    client.force_login(world.admin)
    url = reverse("accounts:user_edit", args=[world.intake.uuid])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["roles"] == ["intake"]
    response = client.post(
        url,
        _edit_post(
            world,
            world.intake,
            roles=["intake", "specialist_legal"],
            organization=str(world.partner_org.pk),
        ),
    )
    assert response.status_code == 302
    world.intake.refresh_from_db()
    assert world.intake.roles == ["intake", "specialist_legal"]
    assert world.intake.organization == world.partner_org
    event = AuditEvent.objects.get(action="accounts.user.updated")
    assert event.changes["roles"] == [["intake"], ["intake", "specialist_legal"]]
    assert set(event.changes) == {"roles", "organization"}


def test_the_username_cannot_be_changed(client, world):
    client.force_login(world.admin)
    url = reverse("accounts:user_edit", args=[world.intake.uuid])
    client.post(url, _edit_post(world, world.intake, username="otro"))
    world.intake.refresh_from_db()
    assert world.intake.username == "intake"


def test_a_deactivated_user_can_no_longer_log_in(client, world):
    client.force_login(world.admin)
    url = reverse("accounts:user_edit", args=[world.partner.uuid])
    assert client.post(url, _edit_post(world, world.partner, is_active="")).status_code == 302
    client.logout()
    client.post(reverse("accounts:login"), {"username": "partner", "password": world.password})
    assert "_auth_user_id" not in client.session


def test_the_administrator_cannot_lock_themself_out(client, world):
    client.force_login(world.admin)
    url = reverse("accounts:user_edit", args=[world.admin.uuid])
    response = client.post(url, _edit_post(world, world.admin, roles=["analyst"]))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    response = client.post(url, _edit_post(world, world.admin, is_active=""))
    assert response.status_code == 200
    world.admin.refresh_from_db()
    assert world.admin.roles == ["administrator"] and world.admin.is_active


def test_user_edit_returns_404_for_an_unknown_uuid(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("accounts:user_edit", args=[uuid.uuid4()])).status_code == 404
    assert (
        client.post(reverse("accounts:user_reset_password", args=[uuid.uuid4()])).status_code == 404
    )
    assert client.get(f"/accounts/users/{world.intake.pk}/").status_code == 404


def test_reset_password_shows_a_temporary_password_once(client, world):
    client.force_login(world.admin)
    url = reverse("accounts:user_reset_password", args=[world.intake.uuid])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and "intake" in messages[0]
    world.intake.refresh_from_db()
    assert world.intake.must_change_password
    temporary = next(
        word for word in re.split(r"[\s:—]+", messages[0]) if world.intake.check_password(word)
    )
    assert not world.intake.check_password(world.password)
    assert temporary not in client.get(reverse("accounts:user_list")).content.decode()
    event = AuditEvent.objects.get(action="accounts.user.password_reset")
    assert temporary not in str(event.changes) + event.reason

    # The user logs in with it and must choose a new one first.
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": "intake", "password": temporary})
    assert response.status_code == 302
    assert client.get(reverse("registry:search"))["Location"] == reverse("accounts:password_change")
