"""The public catalog (/catalog/): no login, published and active services only, filters."""

from datetime import timedelta

import pytest
from django.urls import reverse

from ventanilla.catalog import services
from ventanilla.territory import services as territory

URL = "/catalog/"


def names(response):
    return [s.name_es for s in response.context["services"]]


def test_it_works_without_login(client, world, make_service):
    service = make_service(name_es="Consultorio migrante", contact_phone="601 555 0101")
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Consultorio migrante" in html and world.point.name in html and "Centro" in html
    assert reverse("catalog:service_detail", args=[service.uuid]) in html
    assert "data-print" in html and "<script>" not in html


def test_the_detail_works_without_login(client, world, make_service):
    service = make_service(
        name_es="Apoyo psicosocial",
        conditions_es="Con cita previa",
        min_age=12,
        max_age=17,
        population_groups=["in_transit"],
        contact_email="apoyo@example.org",
    )
    response = client.get(reverse("catalog:service_detail", args=[service.uuid]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Apoyo psicosocial" in html and "Con cita previa" in html
    assert "apoyo@example.org" in html and "12" in html and "17" in html


def test_it_shows_the_active_language_and_falls_back_to_spanish(client, world, make_service):
    make_service(name_es="Clases de español", name_en="Spanish lessons", name_pt="")
    client.post("/i18n/setlang/", {"language": "en", "next": URL})
    assert "Spanish lessons" in client.get(URL).content.decode()
    client.post("/i18n/setlang/", {"language": "pt-br", "next": URL})
    assert "Clases de español" in client.get(URL).content.decode()


def test_unpublished_future_and_expired_services_are_never_shown(
    client, world, today, make_service
):
    shown = make_service(name_es="Vigente", active_to=today)
    hidden = [
        make_service(name_es="Futuro", active_from=today + timedelta(days=1)),
        make_service(
            name_es="Vencido",
            active_from=today - timedelta(days=60),
            active_to=today - timedelta(days=1),
        ),
        make_service(name_es="Retirado"),
    ]
    services.service_unpublish(actor=None, service=hidden[2])
    assert names(client.get(URL)) == ["Vigente"]
    assert client.get(reverse("catalog:service_detail", args=[shown.uuid])).status_code == 200
    for service in hidden:
        url = reverse("catalog:service_detail", args=[service.uuid])
        assert client.get(url).status_code == 404, service.name_es


def test_it_filters_by_category(client, world, make_service):
    make_service(name_es="Salud", category="health")
    make_service(name_es="Jurídica", category="legal_aid")
    assert names(client.get(URL, {"category": "health"})) == ["Salud"]


def test_it_filters_by_locality_through_the_attention_points(client, world, make_service):
    north = territory.attention_point_create(
        actor=None, name="Unidad móvil Norte", kind="mobile_unit", locality=world.other_locality
    )
    make_service(name_es="En el centro")
    make_service(name_es="En el norte", attention_points=[north])
    make_service(name_es="En ambos", attention_points=[north, world.point])
    found = names(client.get(URL, {"locality": str(world.other_locality.uuid)}))
    assert sorted(found) == ["En ambos", "En el norte"]


def test_it_filters_by_delivery_language(client, world, make_service):
    make_service(name_es="Solo español", languages=["es"])
    make_service(name_es="Con creole", languages=["es", "ht"])
    make_service(name_es="Wayuu", languages=["guc"])
    assert names(client.get(URL, {"language": "ht"})) == ["Con creole"]
    assert names(client.get(URL, {"language": "qu"})) == []  # "qu" is not inside "guc"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("VACUNACION", ["Vacunación"]),
        ("vacinação", ["Vacunación"]),  # Portuguese name, accents folded
        ("tutela jurídica", ["Tutela"]),  # every word must match
        ("tutela vacuna", []),
    ],
)
def test_it_searches_text_without_accents_in_every_language(
    client, world, make_service, query, expected
):
    make_service(name_es="Vacunación", name_pt="Vacinação", category="health")
    make_service(name_es="Tutela", description_es="Acción de tutela con apoyo jurídico")
    assert names(client.get(URL, {"q": query})) == expected


def test_an_unknown_filter_value_shows_an_error_and_still_answers(client, world, make_service):
    make_service(name_es="Uno")
    response = client.get(URL, {"category": "nope", "locality": "not-a-uuid"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"category", "locality"}
    assert names(response) == ["Uno"]


@pytest.mark.parametrize("count", [2, 10])
def test_the_list_takes_a_fixed_number_of_queries(
    client, world, make_service, django_assert_num_queries, count
):
    for _ in range(count):
        make_service()
    # services with providers, their attention points with localities, the locality choices
    with django_assert_num_queries(3):
        response = client.get(URL, {"q": "orientacion"})
    assert len(response.context["services"]) == count


def test_the_navigation_offers_the_catalog_to_everyone(client, world):
    html = client.get(URL).content.decode()
    assert reverse("catalog:service_list") in html
    assert reverse("catalog:manage_list") not in html
