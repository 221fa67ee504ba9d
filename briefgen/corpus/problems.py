"""Problems found in a corpus: where, what, and how to fix it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["CorpusError", "FileProblem", "Problem", "did_you_mean"]


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
    """A problem that stops the reading of one file, raised where it is found (the YAML loader,
    the reading of a file): the reader of the file collects it as a ``Problem`` of that file."""

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


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the nearest valid choice, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
