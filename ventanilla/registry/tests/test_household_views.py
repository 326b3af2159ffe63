from datetime import date

import pytest
from django.urls import reverse

from ventanilla.registry import services
from ventanilla.registry.models import Membership, Person


def _household(world, *given):
    members = [
        {
            "relationship": "head" if i == 0 else "child",
            "population_group": "settled",
            "fields": {
                "given_names": name,
                "first_surname": "Rincón",
                "sex": "female",
                "birth_date": date(1990 + i, 1, 1),
                "nationalities": ["VE"],
            },
        }
        for i, name in enumerate(given)
    ]
    return services.household_register(actor=world.intake, members=members)


@pytest.mark.parametrize(
    "actor, status",
    [
        ("intake", 200),
        ("case_worker", 200),
        ("legal", 200),
        ("analyst", 403),
        ("partner", 403),
        ("admin", 403),
        ("outsider", 403),
    ],
)
def test_household_page_checks_permission(client, world, actor, status):
    household = _household(world, "Ana", "Leo")
    client.force_login(getattr(world, actor))
    response = client.get(reverse("registry:household_detail", args=[household.uuid]))
    assert response.status_code == status
    if status == 200:
        assert "Ana" in response.content.decode() and "Leo" in response.content.decode()


def test_household_page_needs_login(client, world):
    household = _household(world, "Ana")
    response = client.get(reverse("registry:household_detail", args=[household.uuid]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_adding_an_existing_person_moves_them_and_keeps_history(client, world):
    first = _household(world, "Ana", "Leo")
    second = _household(world, "Rosa")
    leo = Person.objects.get(given_names="Leo")
    client.force_login(world.intake)
    url = reverse("registry:household_add_member", args=[second.uuid])
    page = client.get(url, {"q": "leo rincon"})
    assert str(leo.uuid) in page.content.decode()
    response = client.post(url, {"person": str(leo.uuid), "relationship": "grandchild"})
    assert response.status_code == 302
    memberships = Membership.objects.filter(person=leo).order_by("id")
    assert [(m.household_id, m.end_date is None) for m in memberships] == [
        (first.pk, False),
        (second.pk, True),
    ]


def test_a_second_head_is_refused_with_a_message(client, world):
    first = _household(world, "Ana")
    other = _household(world, "Rosa")
    rosa = Person.objects.get(given_names="Rosa")
    client.force_login(world.intake)
    response = client.post(
        reverse("registry:household_add_member", args=[first.uuid]),
        {"person": str(rosa.uuid), "relationship": "head"},
        follow=True,
    )
    assert response.status_code == 200
    assert Membership.objects.get(person=rosa, end_date__isnull=True).household == other
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_registering_a_new_member_into_a_household(client, world):
    household = _household(world, "Ana")
    client.force_login(world.intake)
    url = reverse("registry:household_register_member", args=[household.uuid])
    bad = client.post(
        url,
        {
            "new-relationship": "child",
            "new-given_names": "Tomás",
            "new-first_surname": "Rincón",
            "new-sex": "male",
            "new-population_group": "settled",
        },
    )
    assert bad.status_code == 200 and bad.context["member_form"].errors["birth_date"]
    assert not Person.objects.filter(given_names="Tomás").exists()
    ok = client.post(
        url,
        {
            "new-relationship": "child",
            "new-given_names": "Tomás",
            "new-first_surname": "Rincón",
            "new-sex": "male",
            "new-population_group": "settled",
            "new-approximate_age": "6",
        },
    )
    assert ok.status_code == 302
    tomas = Person.objects.get(given_names="Tomás")
    assert tomas.birth_date_estimated and tomas.age() == 6
    assert Membership.objects.get(person=tomas).household == household


def test_a_person_without_household_can_start_one(client, world):
    household = _household(world, "Ana")
    ana = Person.objects.get(given_names="Ana")
    client.force_login(world.intake)
    client.post(reverse("registry:membership_end", args=[ana.uuid]))
    assert not Membership.objects.filter(person=ana, end_date__isnull=True).exists()
    response = client.post(reverse("registry:household_start", args=[ana.uuid]))
    current = Membership.objects.get(person=ana, end_date__isnull=True)
    assert current.household != household and current.relationship == "head"
    assert response["Location"] == reverse(
        "registry:household_detail", args=[current.household.uuid]
    )


def test_analyst_cannot_add_members(client, world):
    household = _household(world, "Ana")
    client.force_login(world.analyst)
    response = client.get(reverse("registry:household_add_member", args=[household.uuid]))
    assert response.status_code == 403
