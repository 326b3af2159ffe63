"""Writes for mobile-unit days and extramural workshops. Each one transaction.

Rules (also in docs/architecture.md):
- A session takes an attention point or a locality; with a point, the point's locality is stored.
- Attendance and services delivered are recorded on sessions that are not cancelled and whose
  date has come; recording on a planned session marks it held.
- A registered attendee is also a registry visit at the session's attention point (so "people
  served" counts them): a session planned by locality only takes anonymous counts until its
  attention point is set.
- Only planned sessions are cancelled, with a reason.
"""

from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.core.audit import audit_record, diff, snapshot
from ventanilla.core.exceptions import Conflict, InvalidInput, PermissionDenied
from ventanilla.outreach.choices import (
    AgeGroup,
    AttendeeSex,
    SessionKind,
    SessionStatus,
    age_group_of,
)
from ventanilla.outreach.models import (
    AnonymousAttendance,
    OutreachSession,
    ServiceDelivered,
    SessionAttendance,
)
from ventanilla.registry import selectors as registry_selectors
from ventanilla.registry import services as registry_services
from ventanilla.registry.choices import VisitReason

SESSION_FIELDS = [
    "kind",
    "attention_point",
    "locality",
    "date",
    "start_time",
    "end_time",
    "topic",
    "description",
    "notes",
]
# What a registered attendee's registry visit gives as its reason.
VISIT_REASON_OF_KIND = {
    SessionKind.MOBILE_UNIT_DAY: VisitReason.INFORMATION,
    SessionKind.EXTRAMURAL_WORKSHOP: VisitReason.TRAINING,
}


def _require(actor, cap: str) -> None:
    if actor is not None and not has_cap(actor, cap):
        raise PermissionDenied(_("You do not have permission to do this."))


def _invalid(errors: dict[str, list[str]]) -> InvalidInput:
    return InvalidInput(next(iter(errors.values()))[0], field_errors=errors)


def _clean_save(obj) -> None:
    try:
        obj.full_clean(exclude=["organizations", "persons"])
    except ValidationError as exc:
        raise InvalidInput.from_validation_error(exc) from exc
    obj.save()


def _place(fields: dict) -> None:
    """The locality comes from the attention point when there is one."""
    point = fields.get("attention_point")
    if point is not None:
        if not point.is_active:
            raise _invalid({"attention_point": [_("Choose an active attention point.")]})
        fields["locality"] = point.locality
    if fields.get("locality") is None:
        message = _("Choose an attention point or a locality.")
        raise _invalid({"attention_point": [message], "locality": [message]})


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if not (fields.get("topic") or "").strip():
        raise _invalid({"topic": [_("Give the session's topic.")]})


def _org_uuids(session) -> list[str]:
    return sorted(str(o.uuid) for o in session.organizations.all())


@transaction.atomic
def session_plan(*, actor, organizations=(), **fields) -> OutreachSession:
    """Plan a mobile-unit day or a workshop."""
    _require(actor, Cap.PLAN_OUTREACH)
    fields.setdefault("attention_point", None)
    fields.setdefault("locality", None)
    _check_fields(fields)
    _place(fields)
    session = OutreachSession(planned_by=actor if getattr(actor, "pk", None) else None, **fields)
    _clean_save(session)
    session.organizations.set(list(organizations))
    audit_record(
        actor=actor,
        action="outreach.session.planned",
        obj=session,
        changes={"topic": [None, session.topic], "date": [None, session.date]},
    )
    return session


def _lock(session: OutreachSession) -> OutreachSession:
    return OutreachSession.objects.select_for_update().get(pk=session.pk)


@transaction.atomic
def session_update(
    *,
    actor,
    session: OutreachSession,
    expected_version: datetime | None,
    organizations=None,
    **fields,
) -> OutreachSession:
    """Edit a session. `expected_version` is the updated_at the editor saw: a stale edit fails."""
    _require(actor, Cap.PLAN_OUTREACH)
    locked = _lock(session)
    if expected_version is not None and locked.updated_at != expected_version:
        raise Conflict(
            _(
                "Someone else changed this session while you were editing. "
                "Reload the page to see their changes, then edit again."
            )
        )
    if locked.status == SessionStatus.CANCELLED:
        raise InvalidInput(_("A cancelled session cannot be edited."))
    merged = {name: getattr(locked, name) for name in SESSION_FIELDS} | fields
    if "attention_point" in fields and "locality" not in fields and fields["attention_point"]:
        merged["locality"] = None
    _check_fields(merged)
    _place(merged)
    errors = {}
    has_registered = locked.attendances.exists()
    if has_registered and merged["attention_point"] != locked.attention_point:
        errors["attention_point"] = [
            _("Registered attendees were served here: the attention point cannot change.")
        ]
    if locked.status == SessionStatus.HELD and merged["date"] > timezone.localdate():
        errors["date"] = [_("A session that was held cannot move to a future date.")]
    if errors:
        raise _invalid(errors)
    before = snapshot(locked, SESSION_FIELDS) | {"organizations": _org_uuids(locked)}
    for name, value in merged.items():
        setattr(locked, name, value)
    _clean_save(locked)
    if organizations is not None:
        locked.organizations.set(list(organizations))
    after = snapshot(locked, SESSION_FIELDS) | {"organizations": _org_uuids(locked)}
    changes = diff(before, after)
    if changes:
        audit_record(actor=actor, action="outreach.session.updated", obj=locked, changes=changes)
    return locked


@transaction.atomic
def session_cancel(*, actor, session: OutreachSession, reason: str) -> OutreachSession:
    _require(actor, Cap.PLAN_OUTREACH)
    locked = _lock(session)
    if locked.status != SessionStatus.PLANNED:
        raise InvalidInput(_("Only a planned session can be cancelled."))
    if not (reason or "").strip():
        raise _invalid({"reason": [_("Give the reason for cancelling.")]})
    locked.status, locked.cancel_reason = SessionStatus.CANCELLED, reason.strip()
    locked.save(update_fields=["status", "cancel_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="outreach.session.cancelled",
        obj=locked,
        changes={"status": [SessionStatus.PLANNED, SessionStatus.CANCELLED]},
        reason=locked.cancel_reason,
    )
    return locked


def _mark_held(*, actor, locked: OutreachSession) -> None:
    if locked.status == SessionStatus.CANCELLED:
        raise InvalidInput(_("This session was cancelled."))
    if locked.date > timezone.localdate():
        raise InvalidInput(_("Attendance is recorded once the session's date has come."))
    if locked.status == SessionStatus.PLANNED:
        locked.status = SessionStatus.HELD
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="outreach.session.held",
            obj=locked,
            changes={"status": [SessionStatus.PLANNED, SessionStatus.HELD]},
        )


@transaction.atomic
def session_mark_held(*, actor, session: OutreachSession) -> OutreachSession:
    """Record that a session took place (its date must have come)."""
    _require(actor, Cap.RECORD_OUTREACH)
    locked = _lock(session)
    _mark_held(actor=actor, locked=locked)
    return locked


def _session_moment(session: OutreachSession) -> datetime:
    """When the attendees were served, for their registry visit: never in the future."""
    tz = timezone.get_current_timezone()
    moment = datetime.combine(session.date, session.start_time or time(9), tz)
    return min(moment, timezone.now())


@transaction.atomic
def attendance_add_person(*, actor, session: OutreachSession, person) -> SessionAttendance:
    """A registered person attended: the attendance and their registry visit, together."""
    _require(actor, Cap.RECORD_OUTREACH)
    locked = _lock(session)
    _mark_held(actor=actor, locked=locked)
    if locked.attention_point_id is None:
        raise _invalid(
            {
                "person": [
                    _(
                        "This session has no attention point: record anonymous counts, or ask "
                        "the coordinator to set its attention point to record registered persons."
                    )
                ]
            }
        )
    if SessionAttendance.objects.filter(session=locked, person=person).exists():
        raise _invalid({"person": [_("This person is already recorded as attending.")]})
    membership = registry_selectors.current_membership(person)
    visit = registry_services.visit_record(
        actor=actor,
        persons=[person],
        household=membership.household if membership else None,
        attention_point=locked.attention_point,
        reasons=[VISIT_REASON_OF_KIND[locked.kind]],
        note=_("Attended: %(topic)s") % {"topic": locked.topic[:900]},
        occurred_at=_session_moment(locked),
    )
    try:
        with transaction.atomic():
            attendance = SessionAttendance.objects.create(
                session=locked,
                person=person,
                visit=visit,
                sex=person.sex or AttendeeSex.NOT_RECORDED,
                age_group=age_group_of(person.age(locked.date)),
                population_group=person.population_group,
                recorded_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError as exc:
        raise _invalid({"person": [_("This person is already recorded as attending.")]}) from exc
    audit_record(actor=actor, action="outreach.attendance.added", obj=locked, person=person)
    return attendance


@transaction.atomic
def attendance_remove_person(*, actor, session: OutreachSession, person) -> None:
    """Undo an attendance recorded by mistake, with the registry visit it recorded."""
    _require(actor, Cap.RECORD_OUTREACH)
    locked = _lock(session)
    attendance = (
        SessionAttendance.objects.select_related("visit")
        .filter(session=locked, person=person)
        .first()
    )
    if attendance is None:
        raise _invalid({"person": [_("This person is not recorded as attending.")]})
    visit = attendance.visit
    attendance.delete()
    if visit is not None:
        registry_services.visit_withdraw(
            actor=actor, visit=visit, reason=_("Attendance removed from an outreach session.")
        )
    audit_record(actor=actor, action="outreach.attendance.removed", obj=locked, person=person)


@transaction.atomic
def anonymous_counts_set(
    *, actor, session: OutreachSession, counts: dict[tuple[str, str], int]
) -> list[AnonymousAttendance]:
    """Replace the anonymous grid (sex × age group → people) of a session, all at once.

    Cells left out or set to 0 are cleared.
    """
    _require(actor, Cap.RECORD_OUTREACH)
    errors: dict[str, list[str]] = {}
    for (sex, age_group), count in counts.items():
        key = f"{sex}__{age_group}"
        if sex not in AttendeeSex.values or age_group not in AgeGroup.values:
            errors[key] = [_("Unknown sex or age group.")]
        elif not isinstance(count, int) or isinstance(count, bool) or count < 0:
            errors[key] = [_("Enter a whole number, 0 or more.")]
    if errors:
        raise _invalid(errors)
    locked = _lock(session)
    _mark_held(actor=actor, locked=locked)
    before = {f"{row.sex}__{row.age_group}": row.count for row in locked.anonymous_counts.all()}
    locked.anonymous_counts.all().delete()
    rows = AnonymousAttendance.objects.bulk_create(
        [
            AnonymousAttendance(session=locked, sex=sex, age_group=age_group, count=count)
            for (sex, age_group), count in sorted(counts.items())
            if count > 0
        ]
    )
    after = {f"{row.sex}__{row.age_group}": row.count for row in rows}
    changes = {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
    if changes:
        audit_record(
            actor=actor, action="outreach.anonymous_counts.set", obj=locked, changes=changes
        )
    return rows


@transaction.atomic
def service_delivered_add(
    *,
    actor,
    session: OutreachSession,
    count: int,
    service=None,
    description: str = "",
    provider=None,
    persons=(),
) -> ServiceDelivered:
    """A service delivered on the spot: a catalog service or a description, to how many people."""
    _require(actor, Cap.RECORD_OUTREACH)
    locked = _lock(session)
    _mark_held(actor=actor, locked=locked)
    persons = list(persons)
    errors: dict[str, list[str]] = {}
    if service is None and not (description or "").strip():
        errors["service"] = [_("Choose a service or describe it.")]
    if not isinstance(count, int) or count < 1:
        errors["count"] = [_("Enter how many people received it (1 or more).")]
    elif count < len(persons):
        errors["count"] = [_("The count cannot be below the number of persons chosen.")]
    attendees = set(locked.attendances.values_list("person_id", flat=True))
    if any(p.pk not in attendees for p in persons):
        errors["persons"] = [_("Choose persons recorded as attending this session.")]
    if errors:
        raise _invalid(errors)
    delivered = ServiceDelivered(
        session=locked,
        service=service,
        description=(description or "").strip(),
        provider=provider or (service.provider if service is not None else None),
        count=count,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    _clean_save(delivered)
    delivered.persons.set(persons)
    audit_record(
        actor=actor,
        action="outreach.service_delivered.added",
        obj=delivered,
        changes={"session": [None, locked], "count": [None, count]},
    )
    return delivered


def day_has_come(day: date) -> bool:
    return day <= timezone.localdate()
