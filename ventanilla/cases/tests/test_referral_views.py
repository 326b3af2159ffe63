"""Referral screens: the case card, the partner inbox and referral page, isolation, queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ventanilla.cases import services
from ventanilla.cases.models import Referral
from ventanilla.privacy.models import AccessEvent


def login(client, user):
    client.force_login(user)
    return client


def detail(referral):
    return reverse("cases:referral_detail", args=[referral.uuid])


def act(referral):
    return reverse("cases:referral_act", args=[referral.uuid])


def test_anonymous_goes_to_login(client, world, send):
    [referral] = send()
    for url in (reverse("cases:referral_inbox"), detail(referral)):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["analyst", "admin"])
def test_roles_without_referrals_get_403(client, world, send, name):
    [referral] = send()
    login(client, getattr(world, name))
    assert client.get(reverse("cases:referral_inbox")).status_code == 403
    assert client.get(detail(referral)).status_code == 403


def test_the_case_page_sends_and_shows_referrals(client, world, referral_setup):
    case, need, service, person = referral_setup
    login(client, world.case_worker)
    page = client.get(reverse("cases:case_detail", args=[case.uuid]))
    assert page.status_code == 200
    assert str(service.uuid) in page.content.decode()
    response = client.post(
        reverse("cases:referral_send", args=[case.uuid]),
        {
            "need": str(need.uuid),
            "service": str(service.uuid),
            "persons": [str(person.uuid)],
            "summary": "Needs a lawyer",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    services.referral_answer(actor=world.partner, referral=referral, accept=True)
    services.referral_complete(actor=world.partner, referral=referral, outcome="Visa obtained")
    page = client.get(reverse("cases:case_detail", args=[case.uuid])).content.decode()
    assert "Visa obtained" in page


def test_the_override_field_is_for_coordinators(client, world, referral_setup):
    case = referral_setup[0]
    url = reverse("cases:case_detail", args=[case.uuid])
    assert (
        'name="override_reason"' not in login(client, world.case_worker).get(url).content.decode()
    )
    assert 'name="override_reason"' in login(client, world.coordinator).get(url).content.decode()


def test_the_partner_sees_only_what_it_needs(client, world, send, referral_setup):
    case, _need, _service, person = referral_setup
    services.note_add(actor=world.case_worker, case=case, text="Confidential note XYZ")
    [referral] = send()
    login(client, world.partner)
    inbox = client.get(reverse("cases:referral_inbox"))
    assert person.full_name in inbox.content.decode()
    page = client.get(detail(referral)).content.decode()
    assert person.full_name in page and "3001234567" in page
    assert "Needs guidance for the PPT." in page
    assert "Confidential note XYZ" not in page
    assert AccessEvent.objects.filter(actor=world.partner, view="cases.referral_detail").exists()
    # The case itself stays closed to partner staff.
    assert client.get(reverse("cases:case_detail", args=[case.uuid])).status_code == 403


def test_another_organization_never_sees_it(client, world, send, referral_setup):
    person = referral_setup[3]
    [referral] = send()
    login(client, world.outsider)
    assert person.full_name not in client.get(reverse("cases:referral_inbox")).content.decode()
    assert client.get(detail(referral)).status_code == 404
    assert client.post(act(referral), {"action": "accept"}).status_code == 404
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_the_partner_answers_on_the_page(client, world, send):
    [referral] = send()
    login(client, world.partner)
    version = referral.updated_at.isoformat()
    client.post(act(referral), {"action": "accept", "version": version})
    referral.refresh_from_db()
    assert referral.status == "accepted"
    # A second answer with the old version is refused and says what happened.
    response = client.post(
        act(referral), {"action": "reject", "version": version, "text": "x"}, follow=True
    )
    shown = [str(m) for m in response.context["messages"]]
    assert "Partner" in shown[-1]
    referral.refresh_from_db()
    assert referral.status == "accepted"
    client.post(act(referral), {"action": "complete", "text": "Done well"})
    referral.refresh_from_db()
    assert referral.status == "completed" and referral.outcome == "Done well"


def test_the_nav_shows_referrals_to_partners(client, world):
    login(client, world.partner)
    home = client.get(reverse("home"), follow=True)  # partners land on "my work"
    assert reverse("cases:referral_inbox") in home.content.decode()
    assert client.get("/referrals/").status_code == 302


@pytest.mark.parametrize("count", [1, 5])
def test_the_inbox_has_a_fixed_query_count(
    client, world, send, referral_setup, django_assert_num_queries, count
):
    for _ in range(count):
        send()
    overdue = Referral.objects.first()
    Referral.objects.filter(pk=overdue.pk).update(due_date=timezone.localdate() - timedelta(days=2))
    login(client, world.partner)
    client.get(reverse("cases:referral_inbox"))  # warm caches (session, user)
    with django_assert_num_queries(9):  # 8 + the unread notifications badge
        response = client.get(reverse("cases:referral_inbox"))
    assert response.status_code == 200
