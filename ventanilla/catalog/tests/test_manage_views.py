"""Managing the catalog (/catalog/manage/): coordinators all services, partners their own."""

import pytest
from django.urls import reverse

from ventanilla.catalog.models import Service

LIST = "/catalog/manage/"
NEW = "/catalog/manage/new/"


def post_data(world, today, **extra):
    return {
        "provider": world.partner_org.pk,
        "category": "employment",
        "name_es": "Ruta de empleo",
        "description_es": "Intermediación laboral y hoja de vida.",
        "languages": ["es", "pt"],
        "attention_points": [world.point.pk],
        "response_time_days": "5",
        "active_from": today.isoformat(),
        "is_published": "on",
    } | extra


def edit_url(service):
    return reverse("catalog:service_edit", args=[service.uuid])


@pytest.mark.parametrize("url", [LIST, NEW])
def test_anonymous_users_go_to_the_login_page(client, world, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_users_cannot_edit_or_unpublish(client, world, make_service):
    service = make_service()
    assert client.post(edit_url(service), {"name_es": "X"}).status_code == 302
    unpublish = reverse("catalog:service_unpublish", args=[service.uuid])
    assert client.post(unpublish).status_code == 302
    service.refresh_from_db()
    assert service.is_published and service.name_es != "X"


@pytest.mark.parametrize("actor", ["analyst", "intake", "legal", "admin"])
def test_roles_without_a_catalog_capability_get_403(client, world, make_service, actor):
    service = make_service()
    client.force_login(getattr(world, actor))
    assert client.get(LIST).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.get(edit_url(service)).status_code == 403
    unpublish = reverse("catalog:service_unpublish", args=[service.uuid])
    assert client.post(unpublish).status_code == 403
    assert reverse("catalog:manage_list") not in client.get("/catalog/").content.decode()


def test_a_partner_sees_and_edits_only_its_organizations_services(client, world, make_service):
    own = make_service(name_es="Propio")
    theirs = make_service(name_es="Ajeno", provider=world.other_org)
    client.force_login(world.partner)
    response = client.get(LIST)
    assert [s.name_es for s in response.context["services"]] == ["Propio"]
    assert reverse("catalog:manage_list") in response.content.decode()  # in the navigation
    assert client.get(edit_url(own)).status_code == 200
    assert client.get(edit_url(theirs)).status_code == 404
    assert client.post(edit_url(theirs), {"name_es": "Mío"}).status_code == 404
    unpublish = reverse("catalog:service_unpublish", args=[theirs.uuid])
    assert client.post(unpublish).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_published and theirs.name_es == "Ajeno"


def test_a_partner_creates_a_service_for_its_own_organization(client, world, today):
    client.force_login(world.partner)
    form = client.get(NEW).context["form"]
    assert list(form.fields["provider"].queryset) == [world.partner_org]
    response = client.post(NEW, post_data(world, today))
    assert response.status_code == 302
    service = Service.objects.get()
    assert service.provider == world.partner_org and service.languages == ["es", "pt"]
    # Posting another organization as provider is refused by the form.
    response = client.post(NEW, post_data(world, today, provider=world.other_org.pk))
    assert response.status_code == 200 and "provider" in response.context["form"].errors
    assert Service.objects.count() == 1


def test_the_coordinator_manages_every_service(client, world, today, make_service):
    theirs = make_service(name_es="Ajeno", provider=world.other_org)
    client.force_login(world.coordinator)
    assert [s.name_es for s in client.get(LIST).context["services"]] == ["Ajeno"]
    data = post_data(world, today, provider=world.other_org.pk, name_es="Editado")
    data["version"] = theirs.updated_at.isoformat()
    response = client.post(edit_url(theirs), data)
    assert response.status_code == 302, response.context["form"].errors
    theirs.refresh_from_db()
    assert theirs.name_es == "Editado" and theirs.category == "employment"
    response = client.post(NEW, post_data(world, today, provider=world.other_org.pk))
    assert response.status_code == 302
    assert Service.objects.filter(provider=world.other_org).count() == 2


def test_the_edit_form_round_trips_its_version(client, world, today, make_service):
    """The hidden version, as rendered, is accepted back (no false conflict)."""
    import re

    service = make_service()
    client.force_login(world.partner)
    html = client.get(edit_url(service)).content.decode()
    version = re.search(r'name="version" value="([^"]+)"', html).group(1)
    response = client.post(edit_url(service), post_data(world, today, version=version))
    assert response.status_code == 302, response.context["form"].errors


def test_a_stale_edit_is_refused_with_a_message(client, world, today, make_service):
    service = make_service(name_es="Original")
    seen = service.updated_at.isoformat()
    client.force_login(world.coordinator)
    client.post(edit_url(service), post_data(world, today, version=seen, name_es="Primero"))
    response = client.post(
        edit_url(service), post_data(world, today, version=seen, name_es="Segundo")
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    service.refresh_from_db()
    assert service.name_es == "Primero"


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"name_es": ""}, "name_es"),
        ({"active_from": ""}, "active_from"),
        ({"min_age": "40", "max_age": "20"}, "max_age"),
        ({"active_to": "2000-01-01"}, "active_to"),
        ({"weekly_capacity": "0"}, "weekly_capacity"),
        ({"languages": ["xx"]}, "languages"),
    ],
)
def test_bad_input_gives_field_errors_and_saves_nothing(client, world, today, extra, field):
    client.force_login(world.coordinator)
    response = client.post(NEW, post_data(world, today, **extra))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Service.objects.exists()


def test_unpublish_takes_the_service_out_of_the_public_catalog(client, world, make_service):
    service = make_service()
    client.force_login(world.partner)
    unpublish = reverse("catalog:service_unpublish", args=[service.uuid])
    assert client.get(unpublish).status_code == 405
    assert client.post(unpublish).status_code == 302
    service.refresh_from_db()
    assert not service.is_published
    client.logout()
    assert client.get(reverse("catalog:service_detail", args=[service.uuid])).status_code == 404
