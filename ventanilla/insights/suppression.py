"""Small-cell suppression for figures that leave the center. Pure Python, no Django.

Primary suppression withholds counts from 1 to 4 (shown "<5"). Complementary suppression
withholds more cells (shown "x") wherever a withheld count could otherwise be worked out
from the visible cells and totals of its table: in a breakdown with a total, a line never
has exactly one withheld cell; in a two-way table with row, column and grand totals, every
withheld cell lies on a cycle of withheld cells (rows and columns alternating), so adding
and subtracting one around the cycle gives another table with the same visible numbers.
Zeros are shown (they are never the only thing protecting a cell) and never withheld.
"""

from collections.abc import Hashable
from dataclasses import dataclass

MIN_CELL = 5

SHOWN, PRIMARY, COMPLEMENTARY = "shown", "primary", "complementary"
TOTAL = "__total__"


def suppress(count: int, minimum: int = MIN_CELL) -> int | None:
    """A count below `minimum` (but above zero) is withheld: None is shown as "<5"."""
    return None if 0 < count < minimum else count


@dataclass(frozen=True)
class Cell:
    """A count as it may be shown: its value, and whether (and why) it is withheld."""

    value: int
    status: str = SHOWN

    @property
    def suppressed(self) -> bool:
        return self.status != SHOWN

    @property
    def shown(self) -> int | None:
        return None if self.suppressed else self.value

    @property
    def text(self) -> str:
        if self.status == PRIMARY:
            return "<5"
        if self.status == COMPLEMENTARY:
            return "x"
        return str(self.value)


@dataclass(frozen=True)
class Line:
    """A one-way breakdown and its total, suppressed."""

    cells: dict
    total: Cell


@dataclass(frozen=True)
class Grid:
    """A two-way table with its margins, suppressed."""

    cells: dict  # (row, column) -> Cell
    row_totals: dict  # row -> Cell
    column_totals: dict  # column -> Cell
    total: Cell


def _order(key) -> tuple:
    return (str(key),)


def _pick(candidates: list, values: dict):
    return min(candidates, key=lambda c: (values[c], _order(c)))


def protect_line(
    values: dict[Hashable, int], total: int | None = None, *, minimum: int = MIN_CELL
) -> Line:
    """Suppress a breakdown. With `total` (the breakdown adds up to it), complementary
    suppression too; without it (a person may count in several cells), primary only."""
    if total is None:
        cells = {k: Cell(v, PRIMARY if 0 < v < minimum else SHOWN) for k, v in values.items()}
        grand = sum(values.values())
        return Line(cells, Cell(grand, SHOWN))
    extended = dict(values)
    extended[TOTAL] = total
    withheld = {k for k, v in extended.items() if 0 < v < minimum}
    primary = set(withheld)
    if len(withheld) == 1:
        candidates = [k for k, v in extended.items() if k not in withheld and v > 0]
        if candidates:
            withheld.add(_pick(candidates, extended))
    cells = {
        k: Cell(v, PRIMARY if k in primary else COMPLEMENTARY if k in withheld else SHOWN)
        for k, v in extended.items()
    }
    return Line({k: c for k, c in cells.items() if k != TOTAL}, cells[TOTAL])


def _lines(rows: list, columns: list) -> list[list[tuple]]:
    return [[(r, c) for c in columns] for r in rows] + [[(r, c) for r in rows] for c in columns]


def _bridges(withheld: set) -> list[tuple]:
    """Withheld cells on no cycle of withheld cells: their value follows from the margins."""
    found = []
    for cell in sorted(withheld, key=_order):
        rest = withheld - {cell}
        start, goal = ("r", cell[0]), ("c", cell[1])
        seen, todo = {start}, [start]
        while todo:
            kind, name = todo.pop()
            for r, c in rest:
                if (kind == "r" and r == name) or (kind == "c" and c == name):
                    other = ("c", c) if kind == "r" else ("r", r)
                    if other not in seen:
                        seen.add(other)
                        todo.append(other)
        if goal not in seen:
            found.append(cell)
    return found


def protect_grid(values: dict[tuple[Hashable, Hashable], int], *, minimum: int = MIN_CELL) -> Grid:
    """Suppress a two-way table of counts; margins are the sums and are protected too."""
    rows = sorted({r for r, _ in values}, key=_order)
    columns = sorted({c for _, c in values}, key=_order)
    extended = {(r, c): values.get((r, c), 0) for r in rows for c in columns}
    for r in rows:
        extended[(r, TOTAL)] = sum(extended[(r, c)] for c in columns)
    for c in columns:
        extended[(TOTAL, c)] = sum(extended[(r, c)] for r in rows)
    extended[(TOTAL, TOTAL)] = sum(values.values())
    all_rows, all_columns = [*rows, TOTAL], [*columns, TOTAL]
    lines = _lines(all_rows, all_columns)
    withheld = {k for k, v in extended.items() if 0 < v < minimum}
    primary = set(withheld)
    while True:
        line = next((ln for ln in lines if sum(1 for k in ln if k in withheld) == 1), None)
        options: list = []
        if line is not None:
            options = [k for k in line if k not in withheld and extended[k] > 0]
        else:
            bridges = _bridges(withheld)
            if not bridges:
                break
            r, c = bridges[0]
            for ln in ([(r, x) for x in all_columns], [(x, c) for x in all_rows]):
                options = [k for k in ln if k not in withheld and extended[k] > 0]
                if options:
                    break
        if not options:
            options = [k for k, v in extended.items() if k not in withheld and v > 0]
        if not options:
            break
        withheld.add(_pick(options, extended))

    def cell(key) -> Cell:
        status = PRIMARY if key in primary else COMPLEMENTARY if key in withheld else SHOWN
        return Cell(extended[key], status)

    return Grid(
        cells={(r, c): cell((r, c)) for r in rows for c in columns},
        row_totals={r: cell((r, TOTAL)) for r in rows},
        column_totals={c: cell((TOTAL, c)) for c in columns},
        total=cell((TOTAL, TOTAL)),
    )
