from datetime import time

import pytest
from django.urls import reverse

from ventanilla.territory.models import AttentionPoint


def _post(world, **extra):
    data = {
        "name": "Unidad móvil Norte",
        "kind": "mobile_unit",
        "locality": world.other_locality.pk,
        "address": "Parque central",
        "is_active": "on",
        "hours-TOTAL_FORMS": "2",
        "hours-INITIAL_FORMS": "0",
        "hours-0-weekday": "1",
        "hours-0-opens": "09:00",
        "hours-0-closes": "15:00",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    "actor, status",
    [("admin", 200), ("coordinator", 200), ("intake", 403), ("analyst", 403), ("partner", 403)],
)
def test_it_checks_permission(client, world, actor, status):
    client.force_login(getattr(world, actor))
    assert client.get(reverse("territory:attention_point_create")).status_code == status


def test_it_creates_a_point_with_hours(client, world):
    client.force_login(world.coordinator)
    response = client.post(reverse("territory:attention_point_create"), _post(world))
    assert response.status_code == 302
    point = AttentionPoint.objects.get(name="Unidad móvil Norte")
    assert [(h.weekday, h.opens, h.closes) for h in point.opening_hours.all()] == [
        (1, time(9), time(15))
    ]


def test_closing_before_opening_is_refused_and_nothing_saved(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("territory:attention_point_create"), _post(world, **{"hours-0-closes": "08:00"})
    )
    assert response.status_code == 200
    assert response.context["hours"].forms[0].errors["closes"]
    assert not AttentionPoint.objects.filter(name="Unidad móvil Norte").exists()


def test_editing_replaces_the_hours(client, world):
    client.force_login(world.admin)
    url = reverse("territory:attention_point_edit", args=[world.point.uuid])
    data = _post(world, name="Centro renovado", kind="fixed_center")
    data.update({"hours-0-weekday": "5", "hours-0-opens": "08:00", "hours-0-closes": "12:00"})
    assert client.post(url, data).status_code == 302
    world.point.refresh_from_db()
    assert world.point.name == "Centro renovado"
    assert [(h.weekday, h.opens) for h in world.point.opening_hours.all()] == [(5, time(8))]


def test_the_list_shows_points_and_hours_to_staff(client, world):
    client.force_login(world.intake)
    page = client.get(reverse("territory:attention_point_list")).content.decode()
    assert world.point.name in page and "08:00" in page
