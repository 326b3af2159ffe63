"""The list of attention points: every staff member may read it."""

from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ventanilla.territory import services
from ventanilla.territory.models import AttentionPoint

URL = "/territory/"


def test_it_needs_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "actor",
    ["admin", "coordinator", "intake", "case_worker", "legal", "partner", "analyst", "outsider"],
)
def test_it_works_for_every_role(client, world, actor):
    client.force_login(getattr(world, actor))
    response = client.get(reverse("territory:attention_point_list"))
    assert response.status_code == 200
    assert list(response.context["points"]) == [world.point]
    html = response.content.decode()
    assert world.point.name in html and "Calle 1 # 2-3" in html and "Centro" in html


@pytest.mark.parametrize(
    "actor, can_manage",
    [("admin", True), ("coordinator", True), ("intake", False), ("partner", False)],
)
def test_only_managers_get_the_edit_links(client, world, actor, can_manage):
    client.force_login(getattr(world, actor))
    html = client.get(URL).content.decode()
    edit = reverse("territory:attention_point_edit", args=[world.point.uuid])
    assert (edit in html) is can_manage
    assert (reverse("territory:attention_point_create") in html) is can_manage


def test_it_lists_active_points_with_their_hours(client, world):
    mobile = services.attention_point_create(
        actor=None,
        name="Unidad móvil",
        kind="mobile_unit",
        locality=world.other_locality,
        organization=world.partner_org,
        hours=[(5, time(9), time(13)), (1, time(14), time(18))],
    )
    closed = services.attention_point_create(
        actor=None, name="Punto cerrado", kind="partner_office", locality=world.locality
    )
    services.attention_point_update(
        actor=None,
        point=closed,
        name=closed.name,
        kind=closed.kind,
        locality=closed.locality,
        address="",
        organization=None,
        is_active=False,
        hours=[],
    )
    client.force_login(world.intake)
    response = client.get(URL)
    points = list(response.context["points"])
    assert points == [world.point, mobile]  # by kind, then name; the closed one is left out
    assert [(h.weekday, h.opens) for h in points[1].opening_hours.all()] == [
        (1, time(14)),
        (5, time(9)),
    ]
    html = response.content.decode()
    assert "Punto cerrado" not in html
    assert world.partner_org.name in html
    assert html.index("14:00") < html.index("09:00")  # Tuesday before Saturday


def test_an_empty_list_says_so(client, world):
    AttentionPoint.objects.update(is_active=False)
    client.force_login(world.analyst)
    response = client.get(URL)
    assert list(response.context["points"]) == []


def test_its_queries_do_not_grow_with_points(client, world, django_assert_num_queries):
    client.force_login(world.intake)
    client.get(URL)
    with CaptureQueriesContext(connection) as context:
        client.get(URL)
    for i in range(20):
        services.attention_point_create(
            actor=None,
            name=f"Taller {i}",
            kind="extramural_workshop",
            locality=world.other_locality,
            organization=world.other_org,
            hours=[(i % 7, time(8), time(10)), ((i + 1) % 7, time(8), time(10))],
        )
    with django_assert_num_queries(len(context.captured_queries)):
        response = client.get(URL)
    assert len(response.context["points"]) == 21
