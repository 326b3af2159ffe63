"""The figures as tables: labels, exact or suppressed cells, links to the records.

Used by the dashboard, its charts and the CSV download, so that all three show the same
numbers. Suppressed tables (analysts, and every export) hide counts from 1 to 4 and the
complementary cells that would give them away.
"""

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.db.models import Model
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ventanilla.accounts.models import Organization
from ventanilla.cases.choices import ReferralStatus
from ventanilla.insights import figures_core as fc
from ventanilla.insights.services import Figures
from ventanilla.insights.suppression import SHOWN, Cell, protect_grid, protect_line
from ventanilla.outreach.choices import AgeGroup, AttendeeSex
from ventanilla.registry.choices import PopulationGroup
from ventanilla.territory.models import AttentionPoint, Locality

MEASURE_LABELS = {
    fc.PEOPLE: gettext_lazy("People served"),
    fc.FAMILIES: gettext_lazy("Families served"),
    fc.VISITS: gettext_lazy("Visits"),
    fc.SERVICES: gettext_lazy("Services delivered on the spot"),
    fc.REFERRALS: gettext_lazy("Referrals sent"),
    fc.ATTENDANCE: gettext_lazy("Mobile unit and workshop attendance"),
}
DIMENSION_LABELS = {
    fc.TOTAL: gettext_lazy("Total"),
    fc.MONTH_DIM: gettext_lazy("By month"),
    fc.POINT: gettext_lazy("By attention point"),
    fc.LOCALITY: gettext_lazy("By locality"),
    fc.GROUP: gettext_lazy("By population group"),
    fc.SEX: gettext_lazy("By sex"),
    fc.AGE: gettext_lazy("By age group"),
    fc.STATUS: gettext_lazy("By status"),
    fc.PROVIDER: gettext_lazy("By receiving provider"),
    fc.SEX_AGE: gettext_lazy("By sex and age group"),
}
# The breakdowns the dashboard shows for each measure (the month series is a chart of its own).
SHOWN_DIMENSIONS = {
    m: tuple(d for d in measure.dimensions if d not in (fc.TOTAL, fc.MONTH_DIM, fc.SEX_AGE))
    for m, measure in fc.MEASURES.items()
}


@dataclass
class Row:
    key: str
    label: str
    cell: Cell
    url: str = ""


@dataclass
class Table:
    measure: str
    dimension: str
    title: str
    rows: list[Row]
    total: Cell
    total_url: str = ""
    additive: bool = False

    @property
    def id(self) -> str:
        return f"{self.measure}-{self.dimension}"


@dataclass
class Dashboard:
    figures: Figures
    exact: bool
    headline: dict[str, Row] = field(default_factory=dict)
    tables: dict[str, list[Table]] = field(default_factory=dict)
    series: list[dict] = field(default_factory=list)
    grid: dict | None = None
    referral_rate: float | None = None
    referral_rate_shown: bool = True
    timing: dict = field(default_factory=dict)


def _names(model: type[Model]) -> dict[str, str]:
    return {str(u): n for u, n in model.objects.values_list("uuid", "name")}


class Labels:
    """Readable names for the keys of each dimension (a few small look-ups, made once)."""

    def __init__(self):
        self._cache: dict[str, dict] = {}

    def _of(self, dimension: str) -> dict:
        if dimension not in self._cache:
            unknown = {fc.UNKNOWN: _("Unknown"), fc.NONE: _("No attention point")}
            table = {
                fc.POINT: lambda: _names(AttentionPoint),
                fc.LOCALITY: lambda: _names(Locality),
                fc.PROVIDER: lambda: _names(Organization) | {fc.EXTERNAL: _("External providers")},
                fc.GROUP: lambda: dict(PopulationGroup.choices),
                fc.SEX: lambda: dict(AttendeeSex.choices),
                fc.AGE: lambda: dict(AgeGroup.choices),
                fc.STATUS: lambda: dict(ReferralStatus.choices),
            }.get(dimension, dict)()
            self._cache[dimension] = unknown | table
        return self._cache[dimension]

    def label(self, dimension: str, key: str) -> str:
        if dimension == fc.MONTH_DIM:
            year, month = key.split("-")
            return date_format(date(int(year), int(month), 1), "F Y")
        return str(self._of(dimension).get(key, key))

    def order(self, dimension: str) -> list[str]:
        """Every key a coded dimension can take, in the order of its choices."""
        coded = {
            fc.GROUP: PopulationGroup.values,
            fc.SEX: AttendeeSex.values,
            fc.AGE: AgeGroup.values,
            fc.STATUS: ReferralStatus.values,
        }
        return [*coded[dimension], fc.UNKNOWN] if dimension in coded else []


def records_url(measure: str, dimension: str, key: str, start: date, end: date) -> str:
    query = {"measure": measure, "dimension": dimension, "key": key}
    query |= {"from": start.isoformat(), "to": end.isoformat()}
    return f"{reverse('insights:records')}?{urlencode(query)}"


def export_url(start: date, end: date) -> str:
    return f"{reverse('insights:export')}?{urlencode({'from': start, 'to': end})}"


def _exact(value: int) -> Cell:
    return Cell(value, SHOWN)


def build_table(
    figures: Figures, measure: str, dimension: str, *, exact: bool, labels: Labels
) -> Table:
    values = figures.breakdown(measure, dimension)
    keys = labels.order(dimension)
    if dimension in (fc.SEX, fc.AGE, fc.GROUP) and measure == fc.REFERRALS:
        keys = [k for k in keys if k != "not_recorded"]
    if dimension == fc.SEX and measure != fc.ATTENDANCE:
        keys = [k for k in keys if k != "not_recorded"]
    if not keys:
        keys = sorted(values, key=lambda k: labels.label(dimension, k).lower())
    else:
        keys = [k for k in keys if k != fc.UNKNOWN or values.get(k)]
        keys += [k for k in values if k not in keys]
    values = {k: values.get(k, 0) for k in keys}
    total = figures.value(measure)
    additive = dimension in fc.MEASURES[measure].additive
    if exact:
        cells, total_cell = {k: _exact(v) for k, v in values.items()}, _exact(total)
    else:
        line = protect_line(values, total if additive else None)
        cells = line.cells
        total_cell = line.total if additive else protect_line({"": total}).cells[""]
    start, end = figures.start, figures.end
    rows = [
        Row(
            key=k,
            label=labels.label(dimension, k),
            cell=cells[k],
            url=records_url(measure, dimension, k, start, end) if exact and values[k] else "",
        )
        for k in keys
    ]
    return Table(
        measure=measure,
        dimension=dimension,
        title=str(DIMENSION_LABELS[dimension]),
        rows=rows,
        total=total_cell,
        total_url=records_url(measure, fc.TOTAL, "", start, end) if exact and total else "",
        additive=additive,
    )


def _series(figures: Figures, *, exact: bool) -> list[dict]:
    months = [f"{m:%Y-%m}" for m, _values in figures.series]
    by_measure = {}
    for measure in (fc.PEOPLE, fc.FAMILIES, fc.VISITS):
        values = {f"{m:%Y-%m}": v[measure] for m, v in figures.series}
        if exact:
            by_measure[measure] = {k: _exact(v) for k, v in values.items()}
        else:
            additive = measure == fc.VISITS
            total = figures.value(measure) if additive else None
            by_measure[measure] = protect_line(values, total).cells
    rows = []
    for key, (first, _values) in zip(months, figures.series, strict=True):
        first_day = max(first, figures.start)
        last_day = min(fc.month_end(first), figures.end)
        row = {"key": key, "label": date_format(first, "F Y"), "cells": {}}
        for measure, cells in by_measure.items():
            cell = cells[key]
            url = ""
            if exact and cell.value:
                url = records_url(measure, fc.MONTH_DIM, key, first_day, last_day)
            row["cells"][measure] = Row(key, "", cell, url)
        rows.append(row)
    return rows


def _grid(figures: Figures, *, exact: bool, labels: Labels) -> dict | None:
    values = figures.breakdown(fc.ATTENDANCE, fc.SEX_AGE)
    if not values:
        return None
    pairs = {tuple(k.split("|")): v for k, v in values.items()}
    sexes = [s for s in labels.order(fc.SEX) if any(r == s for r, _age in pairs)]
    ages = [a for a in labels.order(fc.AGE) if any(c == a for _sex, c in pairs)]
    full = {(s, a): pairs.get((s, a), 0) for s in sexes for a in ages}
    start, end = figures.start, figures.end
    if exact:
        grid = protect_grid(full, minimum=0)
    else:
        grid = protect_grid(full)
    return {
        "columns": [(a, labels.label(fc.AGE, a), grid.column_totals[a]) for a in ages],
        "rows": [
            (
                s,
                labels.label(fc.SEX, s),
                [
                    Row(
                        f"{s}|{a}",
                        "",
                        grid.cells[(s, a)],
                        records_url(fc.ATTENDANCE, fc.SEX_AGE, f"{s}|{a}", start, end)
                        if exact and grid.cells[(s, a)].value
                        else "",
                    )
                    for a in ages
                ],
                grid.row_totals[s],
            )
            for s in sexes
        ],
        "total": grid.total,
    }


def build_dashboard(figures: Figures, *, exact: bool) -> Dashboard:
    labels = Labels()
    board = Dashboard(figures=figures, exact=exact)
    for measure in fc.MEASURES:
        total = figures.value(measure)
        cell = _exact(total) if exact else protect_line({"": total}).cells[""]
        url = records_url(measure, fc.TOTAL, "", figures.start, figures.end)
        board.headline[measure] = Row(
            measure, str(MEASURE_LABELS[measure]), cell, url if exact and total else ""
        )
        board.tables[measure] = [
            build_table(figures, measure, d, exact=exact, labels=labels)
            for d in SHOWN_DIMENSIONS[measure]
        ]
    board.series = _series(figures, exact=exact)
    board.grid = _grid(figures, exact=exact, labels=labels)
    by_status = figures.breakdown(fc.REFERRALS, fc.STATUS)
    board.referral_rate = fc.completion_rate(by_status)
    status_table = next(t for t in board.tables[fc.REFERRALS] if t.dimension == fc.STATUS)
    hidden = {r.key for r in status_table.rows if r.cell.suppressed}
    board.referral_rate_shown = exact or not (hidden & {"completed", "cancelled"})
    for stat in ("accept", "complete"):
        n = figures.value(fc.REFERRAL_TIMING, "stat", f"{stat}_n")
        median = figures.value(fc.REFERRAL_TIMING, "stat", f"{stat}_median")
        board.timing[stat] = {
            "n": n,
            "days": round(median / 86400, 1) if n else None,
            "shown": exact or n >= 5,
        }
    return board


def chart_data(board: Dashboard) -> dict:
    """What figures.js draws: suppressed values are null (no bar), labels as shown."""
    series = {
        "labels": [row["label"] for row in board.series],
        "datasets": [
            {
                "label": str(MEASURE_LABELS[m]),
                "data": [row["cells"][m].cell.shown for row in board.series],
            }
            for m in (fc.PEOPLE, fc.FAMILIES, fc.VISITS)
        ],
    }
    bars = {
        table.id: {
            "label": str(MEASURE_LABELS[table.measure]),
            "labels": [r.label for r in table.rows],
            "data": [r.cell.shown for r in table.rows],
        }
        for tables in board.tables.values()
        for table in tables
    }
    return {"series": series, "bars": bars}


@dataclass(frozen=True)
class Entry:
    """One figure as it leaves the center (a line of the CSV, a value of the API)."""

    measure: str
    dimension: str
    key: str
    label: str
    value: int | float | None  # None when withheld, or when there is nothing to compute
    marker: str  # "<5" or "x" when withheld, else ""
    text: str  # as the CSV writes it


def _cell_entry(measure: str, dimension: str, key: str, label: str, cell: Cell) -> Entry:
    return Entry(
        measure, dimension, key, label, cell.shown, cell.text if cell.suppressed else "", cell.text
    )


def export_entries(board: Dashboard) -> list[Entry]:
    """Every figure of the dashboard, in the CSV's order: what leaves the center."""
    entries = []
    for measure, head in board.headline.items():
        entries.append(_cell_entry(measure, fc.TOTAL, "", head.label, head.cell))
        for row in board.series:
            if measure in row["cells"]:
                cell = row["cells"][measure].cell
                entries.append(_cell_entry(measure, fc.MONTH_DIM, row["key"], row["label"], cell))
        for table in board.tables[measure]:
            for r in table.rows:
                entries.append(_cell_entry(measure, table.dimension, r.key, r.label, r.cell))
    if board.grid:
        for _sex, label, cells, _total in board.grid["rows"]:
            for (_age, age_label, _column_total), row in zip(
                board.grid["columns"], cells, strict=True
            ):
                entries.append(
                    _cell_entry(
                        fc.ATTENDANCE, fc.SEX_AGE, row.key, f"{label} / {age_label}", row.cell
                    )
                )
    rate = board.referral_rate
    shown = rate is not None and board.referral_rate_shown
    entries.append(
        Entry(
            fc.REFERRALS,
            "completion_rate",
            "",
            _("Completion rate"),
            round(rate, 3) if shown else None,
            "x" if rate is not None and not board.referral_rate_shown else "",
            f"{rate:.3f}" if shown else "",
        )
    )
    for stat, label in (
        ("accept", _("Median days from sending to acceptance")),
        ("complete", _("Median days from sending to completion")),
    ):
        timing = board.timing[stat]
        days = timing["days"] if timing["shown"] else None
        text = "x" if not timing["shown"] else "" if days is None else str(days)
        entries.append(
            Entry(
                fc.REFERRALS,
                f"median_days_{stat}",
                "",
                label,
                days,
                "" if timing["shown"] else "x",
                text,
            )
        )
    return entries


def csv_rows(board: Dashboard) -> list[list[str]]:
    """Every figure of the dashboard as rows: measure, dimension, key, label, value."""
    rows = [["measure", "dimension", "key", "label", "value"]]
    rows += [[e.measure, e.dimension, e.key, e.label, e.text] for e in export_entries(board)]
    return rows
