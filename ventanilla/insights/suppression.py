"""Small-cell suppression for figures that leave the center. Pure Python, no Django."""

MIN_CELL = 5


def suppress(count: int, minimum: int = MIN_CELL) -> int | None:
    """A count below `minimum` (but above zero) is withheld: None is shown as "<5"."""
    return None if 0 < count < minimum else count
