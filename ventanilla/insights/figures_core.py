"""What the figures are made of: measures, their dimensions, periods. Pure Python, no Django.

A figure is a cell: (measure, dimension, key) -> an integer. Dimension "total" has key "".
"""

from dataclasses import dataclass
from datetime import date, timedelta

MONTH, YEAR = "month", "year"
TOTAL = "total"

# Dimensions.
POINT = "point"
LOCALITY = "locality"
GROUP = "group"
SEX = "sex"
AGE = "age"
STATUS = "status"
PROVIDER = "provider"
SEX_AGE = "sex_age"  # two-way: "sex|age group"
MONTH_DIM = "month"  # the monthly series inside a range: key "YYYY-MM"

UNKNOWN = "unknown"
NONE = "none"  # no attention point (a session planned by locality only)
EXTERNAL = "external"  # a referral to a provider outside the catalog


@dataclass(frozen=True)
class Measure:
    code: str
    dimensions: tuple[str, ...]
    # Dimensions whose cells add up to the total (the rest: one record may count in several).
    additive: tuple[str, ...]


PEOPLE = "people"
FAMILIES = "families"
VISITS = "visits"
SERVICES = "services"
REFERRALS = "referrals"
ATTENDANCE = "attendance"
# Referral timing, in seconds: keys accept_median, accept_n, complete_median, complete_n.
REFERRAL_TIMING = "referral_timing"

MEASURES: dict[str, Measure] = {
    m.code: m
    for m in (
        Measure(
            PEOPLE,
            (TOTAL, MONTH_DIM, POINT, LOCALITY, GROUP, SEX, AGE),
            (GROUP, SEX, AGE),
        ),
        Measure(FAMILIES, (TOTAL, MONTH_DIM, POINT, LOCALITY), ()),
        Measure(VISITS, (TOTAL, MONTH_DIM, POINT, LOCALITY), (MONTH_DIM, POINT, LOCALITY)),
        Measure(SERVICES, (TOTAL, POINT, LOCALITY), (POINT, LOCALITY)),
        Measure(
            REFERRALS,
            (TOTAL, STATUS, PROVIDER, GROUP, SEX, AGE),
            (STATUS, PROVIDER, GROUP, SEX, AGE),
        ),
        Measure(
            ATTENDANCE,
            (TOTAL, POINT, LOCALITY, GROUP, SEX, AGE, SEX_AGE),
            (POINT, LOCALITY, GROUP, SEX, AGE),
        ),
    )
}

# Measures whose records can be listed (drill-down) and the dimensions allowed there.
DRILLABLE = {code: m.dimensions for code, m in MEASURES.items()}


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_end(day: date) -> date:
    return next_month(day) - timedelta(days=1)


def period_range(kind: str, start: date) -> tuple[date, date]:
    """First and last day of a calendar month or year."""
    if kind == MONTH:
        return start, month_end(start)
    return start, date(start.year, 12, 31)


def calendar_period(start: date, end: date) -> tuple[str, date] | None:
    """(kind, start) when the range is exactly one calendar month or year, else None."""
    if start.day == 1 and end == month_end(start):
        return MONTH, start
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return YEAR, start
    return None


def months_between(start: date, end: date) -> list[date]:
    """First days of the calendar months a range touches."""
    months, current = [], month_start(start)
    while current <= end:
        months.append(current)
        current = next_month(current)
    return months


def quick_ranges(today: date) -> dict[str, tuple[date, date]]:
    this_month = month_start(today)
    last_month = month_start(this_month - timedelta(days=1))
    return {
        "this_month": (this_month, month_end(this_month)),
        "last_month": (last_month, month_end(last_month)),
        "this_year": (date(today.year, 1, 1), date(today.year, 12, 31)),
        "last_year": (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
    }


def completion_rate(by_status: dict[str, int]) -> float | None:
    """Completed ÷ (sent − cancelled); None when nothing is left to complete."""
    sent = sum(by_status.values())
    base = sent - by_status.get("cancelled", 0)
    if base <= 0:
        return None
    return by_status.get("completed", 0) / base


def median_index(n: int) -> list[int]:
    """Positions (0-based, sorted values) whose mean is the median of n values."""
    if n <= 0:
        return []
    return [n // 2] if n % 2 else [n // 2 - 1, n // 2]
