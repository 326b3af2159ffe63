"""The figures reconcile with the records: precomputed cells, the live computation and the
drill-down lists agree for every measure, dimension and key, and match a hand count."""

from datetime import date

import pytest
from django.db import connection

from ventanilla.insights import figures_core as fc
from ventanilla.insights import selectors, services
from ventanilla.insights.models import FigureCell
from ventanilla.insights.tests.conftest import YEAR

pytestmark = pytest.mark.django_db

YEAR_RANGE = (date(YEAR, 1, 1), date(YEAR, 12, 31))


def _records_count(user, measure, dimension, key, start, end) -> int:
    found = selectors.records(
        user=user, measure=measure, dimension=dimension, key=key, start=start, end=end
    )
    if measure == fc.ATTENDANCE:
        registered, anonymous = found
        return registered.count() + sum(a.count for a in anonymous)
    if measure == fc.SERVICES:
        return sum(s.count for s in found)
    return found.count()


def _assert_drill_down_matches(world, cells, start, end):
    checked = 0
    for (measure, dimension, key), value in cells.items():
        if measure == fc.REFERRAL_TIMING:
            continue
        got = _records_count(world.coordinator, measure, dimension, key, start, end)
        assert got == value, (measure, dimension, key, got, value)
        checked += 1
    return checked


@pytest.mark.parametrize(
    "start,end",
    [
        YEAR_RANGE,
        (date(YEAR, 1, 1), date(YEAR, 1, 31)),
        (date(YEAR, 5, 1), date(YEAR, 5, 31)),
        (date(YEAR, 3, 5), date(YEAR, 7, 20)),
        (date(YEAR - 1, 12, 31), date(YEAR, 1, 1)),
    ],
)
def test_cells_live_and_records_agree(world, dataset, start, end):
    live = selectors.compute(start, end)
    figures = services.figures_for_range(start=start, end=end)
    assert figures.cells == live
    assert figures.precomputed == (fc.calendar_period(start, end) is not None)
    assert _assert_drill_down_matches(world, live, start, end) > 10


def test_the_year_in_numbers(world, dataset):
    f = services.figures_for_range(start=YEAR_RANGE[0], end=YEAR_RANGE[1])
    north, point = str(dataset.north_point.uuid), str(dataset.point.uuid)
    # 12 persons (Beto's visit on 31 December 2024 at 23:30 local does not count; Cruz's at
    # 23:59 on 31 December 2025 does), in 15 visits (2 of them workshop attendance), one
    # household.
    assert f.value(fc.PEOPLE) == 12
    assert f.value(fc.VISITS) == 15
    assert f.value(fc.FAMILIES) == 1
    assert f.breakdown(fc.PEOPLE, fc.POINT) == {point: 11, north: 3}
    assert f.breakdown(fc.PEOPLE, fc.SEX) == {"female": 4, "male": 7, "intersex": 1}
    assert f.breakdown(fc.PEOPLE, fc.AGE) == {"30-59": 9, "0-5": 1, "60+": 1, "unknown": 1}
    assert f.breakdown(fc.PEOPLE, fc.GROUP) == {"settled": 12}
    assert f.breakdown(fc.VISITS, fc.MONTH_DIM) == {
        "2025-01": 2,
        "2025-02": 6,
        "2025-03": 2,
        "2025-04": 2,
        "2025-05": 1,
        "2025-07": 1,
        "2025-12": 1,
    }
    # On-the-spot services and attendance of held sessions; the planned one does not count.
    assert f.value(fc.SERVICES) == 11
    assert f.breakdown(fc.SERVICES, fc.POINT) == {north: 4, fc.NONE: 7}
    assert f.value(fc.ATTENDANCE) == 13
    assert f.breakdown(fc.ATTENDANCE, fc.SEX) == {"female": 5, "not_recorded": 2, "male": 6}
    assert f.breakdown(fc.ATTENDANCE, fc.LOCALITY) == {
        str(world.other_locality.uuid): 7,
        str(world.locality.uuid): 6,
    }
    # Referrals: five sent in 2025, one of each status but "in progress" and "did not attend".
    assert f.value(fc.REFERRALS) == 5
    assert f.breakdown(fc.REFERRALS, fc.STATUS) == {
        "completed": 1,
        "accepted": 1,
        "rejected": 1,
        "cancelled": 1,
        "sent": 1,
    }
    assert f.breakdown(fc.REFERRALS, fc.PROVIDER) == {
        str(world.partner_org.uuid): 4,
        fc.EXTERNAL: 1,
    }
    assert fc.completion_rate(f.breakdown(fc.REFERRALS, fc.STATUS)) == 0.25
    assert f.value(fc.REFERRAL_TIMING, "stat", "accept_n") == 2
    assert f.value(fc.REFERRAL_TIMING, "stat", "accept_median") == 3 * 86400
    assert f.value(fc.REFERRAL_TIMING, "stat", "complete_n") == 1
    assert f.value(fc.REFERRAL_TIMING, "stat", "complete_median") == 10 * 86400


def test_month_boundaries_are_local_days(dataset):
    january = services.figures_for_range(start=date(YEAR, 1, 1), end=date(YEAR, 1, 31))
    # Beto's visit at 23:59 on 31 January (04:59 UTC on 1 February) is January's.
    assert january.value(fc.VISITS) == 2
    assert january.value(fc.PEOPLE) == 2
    february = services.figures_for_range(start=date(YEAR, 2, 1), end=date(YEAR, 2, 28))
    assert february.value(fc.VISITS) == 6
    december_2024 = services.figures_for_range(
        start=date(YEAR - 1, 12, 1), end=date(YEAR - 1, 12, 31)
    )
    assert december_2024.value(fc.PEOPLE) == 1
    assert december_2024.value(fc.REFERRALS) == 1


def test_population_group_on_the_day_of_the_latest_service(dataset):
    may = services.figures_for_range(start=date(YEAR, 5, 1), end=date(YEAR, 5, 31))
    assert may.breakdown(fc.PEOPLE, fc.GROUP) == {"in_transit": 1}
    # From March to July Dora's last visit (1 July) is after her change to "settled".
    live = selectors.compute(date(YEAR, 3, 5), date(YEAR, 7, 20))
    assert live[(fc.PEOPLE, fc.GROUP, "settled")] == 4
    assert (fc.PEOPLE, fc.GROUP, "in_transit") not in live
    # Her referral, sent on 20 June, counts her as settled.
    assert live[(fc.REFERRALS, fc.GROUP, "settled")] == 1


def test_a_household_is_found_through_membership(world, dataset):
    # 10 March: Elena alone, no household on the visit; her membership gives the household.
    day = services.figures_for_range(start=date(YEAR, 3, 10), end=date(YEAR, 3, 10))
    assert day.value(fc.FAMILIES) == 1
    (household,) = selectors.records(
        user=world.coordinator,
        measure=fc.FAMILIES,
        dimension=fc.TOTAL,
        key="",
        start=date(YEAR, 3, 10),
        end=date(YEAR, 3, 10),
    )
    assert household == dataset.household


def test_year_series_comes_from_month_cells_and_matches_the_year(dataset):
    f = services.figures_for_range(start=YEAR_RANGE[0], end=YEAR_RANGE[1])
    series = {m: v for m, v in f.series}
    assert len(series) == 12
    for measure in (fc.PEOPLE, fc.FAMILIES, fc.VISITS):
        by_month = f.breakdown(measure, fc.MONTH_DIM)
        assert {f"{m:%Y-%m}": v[measure] for m, v in series.items() if v[measure]} == by_month
    months = FigureCell.objects.filter(period__kind=fc.MONTH, dimension=fc.TOTAL)
    assert months.filter(measure=fc.VISITS).count() == 12
    assert sum(series[m][fc.VISITS] for m in series) == f.value(fc.VISITS)


def test_a_year_and_its_months_computed_together_match_each_computed_alone(dataset):
    """selectors.compute_year (one pass on PostgreSQL, used by figures_refresh_year) gives
    every period exactly the cells compute() gives it on its own."""
    months = [date(YEAR, m, 1) for m in range(1, 13)]
    together = selectors.compute_year(YEAR, months)
    assert together[(fc.YEAR, YEAR_RANGE[0])] == selectors.compute(*YEAR_RANGE)
    for month in months:
        assert together[(fc.MONTH, month)] == selectors.compute(month, fc.month_end(month))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own SQL")
def test_people_and_families_in_sql_match_the_orm_reference(dataset):
    """On PostgreSQL the people and families cells come from raw SQL; the ORM path (which
    SQLite runs, and which the drill-down lists filter) must give the same cells."""
    keys = selectors._Keys()
    for start, end in [YEAR_RANGE, (date(YEAR, 3, 5), date(YEAR, 7, 20))]:
        orm, sql = {}, {}
        selectors._people_and_families(start, end, selectors._adder(orm), keys)
        selectors._people_and_families_pg(start, end, selectors._adder(sql), keys)
        assert sql == orm
