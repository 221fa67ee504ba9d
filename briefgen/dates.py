"""Partial dates: a year, a month or a day, shown at the precision written."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["DateError", "PartialDate", "parse_date"]

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_FORM = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class DateError(ValueError):
    """A value that is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD."""


@dataclass(frozen=True, order=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day.

    Ordering puts a year before its months and a month before its days: "2016"
    sorts before "2016-03", which sorts before "2016-03-01".
    """

    year: int
    month: int = 0
    day: int = 0

    def __reduce__(self) -> tuple[type[PartialDate], tuple[int, int, int]]:
        return PartialDate, (self.year, self.month, self.day)  # loads faster than a slotted dataclass's state

    @property
    def iso(self) -> str:
        """The date as written in the corpus: ``2016``, ``2016-03`` or ``2016-03-25``."""
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    @property
    def display(self) -> str:
        """The date for a reader, at its precision: "2016", "March 2016", "25 March 2016"."""
        if not self.month:
            return str(self.year)
        month = _MONTHS[self.month - 1]
        if not self.day:
            return f"{month} {self.year}"
        return f"{self.day} {month} {self.year}"

    def __str__(self) -> str:
        return self.iso


def parse_date(value: object) -> PartialDate:
    """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (as text, a YAML number or a YAML date)."""
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, bool):
        raise DateError(f"{value!r} is not a date")
    if isinstance(value, dt.datetime):
        raise DateError(f"{value.isoformat()} has a time; write the date only (YYYY-MM-DD)")
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise DateError(f"{value!r} is not a date")
    m = _FORM.fullmatch(value.strip())
    if not m:
        raise DateError(f"{value!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else 0 for g in m.groups())
    if m.group(2) and not 1 <= month <= 12:
        raise DateError(f"{value!r} has no month {month}")
    if m.group(3):
        try:
            dt.date(year, month, day)
        except ValueError:
            raise DateError(f"{value!r} is not a day of the calendar") from None
    if year < 1:
        raise DateError(f"{value!r} has no year 0")
    return PartialDate(year, month, day)
