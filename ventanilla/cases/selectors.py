"""Reads for cases, knowing who is asking.

Cases are the center's: every member of the case team (case workers, coordinators,
intake, specialists) reads every case, like the registry. Partner staff, analysts and the
administrator read none. Specialists-only notes are read by specialists and coordinators.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.cases import referral_workflow, workflow
from ventanilla.cases.choices import CaseStatus, NoteConfidentiality, PlanItemKind, ReferralStatus
from ventanilla.cases.models import (
    Assessment,
    Case,
    CaseNote,
    Notification,
    PlanItem,
    Referral,
    Task,
)
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


# --- My work ----------------------------------------------------------------------------
#
# Every list is capped (MY_WORK_LIMIT rows) and every count is one indexed query, so that the
# page costs the same with a thousand cases or a million (see the indexes in cases/models.py).

MY_WORK_LIMIT = 20
DUE_SOON_DAYS = 7
RECENT_ANSWER_DAYS = 14
ANSWERED = (
    ReferralStatus.ACCEPTED,
    ReferralStatus.REJECTED,
    ReferralStatus.COMPLETED,
    ReferralStatus.DID_NOT_ATTEND,
)


def _first(qs, *ordering, limit: int) -> list:
    """The first rows of qs by ordering, their related rows (select_related) joined only to
    those: in one query, PostgreSQL may join every matching row before sorting them."""
    first = qs.order_by(*ordering).values("pk")[:limit]
    return list(qs.filter(pk__in=first).order_by(*ordering))


def _overdue(qs, today):
    """Referrals still waiting on the provider past their due date (as the inbox counts)."""
    return qs.filter(status__in=referral_workflow.PENDING, due_date__lt=today)


def _urgent_cases(*, user, today, open_statuses, limit) -> list[Case]:
    """The user's open cases, most urgent first: those with overdue tasks (most overdue
    tasks first), then the longest open; each with its overdue_tasks count.

    Counting overdue tasks for every open case of a busy worker (a thousand and more) and
    then sorting them is what made the page slow: count only the cases that have overdue
    tasks, in a narrow grouped query (no person, household or case worker joined), then fill
    the list with the oldest cases, and read the full rows of the few listed."""
    mine = Case.objects.filter(assigned_to=user, status__in=open_statuses)
    overdue = list(
        Task.objects.filter(
            case__assigned_to=user,
            case__status__in=open_statuses,
            done_at__isnull=True,
            due_date__lt=today,
        )
        .order_by()
        .values("case_id", "case__opened_at")
        .annotate(n=Count("*"))
        .order_by("-n", "case__opened_at", "case_id")[:limit]
    )
    counts = {row["case_id"]: row["n"] for row in overdue}
    ids = list(counts)
    if len(ids) < limit:
        ids += list(
            mine.exclude(pk__in=ids)
            .order_by("opened_at", "id")
            .values_list("pk", flat=True)[: limit - len(ids)]
        )
    cases = {c.pk: c for c in _with_subject(Case.objects.filter(pk__in=ids))}
    urgent = []
    for pk in ids:
        case = cases[pk]
        case.overdue_tasks = counts.get(pk, 0)
        urgent.append(case)
    return urgent


def case_worker_work(*, user, today=None, limit: int = MY_WORK_LIMIT) -> dict:
    """A case worker's open cases by status, the most urgent first; their open tasks overdue
    or due soon; the referrals of their cases waiting for an answer, and recent answers."""
    today = today or timezone.localdate()
    open_statuses = list(workflow.OPEN_STATUSES)
    mine = Case.objects.filter(assigned_to=user, status__in=open_statuses)
    # Count("*") and fields of the index, never Count("id"): the counts stay index-only.
    counts = dict(mine.order_by().values_list("status").annotate(n=Count("*")))
    by_status = [(s, label, counts[s]) for s, label in CaseStatus.choices if counts.get(s)]
    urgent = _urgent_cases(user=user, today=today, open_statuses=open_statuses, limit=limit)
    tasks = Task.objects.filter(
        owner=user, done_at__isnull=True, due_date__lte=today + timedelta(days=DUE_SOON_DAYS)
    )
    task_counts = tasks.aggregate(
        overdue=Count("due_date", filter=Q(due_date__lt=today)),
        soon=Count("due_date", filter=Q(due_date__gte=today)),
    )
    referrals = Referral.objects.filter(case__assigned_to=user)
    waiting = referrals.filter(status=ReferralStatus.SENT)
    waiting_counts = waiting.aggregate(
        total=Count("*"), overdue=Count("due_date", filter=Q(due_date__lt=today))
    )
    since = timezone.now() - timedelta(days=RECENT_ANSWER_DAYS)
    answered = referrals.filter(status__in=ANSWERED).alias(
        outcome_at=Coalesce("completed_at", "answered_at")
    )
    return {
        "by_status": by_status,
        "open_count": sum(counts.values()),
        "urgent": urgent,
        # The first ids by the (owner, done_at, due_date) index, then their rows: joined in
        # one query, PostgreSQL would rather scan every task.
        "tasks": list(
            Task.objects.filter(pk__in=tasks.order_by("due_date", "id").values("pk")[:limit])
            .select_related("case__person", "case__household")
            .order_by("due_date", "id")
        ),
        "overdue_task_count": task_counts["overdue"],
        "soon_task_count": task_counts["soon"],
        "waiting": _first(
            waiting.select_related("person", "service", "case"), "sent_at", "id", limit=limit
        ),
        "waiting_count": waiting_counts["total"],
        "waiting_overdue_count": waiting_counts["overdue"],
        "answered": list(
            answered.filter(outcome_at__gte=since)
            .annotate(outcome_at=Coalesce("completed_at", "answered_at"))
            .select_related("person", "service", "case")
            .order_by("-outcome_at", "-id")[:limit]
        ),
    }


def _partner_referrals(user):
    """The referrals sent to the user's organization, nothing else (empty without one)."""
    if not has_cap(user, Cap.ANSWER_REFERRALS) or not user.organization_id:
        return Referral.objects.none()
    return Referral.objects.filter(
        is_external=False, service__provider_id=user.organization_id
    ).select_related("person", "need", "service")


def partner_work(*, user, today=None, limit: int = MY_WORK_LIMIT) -> dict:
    """Partner staff: new referrals to answer (first due first) and overdue ones."""
    today = today or timezone.localdate()
    mine = _partner_referrals(user)
    # As in the inbox: a new referral past its due date is listed as overdue, not as new.
    new = mine.filter(status=ReferralStatus.SENT, due_date__gte=today)
    overdue = _overdue(mine, today)
    return {
        "new": _first(new, "due_date", "id", limit=limit),
        "new_count": new.count(),
        "overdue": _first(overdue, "due_date", "id", limit=limit),
        "overdue_count": overdue.count(),
    }


def coordinator_work(*, user, today=None, limit: int = MY_WORK_LIMIT) -> dict:
    """Coordinators: open cases without a case worker (oldest first), closures waiting for
    approval (oldest request first), and overdue referrals counted by provider."""
    if not has_cap(user, Cap.APPROVE_CASE_CLOSURE):
        return {}
    today = today or timezone.localdate()
    # Written as the partial index case_unassigned_open_idx is, so that PostgreSQL uses it.
    unassigned = Case.objects.filter(assigned_to__isnull=True).exclude(status=CaseStatus.CLOSED)
    closures = Case.objects.filter(status=CaseStatus.CLOSURE_REQUESTED)
    return {
        "unassigned": list(_with_subject(unassigned).order_by("opened_at", "id")[:limit]),
        "unassigned_count": unassigned.count(),
        "closures": list(
            _with_subject(closures)
            .select_related("closure_requested_by")
            .order_by("closure_requested_at", "id")[:limit]
        ),
        "closures_count": closures.count(),
        "overdue_by_provider": overdue_referrals_by_provider(today=today),
    }


def overdue_referrals_by_provider(*, today=None, limit: int = MY_WORK_LIMIT) -> list[dict]:
    """Overdue referrals counted by provider (an organization, or an external provider by
    name), most overdue first: one grouped query over the referral index, then the few
    services' organizations."""
    from ventanilla.catalog.models import Service

    today = today or timezone.localdate()
    rows = (
        _overdue(Referral.objects.all(), today)
        .order_by()
        .values_list("service_id", "external_provider_name")
        .annotate(n=Count("*"))  # not Count("id"): id is not in the index, * is index-only
    )
    by_service: dict[int, int] = {}
    external: dict[str, int] = {}
    for service_id, name, n in rows:  # one row per service or external name: few
        if service_id is None:
            external[name] = external.get(name, 0) + n
        else:
            by_service[service_id] = by_service.get(service_id, 0) + n
    providers: dict[int, dict] = {}
    services = Service.objects.filter(pk__in=by_service).select_related("provider")
    for service in services.only("id", "provider__uuid", "provider__name"):
        org = service.provider
        entry = providers.setdefault(
            org.pk, {"name": org.name, "organization": org.uuid, "external": "", "count": 0}
        )
        entry["count"] += by_service[service.pk]
    groups = [
        *providers.values(),
        *(
            {"name": name, "organization": None, "external": name, "count": n}
            for name, n in external.items()
        ),
    ]
    groups.sort(key=lambda g: (-g["count"], g["name"].casefold()))
    return groups[:limit]


def overdue_referrals(*, user, today=None, organization_uuid=None, external: str = ""):
    """Overdue referrals for the coordinator's list, of one provider if asked, first due
    first; none for anyone else."""
    if not has_cap(user, Cap.APPROVE_CASE_CLOSURE):
        return Referral.objects.none()
    qs = _overdue(Referral.objects.all(), today or timezone.localdate())
    if organization_uuid is not None:
        qs = qs.filter(is_external=False, service__provider__uuid=organization_uuid)
    elif external:
        qs = qs.filter(is_external=True, external_provider_name=external)
    return qs.select_related("person", "service", "case", "sent_by").order_by("due_date", "id")


# --- Notifications ----------------------------------------------------------------------


def notifications_of(user):
    """The user's own notifications, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def unread_notification_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
