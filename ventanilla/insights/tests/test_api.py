"""The figures API (/api/v1/figures/): the CSV's numbers, always suppressed, audited."""

import csv
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ventanilla.core.models import AuditEvent
from ventanilla.insights.tests.conftest import YEAR

pytestmark = pytest.mark.django_db

URL = "/api/v1/figures/"
YEAR_QUERY = {"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"}
ACTION = "insights.figures.api_read"


def api(world, name=None) -> APIClient:
    client = APIClient()
    if name:
        client.force_login(getattr(world, name))
    return client


def _csv(client, query) -> dict:
    response = client.get(reverse("insights:export"), query)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    return {(r[0], r[1], r[2]): r[4] for r in rows[2:]}


def _as_csv_text(item: dict) -> str:
    """A value of the API as the CSV writes it."""
    if item["suppressed"]:
        return item["suppressed"]
    return "" if item["value"] is None else str(item["value"])


def _flatten(body: dict) -> dict:
    """The API's figures keyed as the CSV's lines, written as the CSV writes them."""
    out = {}
    for measure, head in body["headline"].items():
        out[(measure, "total", "")] = _as_csv_text(head)
        assert body["measures"][measure]["total"] == {
            "value": head["value"],
            "suppressed": head["suppressed"],
        }
        for dimension, rows in body["measures"][measure]["breakdowns"].items():
            for row in rows:
                out[(measure, dimension, row["key"])] = _as_csv_text(row)
    for stat, item in body["referrals"].items():
        text = _as_csv_text(item)
        if stat == "completion_rate":
            text = "" if item["value"] is None else f"{item['value']:.3f}"
        out[("referrals", stat, "")] = text
    return out


# --- permissions ------------------------------------------------------------------------------


def test_anonymous_calls_get_401(world):
    response = api(world).get(URL, YEAR_QUERY)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert not AuditEvent.objects.filter(action=ACTION).exists()


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("analyst", 200),
        ("coordinator", 200),
        ("intake", 403),
        ("case_worker", 403),
        ("legal", 403),
        ("partner", 403),
        ("admin", 403),
        ("outsider", 403),
    ],
)
def test_permission_matrix(world, actor, status):
    response = api(world, actor).get(URL, YEAR_QUERY)
    assert response.status_code == status
    if status == 403:
        assert response.json()["error"]["code"] == "permission_denied"
        assert not AuditEvent.objects.filter(action=ACTION).exists()


@pytest.mark.parametrize(("actor", "status"), [("analyst", 200), ("partner", 403)])
def test_tokens_carry_the_users_permissions(client, world, actor, status):
    out = StringIO()
    call_command("api_token", getattr(world, actor).username, stdout=out)
    key = out.getvalue().strip()
    response = client.get(URL, YEAR_QUERY, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == status


def test_it_is_read_only(world):
    client = api(world, "coordinator")
    assert client.post(URL, {}, format="json").status_code == 405
    assert not AuditEvent.objects.filter(action=ACTION).exists()


# --- the figures ------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["analyst", "coordinator"])
def test_the_figures_equal_the_csv_and_are_suppressed_for_everyone(world, dataset, actor):
    client = api(world, actor)
    response = client.get(URL, YEAR_QUERY)
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == YEAR_QUERY
    assert body["as_of"] is not None  # a calendar year: stored cells
    assert _flatten(body) == _csv(client, YEAR_QUERY)

    people = body["measures"]["people"]
    assert body["headline"]["people"]["value"] == 12
    assert body["headline"]["people"]["suppressed"] is None
    sex = {r["key"]: r for r in people["breakdowns"]["sex"]}
    assert sex["male"]["value"] == 7 and sex["male"]["suppressed"] is None
    assert sex["intersex"] == {
        "key": "intersex",
        "label": sex["intersex"]["label"],
        "value": None,
        "suppressed": "<5",
    }
    attendance = {r["key"]: r for r in body["measures"]["attendance"]["breakdowns"]["sex"]}
    assert attendance["female"]["value"] is None and attendance["female"]["suppressed"] == "x"
    months = [r["key"] for r in people["breakdowns"]["month"]]
    assert months == [f"{YEAR}-{m:02d}" for m in range(1, 13)]
    assert "sex_age" in body["measures"]["attendance"]["breakdowns"]
    assert set(body["referrals"]) == {
        "completion_rate",
        "median_days_accept",
        "median_days_complete",
    }
    for item in _iter_values(body):
        assert item["suppressed"] in (None, "<5", "x")
        if item["suppressed"]:
            assert item["value"] is None
        elif isinstance(item["value"], int) and not isinstance(item["value"], bool):
            assert item["value"] == 0 or item["value"] >= 5
    assert "Ana" not in response.content.decode()


def _iter_values(body):
    yield from body["headline"].values()
    for measure in body["measures"].values():
        yield measure["total"]
        for rows in measure["breakdowns"].values():
            yield from rows


def test_a_live_range_has_no_as_of(world, dataset):
    client = api(world, "analyst")
    query = {"from": f"{YEAR}-02-01", "to": f"{YEAR}-02-20"}
    body = client.get(URL, query).json()
    assert body["as_of"] is None
    assert body["period"] == query
    assert body["headline"]["people"]["value"] == 6
    assert _flatten(body) == _csv(client, query)


def test_it_defaults_to_this_year(world):
    today = timezone.localdate()
    body = api(world, "analyst").get(URL).json()
    assert body["period"] == {"from": f"{today.year}-01-01", "to": f"{today.year}-12-31"}


def test_an_empty_registry_gives_zeros(world):
    body = api(world, "analyst").get(URL, YEAR_QUERY).json()
    assert body["headline"]["people"] == {
        "label": body["headline"]["people"]["label"],
        "value": 0,
        "suppressed": None,
    }
    assert body["referrals"]["completion_rate"] == {"value": None, "suppressed": None}


# --- bad input and the audit ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "not-a-date"}, "from"),
        ({"from": f"{YEAR}-01-01", "to": f"{YEAR}-13-40"}, "to"),
        ({"from": f"{YEAR}-06-01", "to": f"{YEAR}-05-01"}, "__all__"),
        ({"from": f"{YEAR - 4}-01-01", "to": f"{YEAR}-01-01"}, "__all__"),
    ],
)
def test_bad_dates_give_400_in_the_error_shape_and_nothing_audited(world, query, field):
    response = api(world, "analyst").get(URL, query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"]
    assert field in error["fields"]
    assert not AuditEvent.objects.filter(action=ACTION).exists()


def test_every_call_is_audited(world):
    client = api(world, "analyst")
    client.get(URL, YEAR_QUERY)
    client.get(URL, {"from": f"{YEAR}-03-01", "to": f"{YEAR}-03-31"})
    events = list(AuditEvent.objects.filter(action=ACTION).order_by("id"))
    assert [e.actor for e in events] == [world.analyst, world.analyst]
    assert events[0].changes == {"from": [None, f"{YEAR}-01-01"], "to": [None, f"{YEAR}-12-31"]}
    assert events[1].changes == {"from": [None, f"{YEAR}-03-01"], "to": [None, f"{YEAR}-03-31"]}


# --- the schema -------------------------------------------------------------------------------


def test_the_schema_describes_it(world):
    response = api(world).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    operation = schema["paths"]["/api/v1/figures/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"from", "to"}
    assert "Figures" in schema["components"]["schemas"]
    assert set(schema["components"]["schemas"]["Figures"]["properties"]) == {
        "period",
        "as_of",
        "stale",
        "headline",
        "measures",
        "referrals",
    }
