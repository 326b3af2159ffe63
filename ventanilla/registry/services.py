"""Writes for the registry: persons, households, documents, visits. Each one transaction.

Services validate every invariant (dates, duplicates, household rules), write the change log,
and raise InvalidInput/Conflict with messages in the user's language; nothing is half-saved.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.core.audit import audit_record, diff, snapshot
from ventanilla.core.exceptions import Conflict, InvalidInput, PermissionDenied
from ventanilla.privacy.services import consent_record
from ventanilla.registry import normalize
from ventanilla.registry.choices import OrientationTopic, PopulationGroup, Relationship, VisitReason
from ventanilla.registry.models import (
    DifferentialApproach,
    Household,
    IdentityDocument,
    Membership,
    Person,
    PopulationGroupPeriod,
    Visit,
    VisitPerson,
)

PERSON_FIELDS = [
    "given_names",
    "first_surname",
    "second_surname",
    "preferred_name",
    "birth_date",
    "birth_date_estimated",
    "sex",
    "nationalities",
    "is_stateless",
    "country_of_birth",
    "arrival_country_date",
    "arrival_city_date",
    "phone",
    "email",
    "address",
    "locality",
    "languages",
    "education_level",
    "occupation",
]
DIFFERENTIAL_FIELDS = [
    "gender_identity",
    *DifferentialApproach.WG_FIELDS,
    "ethnic_self_recognition",
    "lgbtiq",
    "pregnancy",
    "single_head_of_household",
    "child_separation",
    "survivor_of_trafficking",
    "survivor_of_armed_conflict",
    "survivor_of_gbv",
]
DOCUMENT_FIELDS = ["document_type", "number", "issuing_country", "issued_on", "expires_on"]


def _require(actor, cap: str) -> None:
    if actor is not None and not has_cap(actor, cap):
        raise PermissionDenied(_("You do not have permission to do this."))


def _today() -> date:
    return timezone.localdate()


def _full_clean(obj, exclude=None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise InvalidInput.from_validation_error(exc) from exc


def birth_date_from_age(age: int, today: date) -> date:
    """An estimated date of birth for an approximate age: the middle of that year of life."""
    try:
        anchor = today.replace(year=today.year - age)
    except ValueError:  # 29 February
        anchor = today.replace(year=today.year - age, day=28)
    return date.fromordinal(anchor.toordinal() - 182)


def _check_person_dates(person: Person, today: date) -> None:
    errors: dict[str, list[str]] = {}
    if person.birth_date and person.birth_date > today:
        errors["birth_date"] = [_("The date of birth cannot be in the future.")]
    if person.birth_date and person.birth_date.year < today.year - 120:
        errors["birth_date"] = [_("The date of birth is more than 120 years ago.")]
    for name in ("arrival_country_date", "arrival_city_date"):
        value = getattr(person, name)
        if value and value > today:
            errors[name] = [_("An arrival date cannot be in the future.")]
        elif value and person.birth_date and value < person.birth_date:
            errors[name] = [_("An arrival date cannot be before the date of birth.")]
    if (
        person.arrival_city_date
        and person.arrival_country_date
        and person.arrival_city_date < person.arrival_country_date
        and "arrival_city_date" not in errors
    ):
        errors["arrival_city_date"] = [
            _("The arrival in the city cannot be before the arrival in the country.")
        ]
    if person.is_stateless and person.nationalities:
        errors["nationalities"] = [_("A stateless person has no nationality.")]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], field_errors=errors)


def _check_document_dates(doc: IdentityDocument, person: Person, today: date) -> dict:
    errors = {}
    if doc.issued_on and doc.issued_on > today:
        errors["issued_on"] = [_("The issue date cannot be in the future.")]
    elif (
        doc.issued_on
        and person.birth_date
        and not person.birth_date_estimated
        and doc.issued_on < person.birth_date
    ):
        errors["issued_on"] = [_("The issue date cannot be before the date of birth.")]
    if doc.issued_on and doc.expires_on and doc.expires_on < doc.issued_on:
        errors["expires_on"] = [_("The expiry date cannot be before the issue date.")]
    return errors


def _duplicate_document_error(doc: IdentityDocument) -> InvalidInput | None:
    holder = (
        IdentityDocument.objects.select_related("person")
        .filter(
            document_type=doc.document_type,
            number_key=doc.number_key,
            issuing_country=doc.issuing_country,
        )
        .exclude(pk=doc.pk)
        .first()
    )
    if holder is None:
        return None
    url = reverse("registry:person_detail", args=[holder.person.uuid])
    message = format_html(
        _('This document is already registered to <a href="{}">{}</a>.'),
        url,
        holder.person.full_name,
    )
    return InvalidInput(message, field_errors={"number": [message]}, persons_shown=[holder.person])


def refresh_search_text(person: Person) -> None:
    numbers = list(person.documents.values_list("number", flat=True)) if person.pk else []
    person.search_text = normalize.search_text(
        names=[
            person.given_names,
            person.first_surname,
            person.second_surname,
            person.preferred_name,
        ],
        document_numbers=numbers,
        phones=[person.phone],
    )
    person.sort_key = normalize.sort_key(
        first_surname=person.first_surname,
        second_surname=person.second_surname,
        given_names=person.given_names,
    )


def _build_person(
    *, actor, fields: dict, population_group: str, population_group_since, today: date
) -> Person:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    person = Person(
        **fields,
        population_group=population_group,
        population_group_since=population_group_since or today,
        created_by=actor,
    )
    if population_group == PopulationGroup.STATELESS:
        person.is_stateless = True
    if population_group_since and population_group_since > today:
        raise InvalidInput(
            _("The population group cannot start in the future."),
            field_errors={
                "population_group_since": [_("The population group cannot start in the future.")]
            },
        )
    _check_person_dates(person, today)
    _full_clean(person, exclude=["search_text", "sort_key", "created_by", "locality"])
    return person


def _save_documents(*, person: Person, documents: list[dict], today: date) -> list:
    saved = []
    for index, data in enumerate(documents):
        doc = IdentityDocument(person=person, **{k: data.get(k) for k in DOCUMENT_FIELDS})
        doc.number = (doc.number or "").strip()
        doc.number_key = normalize.document_key(doc.number, doc.document_type)
        errors = _check_document_dates(doc, person, today)
        if not doc.number_key:
            errors["number"] = [_("Write the document number.")]
        if errors:
            raise InvalidInput(
                next(iter(errors.values()))[0],
                field_errors={f"documents.{index}.{k}": v for k, v in errors.items()},
            )
        duplicate = _duplicate_document_error(doc)
        if duplicate is not None:
            raise InvalidInput(
                duplicate.message, field_errors={f"documents.{index}.number": [duplicate.message]}
            ) from duplicate
        _full_clean(doc, exclude=["person", "number_key"])
        saved.append(doc)
    try:
        with transaction.atomic():
            for doc in saved:
                doc.save()
    except IntegrityError as exc:  # a concurrent registration took the same number
        raise Conflict(_("This document was registered by someone else a moment ago.")) from exc
    return saved


def _create_person(
    *, actor, fields, population_group, population_group_since, documents, differential, today
) -> Person:
    person = _build_person(
        actor=actor,
        fields=fields,
        population_group=population_group,
        population_group_since=population_group_since,
        today=today,
    )
    refresh_search_text(person)
    person.save()
    PopulationGroupPeriod.objects.create(
        person=person,
        group=person.population_group,
        start_date=person.population_group_since,
        recorded_by=actor,
    )
    _save_documents(person=person, documents=documents or [], today=today)
    if documents:
        refresh_search_text(person)
        person.save(update_fields=["search_text"])
    if differential:
        _save_differential(person=person, values=differential)
    audit_record(actor=actor, action="registry.person.created", obj=person, person=person)
    return person


def _save_differential(*, person: Person, values: dict) -> dict:
    unknown = set(values) - set(DIFFERENTIAL_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    record, _created = DifferentialApproach.objects.get_or_create(person=person)
    before = snapshot(record, DIFFERENTIAL_FIELDS)
    for name, value in values.items():
        setattr(record, name, value)
    _full_clean(record, exclude=["person"])
    record.save()
    return diff(before, snapshot(record, DIFFERENTIAL_FIELDS))


def _create_member(*, actor, member: dict, today: date) -> Person:
    """A new person from a household member's description (see household_register)."""
    return _create_person(
        actor=actor,
        fields=dict(member.get("fields") or {}),
        population_group=member.get("population_group", ""),
        population_group_since=member.get("population_group_since"),
        documents=list(member.get("documents") or []),
        differential=member.get("differential"),
        today=today,
    )


@transaction.atomic
def person_register(
    *,
    actor,
    fields: dict,
    population_group: str,
    population_group_since: date | None = None,
    documents: list[dict] = (),
    differential: dict | None = None,
    consents: dict[str, bool] | None = None,
) -> Person:
    """Register one person with documents, differential approach and consent."""
    _require(actor, Cap.EDIT_PERSON)
    today = _today()
    person = _create_person(
        actor=actor,
        fields=fields,
        population_group=population_group,
        population_group_since=population_group_since,
        documents=list(documents),
        differential=differential,
        today=today,
    )
    if consents:
        consent_record(actor=actor, person=person, purposes=consents)
    return person


@transaction.atomic
def household_register(
    *,
    actor,
    members: list[dict],
    locality=None,
    address: str = "",
    consents: dict[str, bool] | None = None,
) -> Household:
    """Register a household and all its members at once, or nothing at all.

    Each member is {"person": existing Person} or {"fields", "population_group", ...} for a
    new person, plus "relationship". Exactly one member is the head. Existing persons leave
    their current household (kept in the history).
    """
    _require(actor, Cap.EDIT_PERSON)
    today = _today()
    if not members:
        raise InvalidInput(_("A household needs at least one member."))
    heads = [m for m in members if m.get("relationship") == Relationship.HEAD]
    if len(heads) != 1:
        raise InvalidInput(
            _("A household has exactly one head."),
            field_errors={"members": [_("Mark exactly one member as head.")]},
        )
    _lock_persons([m["person"] for m in members if m.get("person") is not None])
    household = Household(locality=locality, address=address, created_by=actor)
    _full_clean(household, exclude=["created_by", "locality"])
    household.save()
    seen: set[int] = set()
    for index, member in enumerate(members):
        relationship = member.get("relationship")
        if relationship not in Relationship.values:
            raise InvalidInput(
                _("Choose the relationship to the head."),
                field_errors={
                    f"members.{index}.relationship": [_("Choose the relationship to the head.")]
                },
            )
        try:
            if member.get("person") is not None:
                person = member["person"]
                if person.pk in seen:
                    raise InvalidInput(_("The same person appears twice in the household."))
                _end_current_membership(person=person, today=today)
            else:
                person = _create_member(actor=actor, member=member, today=today)
        except InvalidInput as exc:
            raise InvalidInput(
                _("Member %(n)s: %(message)s") % {"n": index + 1, "message": exc.message},
                field_errors={f"members.{index}.{k}": v for k, v in exc.field_errors.items()},
            ) from exc
        seen.add(person.pk)
        Membership.objects.create(
            household=household,
            person=person,
            relationship=relationship,
            start_date=today,
            created_by=actor,
        )
        if consents and member.get("person") is None:
            consent_record(actor=actor, person=person, purposes=consents)
        audit_record(
            actor=actor,
            action="registry.household.member_added",
            obj=household,
            person=person,
            changes={"relationship": relationship},
        )
    audit_record(
        actor=actor,
        action="registry.household.created",
        obj=household,
        changes={"members": len(members)},
    )
    return household


def _lock_persons(persons: list[Person]) -> None:
    """Lock the persons' rows (in id order, so two transactions cannot deadlock).

    Whoever changes a person's household holds this lock: a second transaction waits, then
    sees the first one's new membership and ends it, instead of breaking the one-current-
    household constraint.
    """
    ids = sorted({p.pk for p in persons})
    if ids:
        list(
            Person.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def _end_current_membership(*, person: Person, today: date) -> None:
    current = (
        Membership.objects.select_for_update().filter(person=person, end_date__isnull=True).first()
    )
    if current is not None:
        current.end_date = today
        current.save(update_fields=["end_date"])


@transaction.atomic
def household_add_member(
    *, actor, household: Household, person: Person, relationship: str
) -> Membership:
    _require(actor, Cap.EDIT_PERSON)
    today = _today()
    if relationship not in Relationship.values:
        raise InvalidInput(_("Choose the relationship to the head."))
    _lock_persons([person])
    current = Membership.objects.filter(person=person, end_date__isnull=True).first()
    if current is not None and current.household_id == household.pk:
        raise InvalidInput(_("This person is already a member of this household."))
    _end_current_membership(person=person, today=today)
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                household=household,
                person=person,
                relationship=relationship,
                start_date=today,
                created_by=actor,
            )
    except IntegrityError as exc:
        raise InvalidInput(_("This household already has a head.")) from exc
    audit_record(
        actor=actor,
        action="registry.household.member_added",
        obj=household,
        person=person,
        changes={"relationship": relationship},
    )
    return membership


@transaction.atomic
def household_remove_member(*, actor, membership: Membership) -> None:
    _require(actor, Cap.EDIT_PERSON)
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.end_date is not None:
        raise Conflict(_("This person had already left the household."))
    locked.end_date = _today()
    locked.save(update_fields=["end_date"])
    audit_record(
        actor=actor,
        action="registry.household.member_left",
        obj=locked.household,
        person=locked.person,
    )


@transaction.atomic
def person_update(
    *,
    actor,
    person: Person,
    fields: dict,
    expected_version: datetime | None,
    differential: dict | None = None,
) -> Person:
    """Edit a person. `expected_version` is the updated_at the editor saw: a stale edit fails."""
    _require(actor, Cap.EDIT_PERSON)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if expected_version is not None and locked.updated_at != expected_version:
        raise Conflict(
            _(
                "Someone else changed this person while you were editing. "
                "Reload the page to see their changes, then edit again."
            )
        )
    before = snapshot(locked, PERSON_FIELDS)
    for name, value in fields.items():
        setattr(locked, name, value)
    _check_person_dates(locked, _today())
    _full_clean(locked, exclude=["search_text", "sort_key", "created_by", "locality"])
    refresh_search_text(locked)
    locked.save()
    changes = diff(before, snapshot(locked, PERSON_FIELDS))
    if differential is not None:
        _require(actor, Cap.VIEW_SENSITIVE)
        sensitive = _save_differential(person=locked, values=differential)
        # Sensitive values stay out of the change log: it records which fields changed only.
        changes |= {name: ["•", "•"] for name in sensitive}
    if changes:
        audit_record(
            actor=actor,
            action="registry.person.updated",
            obj=locked,
            person=locked,
            changes=changes,
        )
    return locked


@transaction.atomic
def population_group_change(*, actor, person: Person, group: str, since: date) -> Person:
    _require(actor, Cap.EDIT_PERSON)
    if group not in PopulationGroup.values:
        raise InvalidInput(_("Choose a population group."))
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if since > _today():
        raise InvalidInput(_("The population group cannot start in the future."))
    current = PopulationGroupPeriod.objects.filter(person=locked, end_date__isnull=True).first()
    if current is not None:
        if since < current.start_date:
            raise InvalidInput(
                _("The new group must start after the current one (%(d)s).")
                % {"d": current.start_date.strftime("%d/%m/%Y")}
            )
        if current.group == group:
            raise InvalidInput(_("The person is already in this group."))
        current.end_date = since
        current.save(update_fields=["end_date"])
    PopulationGroupPeriod.objects.create(
        person=locked, group=group, start_date=since, recorded_by=actor
    )
    before = locked.population_group
    locked.population_group, locked.population_group_since = group, since
    if group == PopulationGroup.STATELESS:
        locked.is_stateless, locked.nationalities = True, []
    locked.save()
    audit_record(
        actor=actor,
        action="registry.person.population_group_changed",
        obj=locked,
        person=locked,
        changes={"population_group": [before, group]},
    )
    return locked


@transaction.atomic
def document_add(*, actor, person: Person, data: dict) -> IdentityDocument:
    _require(actor, Cap.EDIT_PERSON)
    locked = Person.objects.select_for_update().get(pk=person.pk)
    try:
        (doc,) = _save_documents(person=locked, documents=[data], today=_today())
    except InvalidInput as exc:
        raise InvalidInput(
            exc.message, field_errors={k.split(".", 2)[-1]: v for k, v in exc.field_errors.items()}
        ) from exc
    refresh_search_text(locked)
    locked.save(update_fields=["search_text", "updated_at"])
    audit_record(
        actor=actor,
        action="registry.document.added",
        obj=doc,
        person=locked,
        changes={"document_type": doc.document_type, "number": doc.number},
    )
    return doc


@transaction.atomic
def document_remove(*, actor, document: IdentityDocument, reason: str) -> None:
    """Remove a document recorded by mistake (an expired document stays: it still identifies)."""
    _require(actor, Cap.EDIT_PERSON)
    if not (reason or "").strip():
        raise InvalidInput(
            _("Say why the document is removed."),
            field_errors={"reason": [_("This field is required.")]},
        )
    person = Person.objects.select_for_update().get(pk=document.person_id)
    audit_record(
        actor=actor,
        action="registry.document.removed",
        obj=document,
        person=person,
        changes={"document_type": document.document_type, "number": document.number},
        reason=reason.strip(),
    )
    document.delete()
    refresh_search_text(person)
    person.save(update_fields=["search_text", "updated_at"])


@transaction.atomic
def visit_record(
    *,
    actor,
    persons: list[Person],
    attention_point,
    reasons: list[str],
    orientation_topics: list[str] = (),
    note: str = "",
    household=None,
    occurred_at: datetime | None = None,
) -> Visit:
    """Record that these persons (one, or members of one household) were served."""
    _require(actor, Cap.RECORD_VISIT)
    errors: dict[str, list[str]] = {}
    if not persons:
        errors["persons"] = [_("Choose at least one person served.")]
    if not reasons:
        errors["reasons"] = [_("Choose at least one reason for the visit.")]
    if set(reasons) - set(VisitReason.values):
        errors["reasons"] = [_("Unknown reason.")]
    if set(orientation_topics) - set(OrientationTopic.values):
        errors["orientation_topics"] = [_("Unknown orientation topic.")]
    occurred_at = occurred_at or timezone.now()
    if occurred_at > timezone.now() + timedelta(minutes=5):
        errors["occurred_at"] = [_("A visit cannot be in the future.")]
    if attention_point is None or not attention_point.is_active:
        errors["attention_point"] = [_("Choose an active attention point.")]
    if len(note or "") > 1000:
        errors["note"] = [_("The note is too long (at most 1,000 characters).")]
    if household is not None and persons:
        members = set(
            Membership.objects.filter(household=household, end_date__isnull=True).values_list(
                "person_id", flat=True
            )
        )
        if any(p.pk not in members for p in persons):
            errors["persons"] = [_("Everyone served must be a current member of the household.")]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], field_errors=errors)
    visit = Visit.objects.create(
        household=household,
        attention_point=attention_point,
        occurred_at=occurred_at,
        staff=actor,
        reasons=list(reasons),
        orientation_topics=list(orientation_topics),
        note=note or "",
    )
    VisitPerson.objects.bulk_create([VisitPerson(visit=visit, person=p) for p in persons])
    ids = [p.pk for p in persons]
    for person in Person.objects.select_for_update().filter(pk__in=ids):
        if person.last_visit_at is None or person.last_visit_at < occurred_at:
            Person.objects.filter(pk=person.pk).update(last_visit_at=occurred_at)
    audit_record(
        actor=actor,
        action="registry.visit.recorded",
        obj=visit,
        person=persons[0] if len(persons) == 1 else None,
        changes={"persons": len(persons), "reasons": list(reasons)},
    )
    return visit


@transaction.atomic
def household_register_member(
    *, actor, household: Household, member: dict, consents: dict[str, bool] | None = None
) -> Person:
    """Register a new person directly into an existing household."""
    _require(actor, Cap.EDIT_PERSON)
    relationship = member.get("relationship")
    if relationship not in Relationship.values:
        raise InvalidInput(
            _("Choose the relationship to the head."),
            field_errors={"relationship": [_("Choose the relationship to the head.")]},
        )
    if (
        relationship == Relationship.HEAD
        and Membership.objects.filter(
            household=household, end_date__isnull=True, relationship=Relationship.HEAD
        ).exists()
    ):
        raise InvalidInput(
            _("This household already has a head."),
            field_errors={"relationship": [_("This household already has a head.")]},
        )
    person = _create_member(actor=actor, member=member, today=_today())
    try:
        with transaction.atomic():
            Membership.objects.create(
                household=household,
                person=person,
                relationship=relationship,
                start_date=_today(),
                created_by=actor,
            )
    except IntegrityError as exc:  # another head was registered a moment ago
        raise InvalidInput(
            _("This household already has a head."),
            field_errors={"relationship": [_("This household already has a head.")]},
        ) from exc
    if consents:
        consent_record(actor=actor, person=person, purposes=consents)
    audit_record(
        actor=actor,
        action="registry.household.member_added",
        obj=household,
        person=person,
        changes={"relationship": relationship},
    )
    return person


@transaction.atomic
def visit_withdraw(*, actor, visit: Visit, reason: str) -> None:
    """Delete a visit recorded by mistake; the persons' last visit falls back to their others."""
    _require(actor, Cap.RECORD_VISIT)
    ids = list(visit.visit_persons.values_list("person_id", flat=True))
    persons = list(Person.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    audit_record(
        actor=actor,
        action="registry.visit.withdrawn",
        obj=visit,
        person=persons[0] if len(persons) == 1 else None,
        changes={"persons": len(persons), "reasons": visit.reasons},
        reason=reason,
    )
    visit.delete()
    for person in persons:
        last = (
            Visit.objects.filter(visit_persons__person=person)
            .order_by("-occurred_at")
            .values_list("occurred_at", flat=True)
            .first()
        )
        Person.objects.filter(pk=person.pk).update(last_visit_at=last)
