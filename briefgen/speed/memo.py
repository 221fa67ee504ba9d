"""Parts of pages made once and reused, table by table, and shared between processes."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["Memo", "OfLast"]


class Memo:
    """Tables of made values by key: ``table(name)`` is a plain dict, which the code that makes
    the values reads and fills."""

    def __init__(self) -> None:
        self._tables: dict[str, dict[Any, Any]] = {}

    def table(self, name: str) -> dict[Any, Any]:
        """The table of that name, empty at first."""
        return self._tables.setdefault(name, {})

    def made(self, name: str, make: Callable[[], object]) -> list[tuple[Any, Any]]:
        """The entries that ``make`` adds to a table: what a forked process sends back."""
        table = self.table(name)
        before = len(table)
        make()
        return list(itertools.islice(reversed(table.items()), len(table) - before))

    def update(self, name: str, entries: Iterable[tuple[Any, Any]]) -> None:
        """Entries another process made, added to a table."""
        self.table(name).update(entries)


class OfLast:
    """Values worked out of one object, kept for the next call that is given that same object:
    under ``mkdocs serve``, what each page of the last briefing depends on, which the next
    rebuild compares again."""

    def __init__(self) -> None:
        self._of: object = None
        self._values: dict[Any, Any] = {}

    def table(self, of: object) -> dict[Any, Any]:
        """The values kept for ``of``: none unless ``of`` is the object last kept."""
        return self._values if of is self._of else {}

    def keep(self, of: object, values: dict[Any, Any]) -> None:
        """The values worked out of ``of``, for the next call."""
        self._of, self._values = of, values
