"""Reads for cases, knowing who is asking.

Cases are the center's: every member of the case team (case workers, coordinators,
intake, specialists) reads every case, like the registry. Partner staff, analysts and the
administrator read none. Specialists-only notes are read by specialists and coordinators.
"""

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.cases import referral_workflow, workflow
from ventanilla.cases.choices import CaseStatus, NoteConfidentiality, PlanItemKind
from ventanilla.cases.models import Assessment, Case, CaseNote, PlanItem, Referral, Task
from ventanilla.registry.models import Membership


def cases_visible_to(user):
    if not (has_cap(user, Cap.VIEW_CASES) or has_cap(user, Cap.OPEN_CASE)):
        return Case.objects.none()
    return Case.objects.all()


def _with_subject(qs):
    return qs.select_related("person", "household", "assigned_to")


def case_for_detail(*, user, uuid) -> Case | None:
    if not has_cap(user, Cap.VIEW_CASES):
        return None
    return (
        _with_subject(Case.objects.filter(uuid=uuid))
        .select_related("opened_by", "closure_requested_by", "closure_approved_by")
        .first()
    )


def cases_of_person(*, user, person) -> list[Case]:
    """The person's own cases and those of the households they belong to now."""
    households = Membership.objects.filter(person=person, end_date__isnull=True).values(
        "household_id"
    )
    return list(
        _with_subject(
            cases_visible_to(user).filter(Q(person=person) | Q(household_id__in=households))
        )
    )


def open_case_of(*, person=None, household=None) -> Case | None:
    qs = Case.objects.exclude(status=CaseStatus.CLOSED)
    return (qs.filter(person=person) if person else qs.filter(household=household)).first()


def case_persons(case: Case) -> list:
    """The persons a case page names: its person, or its household's current members."""
    if case.person_id:
        return [case.person]
    return [
        m.person
        for m in Membership.objects.filter(household=case.household_id, end_date__isnull=True)
        .select_related("person")
        .order_by("-relationship", "person__birth_date")
    ]


def notes_visible_to(*, user, case: Case):
    qs = CaseNote.objects.filter(case=case).select_related("author")
    if not has_cap(user, Cap.VIEW_SPECIALIST_NOTES):
        qs = qs.filter(confidentiality=NoteConfidentiality.TEAM)
    return qs


def plan_items(case: Case):
    return PlanItem.objects.filter(case=case).select_related("created_by")


def tasks_of(case: Case):
    return Task.objects.filter(case=case).select_related("owner")


def assessments_of(case: Case):
    return Assessment.objects.filter(case=case).select_related("questionnaire", "completed_by")


def case_workers():
    """Active staff who may be assigned a case (few: read them all, filter by role)."""
    users = get_user_model().objects.filter(is_active=True).order_by("first_name", "username")
    return [u for u in users if has_cap(u, Cap.WORK_CASES)]


def team_members():
    """Active staff who may own a case task."""
    users = get_user_model().objects.filter(is_active=True).order_by("first_name", "username")
    return [u for u in users if has_cap(u, Cap.VIEW_CASES)]


def _with_overdue(qs, today):
    return qs.annotate(
        overdue_tasks=Count(
            "tasks", filter=Q(tasks__done_at__isnull=True, tasks__due_date__lt=today)
        )
    )


def my_cases(*, user, today=None) -> dict:
    """What a user's "my cases" page lists: their open cases, overdue tasks, and for those
    who approve closures, unassigned cases and closures waiting."""
    today = today or timezone.localdate()
    base = _with_subject(cases_visible_to(user))
    open_statuses = list(workflow.OPEN_STATUSES)
    order = {s: i for i, s in enumerate(CaseStatus.values)}
    mine = sorted(
        _with_overdue(base.filter(assigned_to=user, status__in=open_statuses), today),
        key=lambda c: (order[c.status], c.opened_at),
    )
    result = {
        "mine": mine,
        "overdue_tasks": list(
            Task.objects.filter(owner=user, done_at__isnull=True, due_date__lt=today)
            .select_related("case__person", "case__household")
            .order_by("due_date", "id")
        ),
        "unassigned": None,
        "closures": None,
    }
    if has_cap(user, Cap.APPROVE_CASE_CLOSURE):
        result["unassigned"] = list(
            _with_overdue(base.filter(assigned_to__isnull=True, status__in=open_statuses), today)
        )
        result["closures"] = list(
            base.filter(status=CaseStatus.CLOSURE_REQUESTED).select_related("closure_requested_by")
        )
    return result


def persons_of_cases(cases) -> list:
    """Persons named in a list of cases (case subjects that are persons)."""
    return [c.person for c in cases if c.person_id]


# --- Referrals -------------------------------------------------------------------------


def referrals_of_case(case: Case):
    return Referral.objects.filter(case=case).select_related(
        "person", "need", "service", "sent_by", "answered_by"
    )


def needs_of(case: Case):
    return PlanItem.objects.filter(case=case, kind=PlanItemKind.NEED)


def referrals_visible_to(user):
    """Partner staff: only referrals sent to their organization. The case team: all."""
    if has_cap(user, Cap.VIEW_CASES):
        qs = Referral.objects.all()
    elif has_cap(user, Cap.ANSWER_REFERRALS) and user.organization_id:
        qs = Referral.objects.filter(is_external=False, service__provider_id=user.organization_id)
    else:
        return Referral.objects.none()
    return qs.select_related("person", "need", "service", "answered_by")


def referral_for_detail(*, user, uuid) -> Referral | None:
    return referrals_visible_to(user).filter(uuid=uuid).first()


def referral_inbox(*, user, today=None) -> dict:
    """A partner's referrals in three lists: new, overdue, in progress."""
    today = today or timezone.localdate()
    open_ones = list(
        referrals_visible_to(user)
        .filter(status__in=["sent", "accepted", "in_progress"])
        .order_by("due_date", "id")
    )
    overdue = [r for r in open_ones if r.status in referral_workflow.PENDING and r.due_date < today]
    return {
        "new": [r for r in open_ones if r.status == "sent" and r not in overdue],
        "overdue": overdue,
        "in_progress": [r for r in open_ones if r.status != "sent" and r not in overdue],
    }
