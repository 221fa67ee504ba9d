"""Problems found in a corpus: where, what, and how to fix it.

Every stage reports a problem one way: it adds it to the ``Problems`` it is given. A problem
that stops the reading of one file is raised as ``FileProblem`` where it is found (the YAML
loader, the reading of a file) and collected as a problem of that file by ``Problems.reading``.
Work shared out by a runner, or kept for the next load, collects into a ``Problems`` of each
task, which comes back with the task's value (``outcome``). A corpus with problems raises
``CorpusError`` with all of them at the end, and only there.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["CorpusError", "FileProblem", "Outcome", "Problem", "Problems", "did_you_mean", "outcome"]

_T = TypeVar("_T")


@dataclass(frozen=True, order=True)
class Problem:
    """One problem, at a file (relative to the corpus root) and line (0 when unknown)."""

    file: str
    line: int
    message: str
    hint: str = ""

    @property
    def where(self) -> str:
        """``file:line``, or the file alone when the line is unknown."""
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def as_dict(self) -> dict[str, object]:
        """The problem as a JSON-ready mapping."""
        return {"file": self.file, "line": self.line, "message": self.message, "hint": self.hint}


class FileProblem(Exception):
    """A problem that stops the reading of one file, raised where it is found; ``Problems.reading``
    collects it as a problem of the file."""

    def __init__(self, line: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


class CorpusError(Exception):
    """A corpus with problems: it renders nothing until every one is fixed."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(set(problems)))
        super().__init__(self.report())

    def report(self) -> str:
        """Every problem, one a line, with a count first."""
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the corpus:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class Problems:
    """The problems that the stages of a load and check find, in the order found."""

    def __init__(self, found: Iterable[Problem] = ()) -> None:
        self._found = list(found)

    def add(self, file: str, line: int, message: str, hint: str = "") -> None:
        """One more problem, at a file and line (0 when unknown)."""
        self._found.append(Problem(file, line, message, hint))

    def extend(self, problems: Iterable[Problem]) -> None:
        """Problems found elsewhere: by a task, or an earlier stage."""
        self._found.extend(problems)

    @contextlib.contextmanager
    def reading(self, file: str, line: int | None = None) -> Iterator[None]:
        """Collects a ``FileProblem`` raised within as a problem of ``file``: at ``line`` where it
        is given (the line that names the file), else at the line the problem names."""
        try:
            yield
        except FileProblem as e:
            self.add(file, e.line if line is None else line, e.message, e.hint)

    def values(self, outcomes: Iterable[Outcome[_T] | None]) -> list[_T]:
        """The values of the outcomes of tasks, in order; their problems added to these."""
        values = []
        for result in outcomes:
            assert result is not None
            value, found = result
            self._found.extend(found)
            values.append(value)
        return values

    def found(self) -> tuple[Problem, ...]:
        """The problems, in the order found."""
        return tuple(self._found)

    def raise_any(self) -> None:
        """Raises CorpusError with every problem, if there is one."""
        if self._found:
            raise CorpusError(self._found)

    def __bool__(self) -> bool:
        return bool(self._found)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._found)


Outcome = tuple[_T, tuple[Problem, ...]]


def outcome(task: Callable[[Problems], _T]) -> Outcome[_T]:
    """A task's value and the problems it found: what travels back from another process, and
    what a cache keeps of a file."""
    found = Problems()
    return task(found), found.found()


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the nearest valid choice, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
