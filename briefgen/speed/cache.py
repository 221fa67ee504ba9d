"""What earlier loads read, kept while the files stay as they were."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["ReadCache"]

_T = TypeVar("_T")

_Stamp = tuple[int, int, int]


@dataclass
class ReadCache:
    """What earlier loads read, reused while a file keeps its size, inode and modification time.

    ``mkdocs serve`` keeps one across rebuilds, so an edit to one file re-reads that file only.
    """

    entries: dict[tuple[str, str], tuple[_Stamp, Any]] = field(default_factory=dict)  # by kind and path
    read: list[Path] = field(default_factory=list)  # the files the last load actually read

    @staticmethod
    def stamp(path: str | Path) -> _Stamp | None:
        """What tells that a file changed; None if it cannot be read."""
        try:
            st = os.stat(path)
        except (OSError, ValueError):  # ValueError: a path with a NUL character
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def lookup(self, kind: str, path: str | Path, stamp: _Stamp | None) -> tuple[bool, Any]:
        """(True, the value) if the file is unchanged since it was stored, else (False, None)."""
        hit = self.entries.get((kind, os.fspath(path)))
        return (True, hit[1]) if stamp is not None and hit is not None and hit[0] == stamp else (False, None)

    def store(self, kind: str, path: str | Path, stamp: _Stamp | None, value: Any) -> None:
        """Remember what a file held when it had this stamp."""
        if stamp is not None:
            self.entries[(kind, os.fspath(path))] = (stamp, value)
            self.read.append(Path(path))

    def get(self, kind: str, path: Path, make: Callable[[], _T],
            remember: type[Exception] | tuple[type[Exception], ...] = ()) -> _T:
        """The cached value for a file, or a fresh one if the file changed. An exception of the
        ``remember`` types that ``make`` raises is kept like a value, and raised again while the
        file stays as it was."""
        stamp = self.stamp(path)
        found, value = self.lookup(kind, path, stamp)
        if not found:
            try:
                value = make()
            except remember as e:
                value = _Raised(e)
            self.store(kind, path, stamp, value)
        if isinstance(value, _Raised):
            raise value.error.with_traceback(None)
        return value  # type: ignore[no-any-return]


@dataclass(frozen=True)
class _Raised:
    error: Exception


@dataclass
class CheckMemo:
    """Each entity file's check, kept across loads while the file is read as the same document
    and everything the check looks up elsewhere (ids, names, sources and their articles) is the
    same: ``mkdocs serve`` keeps one, so an edit to one file checks that file again, not all."""

    context: Any = None
    checked: dict[int, tuple[Any, bool, Any]] = field(default_factory=dict)  # id(document) -> (it, unique, check)

    def start(self, context: Any) -> None:
        """A new load's check, with what it looks up: the checks of another context are dropped."""
        if context != self.context:
            self.context, self.checked = context, {}

    def get(self, document: Any, unique: bool) -> Any | None:
        """The kept check of a document, or None."""
        kept = self.checked.get(id(document))
        return kept[2] if kept is not None and kept[0] is document and kept[1] == unique else None

    def keep(self, documents: list[tuple[Any, bool, Any]]) -> None:
        """The checks of this load's documents, the only ones kept."""
        self.checked = {id(document): (document, unique, check) for document, unique, check in documents}
