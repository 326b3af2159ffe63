"""Case services: permissions, one open case, assessments, plan, notes, tasks, conflicts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ventanilla.cases import selectors, services
from ventanilla.cases.models import Assessment, Case
from ventanilla.cases.tests.conftest import move
from ventanilla.core.exceptions import Conflict, InvalidInput, PermissionDenied
from ventanilla.core.models import AuditEvent
from ventanilla.registry import services as registry


def test_intake_opens_a_case_and_it_is_audited(world, make_person):
    person = make_person()
    case = services.case_open(actor=world.intake, person=person)
    assert case.status == "new" and case.opened_by == world.intake and case.assigned_to is None
    event = AuditEvent.objects.get(action="cases.case.opened")
    assert event.person_id == person.pk and event.object_uuid == case.uuid


@pytest.mark.parametrize("name", ["legal", "partner", "analyst", "admin", "outsider"])
def test_others_may_not_open_a_case(world, make_person, name):
    with pytest.raises(PermissionDenied):
        services.case_open(actor=getattr(world, name), person=make_person())


def test_a_second_open_case_is_refused_with_a_clear_message(world, make_person):
    person = make_person()
    services.case_open(actor=world.intake, person=person)
    with pytest.raises(Conflict, match="already has an open case"):
        services.case_open(actor=world.case_worker, person=person)
    assert Case.objects.count() == 1


def test_a_household_case(world, make_person, answers):
    head = make_person()
    household = registry.household_register(
        actor=world.intake, members=[{"person": head, "relationship": "head"}]
    )
    case = services.case_open(actor=world.intake, household=household)
    assert case.person is None and selectors.case_persons(case) == [head]
    with pytest.raises(Conflict, match="household already has an open case"):
        services.case_open(actor=world.intake, household=household)
    # The person may still have a case of their own.
    services.case_open(actor=world.intake, person=head)
    assert len(selectors.cases_of_person(user=world.case_worker, person=head)) == 2


def test_a_case_is_for_a_person_or_a_household(world, make_person):
    with pytest.raises(InvalidInput):
        services.case_open(actor=world.intake)


def test_assign_only_to_someone_who_works_cases(world, make_case):
    case = make_case(assigned_to=None)
    with pytest.raises(InvalidInput):
        services.case_assign(actor=world.coordinator, case=case, assigned_to=world.analyst)
    case = services.case_assign(actor=world.coordinator, case=case, assigned_to=world.case_worker)
    assert case.assigned_to == world.case_worker
    assert AuditEvent.objects.filter(action="cases.case.assigned").count() == 1


def test_a_stale_version_is_a_conflict_and_changes_nothing(world, make_case):
    case = make_case()
    seen = case.updated_at
    services.case_transition(actor=world.case_worker, case=case, to="assessment")
    with pytest.raises(Conflict):
        services.case_transition(
            actor=world.coordinator, case=case, to="plan", expected_version=seen
        )
    with pytest.raises(Conflict):
        services.case_assign(
            actor=world.coordinator, case=case, assigned_to=None, expected_version=seen
        )
    case.refresh_from_db()
    assert case.status == "assessment" and case.assigned_to == world.case_worker


def test_the_version_moves_on_with_every_change_to_the_case(world, make_case):
    case = make_case()
    before = case.updated_at
    services.note_add(actor=world.legal, case=case, text="Talked")
    case.refresh_from_db()
    assert case.updated_at > before


def test_an_assessment_moves_a_new_case_on_and_keeps_each_version(world, make_case, answers):
    case = make_case()
    first = services.assessment_record(actor=world.case_worker, case=case, answers=answers)
    case.refresh_from_db()
    assert case.status == "assessment"
    assert first.questionnaire.code == "needs" and first.questionnaire.version == 2
    second = services.assessment_record(
        actor=world.case_worker, case=case, answers={**answers, "work_now": True}
    )
    assert list(selectors.assessments_of(case)) == [second, first]
    event = AuditEvent.objects.filter(action="cases.assessment.recorded").first()
    assert "work_now" in event.changes["answered"] and "in_process" not in str(event.changes)


def test_invalid_answers_are_refused_per_question(world, make_case, answers):
    case = make_case()
    with pytest.raises(InvalidInput) as exc:
        services.assessment_record(
            actor=world.case_worker,
            case=case,
            answers={**answers, "housing_type": "castle", "nonsense": 1},
        )
    assert set(exc.value.field_errors) == {"housing_type", "nonsense"}
    assert Assessment.objects.count() == 0
    case.refresh_from_db()
    assert case.status == "new"


def test_a_newer_questionnaire_version_is_used_and_older_answers_stay(world, make_case, answers):
    from ventanilla.cases.models import Questionnaire

    case = make_case()
    old = services.assessment_record(actor=world.case_worker, case=case, answers=answers)
    v2 = Questionnaire.objects.get(code="needs", version=2)
    definition = {**v2.definition, "version": 3}
    definition["sections"] = [
        {**definition["sections"][0], "questions": definition["sections"][0]["questions"][:1]}
    ]
    Questionnaire.objects.create(code="needs", version=3, title="v3", definition=definition)
    new = services.assessment_record(
        actor=world.case_worker, case=case, answers={"doc_held": ["passport"]}
    )
    assert new.questionnaire.version == 3
    old.refresh_from_db()
    assert old.questionnaire == v2 and old.answers["housing_type"] == "rented"


@pytest.mark.parametrize("name", ["legal", "intake", "partner", "analyst"])
def test_only_the_case_team_works_the_case(world, make_case, answers, name):
    case = make_case()
    actor = getattr(world, name)
    for call in (
        lambda: services.assessment_record(actor=actor, case=case, answers=answers),
        lambda: services.case_transition(actor=actor, case=case, to="assessment"),
        lambda: services.plan_item_add(actor=actor, case=case, kind="goal", description="x"),
        lambda: services.task_add(
            actor=actor, case=case, title="x", due_date=timezone.localdate(), owner=actor
        ),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_plan_items(world, make_case):
    case = make_case()
    need = services.plan_item_add(
        actor=world.case_worker, case=case, kind="need", area="housing", description="Rent"
    )
    with pytest.raises(InvalidInput):
        services.plan_item_add(actor=world.case_worker, case=case, kind="need", description="x")
    services.plan_item_add(actor=world.case_worker, case=case, kind="goal", description="Stable")
    need = services.plan_item_set_status(actor=world.case_worker, item=need, status="met")
    assert need.status == "met"
    assert [i.kind for i in selectors.plan_items(case)] == ["goal", "need"]


def test_notes_and_their_confidentiality(world, make_case):
    case = make_case()
    services.note_add(actor=world.case_worker, case=case, text="Team note")
    services.note_add(
        actor=world.legal, case=case, text="Legal detail", confidentiality="specialists_only"
    )
    with pytest.raises(PermissionDenied):
        services.note_add(
            actor=world.case_worker, case=case, text="x", confidentiality="specialists_only"
        )
    for partner in (world.partner, world.analyst, world.intake):
        with pytest.raises(PermissionDenied):
            services.note_add(actor=partner, case=case, text="x")

    def texts(user):
        return {n.text for n in selectors.notes_visible_to(user=user, case=case)}

    assert texts(world.case_worker) == {"Team note"}
    assert texts(world.legal) == texts(world.coordinator) == {"Team note", "Legal detail"}
    event = AuditEvent.objects.filter(action="cases.note.added").first()
    assert "Legal detail" not in str(event.changes)


def test_tasks(world, make_case):
    case = make_case()
    today = timezone.localdate()
    task = services.task_add(
        actor=world.case_worker,
        case=case,
        title="Call the school",
        due_date=today - timedelta(days=1),
        owner=world.case_worker,
    )
    with pytest.raises(InvalidInput):
        services.task_add(
            actor=world.case_worker, case=case, title="x", due_date=today, owner=world.partner
        )
    mine = selectors.my_cases(user=world.case_worker)
    assert mine["overdue_tasks"] == [task] and mine["mine"][0].overdue_tasks == 1
    done = services.task_complete(actor=world.case_worker, task=task)
    again = services.task_complete(actor=world.case_worker, task=task)
    assert done.done_at == again.done_at is not None
    assert AuditEvent.objects.filter(action="cases.task.completed").count() == 1


def test_a_closed_case_takes_no_assessment_plan_or_task(world, make_case, answers):
    case = move(
        make_case(),
        world.coordinator,
        "assessment",
        "plan",
        "follow_up",
        "closure_requested",
        "closed",
    )
    with pytest.raises(InvalidInput, match="closed"):
        services.assessment_record(actor=world.case_worker, case=case, answers=answers)
    with pytest.raises(InvalidInput, match="closed"):
        services.plan_item_add(actor=world.case_worker, case=case, kind="goal", description="x")


def test_my_cases_for_a_coordinator(world, make_case):
    unassigned = make_case(assigned_to=None)
    waiting = move(make_case(), world.case_worker, "assessment", "plan", "follow_up")
    waiting = services.case_request_closure(actor=world.case_worker, case=waiting, reason="Ok")
    found = selectors.my_cases(user=world.coordinator)
    assert found["unassigned"] == [unassigned] and found["closures"] == [waiting]
    assert selectors.my_cases(user=world.case_worker)["unassigned"] is None
