from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.core.exceptions import DomainError
from ventanilla.core.views import add_domain_errors, log_persons, require_any_cap, require_cap
from ventanilla.outreach import selectors, services
from ventanilla.outreach.choices import AttendeeSex, SessionStatus
from ventanilla.outreach.forms import (
    AnonymousCountsForm,
    AttendeeSearchForm,
    CancelForm,
    ServiceDeliveredForm,
    SessionFilterForm,
    SessionForm,
)
from ventanilla.registry import selectors as registry_selectors

VIEW_CAPS = (Cap.PLAN_OUTREACH, Cap.RECORD_OUTREACH, Cap.VIEW_PARTICIPATING_OUTREACH)


def _session_or_404(request, session_uuid):
    session = selectors.session_for_user(user=request.user, uuid=session_uuid)
    if session is None:
        raise Http404
    return session


@require_any_cap(*VIEW_CAPS)
def session_list(request):
    """Upcoming or past sessions, by locality and kind."""
    form = SessionFilterForm(request.GET or None)
    kwargs = form.selector_kwargs()
    return render(
        request,
        "outreach/session_list.html",
        {
            "form": form,
            "when": kwargs["when"],
            "sessions": selectors.session_list(user=request.user, **kwargs),
            "can_plan": has_cap(request.user, Cap.PLAN_OUTREACH),
        },
    )


@require_cap(Cap.PLAN_OUTREACH)
def session_form(request, session_uuid=None):
    """Plan a session, or edit one (a stale edit is refused)."""
    session = _session_or_404(request, session_uuid) if session_uuid else None
    initial = {}
    if session:
        if session.status == SessionStatus.CANCELLED:
            raise Http404
        initial = {name: getattr(session, name) for name in services.SESSION_FIELDS}
        initial |= {
            "organizations": list(session.organizations.all()),
            "version": session.updated_at,
        }
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = form.session_fields()
        try:
            if session:
                saved = services.session_update(
                    actor=request.user,
                    session=session,
                    expected_version=form.cleaned_data["version"],
                    **fields,
                )
            else:
                saved = services.session_plan(actor=request.user, **fields)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Session saved."))
            return redirect("outreach:session_detail", session_uuid=saved.uuid)
    return render(request, "outreach/session_form.html", {"form": form, "session": session})


@require_any_cap(*VIEW_CAPS)
def session_detail(request, session_uuid):
    """The session: details, attendance (names only for recorders), services, totals."""
    session = _session_or_404(request, session_uuid)
    user = request.user
    can_record = has_cap(user, Cap.RECORD_OUTREACH)
    names = selectors.may_see_names(user)
    search = AttendeeSearchForm(request.GET or None)
    results, more, query = [], False, ""
    if names and search.is_valid() and search.cleaned_data["q"].strip():
        query = search.cleaned_data["q"].strip()
        results, more = registry_selectors.person_search(user=user, query=query, limit=20)
    if request.htmx and query:
        log_persons(request, results, "outreach.attendee_search")
        return render(
            request,
            "outreach/session_detail.html#search_results",
            {"session": session, "results": results, "more": more, "query": query},
        )
    attendees = selectors.attendees_of(session) if names else []
    delivered = list(selectors.services_delivered_of(session, with_persons=names))
    shown = {a.person.pk: a.person for a in attendees} | {p.pk: p for p in results}
    if shown:
        log_persons(request, list(shown.values()), "outreach.session_detail")
    open_for_recording = (
        can_record
        and session.status != SessionStatus.CANCELLED
        and services.day_has_come(session.date)
    )
    context = {
        "session": session,
        "can_plan": has_cap(user, Cap.PLAN_OUTREACH),
        "can_record": can_record,
        "open_for_recording": open_for_recording,
        "show_names": names,
        "attendees": attendees,
        "search": search,
        "results": results,
        "more": more,
        "query": query,
        "attending": {a.person_id for a in attendees},
        "grid": AnonymousCountsForm(initial_counts=selectors.anonymous_grid(session)),
        "sexes": AttendeeSex.choices,
        "service_form": ServiceDeliveredForm(
            attendee_choices=[(str(a.person.uuid), a.person.display_name) for a in attendees]
        ),
        "delivered": delivered,
        "totals": selectors.session_totals(session),
        "today": timezone.localdate(),
    }
    return render(request, "outreach/session_detail.html", context)


def _back(session):
    return redirect("outreach:session_detail", session_uuid=session.uuid)


def _error(request, exc: DomainError) -> None:
    details = [m for messages_ in exc.field_errors.values() for m in messages_]
    messages.error(request, details[0] if details else exc.message)


@require_cap(Cap.PLAN_OUTREACH)
def session_cancel(request, session_uuid):
    session = _session_or_404(request, session_uuid)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(
                actor=request.user, session=session, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Session cancelled."))
            return _back(session)
    return render(request, "outreach/session_cancel.html", {"form": form, "session": session})


@require_POST
@require_cap(Cap.RECORD_OUTREACH)
def session_held(request, session_uuid):
    session = _session_or_404(request, session_uuid)
    try:
        services.session_mark_held(actor=request.user, session=session)
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Session marked as held."))
    return _back(session)


@require_POST
@require_cap(Cap.RECORD_OUTREACH, Cap.VIEW_PERSON)
def attendance_add(request, session_uuid):
    session = _session_or_404(request, session_uuid)
    person = (
        registry_selectors.person_for_detail(
            user=request.user, uuid=request.POST.get("person") or None
        )
        if _is_uuid(request.POST.get("person", ""))
        else None
    )
    if person is None:
        messages.error(request, _("Choose a registered person."))
        return _back(session)
    try:
        services.attendance_add_person(actor=request.user, session=session, person=person)
    except DomainError as exc:
        _error(request, exc)
    else:
        log_persons(request, [person], "outreach.attendance_add")
        messages.success(
            request, _("%(name)s recorded as attending.") % {"name": person.display_name}
        )
    return _back(session)


@require_POST
@require_cap(Cap.RECORD_OUTREACH, Cap.VIEW_PERSON)
def attendance_remove(request, session_uuid):
    session = _session_or_404(request, session_uuid)
    person = (
        registry_selectors.person_for_detail(user=request.user, uuid=request.POST.get("person"))
        if _is_uuid(request.POST.get("person", ""))
        else None
    )
    if person is None:
        raise Http404
    try:
        services.attendance_remove_person(actor=request.user, session=session, person=person)
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Attendance removed."))
    return _back(session)


@require_POST
@require_cap(Cap.RECORD_OUTREACH)
def anonymous_counts(request, session_uuid):
    session = _session_or_404(request, session_uuid)
    form = AnonymousCountsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter whole numbers, 0 or more, in the grid."))
        return _back(session)
    try:
        services.anonymous_counts_set(actor=request.user, session=session, counts=form.counts())
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Anonymous counts saved."))
    return _back(session)


@require_POST
@require_cap(Cap.RECORD_OUTREACH)
def service_delivered_add(request, session_uuid):
    session = _session_or_404(request, session_uuid)
    attendees = selectors.attendees_of(session) if selectors.may_see_names(request.user) else []
    by_uuid = {str(a.person.uuid): a.person for a in attendees}
    form = ServiceDeliveredForm(
        request.POST, attendee_choices=[(key, p.display_name) for key, p in by_uuid.items()]
    )
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        messages.error(request, first)
        return _back(session)
    data = form.cleaned_data
    try:
        services.service_delivered_add(
            actor=request.user,
            session=session,
            service=data["service"],
            description=data["description"],
            provider=data["provider"],
            count=data["count"],
            persons=[by_uuid[key] for key in data.get("persons") or []],
        )
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Service delivered recorded."))
    return _back(session)


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
