"""Notifications: worded in the reader's language, the page, marking read, the badge, email."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from ventanilla.cases import services
from ventanilla.cases.models import Notification, Referral

URL = "/notifications/"


def get(client, user, url=URL, language="en", **params):
    client.force_login(user)
    return client.get(url, params, headers={"accept-language": language})


def test_anonymous_goes_to_login(client, world):
    note = Notification.objects.create(user=world.partner, text="x")
    for url in (URL, reverse("notification_open", args=[note.uuid])):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(reverse("notifications_read_all"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Notification.objects.get().read_at is None


@pytest.mark.parametrize("name", ["analyst", "admin", "partner", "intake"])
def test_every_staff_member_has_the_page(client, world, name):
    assert get(client, getattr(world, name)).status_code == 200


def test_a_new_referral_reads_in_the_readers_language(client, world, send, referral_setup):
    service = referral_setup[2]
    service.name_en = "Legal guidance"
    service.save()
    with translation.override("es"):  # the sender works in Spanish
        [referral] = send()
    note = Notification.objects.get(user=world.partner)
    assert note.code == "referral.new" and note.text.startswith("Nueva remisión")
    english = get(client, world.partner, language="en").content.decode()
    assert "New referral: Legal guidance, due" in english
    spanish = get(client, world.partner, language="es").content.decode()
    assert "Nueva remisión: Orientación jurídica" in spanish
    assert reverse("notification_open", args=[note.uuid]) in english
    assert referral.due_date.strftime("%m/%d/%Y") in english


def test_an_answer_reads_in_the_readers_language(client, world, send):
    [referral] = send()
    with translation.override("es"):  # the partner works in Spanish
        services.referral_answer(actor=world.partner, referral=referral, accept=True)
    note = Notification.objects.get(user=world.case_worker)
    assert note.params["status"] == "accepted"
    html = get(client, world.case_worker, language="en").content.decode()
    assert f"Referral for {referral.person.full_name}: Accepted." in html


def test_old_rows_show_their_stored_text(client, world):
    Notification.objects.create(user=world.partner, text="Texto antiguo")
    assert "Texto antiguo" in get(client, world.partner).content.decode()


def test_the_email_goes_in_each_recipients_language(
    world, send, django_capture_on_commit_callbacks
):
    from ventanilla.accounts.choices import Role
    from ventanilla.accounts.services import user_create

    world.partner.email, world.partner.language = "partner@example.org", "en"
    world.partner.save()
    user_create(
        actor=None,
        username="colega",
        organization=world.partner_org,
        roles=[Role.PARTNER],
        password=world.password,
        must_change_password=False,
        email="colega@example.org",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with translation.override("es"):
            send()
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    assert by_recipient[("partner@example.org",)].subject.startswith("New referral:")
    assert by_recipient[("colega@example.org",)].subject.startswith("Nueva remisión:")


def test_overdue_notices_have_their_code(world, send):
    [referral] = send()
    Referral.objects.filter(pk=referral.pk).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    call_command("referrals_overdue")
    notified = Notification.objects.filter(code="referral.overdue")
    assert set(notified.values_list("user__username", flat=True)) == {"caseworker", "partner"}


def test_the_list_is_newest_first_paginated_and_own_only(client, world):
    for i in range(30):
        Notification.objects.create(user=world.partner, text=f"Mensaje {i:02d}")
    Notification.objects.create(user=world.outsider, text="Ajeno")
    response = get(client, world.partner)
    shown = [n.text for n in response.context["page"]]
    assert len(shown) == 25 and shown[0] == "Mensaje 29"
    assert "Ajeno" not in response.content.decode()
    second = get(client, world.partner, page="2")
    assert [n.text for n in second.context["page"]][-1] == "Mensaje 00"


def test_unread_ones_are_highlighted(client, world):
    Notification.objects.create(user=world.partner, text="Sin leer")
    Notification.objects.create(user=world.partner, text="Leída", read_at=timezone.now())
    html = get(client, world.partner).content.decode()
    assert html.count("list-group-item-warning") == 1


def test_opening_marks_read_and_follows_the_link(client, world, send):
    [referral] = send()
    note = Notification.objects.get(user=world.partner)
    response = get(client, world.partner, reverse("notification_open", args=[note.uuid]))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:referral_detail", args=[referral.uuid])
    note.refresh_from_db()
    first_read = note.read_at
    assert first_read is not None
    get(client, world.partner, reverse("notification_open", args=[note.uuid]))
    note.refresh_from_db()
    assert note.read_at == first_read


def test_someone_elses_notification_is_404(client, world):
    theirs = Notification.objects.create(user=world.outsider, text="x", url="/work/")
    response = get(client, world.partner, reverse("notification_open", args=[theirs.uuid]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_outside_link_is_not_followed(client, world):
    note = Notification.objects.create(user=world.partner, text="x", url="https://evil.example/")
    response = get(client, world.partner, reverse("notification_open", args=[note.uuid]))
    assert response["Location"] == URL


def test_mark_all_read_is_a_post_of_the_users_own(client, world):
    Notification.objects.create(user=world.partner, text="a")
    Notification.objects.create(user=world.partner, text="b")
    theirs = Notification.objects.create(user=world.outsider, text="c")
    client.force_login(world.partner)
    assert client.get(reverse("notifications_read_all")).status_code == 405
    response = client.post(reverse("notifications_read_all"))
    assert response.status_code == 302 and response["Location"] == URL
    assert not Notification.objects.filter(user=world.partner, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_needs_the_csrf_token(world):
    from django.test import Client

    Notification.objects.create(user=world.partner, text="a")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.partner)
    assert client.post(reverse("notifications_read_all")).status_code == 403
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_the_badge_counts_unread_with_one_query(client, world, django_assert_num_queries):
    from ventanilla.cases.selectors import unread_notification_count

    for _ in range(3):
        Notification.objects.create(user=world.partner, text="x")
    Notification.objects.create(user=world.partner, text="read", read_at=timezone.now())
    Notification.objects.create(user=world.outsider, text="theirs")
    with django_assert_num_queries(1):
        assert unread_notification_count(world.partner) == 3
    html = get(client, world.partner, reverse("cases:referral_inbox")).content.decode()
    nav = html[html.index('id="nav-notifications"') :]
    assert ">3<" in nav[: nav.index("</a>")]
    client.post(reverse("notifications_read_all"))
    html = get(client, world.partner, reverse("cases:referral_inbox")).content.decode()
    nav = html[html.index('id="nav-notifications"') :]
    assert "badge" not in nav[: nav.index("</a>")]
