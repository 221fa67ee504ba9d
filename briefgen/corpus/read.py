"""Read: walk a corpus folder into raw records that remember their lines.

Nothing here judges the content beyond what reading needs: YAML that parses, files that
exist inside the corpus and decode as UTF-8. Everything else is the validator's job.
"""

from __future__ import annotations

import difflib
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..kinds import BY_FOLDER, KINDS, KindId, folders_hint
from ..speed.cache import ReadCache
from ..speed.gcpause import paused_gc
from ..speed.runner import Runner, runner_for
from .problems import FileProblem, Problem
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


_Read = tuple[RawDocument | None, list[Problem]]


def _read(root: Path, path: Path, kind: dict[str, Any]) -> _Read:
    """One YAML file as a document (a failed one for an entity file that cannot be read), and
    the problems of reading it."""
    found: list[Problem] = []
    doc = _parse_yaml(root, path, found, **kind)
    if doc is None and kind:
        doc = RawDocument(_rel(root, path), None, failed=True, **kind)
    return doc, found


def _read_yaml(root: Path, path: Path, problems: list[Problem], cache: ReadCache | None) -> RawDocument | None:
    doc, found = cache.get("yaml", path, lambda: _read(root, path, {})) if cache is not None else _read(root, path, {})
    problems.extend(found)
    return doc


def _read_entities(root: Path, files: list[tuple[Path, dict[str, Any]]], problems: list[Problem],
                   cache: ReadCache | None, runner: Runner | None) -> list[RawDocument]:
    """The documents of the entity files, in order. Those the cache does not hold are read, in
    several processes when they are many: parsing YAML is most of the time of a load."""
    stamps = [cache.stamp(path) if cache is not None else None for path, _ in files]
    results: list[_Read | None] = [None] * len(files)
    if cache is not None:
        for i, ((path, _), stamp) in enumerate(zip(files, stamps, strict=True)):
            hit, value = cache.lookup("yaml", path, stamp)
            if hit:
                results[i] = value
    todo = [i for i, result in enumerate(results) if result is None]
    fresh = runner_for(len(todo), runner).map([functools.partial(_read, root, *files[i]) for i in todo])
    for i, read in zip(todo, fresh, strict=True):
        results[i] = read
        if cache is not None:
            cache.store("yaml", files[i][0], stamps[i], read)
    docs = []
    for result in results:
        assert result is not None
        doc, read_problems = result
        problems.extend(read_problems)
        if doc is not None:
            docs.append(doc)
    return docs


def _parse_yaml(root: Path, path: Path, problems: list[Problem], **kind: Any) -> RawDocument | None:
    rel = _rel(root, path)
    if not _inside(root, path):
        problems.append(Problem(rel, 0, "file is a link to a file outside the corpus",
                                "copy the file into the corpus instead of linking to it"))
        return None
    try:
        data = load_yaml(_text(path, MAX_YAML_BYTES, "file", "split it into smaller files",
                               "check that it exists and is readable"))
    except FileProblem as e:  # the file's, or its YAML's
        problems.append(Problem(rel, e.line, e.message, e.hint))
        return None
    except _NotUTF8 as e:
        problems.append(Problem(rel, e.line, "file is not UTF-8 text", "save it as UTF-8"))
        return None
    return RawDocument(rel, data, **kind)


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


def read_article(root: Path, file: str) -> tuple[str | None, str, str]:
    """An article's text, or None with a message and hint saying why it cannot be read."""
    if not file.strip():
        return None, "article path is empty", "give the path of the article's text file"
    if os.path.isabs(file) or file.startswith(("/", "\\")) or (len(file) > 1 and file[1] == ":"):
        return None, f"article path '{file}' is absolute", "give a path relative to the corpus root"
    if "\0" in file:
        return None, f"article path {file!r} contains a NUL character", "give the path of the article's text file"
    try:
        path = _real(root / file)
        if not path.is_relative_to(_resolved(root)):
            return None, f"article path '{file}' leads outside the corpus", "keep articles inside the corpus folder"
        if path.is_dir():
            return None, f"article path '{file}' is a folder", "give the path of the article's text file"
        if not path.is_file():
            return None, f"article file '{file}' does not exist", "check the path, relative to the corpus root"
    except OSError as e:
        return None, f"cannot read article file '{file}': {e.strerror}", "check the path, relative to the corpus root"
    except RuntimeError:  # Python 3.11's resolve() on a symbolic link loop
        return None, f"article path '{file}' is a loop of symbolic links", "link it to a file, or copy the file"
    try:
        text = _text(path, MAX_ARTICLE_BYTES, f"article file '{file}'", "keep articles under 64 MiB", "check its permissions")
        return text, "", ""
    except FileProblem as e:
        return None, e.message, e.hint
    except _NotUTF8 as e:
        return None, f"article file '{file}' is not UTF-8 (byte {e.byte}, line {e.line})", "save it as UTF-8"


class _NotUTF8(Exception):
    def __init__(self, line: int, byte: int) -> None:
        super().__init__(line, byte)
        self.line, self.byte = line, byte


def _text(path: Path, limit: int, name: str, large: str, unreadable: str) -> str:
    """A file's UTF-8 text. Raises FileProblem (with the hint ``large`` or ``unreadable``) for a file
    over ``limit`` bytes or one that cannot be read, _NotUTF8 for one that does not decode."""
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
        raise _NotUTF8(raw[: e.start].count(b"\n") + 1, e.start) from None


def _entity_files(root: Path, problems: list[Problem]) -> list[tuple[Path, dict[str, Any]]]:
    """Every entity file under facts/, with its kind and id; a file or folder out of place is a problem."""
    files: list[tuple[Path, dict[str, Any]]] = []
    facts = root / "facts"
    if not facts.is_dir():
        return files
    for child in sorted(facts.iterdir()):
        if child.name.startswith("."):
            continue
        if not child.is_dir():
            if child.suffix in (".yaml", ".yml"):
                problems.append(Problem(_rel(root, child), 0, "entity file outside a type folder",
                                        f"move it into {folders_hint('facts/')}"))
            continue
        if child.name not in BY_FOLDER:
            # "persons" is nearer "person" than "people": compare with both forms
            forms: dict[str, str] = {**{k.folder: k.folder for k in KINDS}, **{k.id: k.folder for k in KINDS}}
            near = difflib.get_close_matches(child.name, list(forms), n=1)
            hint = f"did you mean '{forms[near[0]]}'?" if near else f"use {folders_hint()}"
            problems.append(Problem(_rel(root, child), 0, f"unknown entity folder '{child.name}'", hint))
            continue
        for path in sorted(child.rglob("*"), key=lambda p: p.parts):  # as Path's order, without its slow __lt__
            if path.name.startswith(".") or not path.is_file() or path.suffix not in (".yaml", ".yml"):
                continue
            if path.parent != child:
                problems.append(Problem(_rel(root, path), 0, "entity file in a nested folder",
                                        f"move it directly into facts/{child.name}/"))
                continue
            files.append((path, {"entity_type": BY_FOLDER[child.name].id, "entity_id": path.stem}))
    return files


def _articles(root: Path, sources: RawDocument | None, problems: list[Problem], cache: ReadCache | None) -> dict[str, str]:
    """The text of every article sources.yaml names, by the `file` value written."""
    articles: dict[str, str] = {}
    if sources is None or not isinstance(sources.data, list):
        return articles
    for i, record in enumerate(sources.data):
        file = record.get("file") if isinstance(record, dict) else None
        if not isinstance(file, str) or file in articles:
            continue
        text, message, hint = (
            cache.get("article", root / file, functools.partial(read_article, root, file))
            if cache is not None else read_article(root, file)
        )
        if text is None:
            problems.append(Problem(sources.file, sources.line(i, "file"), message, hint))
        else:
            articles[file] = text
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
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(Problem(str(root), 0, "corpus folder does not exist", "give the folder that holds sources.yaml"))
        return RawCorpus(root, None, None, (), {}, tuple(problems))
    sources_path = root / "sources.yaml"
    sources = None
    if sources_path.is_file():
        sources = _read_yaml(root, sources_path, problems, cache)
    else:
        problems.append(Problem("sources.yaml", 0, "sources.yaml is missing", "every corpus lists its articles in sources.yaml"))
    briefing_path = root / "briefing.yaml"
    briefing = _read_yaml(root, briefing_path, problems, cache) if briefing_path.is_file() else None
    entities = _read_entities(root, _entity_files(root, problems), problems, cache, runner)
    articles = _articles(root, sources, problems, cache)
    return RawCorpus(root, sources, briefing, tuple(entities), articles, tuple(problems))
