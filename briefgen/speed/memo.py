"""Parts of pages made once and reused, table by table, and shared between processes."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

__all__ = ["Memo", "OfLast", "of_the_last"]

F = TypeVar("F", bound=Callable[..., Any])


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
    """A value worked out of one object, kept for the next call that is given that same object:
    under ``mkdocs serve``, what the pages of the last briefing show, which the next rebuild
    compares again."""

    def __init__(self) -> None:
        self._of: object = None
        self._value: Any = None

    def get(self, of: object) -> Any:
        """The value kept for ``of``: None unless ``of`` is the object last kept."""
        return self._value if of is self._of else None

    def keep(self, of: object, value: Any) -> None:
        """The value worked out of ``of``, for the next call."""
        self._of, self._value = of, value


def of_the_last(size: int) -> Callable[[F], F]:
    """A function of an object (and of options after it, compared by equality) made to keep its
    values for the last ``size`` objects it was given, by identity: under ``mkdocs serve``, a
    rebuild asks the same of the last briefing and of the new one several times. The objects are
    kept alive with their values, so that no other object can come to have the identity of one."""

    def wrap(function: F) -> F:
        kept: list[tuple[object, object, Any]] = []

        @functools.wraps(function)
        def once(of: object, *args: Any, **kwargs: Any) -> Any:
            options = (args, sorted(kwargs.items()))
            for seen, given, value in kept:
                if seen is of and given == options:
                    return value
            value = function(of, *args, **kwargs)
            kept[:] = [(of, options, value), *kept[: size - 1]]
            return value

        return once  # type: ignore[return-value]

    return wrap
