"""A duplicate-document error names the holder: that is a read, and it is logged."""

from django.urls import reverse
from rest_framework.test import APIClient

from ventanilla.privacy.models import AccessEvent

PASSPORT = {"document_type": "passport", "number": "X123456", "issuing_country": "VE"}


def _holder_events(holder):
    return AccessEvent.objects.filter(persons__person=holder)


def test_the_screen_logs_the_holder_it_names(client, world, make_person):
    holder = make_person(documents=[PASSPORT])
    other = make_person(given_names="Otra")
    client.force_login(world.intake)
    response = client.post(
        reverse("registry:document_add", args=[other.uuid]),
        {**PASSPORT, "number": "x-123456"},
    )
    assert response.status_code == 200 and holder.full_name in response.content.decode()
    event = _holder_events(holder).get()
    assert (event.actor, event.channel, event.view) == (world.intake, "ui", "registry.document_add")


def test_the_api_logs_the_holder_it_names(world, make_person):
    holder = make_person(documents=[PASSPORT])
    api = APIClient()
    api.force_authenticate(world.intake)
    body = {
        "given_names": "Ana",
        "first_surname": "Mora",
        "sex": "female",
        "birth_date": "1990-01-01",
        "population_group": "settled",
        "documents": [PASSPORT],
    }
    response = api.post("/api/v1/persons/", body, format="json")
    assert response.status_code == 400
    assert "documents.0.number" in response.json()["error"]["fields"]
    event = _holder_events(holder).get()
    assert (event.actor, event.channel) == (world.intake, "api")


def test_an_error_naming_nobody_logs_nothing(client, world, make_person):
    person = make_person()
    client.force_login(world.intake)
    before = AccessEvent.objects.count()
    client.post(
        reverse("registry:document_add", args=[person.uuid]),
        {**PASSPORT, "issued_on": "2020-01-01", "expires_on": "2019-01-01"},
    )
    assert AccessEvent.objects.count() == before + 1  # the page itself, not an error read
