from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.cases import referral_workflow, selectors, services
from ventanilla.cases.choices import CaseStatus, ReferralStatus
from ventanilla.cases.forms import (
    AssessmentForm,
    AssignForm,
    ClosureRequestForm,
    NoteForm,
    PlanItemForm,
    ReferralActionForm,
    ReferralSendForm,
    ReopenForm,
    TaskForm,
    TransitionForm,
    answers_for_display,
)
from ventanilla.cases.models import PlanItem, Task
from ventanilla.cases.services.core import OPEN_REFERRAL
from ventanilla.core.exceptions import DomainError
from ventanilla.core.views import add_domain_errors, log_persons, require_any_cap, require_cap
from ventanilla.pathways import selectors as pathway_selectors
from ventanilla.registry import selectors as registry_selectors
from ventanilla.registry.forms import SearchForm


def _case_or_404(request, case_uuid, *, log: bool = True):
    """The case if this user may see it (else 404); its person(s) go to the access log."""
    case = selectors.case_for_detail(user=request.user, uuid=case_uuid)
    if case is None:
        raise Http404
    persons = selectors.case_persons(case)
    if log:
        log_persons(request, persons, request.resolver_match.view_name.replace(":", "."))
    return case, persons


def _error(request, exc: DomainError) -> None:
    messages.error(request, str(exc.message))
    for errors in exc.field_errors.values():
        for error in errors:
            if error != str(exc.message):
                messages.error(request, error)


def _back(case):
    return redirect("cases:case_detail", case_uuid=case.uuid)


@require_cap(Cap.VIEW_CASES)
def my_cases(request):
    """A case worker's open cases and overdue tasks; for coordinators, what waits on them."""
    found = selectors.my_cases(user=request.user)
    cases = [*found["mine"], *(found["unassigned"] or ()), *(found["closures"] or ())]
    tasks_cases = [t.case for t in found["overdue_tasks"]]
    log_persons(request, selectors.persons_of_cases([*cases, *tasks_cases]), "cases.my_cases")
    return render(request, "cases/my_cases.html", {**found, "today": timezone.localdate()})


@require_POST
@require_cap(Cap.OPEN_CASE)
def case_open(request, person_uuid):
    person = registry_selectors.person_for_detail(user=request.user, uuid=person_uuid)
    if person is None:
        raise Http404
    household = None
    if request.POST.get("for") == "household":
        membership = registry_selectors.current_membership(person)
        if membership is None:
            messages.error(request, _("This person is not in a household."))
            return redirect("registry:person_detail", person_uuid=person.uuid)
        household = membership.household
    try:
        case = services.case_open(
            actor=request.user,
            person=None if household else person,
            household=household,
            assigned_to=request.user if has_cap(request.user, Cap.WORK_CASES) else None,
        )
    except DomainError as exc:
        _error(request, exc)
        return redirect("registry:person_detail", person_uuid=person.uuid)
    messages.success(request, _("Case opened."))
    if has_cap(request.user, Cap.VIEW_CASES):
        return _back(case)
    return redirect("registry:person_detail", person_uuid=person.uuid)


@require_cap(Cap.VIEW_CASES)
def case_detail(request, case_uuid):
    case, persons = _case_or_404(request, case_uuid)
    user = request.user
    can_work = has_cap(user, Cap.WORK_CASES)
    assessments = list(selectors.assessments_of(case)[:5])
    latest = assessments[0] if assessments else None
    tasks = list(selectors.tasks_of(case))
    today = timezone.localdate()
    transitions = [
        (status, CaseStatus(status).label)
        for status in case.next_statuses
        # Moves with their own form (closure with a reason, approval) are shown there.
        if status not in (CaseStatus.CLOSURE_REQUESTED, CaseStatus.REOPENED)
        and case.status != CaseStatus.CLOSURE_REQUESTED
    ]
    context = {
        "case": case,
        "persons": persons,
        "can_work": can_work,
        "can_note": has_cap(user, Cap.ADD_CASE_NOTES),
        "can_approve": has_cap(user, Cap.APPROVE_CASE_CLOSURE),
        "can_specialist_notes": has_cap(user, Cap.VIEW_SPECIALIST_NOTES),
        "transitions": transitions if can_work else [],
        "latest": latest,
        "latest_answers": (
            answers_for_display(latest.questionnaire.definition, latest.answers) if latest else []
        ),
        "earlier_assessments": assessments[1:],
        "plan_items": list(selectors.plan_items(case)),
        "notes": list(selectors.notes_visible_to(user=user, case=case)),
        "tasks": tasks,
        "today": today,
        "is_closed": case.status == CaseStatus.CLOSED,
        "referrals": list(selectors.referrals_of_case(case)),
    }
    context["open_referrals"] = any(r.status in OPEN_REFERRAL for r in context["referrals"])
    context["pathways"] = pathway_selectors.case_summary(case=case, persons=persons)
    context["can_run_pathways"] = has_cap(user, Cap.RUN_PATHWAYS) and not context["is_closed"]
    if has_cap(user, Cap.REFER) and case.status not in (
        CaseStatus.CLOSED,
        CaseStatus.CLOSURE_REQUESTED,
    ):
        context["referral_form"] = _referral_form(user, case)
    if can_work:
        context |= {
            "assign_form": AssignForm(
                workers=selectors.case_workers(),
                initial={
                    "assigned_to": str(case.assigned_to.uuid) if case.assigned_to else "",
                    "version": case.updated_at,
                },
            ),
            "plan_form": PlanItemForm(),
            "task_form": TaskForm(
                members=selectors.team_members(), initial={"owner": str(user.uuid)}
            ),
            "closure_form": ClosureRequestForm(initial={"version": case.updated_at}),
            "reopen_form": ReopenForm(initial={"version": case.updated_at}),
        }
    if context["can_note"]:
        note_form = NoteForm()
        if not context["can_specialist_notes"]:
            note_form.fields["confidentiality"].choices = note_form.fields[
                "confidentiality"
            ].choices[:1]
        context["note_form"] = note_form
    return render(request, "cases/case_detail.html", context)


@require_POST
@require_cap(Cap.WORK_CASES)
def case_transition(request, case_uuid):
    case, _persons = _case_or_404(request, case_uuid, log=False)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the next step."))
        return _back(case)
    data = form.cleaned_data
    try:
        services.case_transition(
            actor=request.user,
            case=case,
            to=data["to"],
            expected_version=data["version"],
            reason=data["reason"],
            open_referrals_reason=data["open_referrals_reason"],
        )
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(
            request,
            _("The case is now in “%(status)s”.") % {"status": CaseStatus(data["to"]).label},
        )
    return _back(case)


@require_POST
@require_cap(Cap.WORK_CASES)
def case_assign(request, case_uuid):
    case, _persons = _case_or_404(request, case_uuid, log=False)
    form = AssignForm(request.POST, workers=selectors.case_workers())
    if not form.is_valid():
        messages.error(request, _("Choose a case worker."))
        return _back(case)
    try:
        services.case_assign(
            actor=request.user,
            case=case,
            assigned_to=form.user(),
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Case worker saved."))
    return _back(case)


@require_cap(Cap.WORK_CASES)
def assessment_new(request, case_uuid):
    """A new assessment with the current questionnaire, starting from the latest answers."""
    case, persons = _case_or_404(request, case_uuid)
    try:
        questionnaire = services.current_questionnaire()
    except DomainError as exc:
        _error(request, exc)
        return _back(case)
    latest = selectors.assessments_of(case).first()
    initial = {"version": case.updated_at}
    if latest is not None:
        initial |= AssessmentForm.initial_from(latest.answers, questionnaire.definition)
    form = AssessmentForm(
        request.POST or None, definition=questionnaire.definition, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_record(
                actor=request.user,
                case=case,
                answers=form.answers(),
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc, request)
        else:
            messages.success(request, _("Assessment saved."))
            return _back(case)
    return render(
        request,
        "cases/assessment_form.html",
        {"case": case, "persons": persons, "form": form, "questionnaire": questionnaire},
    )


@require_POST
@require_cap(Cap.WORK_CASES)
def plan_item_add(request, case_uuid):
    case, _persons = _case_or_404(request, case_uuid, log=False)
    form = PlanItemForm(request.POST)
    if form.is_valid():
        try:
            services.plan_item_add(actor=request.user, case=case, **form.cleaned_data)
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Added to the plan."))
    else:
        messages.error(request, _("Check the plan item: kind, area and description."))
    return _back(case)


@require_POST
@require_cap(Cap.WORK_CASES)
def plan_item_status(request, case_uuid, item_uuid):
    case, _persons = _case_or_404(request, case_uuid, log=False)
    item = get_object_or_404(PlanItem, case=case, uuid=item_uuid)
    try:
        services.plan_item_set_status(
            actor=request.user, item=item, status=request.POST.get("status", "")
        )
    except DomainError as exc:
        _error(request, exc)
    return _back(case)


@require_POST
@require_any_cap(Cap.ADD_CASE_NOTES)
def note_add(request, case_uuid):
    case, _persons = _case_or_404(request, case_uuid, log=False)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_add(actor=request.user, case=case, **form.cleaned_data)
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Note added."))
    else:
        messages.error(request, _("Write the note."))
    return _back(case)


@require_POST
@require_cap(Cap.WORK_CASES)
def task_add(request, case_uuid):
    case, _persons = _case_or_404(request, case_uuid, log=False)
    form = TaskForm(request.POST, members=selectors.team_members())
    if form.is_valid():
        try:
            services.task_add(
                actor=request.user,
                case=case,
                title=form.cleaned_data["title"],
                due_date=form.cleaned_data["due_date"],
                owner=form.owner_user(),
            )
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Task added."))
    else:
        messages.error(request, _("Give the task a title, a due date and an owner."))
    return _back(case)


@require_POST
@require_cap(Cap.WORK_CASES)
def task_complete(request, case_uuid, task_uuid):
    case, _persons = _case_or_404(request, case_uuid, log=False)
    task = get_object_or_404(Task, case=case, uuid=task_uuid)
    try:
        services.task_complete(actor=request.user, task=task)
    except DomainError as exc:
        _error(request, exc)
    return _back(case)


# --- Referrals -------------------------------------------------------------------------


def _referral_form(user, case, data=None):
    from ventanilla.catalog.selectors import services_active

    return ReferralSendForm(
        data,
        needs=selectors.needs_of(case),
        services=services_active(today=timezone.localdate()).select_related("provider"),
        persons=services.referral_persons_allowed(case),
        can_override=has_cap(user, Cap.OVERRIDE_CONSENT),
    )


@require_POST
@require_cap(Cap.REFER)
def referral_send(request, case_uuid):
    case, _persons = _case_or_404(request, case_uuid, log=False)
    form = _referral_form(request.user, case, request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(case)
    data = form.cleaned_data
    need = selectors.needs_of(case).filter(uuid=data["need"]).first()
    service = None
    if data["service"]:
        from ventanilla.catalog.selectors import services_active

        service = services_active(today=timezone.localdate()).filter(uuid=data["service"]).first()
    by_uuid = {str(p.uuid): p for p in services.referral_persons_allowed(case)}
    try:
        sent = services.referral_send(
            actor=request.user,
            case=case,
            need=need,
            service=service,
            external_provider=data["external_provider"],
            external_contact=data["external_contact"],
            persons=[by_uuid[u] for u in data["persons"] if u in by_uuid],
            summary=data["summary"],
            override_reason=data.get("override_reason", ""),
        )
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Referrals sent: %(n)s.") % {"n": len(sent)})
    return _back(case)


@require_any_cap(Cap.ANSWER_REFERRALS, Cap.VIEW_CASES)
def referral_inbox(request):
    """Partner staff: the referrals sent to their organization (new, overdue, in progress)."""
    if not has_cap(request.user, Cap.ANSWER_REFERRALS):
        return redirect("cases:my_cases")
    found = selectors.referral_inbox(user=request.user)
    shown = [r.person_id for group in found.values() for r in group]
    log_persons(request, shown, "cases.referral_inbox")
    return render(request, "cases/referral_inbox.html", found)


@require_any_cap(Cap.ANSWER_REFERRALS, Cap.VIEW_CASES)
def referral_detail(request, referral_uuid):
    referral = selectors.referral_for_detail(user=request.user, uuid=referral_uuid)
    if referral is None:
        raise Http404
    log_persons(request, [referral.person_id], "cases.referral_detail")
    user = request.user
    is_partner = has_cap(user, Cap.ANSWER_REFERRALS) and not referral.is_external
    can_act = is_partner or (referral.is_external and has_cap(user, Cap.REFER))
    return render(
        request,
        "cases/referral_detail.html",
        {
            "referral": referral,
            "can_act": can_act,
            "can_cancel": has_cap(user, Cap.REFER),
            "next": set(referral_workflow.allowed_next(referral.status)),
        },
    )


_ACTIONS = {
    "accept": ReferralStatus.ACCEPTED,
    "reject": ReferralStatus.REJECTED,
    "start": ReferralStatus.IN_PROGRESS,
    "complete": ReferralStatus.COMPLETED,
    "did_not_attend": ReferralStatus.DID_NOT_ATTEND,
    "cancel": ReferralStatus.CANCELLED,
}


@require_POST
@require_any_cap(Cap.ANSWER_REFERRALS, Cap.REFER)
def referral_act(request, referral_uuid):
    referral = selectors.referral_for_detail(user=request.user, uuid=referral_uuid)
    if referral is None:
        raise Http404
    back = redirect("cases:referral_detail", referral_uuid=referral.uuid)
    form = ReferralActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do."))
        return back
    data = form.cleaned_data
    try:
        if data["action"] == "note":
            services.referral_update_note(
                actor=request.user,
                referral=referral,
                note=data["text"],
                expected_version=data["version"],
            )
        else:
            to = _ACTIONS[data["action"]]
            services.referral_transition(
                actor=request.user,
                referral=referral,
                to=to,
                text=data["text"],
                expected_version=data["version"],
            )
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Referral saved."))
    return back


# --- My work ----------------------------------------------------------------------------

# The capabilities that give "my work" a section; without any, the page is refused (403).
MY_WORK_CAPS = (
    Cap.RECORD_VISIT,
    Cap.WORK_CASES,
    Cap.ANSWER_REFERRALS,
    Cap.APPROVE_CASE_CLOSURE,
)


def _visit_filters(request):
    """The intake section's filters: an attention point (by uuid) and "recorded by me"."""
    points = registry_selectors.attention_points_for_filter()
    chosen = next((p for p in points if str(p.uuid) == request.GET.get("point", "")), None)
    return points, chosen, request.GET.get("mine") == "1"


@require_any_cap(*MY_WORK_CAPS)
def my_work(request):
    """What waits on this user today, one section per role they hold."""
    user = request.user
    today = timezone.localdate()
    context = {"today": today}
    shown = []
    if has_cap(user, Cap.RECORD_VISIT):
        points, point, mine = _visit_filters(request)
        intake = registry_selectors.visits_today(
            user=user,
            today=today,
            attention_point_id=point.pk if point else None,
            staff=user if mine else None,
        )
        context["intake"] = intake | {
            "points": points,
            "point": point,
            "mine": mine,
            # Search before register, as on the search page: the intake worker's first step.
            "search_form": SearchForm(),
        }
        shown += [p for v in intake["visits"] for p in v.persons.all()]
    if has_cap(user, Cap.WORK_CASES):
        work = selectors.case_worker_work(user=user, today=today)
        context["casework"] = work
        shown += selectors.persons_of_cases([*work["urgent"], *(t.case for t in work["tasks"])])
        shown += [r.person_id for r in (*work["waiting"], *work["answered"])]
    if has_cap(user, Cap.ANSWER_REFERRALS):
        partner = selectors.partner_work(user=user, today=today)
        context["partner"] = partner
        shown += [r.person_id for r in (*partner["new"], *partner["overdue"])]
    if has_cap(user, Cap.APPROVE_CASE_CLOSURE):
        coordination = selectors.coordinator_work(user=user, today=today)
        context["coordination"] = coordination
        shown += selectors.persons_of_cases(
            [*coordination["unassigned"], *coordination["closures"]]
        )
    log_persons(request, shown, "my_work")
    return render(request, "cases/my_work.html", context)


@require_cap(Cap.APPROVE_CASE_CLOSURE)
def overdue_referrals(request):
    """Coordinators: overdue referrals, of one provider (organization or external name)."""
    from django.core.paginator import Paginator

    organization = request.GET.get("organization", "")
    try:
        organization_uuid = UUID(organization) if organization else None
    except ValueError:
        raise Http404 from None
    external = request.GET.get("external", "").strip()
    found = selectors.overdue_referrals(
        user=request.user, organization_uuid=organization_uuid, external=external
    )
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    log_persons(request, [r.person_id for r in page], "cases.overdue_referrals")
    provider = external
    if organization_uuid is not None and page.object_list:
        provider = page.object_list[0].provider_name
    return render(
        request,
        "cases/overdue_referrals.html",
        {
            "page": page,
            "provider": provider,
            "organization": organization,
            "external": external,
            "today": timezone.localdate(),
        },
    )


# --- Notifications ----------------------------------------------------------------------


@login_required
def notifications(request):
    """The user's notifications, newest first; unread ones stand out."""
    from django.core.paginator import Paginator

    page = Paginator(selectors.notifications_of(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "cases/notifications.html", {"page": page})


@login_required
def notification_open(request, notification_uuid):
    """Opening a notification marks it read and follows its link (someone else's: 404)."""
    notification = get_object_or_404(
        selectors.notifications_of(request.user), uuid=notification_uuid
    )
    services.notification_mark_read(user=request.user, notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.url)
    return redirect("notifications")


@require_POST
@login_required
def notifications_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications")
