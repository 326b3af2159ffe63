"""Writes for cases: open, assign, move through the workflow, assess, plan, notes, tasks.

Every write locks the case row (select_for_update), so two staff acting on the same case
at once go one after the other; an `expected_version` (the case's updated_at the actor
saw) that is stale is refused with a Conflict instead of overwriting their work.
"""

import logging
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.cases import questionnaire as qn
from ventanilla.cases import workflow
from ventanilla.cases.choices import (
    CaseStatus,
    NeedArea,
    NoteConfidentiality,
    PlanItemKind,
    PlanItemStatus,
    Priority,
    ReferralStatus,
)
from ventanilla.cases.models import (
    Assessment,
    Case,
    CaseNote,
    PlanItem,
    Questionnaire,
    Referral,
    Task,
)
from ventanilla.core.audit import audit_record
from ventanilla.core.exceptions import Conflict, InvalidInput, PermissionDenied

DEFAULT_QUESTIONNAIRE = "needs"

logger = logging.getLogger(__name__)


def _require(actor, cap: str) -> None:
    if not has_cap(actor, cap):
        raise PermissionDenied(_("You do not have permission to do this."))


def _status_label(status: str) -> str:
    return str(CaseStatus(status).label) if status in CaseStatus.values else status


def _lock(case: Case, expected_version: datetime | None = None) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and locked.updated_at != expected_version:
        raise Conflict(
            _(
                "Someone else changed this case while you were working on it. "
                "Reload the page to see their changes, then try again."
            )
        )
    return locked


def _touch(case: Case) -> None:
    """A change to a case's parts is a change to the case: its version moves on."""
    case.save(update_fields=["updated_at"])


def _audit(actor, action: str, case: Case, obj=None, changes=None, reason: str = "") -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=obj if obj is not None else case,
        person=case.person,
        changes=changes,
        reason=reason,
    )


def _open_case_of(*, person=None, household=None) -> Case | None:
    qs = Case.objects.exclude(status=CaseStatus.CLOSED)
    return (qs.filter(person=person) if person else qs.filter(household=household)).first()


def _already_open_error(existing: Case) -> Conflict:
    if existing.person_id:
        message = _("This person already has an open case (%(status)s). Work on that one.")
    else:
        message = _("This household already has an open case (%(status)s). Work on that one.")
    return Conflict(message % {"status": _status_label(existing.status)})


@transaction.atomic
def case_open(*, actor, person=None, household=None, assigned_to=None) -> Case:
    """Open a case for a person or for a household (one of them); one open case each."""
    _require(actor, Cap.OPEN_CASE)
    if (person is None) == (household is None):
        raise InvalidInput(_("A case is for one person or for one household."))
    if assigned_to is not None:
        _check_assignable(assigned_to)
    # Lock the subject so that two openings for the same person go one after the other.
    subject = person or household
    type(subject).objects.select_for_update().filter(pk=subject.pk).first()
    existing = _open_case_of(person=person, household=household)
    if existing is not None:
        raise _already_open_error(existing)
    try:
        with transaction.atomic():
            case = Case.objects.create(
                person=person,
                household=household,
                opened_by=actor,
                opened_at=timezone.now(),
                assigned_to=assigned_to,
            )
    except IntegrityError as exc:
        existing = _open_case_of(person=person, household=household)
        if existing is not None:
            raise _already_open_error(existing) from exc
        # The database's own words are no message for the user; keep them in the log.
        logger.warning("case_open refused by the database: %s", exc)
        raise Conflict(
            _(
                "The case could not be opened because of a change made at the same time. "
                "Reload the page and try again."
            )
        ) from exc
    _audit(
        actor,
        "cases.case.opened",
        case,
        changes={"person": person, "household": household, "assigned_to": assigned_to},
    )
    return case


def _check_assignable(user) -> None:
    if not has_cap(user, Cap.WORK_CASES):
        raise InvalidInput(
            _("%(user)s cannot work on cases.") % {"user": user.get_full_name() or user.username},
            field_errors={"assigned_to": [_("Choose a case worker.")]},
        )


@transaction.atomic
def case_assign(*, actor, case: Case, assigned_to, expected_version=None) -> Case:
    _require(actor, Cap.WORK_CASES)
    locked = _lock(case, expected_version)
    if assigned_to is not None:
        _check_assignable(assigned_to)
    before = locked.assigned_to
    if before == assigned_to:
        return locked
    locked.assigned_to = assigned_to
    locked.save(update_fields=["assigned_to", "updated_at"])
    _audit(actor, "cases.case.assigned", locked, changes={"assigned_to": [before, assigned_to]})
    return locked


def _refuse_move(current: str, to: str) -> InvalidInput:
    allowed = ", ".join(_status_label(s) for s in sorted(workflow.allowed_next(current)))
    message = _(
        "A case in status “%(current)s” cannot move to “%(to)s”. Possible next steps: %(allowed)s."
    ) % {
        "current": _status_label(current),
        "to": _status_label(to),
        "allowed": allowed or "—",
    }
    return InvalidInput(message, field_errors={"to": [message]})


# Referrals whose person is still waiting for the service.
OPEN_REFERRAL = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)


@transaction.atomic
def case_transition(
    *,
    actor,
    case: Case,
    to: str,
    expected_version=None,
    reason: str = "",
    open_referrals_reason: str = "",
) -> Case:
    """Move the case to the next status, if the workflow allows it and the actor may.

    Closing while referrals are still open (sent, accepted, in progress) needs its own reason:
    those people are still waiting for a service.
    """
    _require(actor, Cap.WORK_CASES)
    locked = _lock(case, expected_version)
    current = locked.status
    if not workflow.can_move(current, to):
        raise _refuse_move(current, to)
    if workflow.needs_approver(current, to):
        _require(actor, Cap.APPROVE_CASE_CLOSURE)
    reason = (reason or "").strip()
    if workflow.needs_reason(current, to) and not reason:
        message = (
            _("Give the reason for closing the case.")
            if to == CaseStatus.CLOSURE_REQUESTED
            else _("Give the reason for reopening the case.")
        )
        raise InvalidInput(message, field_errors={"reason": [message]})
    open_referrals = 0
    if to == CaseStatus.CLOSURE_REQUESTED:
        open_referrals = Referral.objects.filter(case=locked, status__in=OPEN_REFERRAL).count()
        open_referrals_reason = (open_referrals_reason or "").strip()
        if open_referrals and not open_referrals_reason:
            message = ngettext(
                "This case has %(n)s open referral. Say why it can be closed anyway, "
                "or wait for its outcome.",
                "This case has %(n)s open referrals. Say why it can be closed anyway, "
                "or wait for their outcome.",
                open_referrals,
            ) % {"n": open_referrals}
            raise InvalidInput(message, field_errors={"open_referrals_reason": [message]})
        if open_referrals:
            reason = f"{reason}\n{open_referrals_reason}"
    now = timezone.now()
    fields = ["status", "updated_at"]
    if to == CaseStatus.CLOSURE_REQUESTED:
        locked.closure_reason = reason
        locked.closure_requested_by, locked.closure_requested_at = actor, now
        fields += ["closure_reason", "closure_requested_by", "closure_requested_at"]
    elif to == CaseStatus.CLOSED:
        locked.closure_approved_by, locked.closure_approved_at = actor, now
        fields += ["closure_approved_by", "closure_approved_at"]
    elif current == CaseStatus.CLOSURE_REQUESTED:  # the closure was declined
        locked.closure_requested_by = locked.closure_requested_at = None
        locked.closure_reason = ""
        fields += ["closure_reason", "closure_requested_by", "closure_requested_at"]
    elif to == CaseStatus.REOPENED:
        other = (
            Case.objects.exclude(status=CaseStatus.CLOSED)
            .exclude(pk=locked.pk)
            .filter(person=locked.person_id, household=locked.household_id)
            .first()
        )
        if other is not None:
            raise _already_open_error(other)
        locked.closure_approved_by = locked.closure_approved_at = None
        fields += ["closure_approved_by", "closure_approved_at"]
    locked.status = to
    try:
        with transaction.atomic():
            locked.save(update_fields=fields)
    except IntegrityError as exc:
        # Another case for the same person or household was opened at the same moment.
        raise Conflict(
            _("This person or household already has an open case. Reload the page.")
        ) from exc
    action = {
        CaseStatus.CLOSURE_REQUESTED: "cases.case.closure_requested",
        CaseStatus.CLOSED: "cases.case.closed",
        CaseStatus.REOPENED: "cases.case.reopened",
    }.get(to, "cases.case.status_changed")
    if current == CaseStatus.CLOSURE_REQUESTED and to == CaseStatus.FOLLOW_UP:
        action = "cases.case.closure_declined"
    _audit(actor, action, locked, changes={"status": [current, to]}, reason=reason)
    return locked


def case_request_closure(
    *, actor, case: Case, reason: str, expected_version=None, open_referrals_reason: str = ""
) -> Case:
    return case_transition(
        actor=actor,
        case=case,
        to=CaseStatus.CLOSURE_REQUESTED,
        expected_version=expected_version,
        reason=reason,
        open_referrals_reason=open_referrals_reason,
    )


def case_approve_closure(*, actor, case: Case, expected_version=None) -> Case:
    _require(actor, Cap.APPROVE_CASE_CLOSURE)
    return case_transition(
        actor=actor, case=case, to=CaseStatus.CLOSED, expected_version=expected_version
    )


def case_decline_closure(*, actor, case: Case, expected_version=None, reason: str = "") -> Case:
    _require(actor, Cap.APPROVE_CASE_CLOSURE)
    return case_transition(
        actor=actor,
        case=case,
        to=CaseStatus.FOLLOW_UP,
        expected_version=expected_version,
        reason=reason,
    )


def case_reopen(*, actor, case: Case, reason: str, expected_version=None) -> Case:
    return case_transition(
        actor=actor,
        case=case,
        to=CaseStatus.REOPENED,
        expected_version=expected_version,
        reason=reason,
    )


def current_questionnaire(code: str = DEFAULT_QUESTIONNAIRE) -> Questionnaire:
    found = Questionnaire.objects.filter(code=code, is_active=True).order_by("-version").first()
    if found is None:
        raise InvalidInput(_("There is no active questionnaire."))
    return found


ANSWER_MESSAGES = {
    qn.UNKNOWN: lambda: _("There is no such question in this questionnaire."),
    qn.TYPE: lambda: _("This answer has the wrong type."),
    qn.OPTION: lambda: _("Choose among the listed options."),
    qn.REQUIRED: lambda: _("This question must be answered."),
    qn.RANGE: lambda: _("This answer is out of range."),
}


def answer_errors(definition: dict, answers) -> dict[str, list[str]]:
    """Worded errors per question id, or {}."""
    codes = qn.validate(definition, answers)
    return {key: [str(ANSWER_MESSAGES[c]()) for c in found] for key, found in codes.items()}


def _closed_error() -> InvalidInput:
    return InvalidInput(_("This case is closed. Reopen it first."))


@transaction.atomic
def assessment_record(*, actor, case: Case, answers: dict, expected_version=None) -> Assessment:
    """Record answers to the current questionnaire; a new case moves on to assessment."""
    _require(actor, Cap.WORK_CASES)
    locked = _lock(case, expected_version)
    if locked.status in (CaseStatus.CLOSED, CaseStatus.CLOSURE_REQUESTED):
        raise _closed_error()
    questionnaire = current_questionnaire()
    errors = answer_errors(questionnaire.definition, answers)
    if errors:
        raise InvalidInput(
            _("Some answers need attention (%(n)s).") % {"n": len(errors)}, field_errors=errors
        )
    assessment = Assessment.objects.create(
        case=locked,
        questionnaire=questionnaire,
        answers=qn.clean(questionnaire.definition, answers),
        completed_at=timezone.now(),
        completed_by=actor,
    )
    _audit(
        actor,
        "cases.assessment.recorded",
        locked,
        obj=assessment,
        # Answers can be sensitive (protection risks): the log says which were given.
        changes={"questionnaire": str(questionnaire), "answered": sorted(assessment.answers)},
    )
    if locked.status in (CaseStatus.NEW, CaseStatus.REOPENED):
        previous = locked.status
        locked.status = CaseStatus.ASSESSMENT
        locked.save(update_fields=["status", "updated_at"])
        _audit(
            actor,
            "cases.case.status_changed",
            locked,
            changes={"status": [previous, CaseStatus.ASSESSMENT]},
        )
    else:
        _touch(locked)
    persons = _assessed_person_ids(locked)
    transaction.on_commit(lambda: _score_assessed(persons))
    return assessment


def _assessed_person_ids(case: Case) -> list[int]:
    """The person of a personal case, or every current member of a household's."""
    if case.person_id:
        return [case.person_id]
    from ventanilla.registry.models import Membership

    return list(
        Membership.objects.filter(household_id=case.household_id, end_date__isnull=True)
        .order_by("person_id")
        .values_list("person_id", flat=True)
    )


def _score_assessed(person_ids: list[int]) -> None:
    """After commit: the vulnerability index re-scores the assessed people in the
    background. The assessment is saved whatever happens here: a failure is logged."""
    for person_id in person_ids:
        try:
            from ventanilla.vulnerability.tasks import score_person

            score_person.enqueue(person_id)
        except Exception:
            logger.exception("Could not enqueue the IVL score of person %s", person_id)


def _check_open(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise _closed_error()


@transaction.atomic
def plan_item_add(
    *,
    actor,
    case: Case,
    kind: str,
    description: str,
    area: str = "",
    priority: str = Priority.MEDIUM,
) -> PlanItem:
    _require(actor, Cap.WORK_CASES)
    locked = _lock(case)
    _check_open(locked)
    errors = {}
    if kind not in PlanItemKind.values:
        errors["kind"] = [_("Choose need, goal or action.")]
    if area and area not in NeedArea.values or (kind == PlanItemKind.NEED and not area):
        errors["area"] = [_("Choose the area of the need.")]
    if priority not in Priority.values:
        errors["priority"] = [_("Choose a priority.")]
    if not (description or "").strip():
        errors["description"] = [_("Describe it.")]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], field_errors=errors)
    item = PlanItem.objects.create(
        case=locked,
        kind=kind,
        area=area,
        description=description.strip(),
        priority=priority,
        created_by=actor,
    )
    _touch(locked)
    _audit(actor, "cases.plan_item.added", locked, obj=item, changes={"kind": kind, "area": area})
    return item


@transaction.atomic
def plan_item_set_status(*, actor, item: PlanItem, status: str) -> PlanItem:
    _require(actor, Cap.WORK_CASES)
    locked_case = _lock(item.case)
    _check_open(locked_case)
    if status not in PlanItemStatus.values:
        raise InvalidInput(_("Choose a status."), field_errors={"status": [_("Choose a status.")]})
    item = PlanItem.objects.select_for_update().get(pk=item.pk)
    before = item.status
    item.status = status
    item.save(update_fields=["status", "updated_at"])
    _touch(locked_case)
    _audit(
        actor,
        "cases.plan_item.updated",
        locked_case,
        obj=item,
        changes={"status": [before, status]},
    )
    return item


@transaction.atomic
def note_add(*, actor, case: Case, text: str, confidentiality: str = NoteConfidentiality.TEAM):
    _require(actor, Cap.ADD_CASE_NOTES)
    if confidentiality not in NoteConfidentiality.values:
        raise InvalidInput(_("Choose who may read the note."))
    if confidentiality == NoteConfidentiality.SPECIALISTS_ONLY:
        # Writing what one could not read back would be odd, and it would leak nothing, but
        # keep the rule simple: specialists-only notes are written by those who read them.
        _require(actor, Cap.VIEW_SPECIALIST_NOTES)
    if not (text or "").strip():
        raise InvalidInput(_("Write the note."), field_errors={"text": [_("Write the note.")]})
    locked = _lock(case)
    note = CaseNote.objects.create(
        case=locked, author=actor, text=text.strip(), confidentiality=confidentiality
    )
    _touch(locked)
    # The note's text stays out of the change log: only that a note was added, and for whom.
    _audit(
        actor, "cases.note.added", locked, obj=note, changes={"confidentiality": confidentiality}
    )
    return note


@transaction.atomic
def task_add(*, actor, case: Case, title: str, due_date: date, owner) -> Task:
    _require(actor, Cap.WORK_CASES)
    locked = _lock(case)
    _check_open(locked)
    if not (title or "").strip():
        raise InvalidInput(_("Give the task a title."), field_errors={"title": [_("Required.")]})
    if not has_cap(owner, Cap.VIEW_CASES):
        message = _("The owner must be a member of the case team.")
        raise InvalidInput(message, field_errors={"owner": [message]})
    task = Task.objects.create(
        case=locked,
        title=title.strip(),
        due_date=due_date,
        owner=owner,
        created_by=actor,
    )
    _touch(locked)
    _audit(
        actor,
        "cases.task.added",
        locked,
        obj=task,
        changes={"title": task.title, "due_date": due_date, "owner": owner},
    )
    return task


@transaction.atomic
def task_complete(*, actor, task: Task) -> Task:
    _require(actor, Cap.WORK_CASES)
    locked_case = _lock(task.case)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.done_at is not None:
        return task  # done twice (a double click): still done, once
    task.done_at, task.done_by = timezone.now(), actor
    task.save(update_fields=["done_at", "done_by", "updated_at"])
    _touch(locked_case)
    _audit(actor, "cases.task.completed", locked_case, obj=task)
    return task
