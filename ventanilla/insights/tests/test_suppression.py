"""Small cells and the cells that would give them away are withheld; nothing withheld can be
worked out from what is shown (checked with linear algebra, independently of the method)."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from ventanilla.insights.suppression import (
    COMPLEMENTARY,
    MIN_CELL,
    PRIMARY,
    SHOWN,
    TOTAL,
    Cell,
    protect_grid,
    protect_line,
    suppress,
)


def test_it_hides_counts_from_one_to_four():
    assert [suppress(n) for n in range(7)] == [0, None, None, None, None, 5, 6]
    assert MIN_CELL == 5


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=50))
def test_it_never_shows_a_small_positive_count(count, minimum):
    shown = suppress(count, minimum)
    assert shown is None or shown == 0 or shown >= minimum
    assert shown in (None, count)


def test_a_lone_small_cell_takes_the_next_smallest_with_it():
    line = protect_line({"a": 3, "b": 40, "c": 7, "d": 0}, 50)
    assert line.cells["a"] == Cell(3, PRIMARY)
    assert line.cells["c"] == Cell(7, COMPLEMENTARY)
    assert line.cells["b"] == Cell(40, SHOWN)
    assert line.cells["d"] == Cell(0, SHOWN)
    assert line.total == Cell(50, SHOWN)
    assert [line.cells[k].text for k in "abcd"] == ["<5", "40", "x", "0"]


def test_two_small_cells_protect_each_other():
    line = protect_line({"a": 3, "b": 2, "c": 40}, 45)
    assert [line.cells[k].status for k in "abc"] == [PRIMARY, PRIMARY, SHOWN]


def test_without_a_total_only_small_cells_are_withheld():
    line = protect_line({"a": 3, "b": 40})
    assert [line.cells[k].status for k in "ab"] == [PRIMARY, SHOWN]


def test_a_grid_protects_its_margins():
    grid = protect_grid({("f", "0-5"): 2, ("f", "18-29"): 30, ("m", "0-5"): 10, ("m", "18-29"): 20})
    assert grid.cells[("f", "0-5")].status == PRIMARY
    withheld = {k for k, c in grid.cells.items() if c.suppressed}
    withheld |= {("row", r) for r, c in grid.row_totals.items() if c.suppressed}
    withheld |= {("col", k) for k, c in grid.column_totals.items() if c.suppressed}
    assert len(withheld) >= 4


# --- the property: no withheld value follows from the visible numbers -------------------------


def _rank(rows: list[list[Fraction]]) -> int:
    rows = [r[:] for r in rows]
    rank, columns = 0, len(rows[0]) if rows else 0
    for c in range(columns):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][c] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][c] != 0:
                factor = rows[i][c] / rows[rank][c]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank


def _recoverable(equations: list[dict], withheld: list) -> list:
    """Withheld cells whose value the equations (sum of cells with coefficients = 0)
    determine: a cell is determined when its unit vector lies in the equations' row space."""
    index = {cell: i for i, cell in enumerate(withheld)}
    matrix = [
        [Fraction(eq.get(cell, 0)) for cell in withheld]
        for eq in equations
        if any(cell in index for cell in eq)
    ]
    if not matrix:
        return []
    base = _rank(matrix)
    found = []
    for cell, i in index.items():
        unit = [Fraction(1 if j == i else 0) for j in range(len(withheld))]
        if _rank([*matrix, unit]) == base:
            found.append(cell)
    return found


counts = st.integers(min_value=0, max_value=30)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefg"), counts, min_size=1))
def test_no_withheld_cell_of_a_breakdown_can_be_worked_out(values):
    total = sum(values.values())
    line = protect_line(values, total)
    cells = {**line.cells, TOTAL: line.total}
    withheld = [k for k, c in cells.items() if c.suppressed]
    assert all(cells[k].value > 0 for k in withheld)
    assert all(c.suppressed for c in cells.values() if 0 < c.value < MIN_CELL)
    equation = {k: 1 for k in values} | {TOTAL: -1}
    assert _recoverable([equation], withheld) == []


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=1, max_value=5),
    st.data(),
)
def test_no_withheld_cell_of_a_two_way_table_can_be_worked_out(n_rows, n_columns, data):
    values = {
        (r, c): data.draw(st.one_of(st.integers(0, 6), counts))
        for r in range(n_rows)
        for c in range(n_columns)
    }
    grid = protect_grid(values)
    cells = dict(grid.cells)
    cells |= {(r, TOTAL): cell for r, cell in grid.row_totals.items()}
    cells |= {(TOTAL, c): cell for c, cell in grid.column_totals.items()}
    cells[(TOTAL, TOTAL)] = grid.total
    assert all(c.suppressed for c in cells.values() if 0 < c.value < MIN_CELL)
    withheld = [k for k, c in cells.items() if c.suppressed]
    assert all(cells[k].value > 0 for k in withheld)
    rows, columns = [*range(n_rows), TOTAL], [*range(n_columns), TOTAL]
    equations = [{(r, c): (-1 if c == TOTAL else 1) for c in columns} for r in rows] + [
        {(r, c): (-1 if r == TOTAL else 1) for r in rows} for c in columns
    ]
    assert _recoverable(equations, withheld) == []
    # The visible numbers are the true ones.
    assert all(cells[k].shown == v for k, v in values.items() if not cells[k].suppressed)
