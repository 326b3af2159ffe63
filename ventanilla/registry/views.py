from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.cases import selectors as case_selectors
from ventanilla.core.exceptions import DomainError
from ventanilla.core.views import add_domain_errors, log_persons, log_persons_shown, require_cap
from ventanilla.privacy import selectors as privacy_selectors
from ventanilla.privacy import services as privacy_services
from ventanilla.privacy.models import Consent
from ventanilla.registry import selectors, services
from ventanilla.registry.forms import (
    AddMemberForm,
    ConsentForm,
    DifferentialForm,
    DocumentForm,
    HouseholdForm,
    MemberForm,
    MemberFormSet,
    PersonForm,
    PopulationGroupForm,
    ReasonForm,
    SearchForm,
    VisitForm,
)
from ventanilla.registry.models import IdentityDocument, Membership
from ventanilla.registry.normalize import parse_query, phone_digits
from ventanilla.territory import selectors as territory_selectors
from ventanilla.vulnerability import selectors as ivl_selectors


def _person_or_404(request, person_uuid, *, log: bool = True):
    """The person if this user may see them (else 404); the read is written to the access log."""
    person = selectors.person_for_detail(user=request.user, uuid=person_uuid)
    if person is None:
        raise Http404
    if log:
        log_persons(request, [person], request.resolver_match.view_name.replace(":", "."))
    return person


@require_cap(Cap.VIEW_PERSON)
def search(request):
    """Search before register: the intake worker's first screen."""
    form = SearchForm(request.GET or None)
    results, more = [], False
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        results, more = selectors.person_search(user=request.user, query=query)
        log_persons(request, results, "registry.search")
    context = {
        "form": form,
        "query": query,
        "results": results,
        "more": more,
        "searched": bool(query),
    }
    template = "registry/search.html#results" if request.htmx else "registry/search.html"
    return render(request, template, context)


def _initial_member_from_query(query: str) -> dict:
    """Carry what was typed in the search box into the first member of the registration."""
    from django.utils import timezone

    parsed = parse_query(query, today=timezone.localdate())
    initial: dict = {"relationship": "head"}
    words = [w for w in query.split() if w.isalpha()]
    digits = [w for w in query.split() if any(c.isdigit() for c in w)]
    if words:
        # Spanish-speaking names: the last two words are usually the surnames.
        if len(words) >= 3:
            initial.update(
                given_names=" ".join(words[:-2]).title(),
                first_surname=words[-2].title(),
                second_surname=words[-1].title(),
            )
        elif len(words) == 2:
            initial.update(given_names=words[0].title(), first_surname=words[1].title())
        else:
            initial.update(given_names=words[0].title())
    for token in digits:
        if parse_query(token, today=timezone.localdate())["birth_date"]:
            continue
        if len(phone_digits(token)) >= 10 and token.replace("+", "").isdigit():
            initial["phone"] = token
        else:
            initial["document_number"] = token
    if parsed["birth_date"]:
        initial["birth_date"] = parsed["birth_date"]
    return initial


@require_cap(Cap.EDIT_PERSON)
def household_register(request):
    """Register a household with all its members, saved together or not at all."""
    if request.method == "POST":
        household_form = HouseholdForm(request.POST)
        formset = MemberFormSet(request.POST, prefix="members")
        if household_form.is_valid() and formset.is_valid():
            try:
                household = services.household_register(
                    actor=request.user,
                    members=[f.to_member() for f in formset.forms],
                    locality=household_form.cleaned_data["locality"],
                    address=household_form.cleaned_data["address"],
                    consents=household_form.consents(),
                )
            except DomainError as exc:
                log_persons_shown(request, exc)
                _place_member_errors(household_form, formset, exc)
            else:
                head = selectors.household_members(household).filter(relationship="head").first()
                n = len(formset.forms)
                messages.success(
                    request,
                    ngettext(
                        "Household registered with %(n)s member.",
                        "Household registered with %(n)s members.",
                        n,
                    )
                    % {"n": n},
                )
                return redirect("registry:visit_create", person_uuid=head.person.uuid)
    else:
        query = request.GET.get("q", "")
        household_form = HouseholdForm()
        formset = MemberFormSet(prefix="members", initial=[_initial_member_from_query(query)])
    return render(
        request,
        "registry/household_register.html",
        {"household_form": household_form, "formset": formset},
    )


def _place_member_errors(household_form, formset, exc: DomainError) -> None:
    placed = False
    for key, messages_ in exc.field_errors.items():
        parts = key.split(".")
        if parts[0] == "members" and len(parts) >= 3 and parts[1].isdigit():
            form = formset.forms[int(parts[1])]
            field = {
                "number": "document_number",
                "issuing_country": "document_country",
                "expires_on": "document_expires_on",
            }.get(parts[-1], parts[-1])
            for message in messages_:
                form.add_error(field if field in form.fields else None, message)
                placed = True
    if not placed:
        household_form.add_error(None, exc.message)


@require_cap(Cap.EDIT_PERSON)
def member_form(request):
    """An empty member form for the registration flow (htmx adds it to the page)."""
    try:
        index = int(request.GET.get("members-TOTAL_FORMS", "1"))
    except ValueError:
        index = 1
    form = MemberFormSet(prefix="members").empty_form
    form.prefix = f"members-{index}"
    return render(
        request,
        "registry/household_register.html#member",
        {"form": form, "index": index, "number": index + 1},
    )


@require_cap(Cap.VIEW_PERSON)
def person_detail(request, person_uuid):
    person = _person_or_404(request, person_uuid, log=False)  # logged with those it names below
    membership = selectors.current_membership(person)
    members = list(selectors.household_members(membership.household)) if membership else []
    visits = list(selectors.visits_of_person(person))
    # The page names the household members and whoever came along to a visit: they were read too.
    log_persons(
        request,
        [person, *(m.person for m in members), *(p for v in visits for p in v.persons.all())],
        "registry.person_detail",
    )
    can_history = has_cap(request.user, Cap.VIEW_CHANGE_HISTORY)
    context = {
        "person": person,
        "membership": membership,
        "members": members,
        "membership_history": selectors.membership_history(person),
        "documents": person.documents.all(),
        "visits": visits,
        "consents": privacy_selectors.consents_of(person),
        "differential": selectors.differential_of(user=request.user, person=person),
        "can_see_sensitive": has_cap(request.user, Cap.VIEW_SENSITIVE),
        "can_edit": has_cap(request.user, Cap.EDIT_PERSON),
        "can_visit": has_cap(request.user, Cap.RECORD_VISIT),
        "changes": privacy_selectors.change_history(person) if can_history else None,
        "accesses": (
            privacy_selectors.access_events_for_person(person)
            if has_cap(request.user, Cap.VIEW_ACCESS_LOG)
            else None
        ),
        "document_form": DocumentForm(),
        "consent_form": ConsentForm(initial=privacy_selectors.active_consents(person)),
        "group_form": PopulationGroupForm(),
        "cases": case_selectors.cases_of_person(user=request.user, person=person),
        "can_open_case": has_cap(request.user, Cap.OPEN_CASE),
        "can_view_cases": has_cap(request.user, Cap.VIEW_CASES),
        "ivl": ivl_selectors.person_card(user=request.user, person=person),
    }
    return render(request, "registry/person_detail.html", context)


@require_cap(Cap.EDIT_PERSON)
def person_edit(request, person_uuid):
    person = _person_or_404(request, person_uuid)
    can_sensitive = has_cap(request.user, Cap.VIEW_SENSITIVE)
    differential = selectors.differential_of(user=request.user, person=person)
    form = PersonForm(request.POST or None, instance=person)
    diff_form = (
        DifferentialForm(request.POST or None, instance=differential, prefix="d")
        if can_sensitive
        else None
    )
    if request.method == "POST" and form.is_valid() and (diff_form is None or diff_form.is_valid()):
        try:
            services.person_update(
                actor=request.user,
                person=person,
                fields=form.person_fields(),
                expected_version=form.cleaned_data["version"],
                differential=diff_form.cleaned_data if diff_form else None,
            )
        except DomainError as exc:
            add_domain_errors(form, exc, request)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("registry:person_detail", person_uuid=person.uuid)
    return render(
        request,
        "registry/person_edit.html",
        {"person": person, "form": form, "diff_form": diff_form},
    )


@require_POST
@require_cap(Cap.EDIT_PERSON)
def population_group_change(request, person_uuid):
    person = _person_or_404(request, person_uuid)
    form = PopulationGroupForm(request.POST)
    if form.is_valid():
        try:
            services.population_group_change(
                actor=request.user,
                person=person,
                group=form.cleaned_data["group"],
                since=form.cleaned_data["since"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Population group updated."))
    else:
        messages.error(request, _("Choose the new group and the date it started."))
    return redirect("registry:person_detail", person_uuid=person.uuid)


@require_cap(Cap.EDIT_PERSON)
def document_add(request, person_uuid):
    person = _person_or_404(request, person_uuid)
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_add(actor=request.user, person=person, data=form.cleaned_data)
        except DomainError as exc:
            add_domain_errors(form, exc, request)
        else:
            messages.success(request, _("Document added."))
            return redirect("registry:person_detail", person_uuid=person.uuid)
    return render(request, "registry/document_form.html", {"person": person, "form": form})


@require_cap(Cap.EDIT_PERSON)
def document_remove(request, person_uuid, document_uuid):
    person = _person_or_404(request, person_uuid)
    document = get_object_or_404(IdentityDocument, uuid=document_uuid, person=person)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_remove(
                actor=request.user, document=document, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            add_domain_errors(form, exc, request)
        else:
            messages.success(request, _("Document removed."))
            return redirect("registry:person_detail", person_uuid=person.uuid)
    return render(
        request,
        "registry/document_remove.html",
        {"person": person, "document": document, "form": form},
    )


@require_cap(Cap.RECORD_VISIT)
def visit_create(request, person_uuid):
    """Record a visit: the person (and any household members who came) and what was done."""
    person = _person_or_404(request, person_uuid, log=False)  # logged with the members below
    membership = selectors.current_membership(person)
    household = membership.household if membership else None
    members = [m.person for m in selectors.household_members(household)] if household else [person]
    choices = [(str(p.uuid), p.display_name) for p in members]
    last_point = request.session.get(
        "attention_point"
    ) or territory_selectors.default_attention_point_for(request.user)
    form = VisitForm(
        request.POST or None,
        member_choices=choices,
        initial={"persons": [str(person.uuid)], "attention_point": last_point},
    )
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["persons"])
        served = [p for p in members if str(p.uuid) in chosen]
        try:
            services.visit_record(
                actor=request.user,
                persons=served,
                household=household,
                attention_point=form.cleaned_data["attention_point"],
                reasons=form.cleaned_data["reasons"],
                orientation_topics=form.cleaned_data["orientation_topics"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc, request)
        else:
            request.session["attention_point"] = form.cleaned_data["attention_point"].pk
            messages.success(request, _("Visit recorded."))
            return redirect("registry:person_detail", person_uuid=person.uuid)
    log_persons(request, members, "registry.visit_create")
    return render(request, "registry/visit_form.html", {"person": person, "form": form})


@require_POST
@require_cap(Cap.RECORD_CONSENT)
def consent_update(request, person_uuid):
    person = _person_or_404(request, person_uuid)
    form = ConsentForm(request.POST)
    form.is_valid()  # booleans: always valid
    try:
        changed = privacy_services.consent_record(
            actor=request.user, person=person, purposes=dict(form.cleaned_data)
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Consent recorded.") if changed else _("No change."))
    return redirect("registry:person_detail", person_uuid=person.uuid)


@require_cap(Cap.RECORD_CONSENT)
def consent_withdraw(request, person_uuid, consent_uuid):
    person = _person_or_404(request, person_uuid)
    consent = get_object_or_404(Consent, uuid=consent_uuid, person=person)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            privacy_services.consent_withdraw(
                actor=request.user, consent=consent, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            add_domain_errors(form, exc, request)
        else:
            messages.success(request, _("Consent withdrawn."))
            return redirect("registry:person_detail", person_uuid=person.uuid)
    return render(
        request,
        "registry/consent_withdraw.html",
        {"person": person, "consent": consent, "form": form},
    )


@require_POST
@require_cap(Cap.EDIT_PERSON)
def membership_end(request, person_uuid):
    """The person leaves their current household (the history keeps it)."""
    person = _person_or_404(request, person_uuid)
    membership = get_object_or_404(Membership, person=person, end_date__isnull=True)
    try:
        services.household_remove_member(actor=request.user, membership=membership)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The person left the household."))
    return redirect("registry:person_detail", person_uuid=person.uuid)


@require_cap(Cap.VIEW_PERSON)
def household_detail(request, household_uuid):
    household = selectors.household_for_detail(user=request.user, uuid=household_uuid)
    if household is None:
        raise Http404
    memberships = list(selectors.household_members(household, current_only=False))
    log_persons(request, [m.person for m in memberships], "registry.household_detail")
    return render(
        request,
        "registry/household_detail.html",
        {
            "household": household,
            "current": [m for m in memberships if m.end_date is None],
            "former": [m for m in memberships if m.end_date is not None],
            "can_edit": has_cap(request.user, Cap.EDIT_PERSON),
        },
    )


@require_cap(Cap.EDIT_PERSON)
def household_add_member(request, household_uuid):
    """Add someone already registered (they leave their current household), or a new person."""
    household = selectors.household_for_detail(user=request.user, uuid=household_uuid)
    if household is None:
        raise Http404
    if request.method == "POST":
        form = AddMemberForm(request.POST)
        if form.is_valid():
            person = selectors.person_for_detail(
                user=request.user, uuid=form.cleaned_data["person"]
            )
            if person is None:
                raise Http404
            try:
                services.household_add_member(
                    actor=request.user,
                    household=household,
                    person=person,
                    relationship=form.cleaned_data["relationship"],
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request, _("%(name)s joined the household.") % {"name": person.display_name}
                )
                return redirect("registry:household_detail", household_uuid=household.uuid)
        else:
            messages.error(request, _("Choose the relationship to the head."))
    query = request.GET.get("q", "").strip()
    results, more = (
        selectors.person_search(user=request.user, query=query) if query else ([], False)
    )
    log_persons(request, results, "registry.household_add_member")
    member_form = MemberFormSet(prefix="members").empty_form
    member_form.prefix = "new"
    return render(
        request,
        "registry/household_add_member.html",
        {
            "household": household,
            "query": query,
            "results": results,
            "more": more,
            "add_form": AddMemberForm(),
            "member_form": member_form,
        },
    )


@require_POST
@require_cap(Cap.EDIT_PERSON)
def household_register_member(request, household_uuid):
    household = selectors.household_for_detail(user=request.user, uuid=household_uuid)
    if household is None:
        raise Http404
    form = MemberForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            person = services.household_register_member(
                actor=request.user, household=household, member=form.to_member()
            )
        except DomainError as exc:
            add_domain_errors(form, exc, request)
        else:
            messages.success(
                request, _("%(name)s registered in the household.") % {"name": person.display_name}
            )
            return redirect("registry:household_detail", household_uuid=household.uuid)
    return render(
        request,
        "registry/household_add_member.html",
        {
            "household": household,
            "query": "",
            "results": [],
            "more": False,
            "add_form": AddMemberForm(),
            "member_form": form,
        },
    )


@require_POST
@require_cap(Cap.EDIT_PERSON)
def household_start(request, person_uuid):
    """The person (who left a household, or never had one) heads a new household."""
    person = _person_or_404(request, person_uuid)
    try:
        household = services.household_register(
            actor=request.user,
            members=[{"person": person, "relationship": "head"}],
            locality=person.locality,
            address=person.address,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("registry:person_detail", person_uuid=person.uuid)
    messages.success(request, _("New household created."))
    return redirect("registry:household_detail", household_uuid=household.uuid)
