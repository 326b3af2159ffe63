"""Two refreshes of the same period at the same moment, on PostgreSQL: one after the other,
never duplicated cells (same pattern as registry/tests/test_concurrency_pg.py)."""

import time
from datetime import date

import pytest
from django.db import connection

from ventanilla.insights import figures_core as fc
from ventanilla.insights import selectors, services
from ventanilla.insights.models import FigureCell, FigurePeriod
from ventanilla.registry.tests.test_concurrency_pg import PAUSE, outcomes, run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

JUNE = date(2025, 6, 1)


@pytest.fixture(autouse=True)
def _needs_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks and concurrent transactions")


def _slow_compute(monkeypatch):
    original = selectors.compute

    def slow(*args, **kwargs):
        result = original(*args, **kwargs)
        time.sleep(PAUSE)
        return result

    monkeypatch.setattr(selectors, "compute", slow)


@pytest.mark.parametrize("existing", [False, True])
def test_two_refreshes_of_a_period_make_one_set_of_cells(world, monkeypatch, existing):
    if existing:
        services.figures_refresh_period(kind=fc.MONTH, start=JUNE)
    _slow_compute(monkeypatch)

    def refresh():
        return services.figures_refresh_period(kind=fc.MONTH, start=JUNE)

    results = run_together(refresh, refresh)

    assert outcomes(results) == ["ok", "ok"], results
    assert FigurePeriod.objects.filter(kind=fc.MONTH, start=JUNE).count() == 1
    expected = selectors.compute(JUNE, date(2025, 6, 30))
    assert FigureCell.objects.filter(period__start=JUNE).count() == len(expected)


def test_a_stale_read_by_two_pages_computes_once(world, monkeypatch):
    _slow_compute(monkeypatch)
    calls = []
    original = selectors.compute
    monkeypatch.setattr(selectors, "compute", lambda *a: calls.append(a) or original(*a))

    def read():
        return services.figures_for_range(start=JUNE, end=date(2025, 6, 30)).value(fc.VISITS)

    results = run_together(read, read)

    assert outcomes(results) == ["ok", "ok"], results
    assert len(calls) == 1
