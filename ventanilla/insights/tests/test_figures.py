"""The figures page: who may see it, that its counts match the records, small cells hidden."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ventanilla.registry import services
from ventanilla.registry.choices import PopulationGroup


def _fields(world, name, locality, i):
    return {
        "given_names": name,
        "first_surname": "Prueba",
        "sex": "female",
        "birth_date": date(1980, 1, 1) + timedelta(days=i),
        "locality": locality,
    }


@pytest.fixture
def records(world, make_person):
    """9 persons in 2 households; this month 4 visits serve 6 people, an earlier month 1 visit
    serves 2 people."""
    settled_home = services.household_register(
        actor=world.intake,
        members=[
            {
                "relationship": rel,
                "population_group": "settled",
                "fields": _fields(world, f"Centro{i}", world.locality, i),
            }
            for i, rel in enumerate(["head", "spouse", "child"])
        ],
    )
    transit_home = services.household_register(
        actor=world.intake,
        members=[
            {
                "relationship": rel,
                "population_group": "in_transit",
                "fields": _fields(world, f"Norte{i}", world.other_locality, i),
            }
            for i, rel in enumerate(["head", "child"])
        ],
    )
    alone = [make_person(given_names=f"Solo{i}", locality=world.locality) for i in range(3)]
    make_person(given_names="Retornada", population_group="returnee", locality=None)

    home = [m.person for m in settled_home.memberships.all()]
    services.visit_record(
        actor=world.intake,
        persons=home,
        household=settled_home,
        attention_point=world.point,
        reasons=["health"],
    )
    for person in alone:
        services.visit_record(
            actor=world.intake, persons=[person], attention_point=world.point, reasons=["legal"]
        )
    travellers = [m.person for m in transit_home.memberships.all()]
    services.visit_record(
        actor=world.intake,
        persons=travellers,
        household=transit_home,
        attention_point=world.point,
        reasons=["humanitarian"],
        occurred_at=timezone.now() - timedelta(days=70),
    )


@pytest.mark.parametrize("actor", ["analyst", "coordinator"])
def test_it_works(client, world, actor):
    client.force_login(getattr(world, actor))
    assert client.get(reverse("insights:figures")).status_code == 200


@pytest.mark.parametrize(
    "actor", ["intake", "case_worker", "legal", "partner", "admin", "outsider"]
)
def test_it_checks_permission(client, world, actor):
    client.force_login(getattr(world, actor))
    assert client.get(reverse("insights:figures")).status_code == 403


def test_it_needs_login(client, world):
    response = client.get(reverse("insights:figures"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_counts_reconcile_with_the_records(client, world, records):
    client.force_login(world.analyst)
    o = client.get(reverse("insights:figures")).context["o"]
    assert o["persons"] == 9
    assert o["households"] == 2
    labels = dict(PopulationGroup.choices)
    assert {str(label): n for label, n in o["by_group"]} == {
        str(labels["settled"]): 6,
        str(labels["in_transit"]): None,
        str(labels["returnee"]): None,
    }
    assert dict(o["by_locality"]) == {"Centro": 6, "Norte": None, None: None}
    this_month = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    months = [(timezone.localtime(m), people, visits) for m, people, visits in o["served_by_month"]]
    assert months[0] == (this_month, 6, None)  # 6 people in 4 visits: visits are hidden
    assert months[1][1:] == (None, None)
    assert months[1][0] < this_month
    assert len(months) == 2


def test_small_cells_are_shown_as_under_five_and_no_names(client, world, records):
    client.force_login(world.coordinator)
    html = client.get(reverse("insights:figures")).content.decode()
    # 2 groups, 2 localities, this month's visits, the earlier month's people and visits.
    assert html.count("&lt;5</td>") == 7
    assert "Centro0" not in html and "Solo1" not in html and "Retornada" not in html


def test_an_empty_registry_shows_zeros(client, world):
    client.force_login(world.analyst)
    o = client.get(reverse("insights:figures")).context["o"]
    assert (o["persons"], o["households"], o["by_group"], o["served_by_month"]) == (0, 0, [], [])
