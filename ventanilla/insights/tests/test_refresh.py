"""Precomputed cells: refreshed by the command, when stale, and by "Refresh now"; atomically."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ventanilla.core.models import AuditEvent
from ventanilla.insights import figures_core as fc
from ventanilla.insights import selectors, services
from ventanilla.insights.models import FigureCell, FigurePeriod
from ventanilla.insights.tests.conftest import YEAR, local
from ventanilla.registry import services as registry

pytestmark = pytest.mark.django_db

JUNE = date(YEAR, 6, 1)


def _visit(world, person, at):
    registry.visit_record(
        actor=world.intake,
        persons=[person],
        attention_point=world.point,
        reasons=["legal"],
        occurred_at=at,
    )


def _stored(kind, start):
    return selectors.stored_cells(kind, start)


def test_the_command_refreshes_a_year_and_its_months(world, dataset, capsys):
    call_command("figures_refresh", "--year", str(YEAR))
    assert FigurePeriod.objects.filter(kind=fc.MONTH, start__year=YEAR).count() == 12
    assert FigurePeriod.objects.filter(kind=fc.YEAR, start=date(YEAR, 1, 1)).count() == 1
    year = _stored(fc.YEAR, date(YEAR, 1, 1))
    assert year == selectors.compute(date(YEAR, 1, 1), date(YEAR, 12, 31))
    assert _stored(fc.MONTH, JUNE) == selectors.compute(JUNE, date(YEAR, 6, 30))
    assert "13 period(s) recomputed" in capsys.readouterr().out
    call_command("figures_refresh", "--year", str(YEAR))  # all fresh: nothing to do
    assert "0 period(s) recomputed" in capsys.readouterr().out
    call_command("figures_refresh", "--year", str(YEAR), "--force")
    assert "13 period(s) recomputed" in capsys.readouterr().out
    assert FigureCell.objects.filter(period__kind=fc.YEAR).count() == len(year)


def test_the_command_by_default_and_for_all_years(world, dataset, capsys):
    call_command("figures_refresh")
    this_year = timezone.localdate().year
    assert FigurePeriod.objects.filter(kind=fc.YEAR, start__year=this_year).exists()
    call_command("figures_refresh", "--all")
    years = set(FigurePeriod.objects.filter(kind=fc.YEAR).values_list("start__year", flat=True))
    assert set(range(YEAR - 1, this_year + 1)) <= years


def test_cells_are_read_as_they_are_and_stale_ones_refreshed_by_the_command(
    world, dataset, settings, client
):
    settings.VENTANILLA_FIGURES_MAX_AGE_MINUTES = 15
    first = services.figures_for_range(start=JUNE, end=date(YEAR, 6, 30))  # computed once
    assert first.precomputed and not first.stale and first.value(fc.VISITS) == 0
    _visit(world, dataset.persons["Ana"], local(YEAR, 6, 3))
    # Cells are read as they are, with their time.
    again = services.figures_for_range(start=JUNE, end=date(YEAR, 6, 30))
    assert again.value(fc.VISITS) == 0
    assert again.as_of == first.as_of
    # A live range sees the visit at once.
    assert services.figures_for_range(start=JUNE, end=date(YEAR, 6, 29)).value(fc.VISITS) == 1
    # Older than the maximum age: the page says so, and the command recomputes them.
    FigurePeriod.objects.filter(kind=fc.MONTH, start=JUNE).update(
        computed_at=timezone.now() - timedelta(minutes=16)
    )
    stale = services.figures_for_range(start=JUNE, end=date(YEAR, 6, 30))
    assert stale.stale and stale.value(fc.VISITS) == 0
    client.force_login(world.analyst)
    page = client.get(reverse("insights:figures"), {"from": f"{YEAR}-06-01", "to": f"{YEAR}-06-30"})
    assert page.context["stale"]
    assert "15" in page.content.decode()
    call_command("figures_refresh", "--year", str(YEAR))
    fresh = services.figures_for_range(start=JUNE, end=date(YEAR, 6, 30))
    assert not fresh.stale and fresh.value(fc.VISITS) == 1
    assert fresh.as_of > first.as_of
    # Only the stale month was recomputed: the year's cells are still the earlier ones.
    assert services.figures_for_range(start=date(YEAR, 1, 1), end=date(YEAR, 12, 31)).precomputed


def test_refresh_now_recomputes_and_is_audited(client, world, dataset):
    url = reverse("insights:figures")
    query = {"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"}
    client.force_login(world.coordinator)
    before = client.get(url, query).context["board"].headline[fc.VISITS].cell.value
    _visit(world, dataset.persons["Ana"], local(YEAR, 6, 3))
    assert client.get(url, query).context["board"].headline[fc.VISITS].cell.value == before
    response = client.post(f"{reverse('insights:refresh')}?from={YEAR}-01-01&to={YEAR}-12-31")
    assert response.status_code == 302
    assert response["Location"].startswith(url)
    page = client.get(url, query)
    assert page.context["board"].headline[fc.VISITS].cell.value == before + 1
    assert page.context["board"].series[5]["cells"][fc.VISITS].cell.value == 1  # June's cell
    event = AuditEvent.objects.get(action="insights.figures.refreshed")
    assert event.actor == world.coordinator
    html = page.content.decode()
    assert timezone.localtime(page.context["as_of"]).strftime("%H:%M") in html


def test_a_failed_refresh_keeps_the_old_cells(world, dataset, monkeypatch):
    services.figures_refresh_period(kind=fc.MONTH, start=JUNE)
    old = _stored(fc.MONTH, JUNE)
    computed_at = FigurePeriod.objects.get(kind=fc.MONTH, start=JUNE).computed_at

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(FigureCell.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        services.figures_refresh_period(kind=fc.MONTH, start=JUNE)
    assert _stored(fc.MONTH, JUNE) == old
    assert FigurePeriod.objects.get(kind=fc.MONTH, start=JUNE).computed_at == computed_at


def test_only_calendar_periods_are_stored(world):
    from ventanilla.core.exceptions import InvalidInput

    with pytest.raises(InvalidInput):
        services.figures_refresh_period(kind=fc.MONTH, start=date(YEAR, 6, 2))
    with pytest.raises(InvalidInput):
        services.figures_refresh_period(kind=fc.YEAR, start=date(YEAR, 6, 1))
