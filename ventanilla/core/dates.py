"""Lenient date reading for pure modules (no Django): what cannot be read is None."""

import datetime


def as_date(value) -> datetime.date | None:
    """A date from a date, a datetime or ISO text; anything else (or a bad date) is None."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return None
