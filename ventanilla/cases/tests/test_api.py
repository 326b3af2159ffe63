"""Cases API: the capability matrix, the workflow, conflicts, confidentiality, the schema."""

import pytest
from rest_framework.test import APIClient

from ventanilla.cases import services
from ventanilla.cases.models import Case
from ventanilla.privacy.models import AccessEvent


def api(world, name=None) -> APIClient:
    client = APIClient()
    if name:
        client.force_login(getattr(world, name))
    return client


@pytest.mark.parametrize(
    ("name", "read", "open_", "work"),
    [
        (None, 403, 403, 403),
        ("partner", 403, 403, 403),
        ("outsider", 403, 403, 403),
        ("analyst", 403, 403, 403),
        ("admin", 403, 403, 403),
        ("intake", 403, 201, 403),
        ("legal", 200, 403, 403),
        ("case_worker", 200, 201, 200),
        ("coordinator", 200, 201, 200),
    ],
)
def test_the_capability_matrix(world, make_person, make_case, name, read, open_, work):
    case = make_case()
    client = api(world, name)
    expected_read = 401 if name is None else read
    assert client.get("/api/v1/cases/").status_code in (expected_read, read)
    assert client.get(f"/api/v1/cases/{case.uuid}/").status_code in (expected_read, read)
    assert client.get(f"/api/v1/cases/{case.uuid}/notes/").status_code in (expected_read, read)
    response = client.post("/api/v1/cases/", {"person": str(make_person().uuid)}, format="json")
    assert response.status_code in (open_, 401 if name is None else open_)
    response = client.post(
        f"/api/v1/cases/{case.uuid}/transition/", {"to": "assessment"}, format="json"
    )
    assert response.status_code in (work, 401 if name is None else work)


def test_open_twice_is_409_with_the_error_shape(world, make_person):
    person = make_person()
    client = api(world, "intake")
    assert (
        client.post("/api/v1/cases/", {"person": str(person.uuid)}, format="json").status_code
        == 201
    )
    response = client.post("/api/v1/cases/", {"person": str(person.uuid)}, format="json")
    assert response.status_code == 409
    assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_workflow_assessment_and_conflict(world, make_case, answers):
    case = make_case()
    client = api(world, "case_worker")
    detail = client.get(f"/api/v1/cases/{case.uuid}/").json()
    assert detail["status"] == "new" and detail["next_statuses"] == ["assessment"]
    assert AccessEvent.objects.filter(view="api.cases.retrieve").count() == 1
    bad = client.post(
        f"/api/v1/cases/{case.uuid}/assessments/",
        {"answers": {**answers, "housing_type": "castle"}},
        format="json",
    )
    assert bad.status_code == 400 and "housing_type" in bad.json()["error"]["fields"]
    ok = client.post(f"/api/v1/cases/{case.uuid}/assessments/", {"answers": answers}, format="json")
    assert ok.status_code == 201 and ok.json()["questionnaire_version"] == 2
    refused = client.post(f"/api/v1/cases/{case.uuid}/transition/", {"to": "closed"}, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid"
    stale = client.post(
        f"/api/v1/cases/{case.uuid}/transition/",
        {"to": "plan", "version": detail["version"]},
        format="json",
    )
    assert stale.status_code == 409
    current = client.get(f"/api/v1/cases/{case.uuid}/").json()
    moved = client.post(
        f"/api/v1/cases/{case.uuid}/transition/",
        {"to": "plan", "version": current["version"]},
        format="json",
    )
    assert moved.status_code == 200 and moved.json()["status"] == "plan"


def test_notes_tasks_plan_and_confidentiality(world, make_case):
    case = make_case()
    legal = api(world, "legal")
    response = legal.post(
        f"/api/v1/cases/{case.uuid}/notes/",
        {"text": "Asylum detail", "confidentiality": "specialists_only"},
        format="json",
    )
    assert response.status_code == 201
    worker = api(world, "case_worker")
    assert worker.get(f"/api/v1/cases/{case.uuid}/notes/").json() == []
    assert len(api(world, "coordinator").get(f"/api/v1/cases/{case.uuid}/notes/").json()) == 1
    task = worker.post(
        f"/api/v1/cases/{case.uuid}/tasks/",
        {"title": "Call", "due_date": "2026-01-01", "owner": str(world.case_worker.uuid)},
        format="json",
    )
    assert task.status_code == 201
    done = worker.post(f"/api/v1/cases/{case.uuid}/tasks/{task.json()['id']}/complete/")
    assert done.status_code == 200 and done.json()["done_at"]
    plan = worker.post(
        f"/api/v1/cases/{case.uuid}/plan/",
        {"kind": "need", "area": "health", "description": "Doctor"},
        format="json",
    )
    assert plan.status_code == 201
    detail = worker.get(f"/api/v1/cases/{case.uuid}/").json()
    assert [t["title"] for t in detail["tasks"]] == ["Call"] and len(detail["plan"]) == 1


def test_closure_approval_needs_a_coordinator(world, make_case):
    from ventanilla.cases.tests.conftest import move

    case = move(make_case(), world.case_worker, "assessment", "plan", "follow_up")
    services.case_request_closure(actor=world.case_worker, case=case, reason="Done")
    worker, coordinator = api(world, "case_worker"), api(world, "coordinator")
    url = f"/api/v1/cases/{case.uuid}/transition/"
    assert worker.post(url, {"to": "closed"}, format="json").status_code == 403
    assert coordinator.post(url, {"to": "closed"}, format="json").status_code == 200
    assert Case.objects.get().status == "closed"
    listed = coordinator.get("/api/v1/cases/?status=closed").json()
    assert listed["count"] == 1 if "count" in listed else len(listed) == 1


def test_the_schema_lists_the_case_endpoints(db):
    from drf_spectacular.drainage import GENERATOR_STATS, reset_generator_stats
    from drf_spectacular.generators import SchemaGenerator

    reset_generator_stats()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    warnings, errors = dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache)
    reset_generator_stats()
    assert warnings == {} and errors == {}
    for path in (
        "/api/v1/cases/",
        "/api/v1/cases/{uuid}/",
        "/api/v1/cases/{uuid}/transition/",
        "/api/v1/cases/{uuid}/assessments/",
        "/api/v1/cases/{uuid}/notes/",
        "/api/v1/cases/{uuid}/tasks/",
        "/api/v1/cases/{uuid}/tasks/{task_uuid}/complete/",
    ):
        assert path in schema["paths"]


def test_a_household_case_through_the_api(world, make_person):
    from ventanilla.registry import services as registry

    head = make_person()
    household = registry.household_register(
        actor=world.intake, members=[{"person": head, "relationship": "head"}]
    )
    client = api(world, "coordinator")
    response = client.post("/api/v1/cases/", {"household": str(household.uuid)}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["person"] is None and body["household"] == str(household.uuid)
    detail = client.get(f"/api/v1/cases/{body['id']}/")
    assert detail.status_code == 200
    event = AccessEvent.objects.get(view="api.cases.retrieve")
    assert list(event.persons.values_list("person_id", flat=True)) == [head.pk]
    both = client.post(
        "/api/v1/cases/",
        {"household": str(household.uuid), "person": str(head.uuid)},
        format="json",
    )
    assert both.status_code == 400
