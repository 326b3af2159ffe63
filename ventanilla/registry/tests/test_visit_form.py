from datetime import date

from django.urls import reverse

from ventanilla.territory import services as territory


def test_the_attention_point_defaults_to_the_staff_members_center(client, world, make_person):
    person = make_person()
    other = territory.attention_point_create(
        actor=None, name="Oficina aliada", kind="partner_office", locality=world.locality
    )
    client.force_login(world.intake)
    form = client.get(reverse("registry:visit_create", args=[person.uuid])).context["form"]
    assert form.initial["attention_point"] == world.point.pk
    client.post(
        reverse("registry:visit_create", args=[person.uuid]),
        {"attention_point": other.pk, "persons": [str(person.uuid)], "reasons": ["health"]},
    )
    form = client.get(reverse("registry:visit_create", args=[person.uuid])).context["form"]
    assert form.initial["attention_point"] == other.pk  # the last one used in this session


def test_country_lists_offer_the_frequent_nationalities_first(client, world):
    client.force_login(world.intake)
    html = client.get(reverse("registry:household_register")).content.decode()
    start = html.index('name="members-0-nationality"')
    first_group = html[start : html.index("</optgroup>", start)]
    assert 'value="VE"' in first_group and 'value="CO"' in first_group
    assert 'value="FR"' not in first_group


def test_editing_a_person_with_an_estimated_age_keeps_the_estimate(client, world, make_person):
    from ventanilla.core.models import AuditEvent
    from ventanilla.registry.services import birth_date_from_age

    person = make_person(
        birth_date=birth_date_from_age(40, date(2025, 3, 1)), birth_date_estimated=True
    )
    estimated = person.birth_date
    client.force_login(world.intake)
    url = reverse("registry:person_edit", args=[person.uuid])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, "")}
    data.update(
        version=person.updated_at.isoformat(),
        phone="3001112233",
        nationalities=["VE"],
        languages=[],
        locality=world.locality.pk,
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert person.birth_date == estimated and person.birth_date_estimated
    changes = AuditEvent.objects.get(action="registry.person.updated").changes
    assert set(changes) == {"phone"}
