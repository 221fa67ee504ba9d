"""Read: walk a corpus folder into raw records that remember their lines.

Nothing here judges the content beyond what reading needs: YAML that parses, files that
exist inside the corpus and decode as UTF-8. Everything else is the validator's job.
"""

from __future__ import annotations

import difflib
import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..kinds import BY_FOLDER, KINDS, KindId, folders_hint
from ..speed.cache import ReadCache
from ..speed.gcpause import paused_gc
from ..speed.runner import Runner, runner_for
from .problems import FileProblem, Outcome, Problem, Problems, outcome
from .safeyaml import MAX_YAML_BYTES, line_of, load_yaml

__all__ = ["MAX_ARTICLE_BYTES", "RawCorpus", "RawDocument", "load_corpus", "read_article"]

MAX_ARTICLE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class RawDocument:
    """One parsed YAML file of the corpus."""

    file: str  # relative to the corpus root, with forward slashes
    data: Any
    entity_type: KindId | None = None  # "person", ... for files under facts/
    entity_id: str | None = None
    failed: bool = False  # unreadable: its problem is reported; its id still counts

    def line(self, *loc: Any) -> int:
        """The line of a value in this document."""
        return line_of(self.data, loc)


@dataclass(frozen=True)
class RawCorpus:
    """A corpus as read from disk: documents, article texts and the problems of reading."""

    root: Path
    sources: RawDocument | None
    briefing: RawDocument | None
    entities: tuple[RawDocument, ...]
    articles: dict[str, str] = field(default_factory=dict)  # by the `file` value written
    problems: tuple[Problem, ...] = ()


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _read(root: Path, path: Path, kind: dict[str, Any], problems: Problems) -> RawDocument | None:
    """One YAML file as a document; an entity file that cannot be read as a failed one."""
    rel = _rel(root, path)
    with problems.reading(rel):
        if not _inside(root, path):
            raise FileProblem(0, "file is a link to a file outside the corpus",
                              "copy the file into the corpus instead of linking to it")
        return RawDocument(rel, load_yaml(_text(path, MAX_YAML_BYTES, "file", "split it into smaller files",
                                                "check that it exists and is readable")), **kind)
    return RawDocument(rel, None, failed=True, **kind) if kind else None


def _read_yaml(root: Path, path: Path, problems: Problems, cache: ReadCache | None) -> RawDocument | None:
    task = functools.partial(_read, root, path, {})
    doc, found = cache.get("yaml", path, lambda: outcome(task)) if cache is not None else outcome(task)
    problems.extend(found)
    return doc


def _read_entities(root: Path, files: list[tuple[str, dict[str, Any]]], problems: Problems,
                   cache: ReadCache | None, runner: Runner | None) -> list[RawDocument]:
    """The documents of the entity files, in order. Those the cache does not hold are read, in
    several processes when they are many: parsing YAML is most of the time of a load."""
    stamps = [cache.stamp(path) if cache is not None else None for path, _ in files]
    results: list[Outcome[RawDocument | None] | None] = [None] * len(files)
    if cache is not None:
        for i, ((path, _), stamp) in enumerate(zip(files, stamps, strict=True)):
            hit, value = cache.lookup("yaml", path, stamp)
            if hit:
                results[i] = value
    todo = [i for i, result in enumerate(results) if result is None]
    tasks = [functools.partial(outcome, functools.partial(_read, root, Path(files[i][0]), files[i][1])) for i in todo]
    fresh = runner_for(len(todo), runner).map(tasks)
    for i, read in zip(todo, fresh, strict=True):
        results[i] = read
        if cache is not None:
            cache.store("yaml", files[i][0], stamps[i], read)
    return [doc for doc in problems.values(results) if doc is not None]


def _inside(root: Path, path: Path) -> bool:
    """Whether path, with its symbolic links followed, is inside the corpus root."""
    try:
        return _real(path).is_relative_to(_resolved(root))
    except (OSError, RuntimeError):
        return True  # a loop or an unreadable link: reading it reports the problem


def _real(path: Path) -> Path:
    """The path with its symbolic links followed: its folder's resolved once a load, the file
    itself only if it is a link."""
    if path.name in ("", ".", "..") or path.is_symlink():
        return path.resolve()
    return _resolved(path.parent) / path.name


@functools.lru_cache(maxsize=256)  # the corpus's folders (load_corpus clears it)
def _resolved(folder: Path) -> Path:
    return folder.resolve()


def read_article(root: Path, file: str) -> str:
    """An article's text. Raises FileProblem saying why it cannot be read."""
    if not file.strip():
        raise FileProblem(0, "article path is empty", "give the path of the article's text file")
    if os.path.isabs(file) or file.startswith(("/", "\\")) or (len(file) > 1 and file[1] == ":"):
        raise FileProblem(0, f"article path '{file}' is absolute", "give a path relative to the corpus root")
    if "\0" in file:
        raise FileProblem(0, f"article path {file!r} contains a NUL character", "give the path of the article's text file")
    try:
        path = _real(root / file)
        if not path.is_relative_to(_resolved(root)):
            raise FileProblem(0, f"article path '{file}' leads outside the corpus", "keep articles inside the corpus folder")
        if path.is_dir():
            raise FileProblem(0, f"article path '{file}' is a folder", "give the path of the article's text file")
        if not path.is_file():
            raise FileProblem(0, f"article file '{file}' does not exist", "check the path, relative to the corpus root")
    except OSError as e:
        raise FileProblem(0, f"cannot read article file '{file}': {e.strerror}",
                          "check the path, relative to the corpus root") from None
    except RuntimeError:  # Python 3.11's resolve() on a symbolic link loop
        raise FileProblem(0, f"article path '{file}' is a loop of symbolic links",
                          "link it to a file, or copy the file") from None
    return _text(path, MAX_ARTICLE_BYTES, f"article file '{file}'", "keep articles under 64 MiB", "check its permissions",
                 not_utf8="{name} is not UTF-8 (byte {byte}, line {line})")


def _text(path: Path, limit: int, name: str, large: str, unreadable: str, not_utf8: str = "{name} is not UTF-8 text") -> str:
    """A file's UTF-8 text. Raises FileProblem (with the hint ``large`` or ``unreadable``) for a file
    over ``limit`` bytes or one that cannot be read, and with the message ``not_utf8`` (which may
    name the file, the line and the byte) for one that does not decode."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise FileProblem(0, f"{name} is too large ({size:,} bytes)", large)
        raw = path.read_bytes()
    except OSError as e:
        raise FileProblem(0, f"cannot read {name}: {e.strerror}", unreadable) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise FileProblem(line, not_utf8.format(name=name, byte=e.start, line=line), "save it as UTF-8") from None


def _entity_files(root: Path, problems: Problems) -> list[tuple[str, dict[str, Any]]]:
    """Every entity file under facts/ (its path, as a string: a ``Path`` is made only for a file
    read), with its kind and id; a file or folder out of place is a problem."""
    files: list[tuple[str, dict[str, Any]]] = []
    facts = root / "facts"
    if not facts.is_dir():
        return files
    for child in sorted(facts.iterdir()):
        if child.name.startswith("."):
            continue
        if not child.is_dir():
            if child.suffix in (".yaml", ".yml"):
                problems.add(_rel(root, child), 0, "entity file outside a type folder", f"move it into {folders_hint('facts/')}")
            continue
        if child.name not in BY_FOLDER:
            # "persons" is nearer "person" than "people": compare with both forms
            forms: dict[str, str] = {**{k.folder: k.folder for k in KINDS}, **{k.id: k.folder for k in KINDS}}
            near = difflib.get_close_matches(child.name, list(forms), n=1)
            hint = f"did you mean '{forms[near[0]]}'?" if near else f"use {folders_hint()}"
            problems.add(_rel(root, child), 0, f"unknown entity folder '{child.name}'", hint)
            continue
        folder = str(child)
        for found, is_file in sorted(_tree(folder), key=lambda e: e[0].split(os.sep)):  # as Path's order
            name = os.path.basename(found)
            stem, suffix = os.path.splitext(name)
            if name.startswith(".") or not is_file or suffix not in (".yaml", ".yml"):
                continue
            if os.path.dirname(found) != folder:
                problems.add(_rel(root, Path(found)), 0, "entity file in a nested folder",
                             f"move it directly into facts/{child.name}/")
                continue
            files.append((found, {"entity_type": BY_FOLDER[child.name].id, "entity_id": stem}))
    return files


def _tree(folder: str) -> Iterator[tuple[str, bool]]:
    """Everything under a folder, as ``Path.rglob("*")`` lists it (a linked folder is not
    entered, one that cannot be read is passed over), with whether it is a file; from the
    folder's listings alone, where ``rglob`` and ``is_file`` asked the system about each file
    (a tenth of the time at 1,000 entity files)."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except PermissionError:
        return
    for entry in entries:
        try:
            is_file, is_dir = entry.is_file(), entry.is_dir() and not entry.is_symlink()
        except OSError:
            is_file = is_dir = False
        yield entry.path, is_file
        if is_dir:
            yield from _tree(entry.path)


def _articles(root: Path, sources: RawDocument | None, problems: Problems, cache: ReadCache | None) -> dict[str, str]:
    """The text of every article sources.yaml names, by the `file` value written; an article that
    cannot be read is a problem at the line of sources.yaml that names it."""
    articles: dict[str, str] = {}
    if sources is None or not isinstance(sources.data, list):
        return articles
    for i, record in enumerate(sources.data):
        file = record.get("file") if isinstance(record, dict) else None
        if not isinstance(file, str) or file in articles:
            continue
        with problems.reading(sources.file, sources.line(i, "file")):
            articles[file] = (cache.get("article", root / file, functools.partial(read_article, root, file),
                                        remember=FileProblem)
                              if cache is not None else read_article(root, file))
    return articles


@paused_gc()
def load_corpus(root: Path | str, cache: ReadCache | None = None, *, runner: Runner | None = None) -> RawCorpus:
    """Read every file of the corpus at root. Problems of reading are collected, not raised.

    With a cache, files unchanged since an earlier load are not read again. The ``runner``
    reads the entity files (by default, for many files, one process per CPU where processes
    can be forked); the result is the same.
    """
    root = Path(root)
    _resolved.cache_clear()
    if cache is not None:
        cache.read.clear()
    problems = Problems()
    if not root.is_dir():
        problems.add(str(root), 0, "corpus folder does not exist", "give the folder that holds sources.yaml")
        return RawCorpus(root, None, None, (), {}, problems.found())
    sources_path = root / "sources.yaml"
    sources = None
    if sources_path.is_file():
        sources = _read_yaml(root, sources_path, problems, cache)
    else:
        problems.add("sources.yaml", 0, "sources.yaml is missing", "every corpus lists its articles in sources.yaml")
    briefing_path = root / "briefing.yaml"
    briefing = _read_yaml(root, briefing_path, problems, cache) if briefing_path.is_file() else None
    entities = _read_entities(root, _entity_files(root, problems), problems, cache, runner)
    articles = _articles(root, sources, problems, cache)
    return RawCorpus(root, sources, briefing, tuple(entities), articles, problems.found())
