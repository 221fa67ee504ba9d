"""Long lists cut for readers: listings grouped by initial letter, a long timeline in periods."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..dates import PartialDate
from ..model import TimelineRow
from ..speed.memo import of_the_last
from ..text.names import list_key

__all__ = ["GROUP_AT", "TIMELINE_PAGE_ROWS", "LetterGroup", "Period", "letter_groups", "timeline_periods"]

# A listing of more entries than this is grouped by initial letter, with a bar of links to the letters.
GROUP_AT = 30
# A timeline longer than this is split into pages: no reader scrolls through tens of thousands
# of rows, and Python-Markdown's time to number a page's footnotes grows with their square.
TIMELINE_PAGE_ROWS = 500


@dataclass(frozen=True)
class LetterGroup:
    """The entries of a listing under one initial letter ("" when the listing is not grouped)."""

    letter: str
    members: tuple[Any, ...]

    @property
    def anchor(self) -> str:
        """The id of the group's heading: ``letter-a`` ... ``letter-other``."""
        return f"letter-{self.letter.lower()}"


def letter_groups(items: Iterable[Any], name: Callable[[Any], str]) -> tuple[LetterGroup, ...]:
    """Items in listing order (``list_key`` of their name); grouped by initial when more than GROUP_AT."""
    keyed = sorted(((list_key(name(item)), n, item) for n, item in enumerate(items)), key=lambda k: k[:2])
    if len(keyed) <= GROUP_AT:
        return (LetterGroup("", tuple(item for _, _, item in keyed)),) if keyed else ()
    return tuple(LetterGroup(letter, tuple(item for _, _, item in members))
                 for letter, members in itertools.groupby(keyed, key=lambda k: k[0][1]))  # the key's initial


@dataclass(frozen=True)
class Period:
    """A part of a long timeline on a page of its own: a year, a month, or a year's undated months."""

    year: int
    path: str
    title: str
    rows: tuple[TimelineRow, ...]


@of_the_last(2)
def timeline_periods(rows: Iterable[TimelineRow], limit: int | None = None) -> tuple[Period, ...]:
    """The pages of a long timeline, in date order; none for one that fits a page.

    A year is a page; a year of more than ``limit`` rows is a page of the rows dated to the
    year only, then a page per month.
    """
    limit = TIMELINE_PAGE_ROWS if limit is None else limit
    rows = tuple(rows)
    if len(rows) <= limit:
        return ()
    periods = []
    for year, in_year in itertools.groupby(rows, key=lambda r: r[0].year):
        year_rows = tuple(in_year)
        if len(year_rows) <= limit:
            periods.append(Period(year, f"timeline/{year:04d}.md", f"{year}", year_rows))
            continue
        for month, in_month in itertools.groupby(year_rows, key=lambda r: r[0].month):
            if month:
                title = PartialDate(year, month).display
                periods.append(Period(year, f"timeline/{year:04d}-{month:02d}.md", title, tuple(in_month)))
            else:
                periods.append(Period(year, f"timeline/{year:04d}.md", f"{year}, no month given", tuple(in_month)))
    return tuple(periods)
