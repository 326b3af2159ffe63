"""The center's figures, computed from the records, and the records behind each number.

One code path: `compute(start, end)` turns a date range into cells (measure, dimension,
key) -> count. Precomputed month and year cells are written from it (services.py), and any
other range is computed live with it. `records(...)` filters the same querysets the counts
group, so every number opens into exactly the records it counts. Everything is grouped in
the database; Python only adds up the few grouped rows.
"""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    TruncDate,
    TruncMonth,
)
from django.db.models.lookups import GreaterThanOrEqual, IsNull, LessThan
from django.utils import timezone

from ventanilla.accounts.models import Organization
from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.cases.choices import ReferralStatus
from ventanilla.cases.models import Referral
from ventanilla.insights import figures_core as fc
from ventanilla.insights.models import FigureCell, FigurePeriod
from ventanilla.outreach.choices import SessionStatus, age_group_of
from ventanilla.outreach.models import AnonymousAttendance, ServiceDelivered, SessionAttendance
from ventanilla.registry.models import (
    Household,
    Membership,
    Person,
    PopulationGroupPeriod,
    Visit,
    VisitPerson,
)
from ventanilla.territory.models import AttentionPoint, Locality

Cells = dict[tuple[str, str, str], int]

# Lower bound of each age group, oldest first, taken from outreach's own age_group_of.
_AGE_FLOORS = [
    (age, age_group_of(age))
    for age in range(130, -1, -1)
    if age == 0 or age_group_of(age) != age_group_of(age - 1)
]


def _tz():
    return timezone.get_current_timezone()


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Local midnight of the first day, local midnight after the last day."""
    tz = _tz()
    return (
        datetime.combine(start, time.min, tz),
        datetime.combine(end + timedelta(days=1), time.min, tz),
    )


def _local_day(field):
    return TruncDate(field, tzinfo=_tz())


def _month_key(day_expression):
    return TruncMonth(day_expression, output_field=DateField())


def _age_group(birth_field: str, on):
    """The age group on a day, in SQL (same floors as outreach.choices.age_group_of)."""
    birth = F(birth_field)
    years = ExtractYear(on) - ExtractYear(birth)
    birthday_to_come = LessThan(
        ExtractMonth(on) * 100 + ExtractDay(on), ExtractMonth(birth) * 100 + ExtractDay(birth)
    )
    age = years - Case(When(birthday_to_come, then=Value(1)), default=Value(0))
    return Case(
        When(IsNull(birth, True), then=Value(fc.UNKNOWN)),
        When(LessThan(age, 0), then=Value(fc.UNKNOWN)),
        *[When(GreaterThanOrEqual(age, floor), then=Value(group)) for floor, group in _AGE_FLOORS],
        default=Value(fc.UNKNOWN),
        output_field=CharField(),
    )


def _group_on(person_ref: str, on_ref: str):
    """The person's population group on a day (an annotation), from the group history."""
    on = OuterRef(on_ref)
    periods = (
        PopulationGroupPeriod.objects.filter(person=OuterRef(person_ref), start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .order_by("-start_date", "-id")
        .values("group")[:1]
    )
    return Coalesce(Subquery(periods), Value(fc.UNKNOWN), output_field=CharField())


def _household_on(on_ref: str):
    """The visit's household, else the household the person belonged to that day."""
    on = OuterRef(on_ref)
    memberships = (
        Membership.objects.filter(person=OuterRef("person"), start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .order_by("-start_date", "-id")
        .values("household_id")[:1]
    )
    return Coalesce(F("visit__household_id"), Subquery(memberships), output_field=BigIntegerField())


# --- the records each measure counts -------------------------------------------------------


def served(start: date, end: date):
    """VisitPerson rows in the range: who was served, in which visit."""
    lo, hi = _bounds(start, end)
    return VisitPerson.objects.filter(visit__occurred_at__gte=lo, visit__occurred_at__lt=hi)


def served_latest(start: date, end: date):
    """Each person's last service in the range, with their group, sex and age group then."""
    lo, hi = _bounds(start, end)
    later = VisitPerson.objects.filter(
        person=OuterRef("person"), visit__occurred_at__gte=lo, visit__occurred_at__lt=hi
    ).filter(
        Q(visit__occurred_at__gt=OuterRef("visit__occurred_at"))
        | Q(visit__occurred_at=OuterRef("visit__occurred_at"), visit_id__gt=OuterRef("visit_id"))
    )
    return (
        served(start, end)
        .filter(~Exists(later))
        .annotate(k_on=_local_day("visit__occurred_at"))
        .annotate(
            k_group=_group_on("person", "k_on"),
            k_sex=F("person__sex"),
            k_age=_age_group("person__birth_date", F("k_on")),
        )
    )


def served_households(start: date, end: date):
    return (
        served(start, end)
        .annotate(k_on=_local_day("visit__occurred_at"))
        .annotate(k_household=_household_on("k_on"))
    )


def visits(start: date, end: date):
    lo, hi = _bounds(start, end)
    return Visit.objects.filter(occurred_at__gte=lo, occurred_at__lt=hi)


def services_delivered(start: date, end: date):
    return ServiceDelivered.objects.filter(
        session__date__gte=start, session__date__lte=end
    ).exclude(session__status=SessionStatus.CANCELLED)


def _referrals_sent(start: date, end: date):
    lo, hi = _bounds(start, end)
    return Referral.objects.filter(sent_at__gte=lo, sent_at__lt=hi)


def referrals(start: date, end: date):
    found = _referrals_sent(start, end)
    return found.annotate(k_on=_local_day("sent_at")).annotate(
        k_group=_group_on("person", "k_on"),
        k_sex=F("person__sex"),
        k_age=_age_group("person__birth_date", F("k_on")),
        k_provider=Case(
            When(is_external=True, then=Value(None)),
            default=F("service__provider_id"),
            output_field=IntegerField(),
        ),
    )


def attendance(start: date, end: date):
    return SessionAttendance.objects.filter(
        session__status=SessionStatus.HELD, session__date__gte=start, session__date__lte=end
    )


def anonymous_attendance(start: date, end: date):
    return AnonymousAttendance.objects.filter(
        session__status=SessionStatus.HELD, session__date__gte=start, session__date__lte=end
    )


# --- keys: UUIDs for places and providers, codes for the rest -------------------------------


class _Keys:
    """Maps ids of the few places and providers to the UUID strings cells are keyed by."""

    def __init__(self):
        self._maps = {}

    def _map(self, model):
        if model not in self._maps:
            self._maps[model] = {
                pk: str(uuid) for pk, uuid in model.objects.values_list("id", "uuid")
            }
        return self._maps[model]

    def point(self, pk) -> str:
        return fc.NONE if pk is None else self._map(AttentionPoint).get(pk, fc.NONE)

    def locality(self, pk) -> str:
        return fc.NONE if pk is None else self._map(Locality).get(pk, fc.NONE)

    def provider(self, pk) -> str:
        return fc.EXTERNAL if pk is None else self._map(Organization).get(pk, fc.EXTERNAL)


def _month(value) -> str:
    return f"{value:%Y-%m}"


def _unique_by_period_and_place(add, keys: "_Keys", measure: str, rows, counted: str) -> None:
    """`counted` (a person or a household) once in the period, in each month and in each
    place where it was served."""
    distinct = Count(counted, distinct=True)
    add(measure, fc.TOTAL, "", rows.aggregate(n=distinct)["n"])
    month = _month_key(_local_day("visit__occurred_at"))
    for r in rows.annotate(m=month).values("m").annotate(n=distinct):
        add(measure, fc.MONTH_DIM, _month(r["m"]), r["n"])
    for r in rows.values("visit__attention_point").annotate(n=distinct):
        add(measure, fc.POINT, keys.point(r["visit__attention_point"]), r["n"])
    for r in rows.values("visit__attention_point__locality").annotate(n=distinct):
        add(measure, fc.LOCALITY, keys.locality(r["visit__attention_point__locality"]), r["n"])


def _people_and_families(start: date, end: date, add, keys: "_Keys") -> None:
    """People and families served, with the ORM (the reference; SQLite runs it)."""
    # People served: unique persons; by place a person counts once per place.
    _unique_by_period_and_place(add, keys, fc.PEOPLE, served(start, end), "person")
    for r in served_latest(start, end).values("k_group", "k_sex", "k_age").annotate(n=Count("id")):
        add(fc.PEOPLE, fc.GROUP, r["k_group"], r["n"])
        add(fc.PEOPLE, fc.SEX, r["k_sex"], r["n"])
        add(fc.PEOPLE, fc.AGE, r["k_age"], r["n"])

    # Families served: unique households with a member served.
    homes = served_households(start, end).filter(k_household__isnull=False)
    _unique_by_period_and_place(add, keys, fc.FAMILIES, homes, "k_household")


# --- PostgreSQL: the same people and families counts, from one pass over the served rows ----
#
# The ORM queries above look up, per served row, the person's later services (latest service),
# group period and membership: correlated subqueries run hundreds of thousands of times at
# scale. On PostgreSQL the served rows of the range are read once into a temporary table (with
# the day's household), and every people/families cell is grouped from it. The reconciliation
# tests check these cells against the ORM querysets the drill-down lists.

_SERVED_TABLE = "insights_served_tmp"


def _age_sql(on: str, birth: str) -> str:
    """SQL twin of the age in _age_group: whole years on the day (NULL without birth date)."""
    return (
        f"(date_part('year', {on}) - date_part('year', {birth}) - CASE WHEN "
        f"date_part('month', {on}) * 100 + date_part('day', {on}) < "
        f"date_part('month', {birth}) * 100 + date_part('day', {birth}) THEN 1 ELSE 0 END)::int"
    )


def _age_group_sql(age: str, birth: str) -> tuple[str, list[str]]:
    """SQL twin of _age_group's groups (floors from outreach.choices.age_group_of)."""
    whens = " ".join(f"WHEN {age} >= {int(floor)} THEN %s" for floor, _ in _AGE_FLOORS)
    sql = f"CASE WHEN {birth} IS NULL THEN %s WHEN {age} < 0 THEN %s {whens} ELSE %s END"
    return sql, [fc.UNKNOWN, fc.UNKNOWN, *[group for _, group in _AGE_FLOORS], fc.UNKNOWN]


def _people_and_families_pg(start: date, end: date, add, keys: "_Keys", month_adds=None) -> None:
    """People and families of the range; with month_adds ({month start: add}) also the cells
    each of those months would get from compute(month) alone, from the same pass."""
    month_adds = month_adds or {}
    lo, hi = _bounds(start, end)
    tz = timezone._get_timezone_name(_tz())
    day = "(v.occurred_at AT TIME ZONE %s)::date"
    age_sql, age_params = _age_group_sql("x.age", "x.birth_date")
    with transaction.atomic(), connection.cursor() as cursor:
        # Sorting a year's served rows in memory rather than on disk.
        cursor.execute("SET LOCAL work_mem = '128MB'")
        cursor.execute("SET LOCAL jit = off")  # compiling costs more than it saves here
        cursor.execute(f"DROP TABLE IF EXISTS {_SERVED_TABLE}")
        # The household of a row: the visit's, else the membership of that day (latest start,
        # then highest id, as _household_on): a hash join rather than a lookup per row.
        cursor.execute(
            f"""
            CREATE TEMPORARY TABLE {_SERVED_TABLE} ON COMMIT DROP AS
            WITH s AS (
                SELECT vp.person_id, vp.visit_id, v.occurred_at, {day} AS on_day,
                       v.attention_point_id AS point_id, ap.locality_id, v.household_id
                FROM registry_visitperson vp
                JOIN registry_visit v ON v.id = vp.visit_id
                JOIN territory_attentionpoint ap ON ap.id = v.attention_point_id
                WHERE v.occurred_at >= %s AND v.occurred_at < %s
            )
            SELECT DISTINCT ON (s.visit_id, s.person_id)
                   s.person_id, s.visit_id, s.occurred_at, s.on_day, s.point_id, s.locality_id,
                   COALESCE(s.household_id, m.household_id) AS household_id
            FROM s
            LEFT JOIN registry_membership m
              ON s.household_id IS NULL AND m.person_id = s.person_id
             AND m.start_date <= s.on_day AND (m.end_date IS NULL OR m.end_date >= s.on_day)
            ORDER BY s.visit_id, s.person_id, m.start_date DESC, m.id DESC
            """,
            [tz, lo, hi],
        )
        cursor.execute(f"ANALYZE {_SERVED_TABLE}")  # row estimates for the plans below
        # Unique persons (people) and households (families): total, by month, point, locality.
        for measure, column, where in (
            (fc.PEOPLE, "person_id", ""),
            (fc.FAMILIES, "household_id", "WHERE household_id IS NOT NULL"),
        ):
            add(measure, fc.TOTAL, "", 0)
            for month_add in month_adds.values():
                month_add(measure, fc.TOTAL, "", 0)
            sets = "(), (m), (point_id), (locality_id)"
            if month_adds:
                sets += ", (m, point_id), (m, locality_id)"
            cursor.execute(
                f"""
                SELECT GROUPING(m, point_id, locality_id), m, point_id, locality_id,
                       COUNT(DISTINCT {column})
                FROM (
                    SELECT {column}, date_trunc('month', on_day)::date AS m, point_id, locality_id
                    FROM {_SERVED_TABLE} {where}
                ) served
                GROUP BY GROUPING SETS ({sets})
                """
            )
            for grouping, m, point, locality, n in cursor.fetchall():
                month_add = month_adds.get(m)
                if grouping == 7:
                    add(measure, fc.TOTAL, "", n)
                elif grouping == 3:
                    add(measure, fc.MONTH_DIM, _month(m), n)
                    if month_add:
                        month_add(measure, fc.TOTAL, "", n)
                        month_add(measure, fc.MONTH_DIM, _month(m), n)
                elif grouping == 5:
                    add(measure, fc.POINT, keys.point(point), n)
                elif grouping == 6:
                    add(measure, fc.LOCALITY, keys.locality(locality), n)
                elif grouping == 1 and month_add:
                    month_add(measure, fc.POINT, keys.point(point), n)
                elif grouping == 2 and month_add:
                    month_add(measure, fc.LOCALITY, keys.locality(locality), n)
        # Each person's last service in the range (scope NULL) and, with month_adds, in each
        # month (scope: the month): group, sex and age group that day.
        latest = f"""
            (SELECT DISTINCT ON (person_id) NULL::date AS scope, person_id, on_day
            FROM {_SERVED_TABLE} ORDER BY person_id, occurred_at DESC, visit_id DESC)
        """
        if month_adds:
            latest += f"""
            UNION ALL
            (SELECT DISTINCT ON (person_id, date_trunc('month', on_day))
                   date_trunc('month', on_day)::date, person_id, on_day
            FROM {_SERVED_TABLE}
            ORDER BY person_id, date_trunc('month', on_day), occurred_at DESC, visit_id DESC)
            """
        age = _age_sql("d.on_day", "p.birth_date")
        # Group, sex and age are looked up once per (person, day): a person's last service of
        # the range is also their last of its month.
        cursor.execute(
            f"""
            WITH latest AS MATERIALIZED ({latest}),
            attributes AS MATERIALIZED (
                SELECT x.person_id, x.on_day, x.k_group, x.k_sex, {age_sql} AS k_age
                FROM (
                    SELECT d.person_id, d.on_day,
                           COALESCE((
                               SELECT g."group" FROM registry_populationgroupperiod g
                               WHERE g.person_id = d.person_id AND g.start_date <= d.on_day
                                 AND (g.end_date IS NULL OR g.end_date >= d.on_day)
                               ORDER BY g.start_date DESC, g.id DESC LIMIT 1
                           ), %s) AS k_group,
                           p.sex AS k_sex, p.birth_date, {age} AS age
                    FROM (SELECT DISTINCT person_id, on_day FROM latest) d
                    JOIN registry_person p ON p.id = d.person_id
                    OFFSET 0
                ) x
            )
            SELECT l.scope, a.k_group, a.k_sex, a.k_age, COUNT(*)
            FROM latest l JOIN attributes a ON a.person_id = l.person_id AND a.on_day = l.on_day
            GROUP BY l.scope, a.k_group, a.k_sex, a.k_age
            """,
            [*age_params, fc.UNKNOWN],
        )
        for scope, group, sex, age, n in cursor.fetchall():
            target = add if scope is None else month_adds.get(scope)
            if target is None:
                continue
            target(fc.PEOPLE, fc.GROUP, group, n)
            target(fc.PEOPLE, fc.SEX, sex, n)
            target(fc.PEOPLE, fc.AGE, age, n)
        cursor.execute(f"DROP TABLE {_SERVED_TABLE}")


def _adder(cells: Cells):
    def add(measure, dimension, key, n):
        cells[(measure, dimension, key)] = cells.get((measure, dimension, key), 0) + (n or 0)

    return add


def compute_year(year: int, months: list[date]) -> dict[tuple[str, date], Cells]:
    """The cells of a calendar year and of the given months of it, as compute() gives each.

    On PostgreSQL people and families (the costly part) of the year and of every month come
    from one pass over the year's served rows; SQLite computes each period on its own.
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    if connection.vendor != "postgresql":
        result = {(fc.YEAR, first): compute(first, last)}
        for m in months:
            result[(fc.MONTH, m)] = compute(m, fc.month_end(m))
        return result
    keys = _Keys()
    cells = {(fc.MONTH, m): {} for m in months}
    cells[(fc.YEAR, first)] = {}
    month_adds = {m: _adder(cells[(fc.MONTH, m)]) for m in months}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")  # compiling costs more than it saves here
        _people_and_families_pg(first, last, _adder(cells[(fc.YEAR, first)]), keys, month_adds)
        month_cells = {m: cells[(fc.MONTH, m)] for m in months}
        _the_rest(first, last, cells[(fc.YEAR, first)], keys, month_cells)
        for m in months:
            _the_rest(m, fc.month_end(m), cells[(fc.MONTH, m)], keys, referral_counts=False)
    return cells


def compute(start: date, end: date) -> Cells:
    """Every figure of the range, from the records."""
    cells: Cells = {}
    keys = _Keys()
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")  # compiling costs more than it saves here
            _people_and_families_pg(start, end, _adder(cells), keys)
            return _the_rest(start, end, cells, keys)
    else:
        _people_and_families(start, end, _adder(cells), keys)
    return _the_rest(start, end, cells, keys)


def _the_rest(
    start: date,
    end: date,
    cells: Cells,
    keys: _Keys,
    month_cells: dict[date, Cells] | None = None,
    referral_counts: bool = True,
) -> Cells:
    """Visits, services, referrals and attendance of the range, added to cells."""
    add = _adder(cells)

    # Visits.
    visit_rows = visits(start, end)
    add(fc.VISITS, fc.TOTAL, "", 0)
    for r in (
        visit_rows.annotate(m=_month_key(_local_day("occurred_at")))
        .values("m", "attention_point", "attention_point__locality")
        .annotate(n=Count("id"))
    ):
        add(fc.VISITS, fc.TOTAL, "", r["n"])
        add(fc.VISITS, fc.MONTH_DIM, _month(r["m"]), r["n"])
        add(fc.VISITS, fc.POINT, keys.point(r["attention_point"]), r["n"])
        add(fc.VISITS, fc.LOCALITY, keys.locality(r["attention_point__locality"]), r["n"])

    # Services delivered on the spot.
    add(fc.SERVICES, fc.TOTAL, "", 0)
    for r in (
        services_delivered(start, end)
        .values("session__attention_point", "session__locality")
        .annotate(n=Sum("count"))
    ):
        add(fc.SERVICES, fc.TOTAL, "", r["n"])
        add(fc.SERVICES, fc.POINT, keys.point(r["session__attention_point"]), r["n"])
        add(fc.SERVICES, fc.LOCALITY, keys.locality(r["session__locality"]), r["n"])

    # Referrals sent in the range, by current status, provider and the person's attributes.
    # With month_cells ({month start: cells}) each referral also counts in its month's cells
    # (one grouped pass for a year and its months); with referral_counts=False the months
    # got their counts that way and only their timing is computed here.
    found = referrals(start, end)
    add(fc.REFERRALS, fc.TOTAL, "", 0)
    fields = ["status", "k_provider", "k_group", "k_sex", "k_age"]
    if month_cells:
        found = found.annotate(k_month=_month_key(F("k_on")))
        fields.append("k_month")
    for r in found.values(*fields).annotate(n=Count("id")) if referral_counts else ():
        targets = [add]
        if month_cells and r["k_month"] in month_cells:
            targets.append(_adder(month_cells[r["k_month"]]))
        for target in targets:
            target(fc.REFERRALS, fc.TOTAL, "", r["n"])
            target(fc.REFERRALS, fc.STATUS, r["status"], r["n"])
            target(fc.REFERRALS, fc.PROVIDER, keys.provider(r["k_provider"]), r["n"])
            target(fc.REFERRALS, fc.GROUP, r["k_group"], r["n"])
            target(fc.REFERRALS, fc.SEX, r["k_sex"], r["n"])
            target(fc.REFERRALS, fc.AGE, r["k_age"], r["n"])
    for stat, durations in (
        ("accept", accepted_durations(start, end)),
        ("complete", completed_durations(start, end)),
    ):
        n, median = _median_seconds(durations)
        add(fc.REFERRAL_TIMING, "stat", f"{stat}_n", n)
        add(fc.REFERRAL_TIMING, "stat", f"{stat}_median", median)

    # Attendance of held sessions: registered (as recorded that day) plus anonymous counts.
    add(fc.ATTENDANCE, fc.TOTAL, "", 0)
    registered = (
        attendance(start, end)
        .values("session__attention_point", "session__locality", "sex", "age_group")
        .annotate(n=Count("id"))
        .values("session__attention_point", "session__locality", "sex", "age_group", "n")
    )
    registered_groups = (
        attendance(start, end).values("population_group").annotate(n=Count("id")).order_by()
    )
    anonymous = (
        anonymous_attendance(start, end)
        .values("session__attention_point", "session__locality", "sex", "age_group")
        .annotate(n=Sum("count"))
    )
    for r in [*registered, *anonymous]:
        age = r["age_group"] or fc.UNKNOWN
        add(fc.ATTENDANCE, fc.TOTAL, "", r["n"])
        add(fc.ATTENDANCE, fc.POINT, keys.point(r["session__attention_point"]), r["n"])
        add(fc.ATTENDANCE, fc.LOCALITY, keys.locality(r["session__locality"]), r["n"])
        add(fc.ATTENDANCE, fc.SEX, r["sex"], r["n"])
        add(fc.ATTENDANCE, fc.AGE, age, r["n"])
        add(fc.ATTENDANCE, fc.SEX_AGE, f"{r['sex']}|{age}", r["n"])
    for r in registered_groups:
        add(fc.ATTENDANCE, fc.GROUP, r["population_group"] or fc.UNKNOWN, r["n"])
    anonymous_total = cells.get((fc.ATTENDANCE, fc.TOTAL, ""), 0) - sum(
        r["n"] for r in registered_groups
    )
    if anonymous_total:
        add(fc.ATTENDANCE, fc.GROUP, fc.UNKNOWN, anonymous_total)
    return cells


def _duration(start_field: str, end_field: str):
    return ExpressionWrapper(F(end_field) - F(start_field), output_field=DurationField())


def accepted_durations(start: date, end: date):
    """Referrals sent in the range and accepted (answered, not rejected): sending → answer."""
    return (
        _referrals_sent(start, end)  # the same rows as referrals(), without its annotations
        .filter(answered_at__isnull=False)
        .exclude(status=ReferralStatus.REJECTED)
        .annotate(days=_duration("sent_at", "answered_at"))
    )


def completed_durations(start: date, end: date):
    return (
        _referrals_sent(start, end)
        .filter(status=ReferralStatus.COMPLETED, completed_at__isnull=False)
        .annotate(days=_duration("sent_at", "completed_at"))
    )


def _median_seconds(queryset) -> tuple[int, int]:
    """(how many, median in whole seconds), sorting in the database."""
    ordered = queryset.order_by("days", "id").values_list("days", flat=True)
    n = ordered.count()
    positions = fc.median_index(n)
    if not positions:
        return 0, 0
    values = list(ordered[positions[0] : positions[-1] + 1])
    return n, round(sum(v.total_seconds() for v in values) / len(values))


# --- precomputed cells ----------------------------------------------------------------------


def periods_state(kind: str, starts: list[date]) -> dict[date, datetime | None]:
    """When each period's cells were computed (None: never)."""
    found = dict(
        FigurePeriod.objects.filter(kind=kind, start__in=starts).values_list("start", "computed_at")
    )
    return {s: found.get(s) for s in starts}


def stored_cells(kind: str, start: date) -> Cells:
    return {
        (m, d, k): v
        for m, d, k, v in FigureCell.objects.filter(
            period__kind=kind, period__start=start
        ).values_list("measure", "dimension", "key", "value")
    }


def stored_month_totals(starts: list[date], measures: tuple[str, ...]) -> dict:
    """(measure, month start) -> total, from the month cells."""
    return {
        (m, s): v
        for m, s, v in FigureCell.objects.filter(
            period__kind=fc.MONTH,
            period__start__in=starts,
            measure__in=measures,
            dimension=fc.TOTAL,
        ).values_list("measure", "period__start", "value")
    }


# --- the records behind a number ------------------------------------------------------------


class UnknownFigure(ValueError):
    """The measure, dimension or key does not name a figure."""


def _pk_of(model, key: str):
    if key == fc.NONE:
        return None
    try:
        return model.objects.values_list("id", flat=True).get(uuid=key)
    except (model.DoesNotExist, ValueError, ValidationError) as exc:
        raise UnknownFigure(key) from exc


def _month_range(key: str, start: date, end: date) -> tuple[date, date]:
    try:
        first = datetime.strptime(key, "%Y-%m").date()
    except ValueError as exc:
        raise UnknownFigure(key) from exc
    return max(first, start), min(fc.month_end(first), end)


def records(*, user, measure: str, dimension: str, key: str, start: date, end: date):
    """The records a number counts: a queryset and the weight field (None: one each).

    Attendance counts two kinds of record; it returns (registered, anonymous) querysets.
    """
    if not has_cap(user, Cap.VIEW_PERSON):
        raise UnknownFigure("not allowed")
    if measure not in fc.MEASURES or dimension not in fc.MEASURES[measure].dimensions:
        raise UnknownFigure(f"{measure}/{dimension}")
    if dimension == fc.SEX_AGE:
        sex, _, age = key.partition("|")
    if dimension == fc.MONTH_DIM:
        start, end = _month_range(key, start, end)
        if start > end:
            raise UnknownFigure(key)

    if measure == fc.PEOPLE:
        rows = served(start, end)
        if dimension == fc.POINT:
            rows = rows.filter(visit__attention_point=_pk_of(AttentionPoint, key))
        elif dimension == fc.LOCALITY:
            rows = rows.filter(visit__attention_point__locality=_pk_of(Locality, key))
        elif dimension in (fc.GROUP, fc.SEX, fc.AGE):
            rows = served_latest(start, end).filter(**{f"k_{dimension}": key})
        return Person.objects.filter(pk__in=rows.values("person_id")).order_by("sort_key", "id")

    if measure == fc.FAMILIES:
        rows = served_households(start, end)
        if dimension == fc.POINT:
            rows = rows.filter(visit__attention_point=_pk_of(AttentionPoint, key))
        elif dimension == fc.LOCALITY:
            rows = rows.filter(visit__attention_point__locality=_pk_of(Locality, key))
        return Household.objects.filter(pk__in=rows.values("k_household")).order_by("-created_at")

    if measure == fc.VISITS:
        rows = visits(start, end)
        if dimension == fc.POINT:
            rows = rows.filter(attention_point=_pk_of(AttentionPoint, key))
        elif dimension == fc.LOCALITY:
            rows = rows.filter(attention_point__locality=_pk_of(Locality, key))
        return rows.select_related("attention_point").order_by("-occurred_at", "-id")

    if measure == fc.SERVICES:
        rows = services_delivered(start, end)
        if dimension == fc.POINT:
            rows = rows.filter(session__attention_point=_pk_of(AttentionPoint, key))
        elif dimension == fc.LOCALITY:
            rows = rows.filter(session__locality=_pk_of(Locality, key))
        return rows.select_related("session", "service").order_by("-session__date", "id")

    if measure == fc.REFERRALS:
        rows = referrals(start, end)
        if dimension == fc.STATUS:
            rows = rows.filter(status=key)
        elif dimension == fc.PROVIDER:
            rows = (
                rows.filter(is_external=True)
                if key == fc.EXTERNAL
                else rows.filter(is_external=False, service__provider=_pk_of(Organization, key))
            )
        elif dimension in (fc.GROUP, fc.SEX, fc.AGE):
            rows = rows.filter(**{f"k_{dimension}": key})
        return rows.select_related("person", "service").order_by("-sent_at", "-id")

    # Attendance: registered rows and anonymous count rows.
    registered, anonymous = attendance(start, end), anonymous_attendance(start, end)
    if dimension == fc.POINT:
        point = _pk_of(AttentionPoint, key)
        registered = registered.filter(session__attention_point=point)
        anonymous = anonymous.filter(session__attention_point=point)
    elif dimension == fc.LOCALITY:
        locality = _pk_of(Locality, key)
        registered = registered.filter(session__locality=locality)
        anonymous = anonymous.filter(session__locality=locality)
    elif dimension == fc.SEX:
        registered, anonymous = registered.filter(sex=key), anonymous.filter(sex=key)
    elif dimension == fc.AGE:
        age = "" if key == fc.UNKNOWN else key
        registered, anonymous = registered.filter(age_group=age), anonymous.filter(age_group=age)
    elif dimension == fc.SEX_AGE:
        age = "" if age == fc.UNKNOWN else age
        registered = registered.filter(sex=sex, age_group=age)
        anonymous = anonymous.filter(sex=sex, age_group=age)
    elif dimension == fc.GROUP:
        group = "" if key == fc.UNKNOWN else key
        registered = registered.filter(population_group=group)
        if key != fc.UNKNOWN:
            anonymous = anonymous.none()
    return (
        registered.select_related("session", "person").order_by("-session__date", "id"),
        anonymous.select_related("session").order_by("-session__date", "id"),
    )
