"""The figures pages: who may see what, exact or suppressed numbers, drill-down, CSV."""

import csv
import io

import pytest
from django.urls import reverse

from ventanilla.core.models import AuditEvent
from ventanilla.insights import figures_core as fc
from ventanilla.insights.tests.conftest import YEAR, local
from ventanilla.privacy.models import AccessedPerson, AccessEvent
from ventanilla.registry import services as registry

pytestmark = pytest.mark.django_db

YEAR_QUERY = {"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"}
RECORDS_QUERY = YEAR_QUERY | {"measure": "people", "dimension": "total", "key": ""}
NOBODY = ["intake", "case_worker", "legal", "partner", "admin", "outsider"]


def _urls():
    return {
        "figures": (reverse("insights:figures"), YEAR_QUERY),
        "export": (reverse("insights:export"), YEAR_QUERY),
        "records": (reverse("insights:records"), RECORDS_QUERY),
    }


# --- permissions ------------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["figures", "export", "records"])
def test_it_needs_login(client, world, view):
    url, query = _urls()[view]
    response = client.get(url, query)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "view,actor,status",
    [
        ("figures", "coordinator", 200),
        ("figures", "analyst", 200),
        ("export", "coordinator", 200),
        ("export", "analyst", 200),
        ("records", "coordinator", 200),
        ("records", "analyst", 403),
    ]
    + [(view, actor, 403) for view in ("figures", "export", "records") for actor in NOBODY],
)
def test_permission_matrix(client, world, view, actor, status):
    client.force_login(getattr(world, actor))
    url, query = _urls()[view]
    assert client.get(url, query).status_code == status


@pytest.mark.parametrize("actor,status", [("coordinator", 302), ("analyst", 403), ("intake", 403)])
def test_refresh_is_for_coordinators(client, world, actor, status):
    client.force_login(getattr(world, actor))
    url = f"{reverse('insights:refresh')}?from={YEAR}-01-01&to={YEAR}-12-31"
    assert client.post(url).status_code == status
    assert client.get(url).status_code in (405, 403)


def test_refresh_needs_login(client, world):
    response = client.post(reverse("insights:refresh"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- the dashboard ----------------------------------------------------------------------------


def test_it_defaults_to_this_year(client, world):
    client.force_login(world.analyst)
    response = client.get(reverse("insights:figures"))
    assert response.status_code == 200
    assert response.context["start"].month == 1 and response.context["end"].month == 12
    assert response.context["start"].year == response.context["end"].year


@pytest.mark.parametrize("pick", ["this_month", "last_month", "this_year", "last_year"])
def test_quick_picks(client, world, pick):
    client.force_login(world.analyst)
    response = client.get(reverse("insights:figures"), {"pick": pick})
    assert response.status_code == 200
    assert response.context["board"].figures.precomputed


def test_a_bad_range_falls_back_with_a_message(client, world):
    client.force_login(world.analyst)
    response = client.get(reverse("insights:figures"), {"from": "2025-05-01", "to": "2025-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_coordinator_sees_exact_numbers_that_open_the_records(client, world, dataset):
    client.force_login(world.coordinator)
    response = client.get(reverse("insights:figures"), YEAR_QUERY)
    board = response.context["board"]
    assert board.exact
    assert board.headline[fc.PEOPLE].cell.text == "12"
    sexes = {r.key: r for t in board.tables[fc.PEOPLE] if t.dimension == fc.SEX for r in t.rows}
    assert sexes["intersex"].cell.text == "1"
    assert sexes["intersex"].url.startswith(reverse("insights:records"))
    html = response.content.decode()
    assert reverse("insights:records") in html
    assert reverse("insights:refresh") in html
    assert 'id="figures-data"' in html and "vendor/chart/chart.umd.min.js" in html
    assert "Figures as of" in html or "Cifras a las" in html or response.context["as_of"]
    # Every link on the page opens exactly the number it sits on.
    rows = [r for t in board.tables[fc.REFERRALS] + board.tables[fc.ATTENDANCE] for r in t.rows]
    rows += [r for _sex, _label, cells, _total in board.grid["rows"] for r in cells]
    rows += [month["cells"][fc.PEOPLE] for month in board.series]
    linked = [r for r in rows if r.url]
    assert len(linked) > 15
    for row in linked:
        records = client.get(row.url)
        assert records.status_code == 200
        assert records.context["total"] == row.cell.value, row


def test_the_analyst_sees_suppressed_numbers_and_no_links(client, world, dataset):
    client.force_login(world.analyst)
    response = client.get(reverse("insights:figures"), YEAR_QUERY)
    board = response.context["board"]
    assert not board.exact
    html = response.content.decode()
    assert reverse("insights:records") not in html
    assert reverse("insights:refresh") not in html
    sexes = {
        r.key: r.cell for t in board.tables[fc.PEOPLE] if t.dimension == fc.SEX for r in t.rows
    }
    assert sexes["intersex"].text == "<5"  # 1 person
    assert sexes["female"].text == "<5"  # 4 persons
    assert sexes["male"].text == "7"  # two small cells already protect each other
    attendance = {
        r.key: r.cell for t in board.tables[fc.ATTENDANCE] if t.dimension == fc.SEX for r in t.rows
    }
    assert attendance["not_recorded"].text == "<5"  # 2 people
    assert attendance["female"].text == "x"  # 5, withheld: else 13 − 6 − 5 gives the 2
    assert attendance["male"].text == "6"
    assert board.headline[fc.PEOPLE].cell.text == "12"
    assert not board.referral_rate_shown  # completed (1) and cancelled (1) are withheld
    assert not board.timing["accept"]["shown"]
    assert "Quintanilla" not in html and "Varios" not in html
    # Charts get no value for a withheld cell.
    bars = response.context["chart_data"]["bars"]["people-sex"]
    assert None in bars["data"]


def test_an_empty_registry_shows_zeros(client, world):
    client.force_login(world.analyst)
    board = client.get(reverse("insights:figures")).context["board"]
    assert all(row.cell.value == 0 for row in board.headline.values())


# --- drill-down -------------------------------------------------------------------------------


def test_the_drill_down_lists_and_logs_the_persons_it_counts(client, world, dataset):
    client.force_login(world.coordinator)
    query = YEAR_QUERY | {"measure": "people", "dimension": "sex", "key": "female"}
    response = client.get(reverse("insights:records"), query)
    assert response.status_code == 200
    names = {p.given_names for p in response.context["page"]}
    assert names == {"Ana", "Dora", "Elena", "Fabio"}
    html = response.content.decode()
    assert reverse("registry:person_detail", args=[dataset.persons["Ana"].uuid]) in html
    event = AccessEvent.objects.get(view="insights.records")
    assert event.actor == world.coordinator and event.person_count == 4
    logged = set(AccessedPerson.objects.filter(event=event).values_list("person_id", flat=True))
    assert logged == {dataset.persons[n].pk for n in names}


def test_the_drill_down_is_paginated(client, world, dataset, monkeypatch):
    from ventanilla.insights import views

    monkeypatch.setattr(views, "PAGE_SIZE", 5)
    client.force_login(world.coordinator)
    first = client.get(reverse("insights:records"), RECORDS_QUERY)
    second = client.get(reverse("insights:records"), RECORDS_QUERY | {"page": 2})
    assert first.context["total"] == 12
    ids = [p.pk for p in first.context["page"]] + [p.pk for p in second.context["page"]]
    assert len(ids) == len(set(ids)) == 10


@pytest.mark.parametrize(
    "query",
    [
        {"measure": "nothing"},
        {"measure": "visits", "dimension": "sex", "key": "female"},
        {"measure": "people", "dimension": "point", "key": "not-a-uuid"},
        {"measure": "people", "dimension": "month", "key": "2025-13"},
    ],
)
def test_the_drill_down_refuses_unknown_figures(client, world, query):
    client.force_login(world.coordinator)
    assert client.get(reverse("insights:records"), YEAR_QUERY | query).status_code == 404


@pytest.mark.parametrize("measure", ["families", "visits", "services", "referrals", "attendance"])
def test_every_measure_opens(client, world, dataset, measure):
    client.force_login(world.coordinator)
    query = YEAR_QUERY | {"measure": measure, "dimension": "total", "key": ""}
    response = client.get(reverse("insights:records"), query)
    assert response.status_code == 200
    board = client.get(reverse("insights:figures"), YEAR_QUERY).context["board"]
    assert response.context["total"] == board.headline[measure].cell.value


# --- CSV --------------------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("actor", ["coordinator", "analyst"])
def test_the_csv_is_always_suppressed_and_audited(client, world, dataset, actor):
    client.force_login(getattr(world, actor))
    response = client.get(reverse("insights:export"), YEAR_QUERY)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0] == ["from", f"{YEAR}-01-01", "to", f"{YEAR}-12-31"]
    assert rows[1] == ["measure", "dimension", "key", "label", "value"]
    by_key = {(r[0], r[1], r[2]): r[4] for r in rows[2:]}
    assert by_key[("people", "total", "")] == "12"
    assert by_key[("people", "sex", "intersex")] == "<5"
    assert by_key[("people", "sex", "male")] == "7"
    assert by_key[("attendance", "sex", "female")] == "x"
    for value in by_key.values():
        assert value in ("", "<5", "x", "0") or not value.isdigit() or int(value) >= 5
    assert "Ana" not in response.content.decode()
    event = AuditEvent.objects.get(action="insights.figures.exported")
    assert event.actor == getattr(world, actor)
    assert event.changes == {"from": [None, f"{YEAR}-01-01"], "to": [None, f"{YEAR}-12-31"]}


def test_the_csv_of_a_live_range(client, world, dataset):
    client.force_login(world.analyst)
    rows = _csv(
        client.get(reverse("insights:export"), {"from": f"{YEAR}-02-01", "to": f"{YEAR}-02-20"})
    )
    by_key = {(r[0], r[1], r[2]): r[4] for r in rows[2:]}
    assert by_key[("people", "total", "")] == "6"
    assert by_key[("visits", "month", f"{YEAR}-02")] == "6"


def test_a_precomputed_year_takes_a_fixed_number_of_queries(client, world, dataset):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.coordinator)
    url = reverse("insights:figures")
    client.get(url, YEAR_QUERY)  # computes the cells once
    with CaptureQueriesContext(connection) as first:
        client.get(url, YEAR_QUERY)
    for person in dataset.persons.values():  # more records: the page reads cells only
        registry.visit_record(
            actor=world.intake,
            persons=[person],
            attention_point=world.point,
            reasons=["legal"],
            occurred_at=local(YEAR, 8, 8),
        )
    with CaptureQueriesContext(connection) as second:
        client.get(url, YEAR_QUERY)
    assert len(first.captured_queries) == len(second.captured_queries) <= 15
    assert not any("registry_visit" in q["sql"] for q in second.captured_queries)
