import pytest
from django.urls import reverse

from ventanilla.accounts.models import Organization
from ventanilla.core.models import AuditEvent


@pytest.mark.parametrize("actor", ["coordinator", "intake", "analyst", "partner"])
def test_only_administrators_manage_organizations(client, world, actor):
    client.force_login(getattr(world, actor))
    assert client.get(reverse("accounts:organization_list")).status_code == 403
    assert (
        client.post(
            reverse("accounts:organization_create"), {"name": "X", "kind": "ngo"}
        ).status_code
        == 403
    )
    assert not Organization.objects.filter(name="X").exists()


def test_administrator_creates_an_organization(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("accounts:organization_create"),
        {"name": "Clínica Jurídica del Sur", "acronym": "CJS", "kind": "legal_clinic"},
    )
    assert response.status_code == 302
    org = Organization.objects.get(acronym="CJS")
    assert org.kind == "legal_clinic"
    assert AuditEvent.objects.filter(
        action="accounts.organization.created", object_uuid=org.uuid, actor=world.admin
    ).exists()
    listing = client.get(reverse("accounts:organization_list")).content.decode()
    assert "Clínica Jurídica del Sur" in listing


def test_a_duplicate_name_is_shown_next_to_the_field(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("accounts:organization_create"), {"name": world.partner_org.name, "kind": "ngo"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert Organization.objects.filter(name=world.partner_org.name).count() == 1
