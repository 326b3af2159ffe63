from hypothesis import given
from hypothesis import strategies as st

from ventanilla.insights.suppression import MIN_CELL, suppress


def test_it_hides_counts_from_one_to_four():
    assert [suppress(n) for n in range(7)] == [0, None, None, None, None, 5, 6]
    assert MIN_CELL == 5


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=50))
def test_it_never_shows_a_small_positive_count(count, minimum):
    shown = suppress(count, minimum)
    assert shown is None or shown == 0 or shown >= minimum
    assert shown in (None, count)
