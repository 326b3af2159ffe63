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
