"""The figures of a date range, and the precomputed month and year cells behind them.

A range that is exactly one calendar month or year reads its cells (computed first when
missing); any other range is computed live by the same function that fills the cells
(selectors.compute). Cells older than VENTANILLA_FIGURES_MAX_AGE_MINUTES are recomputed by
`manage.py figures_refresh` (cron) and by a coordinator's "Refresh now", not by a page view:
at a million persons a year and its months take 20-30 s to recompute (one pass,
figures_refresh_year), and the page must answer at once.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ventanilla.core.audit import audit_record
from ventanilla.core.exceptions import InvalidInput
from ventanilla.insights import figures_core as fc
from ventanilla.insights import selectors
from ventanilla.insights.models import FigureCell, FigurePeriod

SERIES_MEASURES = (fc.PEOPLE, fc.FAMILIES, fc.VISITS)


@dataclass
class Figures:
    """Every figure of a range, where they came from and how old they are."""

    start: date
    end: date
    cells: selectors.Cells
    # [(month start, {measure: count})] for people, families and visits.
    series: list = field(default_factory=list)
    as_of: datetime | None = None
    precomputed: bool = False
    stale: bool = False  # some cells are older than the maximum age

    def value(self, measure: str, dimension: str = fc.TOTAL, key: str = "") -> int:
        return self.cells.get((measure, dimension, key), 0)

    def breakdown(self, measure: str, dimension: str) -> dict[str, int]:
        return {k: v for (m, d, k), v in self.cells.items() if m == measure and d == dimension}


def max_age() -> timedelta:
    return timedelta(minutes=settings.VENTANILLA_FIGURES_MAX_AGE_MINUTES)


def _is_fresh(computed_at: datetime | None, now: datetime) -> bool:
    return computed_at is not None and now - computed_at < max_age()


def _check_period(kind: str, start: date) -> None:
    if kind not in (fc.MONTH, fc.YEAR) or start.day != 1 or (kind == fc.YEAR and start.month != 1):
        raise InvalidInput(f"Not a calendar period: {kind} {start}")


def _write_cells(period: FigurePeriod, cells: selectors.Cells, began: datetime) -> None:
    FigureCell.objects.filter(period=period).delete()
    FigureCell.objects.bulk_create(
        [
            FigureCell(period=period, measure=m, dimension=d, key=k, value=v)
            for (m, d, k), v in sorted(cells.items())
        ],
        batch_size=1000,
    )
    # The start of the computation: records written while it ran may not be counted.
    period.computed_at = began
    period.save(update_fields=["computed_at"])


def _lock(kind: str, start: date) -> FigurePeriod:
    FigurePeriod.objects.get_or_create(kind=kind, start=start)
    return FigurePeriod.objects.select_for_update().get(kind=kind, start=start)


@transaction.atomic
def figures_refresh_period(*, kind: str, start: date, only_if_stale: bool = False) -> FigurePeriod:
    """Recompute one month's or year's cells from the records: delete and insert, atomically.

    The period row is locked first, so two refreshes of the same period run one after the
    other (the second finds fresh cells and stops when only_if_stale) and never duplicate
    cells.
    """
    _check_period(kind, start)
    period = _lock(kind, start)
    began = timezone.now()
    if only_if_stale and _is_fresh(period.computed_at, began):
        return period
    first, last = fc.period_range(kind, start)
    _write_cells(period, selectors.compute(first, last), began)
    return period


def _periods_of_year(year: int, today: date) -> list[tuple[str, date]]:
    months = [date(year, m, 1) for m in range(1, 13) if date(year, m, 1) <= today]
    return [(fc.YEAR, date(year, 1, 1)), *[(fc.MONTH, m) for m in months]]


def _refresh_of_year(year: int, periods: list[tuple[str, date]], keep) -> tuple[dict, int]:
    """Lock the periods of one year (year first, then months in order, as a single period's
    refresh and "Refresh now" do) and recompute those keep(row, now) rejects, all from one
    selectors.compute_year (one pass over the year's records on PostgreSQL). Call inside a
    transaction. The locked rows, and how many were recomputed."""
    ordered = sorted(periods, key=lambda p: (p[0] != fc.YEAR, p[1]))
    rows = {(kind, start): _lock(kind, start) for kind, start in ordered}
    began = timezone.now()
    todo = {p: row for p, row in rows.items() if not keep(row, began)}
    if todo:
        computed = selectors.compute_year(year, [start for kind, start in todo if kind == fc.MONTH])
        for p, row in todo.items():
            _write_cells(row, computed[p], began)
    return rows, len(todo)


@transaction.atomic
def figures_refresh_year(*, year: int, only_if_stale: bool = False) -> int:
    """Refresh a year and its months that have begun; how many periods were recomputed.

    One transaction, one computation for the year and its months (see _refresh_of_year).
    """

    def keep(row, now):
        return only_if_stale and _is_fresh(row.computed_at, now)

    periods = _periods_of_year(year, timezone.localdate())
    return _refresh_of_year(year, periods, keep)[1]


@transaction.atomic
def figures_refresh_now(*, actor, start: date, end: date) -> None:
    """A coordinator's "Refresh now": the periods the page shows, recomputed and audited."""
    period = fc.calendar_period(start, end)
    if period is None:
        return
    kind, first = period
    if kind == fc.YEAR:
        figures_refresh_year(year=first.year)
    else:
        figures_refresh_period(kind=kind, start=first)
    audit_record(
        actor=actor,
        action="insights.figures.refreshed",
        changes={"period": [None, f"{kind} {first:%Y-%m}"]},
    )


def _ensure_computed(periods: list[tuple[str, date]]) -> datetime | None:
    """Compute the periods that have no cells yet; the oldest computation time.

    Several missing periods of one year (a year page read first) are computed together.
    """
    states = {}
    for kind in (fc.YEAR, fc.MONTH):
        starts = [s for k, s in periods if k == kind]
        if starts:
            states.update({(kind, s): c for s, c in selectors.periods_state(kind, starts).items()})
    missing = [p for p, computed_at in states.items() if computed_at is None]
    if len(missing) > 1 and len({start.year for _, start in missing}) == 1:
        with transaction.atomic():
            rows, _ = _refresh_of_year(
                missing[0][1].year, missing, lambda row, now: row.computed_at is not None
            )
        states.update({p: row.computed_at for p, row in rows.items()})
    else:
        for kind, start in missing:
            states[(kind, start)] = figures_refresh_period(
                kind=kind, start=start, only_if_stale=True
            ).computed_at
    return min(states.values(), default=None)


def figures_for_range(*, start: date, end: date) -> Figures:
    """The figures of a range: from cells for one calendar month or year, else live."""
    months = fc.months_between(start, end)
    period = fc.calendar_period(start, end)
    if period is None:
        cells = selectors.compute(start, end)
        series = [
            (m, {x: cells.get((x, fc.MONTH_DIM, f"{m:%Y-%m}"), 0) for x in SERIES_MEASURES})
            for m in months
        ]
        return Figures(start, end, cells, series, as_of=timezone.now())
    kind, first = period
    today = timezone.localdate()
    begun = [m for m in months if m <= today]
    periods = [(kind, first)] + ([(fc.MONTH, m) for m in begun] if kind == fc.YEAR else [])
    as_of = _ensure_computed(periods)
    cells = selectors.stored_cells(kind, first)
    if kind == fc.YEAR:
        totals = selectors.stored_month_totals(begun, SERIES_MEASURES)
        series = [(m, {x: totals.get((x, m), 0) for x in SERIES_MEASURES}) for m in months]
    else:
        series = [(first, {x: cells.get((x, fc.TOTAL, ""), 0) for x in SERIES_MEASURES})]
    stale = not _is_fresh(as_of, timezone.now())
    return Figures(start, end, cells, series, as_of=as_of, precomputed=True, stale=stale)
