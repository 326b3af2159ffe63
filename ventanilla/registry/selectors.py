"""Reads of the registry that know who is asking."""

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Concat
from django.utils import timezone

from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.registry import normalize
from ventanilla.registry.models import (
    DifferentialApproach,
    Household,
    IdentityDocument,
    Membership,
    Person,
    Visit,
    VisitPerson,
)

SEARCH_LIMIT = 50
SEARCH_ORDER = ("sort_key", "id")


def person_visible_to(user) -> QuerySet[Person]:
    """Persons this user may see: the whole registry for roles that read it, else none."""
    if has_cap(user, Cap.VIEW_PERSON):
        return Person.objects.all()
    return Person.objects.none()


def person_search(*, user, query: str, limit: int = SEARCH_LIMIT) -> tuple[list[Person], bool]:
    """Search-before-register: names in any order without accents, document, phone, birth date.

    Every token must occur in the person's search text (names, documents, phone digits);
    a date narrows by date of birth and a year beside names by year of birth.
    Returns up to `limit` persons and whether there were more.
    """
    parsed = normalize.parse_query(query, today=timezone.localdate())
    tokens = parsed["tokens"]
    if not tokens and not parsed["birth_date"]:
        return [], False
    visible = person_visible_to(user)
    condition = Q()
    for token in tokens:
        condition &= Q(search_text__contains=token)
    matches = visible.filter(condition)
    if parsed["birth_date"]:
        matches = matches.filter(birth_date=parsed["birth_date"])
    if parsed["birth_year"]:
        matches = matches.filter(birth_date__year=parsed["birth_year"])
    # The page is chosen by ids alone, in a subquery: on PostgreSQL it can walk the covering
    # index registry_person_search_order in this order, testing search_text inside the index,
    # and stop at limit + 1, where loading whole rows would read and sort every match of a
    # common name ("maria" is a sixth of the registry). Measured in docs/benchmarks.md.
    order = SEARCH_ORDER
    numbers = [t for t in tokens if any(c.isdigit() for c in t) and len(t) >= 5]
    if numbers:
        # A document or phone number also occurs inside longer numbers of other people:
        # whole-number matches come first. Numbers match few rows, so this sort is cheap.
        whole = Q(*[Q(padded_text__contains=f" {n} ") for n in numbers])
        matches = matches.alias(
            padded_text=Concat(Value(" "), "search_text", Value(" "), output_field=TextField()),
            whole_number=Case(
                When(whole, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
        )
        order = ("whole_number", *SEARCH_ORDER)
    page = matches.order_by(*order).values("pk")[: limit + 1]
    rows = list(visible.filter(pk__in=page).select_related("locality").order_by(*SEARCH_ORDER))
    if numbers:
        rows.sort(key=lambda p: not all(f" {n} " in f" {p.search_text} " for n in numbers))
    return rows[:limit], len(rows) > limit


def person_for_detail(*, user, uuid) -> Person | None:
    person = (
        person_visible_to(user)
        .select_related("locality", "created_by")
        .prefetch_related("documents", "population_group_periods")
        .filter(uuid=uuid)
        .first()
    )
    return person


def differential_of(*, user, person: Person) -> DifferentialApproach | None:
    if not has_cap(user, Cap.VIEW_SENSITIVE):
        return None
    return DifferentialApproach.objects.filter(person=person).first()


def current_membership(person: Person) -> Membership | None:
    return (
        Membership.objects.select_related("household", "household__locality")
        .filter(person=person, end_date__isnull=True)
        .first()
    )


def household_members(household: Household, *, current_only: bool = True):
    qs = Membership.objects.filter(household=household).select_related("person")
    if current_only:
        qs = qs.filter(end_date__isnull=True)
    return qs.order_by("end_date", "-relationship", "person__birth_date")


def membership_history(person: Person):
    return (
        Membership.objects.filter(person=person)
        .select_related("household")
        .order_by("-start_date", "-id")
    )


def visits_of_person(person: Person, limit: int = 50):
    return (
        Visit.objects.filter(visit_persons__person=person)
        .select_related("attention_point", "staff")
        .prefetch_related(
            Prefetch(
                "persons",
                Person.objects.only(
                    "uuid", "given_names", "first_surname", "second_surname", "preferred_name"
                ),
            )
        )
        .order_by("-occurred_at")[:limit]
    )


def _local_day(day):
    """The day's bounds in the center's time zone: from its local midnight to the next."""
    from datetime import datetime, time, timedelta

    start = timezone.make_aware(datetime.combine(day, time.min))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    return start, end


def attention_points_for_filter() -> list:
    """Active attention points, for choosing where visits happened (few: a city's points)."""
    from ventanilla.territory.models import AttentionPoint

    return list(
        AttentionPoint.objects.filter(is_active=True)
        .only("uuid", "name", "kind")
        .order_by("kind", "name")
    )


def visits_today(*, user, today=None, attention_point_id=None, staff=None, limit: int = 20) -> dict:
    """Today's visits (local date) at every attention point, or one, or recorded by `staff`:
    the newest `limit` with their persons, how many visits and how many people in all."""
    if not has_cap(user, Cap.RECORD_VISIT):
        return {"visits": [], "visit_count": 0, "people_count": 0}
    start, end = _local_day(today or timezone.localdate())
    visits = Visit.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    if attention_point_id is not None:
        visits = visits.filter(attention_point_id=attention_point_id)
    if staff is not None:
        visits = visits.filter(staff=staff)
    rows = list(
        visits.select_related("attention_point", "staff")
        .prefetch_related(
            Prefetch(
                "persons",
                Person.objects.only(
                    "uuid", "given_names", "first_surname", "second_surname", "preferred_name"
                ).order_by("first_surname", "given_names", "id"),
            )
        )
        .order_by("-occurred_at", "-id")[:limit]
    )
    people = (
        VisitPerson.objects.filter(visit__in=visits.values("pk"))
        .values("person_id")
        .distinct()
        .count()
    )
    return {"visits": rows, "visit_count": visits.count(), "people_count": people}


def household_for_detail(*, user, uuid) -> Household | None:
    if not has_cap(user, Cap.VIEW_PERSON):
        return None
    return Household.objects.select_related("locality").filter(uuid=uuid).first()


def document_holder(*, document_type: str, number: str, issuing_country: str):
    return (
        IdentityDocument.objects.select_related("person")
        .filter(
            document_type=document_type,
            number_key=normalize.document_key(number, document_type),
            issuing_country=issuing_country,
        )
        .first()
    )
