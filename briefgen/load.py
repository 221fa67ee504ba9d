"""Load: read a corpus folder into raw records that remember their lines.

Nothing here judges the content beyond what reading needs: YAML that parses, files that
exist inside the corpus and decode as UTF-8. Everything else is the validator's job.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from .gcpause import paused_gc
from .parallel import default_workers, forked_map
from .problems import Problem

__all__ = [
    "ENTITY_TYPES",
    "LineDict",
    "LineList",
    "RawCorpus",
    "RawDocument",
    "line_of",
    "load_corpus",
    "load_yaml",
]

_T = TypeVar("_T")

# The folder under facts/ of each entity type, and the type's singular name.
ENTITY_TYPES: dict[str, str] = {
    "people": "person",
    "organizations": "organization",
    "places": "place",
    "events": "event",
}
MAX_YAML_BYTES = 64 * 1024 * 1024
MAX_ARTICLE_BYTES = 64 * 1024 * 1024
# A YAML file whose aliases expand past this many nodes is refused ("billion laughs").
MAX_YAML_NODES = 5_000_000
# Lists and mappings nested deeper than this are refused (the format needs six levels).
MAX_YAML_DEPTH = 100
# libyaml's composer recurses in C: tens of thousands of levels crash the process.
SAFE_C_DEPTH = 1000


class LineDict(dict[Any, Any]):
    """A YAML mapping that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A YAML sequence that knows its own line and the line of each item."""

    line: int = 0
    item_lines: list[int]


class _YAMLProblem(Exception):
    """A problem of reading YAML, at a line. ``reference`` is False where only libyaml refused
    the text: PyYAML's own parser then reads it again, for the problem it finds."""

    def __init__(self, line: int, message: str, hint: str = "", *, reference: bool = True) -> None:
        super().__init__(message)
        self.line, self.message, self.hint, self.reference = line, message, hint, reference


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_DEFAULT_TAGS = {yaml.ScalarNode: _STR, yaml.SequenceNode: _SEQ, yaml.MappingNode: _MAP}


class _Constructor(yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
    """Construction as the corpus reads YAML: lines kept, duplicate keys and tags refused,
    dates left as text."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # Most values are plain text: skip the general machinery for them.
        if node.__class__ is yaml.ScalarNode and node.tag == _STR:
            return node.value
        return super().construct_object(node, deep)

    # The resolver as PyYAML's, less its path resolvers (none are registered), which it looks
    # for on every node: libyaml's composer calls these three for each node of the file.
    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                if regexp.match(value):
                    return tag  # type: ignore[no-any-return]
        return _DEFAULT_TAGS[kind]

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


class _PyParsed(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer, _Constructor):
    """PyYAML's own reader, scanner, parser and composer: the reference, whichever libyaml a
    wheel bundles (or none)."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Constructor.__init__(self)

    def scan_flow_scalar_non_spaces(self, double: bool, start_mark: yaml.Mark) -> list[str]:
        # "\ud800" escapes half a character, which no UTF-8 file can hold: refused, as libyaml does
        chunks: list[str] = super().scan_flow_scalar_non_spaces(double, start_mark)
        if any(_SURROGATE.search(chunk) for chunk in chunks):
            raise yaml.scanner.ScannerError("while parsing a quoted scalar", start_mark,
                                            "found invalid Unicode character escape code", self.get_mark())
        return chunks


_SURROGATE = re.compile("[\ud800-\udfff]")


class _DepthChecked:
    """A composer that refuses deep nesting at its line, long before any recursion limit."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise _YAMLProblem(self.peek_event().start_mark.line + 1,  # type: ignore[attr-defined]
                                   f"YAML nests more than {MAX_YAML_DEPTH} levels deep", "flatten the structure")
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1


class _Reference(_DepthChecked, _PyParsed):
    """The loader whose reading and whose problems are the corpus format's."""


_Loader: Any = _Reference
_Fast: Any = None
if hasattr(yaml, "CSafeLoader"):
    from yaml.cyaml import CParser  # type: ignore[attr-defined]

    class _CParsed(_DepthChecked, yaml.composer.Composer, CParser, _Constructor):
        """libyaml's parser, with PyYAML's composer: libyaml's own composer recurses in C, so a
        file nested 100,000 deep crashes the process; this one refuses it at its line."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            _Constructor.__init__(self)

    class _CComposed(CParser, _Constructor):
        """libyaml's parser and composer, for files whose nesting is known to be shallow."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Constructor.__init__(self)

    _Loader, _Fast = _CParsed, _CComposed


# What may open a block collection on a line: indentation and the indicators "- ", "? ", ": ".
_LINE_OPENING = re.compile(r"^[ \t?:-]*", re.M)


def _depth_bound(text: str) -> int:
    """A bound of how deep the YAML text nests, read in one pass.

    Each flow collection needs a bracket; each two levels of block collections need one more
    column of a line's opening (a sequence may sit at its key's column, not its items).
    """
    flow = text.count("[") + text.count("{")
    return flow + 2 * (max(map(len, _LINE_OPENING.findall(text)), default=0) + 1)


# Dates stay text: the corpus has its own date rules, and YAML's would raise on 2016-02-30.
_Constructor.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            raise _YAMLProblem(line, "a key must be plain text", "remove the brackets or braces") from None
        if key in result:
            raise _YAMLProblem(
                line,
                f"duplicate key '{key}' (first at line {result.key_lines[key]})",
                "keep one of them",
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_sequence(loader: Any, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _refuse_tag(loader: Any, suffix: str, node: yaml.Node) -> None:
    raise _YAMLProblem(
        node.start_mark.line + 1,
        f"YAML tag '{node.tag}' is not allowed",
        "write plain text, lists and mappings only",
    )


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:  # Python refuses to convert integers of more than 4,300 digits
        raise _YAMLProblem(node.start_mark.line + 1, "number is too long",
                           "put the value in quotes if it is text") from None


_Constructor.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Constructor.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Constructor.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.yaml_constructors["tag:yaml.org,2002:str"])
_Constructor.add_multi_constructor("", _refuse_tag)
_Constructor.add_multi_constructor("!", _refuse_tag)
_Constructor.add_multi_constructor("tag:", _refuse_tag)


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many nodes the document has once every alias is expanded (linear time)."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = 1  # a recursive alias counts once; it cannot expand without bound here
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(child, memo) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    memo[key] = size
    return size


def _too_deep(root: yaml.Node) -> yaml.Node | None:
    """The first node, in the order written, nested deeper than MAX_YAML_DEPTH.

    An alias nests nothing where it is used: each node is counted where its anchor defines it,
    which comes before any alias to it.
    """
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if depth > MAX_YAML_DEPTH:
            return node
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            stack.extend((child, depth + 1) for pair in reversed(node.value) for child in reversed(pair))
    return None


def load_yaml(text: str) -> Any:
    """Parse one YAML document safely, keeping lines. Raises ``_YAMLProblem``.

    libyaml reads faster, but its refusals differ between the versions that wheels bundle (one
    stops at a nesting limit of its own, with its own words): a document it refuses is read
    again by PyYAML's own parser, so the problem a curator reads is always the same.
    """
    # libyaml's composer, several times faster, where the text cannot nest deep enough to crash it
    bound = _depth_bound(text)
    loader = _Fast if _Fast is not None and bound <= SAFE_C_DEPTH else _Loader
    if loader is _Reference:
        return _parse(_Reference, text, bound)
    try:
        return _parse(loader, text, bound)
    except _YAMLProblem as problem:
        if problem.reference:
            raise
    return _parse(_Reference, text, bound)


def _parse(loader_class: Any, text: str, bound: int) -> Any:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        deep = _too_deep(node) if loader_class is _Fast and bound > MAX_YAML_DEPTH else None
        if deep is not None:
            raise _YAMLProblem(deep.start_mark.line + 1, f"YAML nests more than {MAX_YAML_DEPTH} levels deep",
                               "flatten the structure")
        # Without anchors, each value takes at least a character of the text.
        size = _expanded_size(node, {}) if "&" in text or len(text) >= MAX_YAML_NODES else 0
        if size > MAX_YAML_NODES:
            raise _YAMLProblem(
                1,
                f"YAML expands to {size:,} values through anchors and aliases",
                "write the values out instead of repeating anchors",
            )
        return loader.construct_document(node)
    except yaml.reader.ReaderError as e:
        # The reader stops at the first character YAML refuses; its position counts bytes with
        # libyaml and characters without, so find the character itself.
        line = text[: max(text.find(chr(e.character)), 0)].count("\n") + 1
        raise _YAMLProblem(line, f"invalid YAML: character U+{e.character:04X} is not allowed in a YAML file",
                           f'remove it, or write it as "\\u{e.character:04x}" inside double quotes') from None
    except yaml.YAMLError as e:
        raise _parser_problem(e, text, loader_class is _Reference) from None
    except RecursionError:
        raise _YAMLProblem(1, "YAML nests too deeply", "flatten the structure") from None
    finally:
        loader.dispose()


def _parser_problem(e: yaml.YAMLError, text: str, reference: bool) -> _YAMLProblem:
    """What the parser refused, as a problem; only the reference parser's is final."""
    if isinstance(e, yaml.MarkedYAMLError):
        mark = e.problem_mark or e.context_mark
        what = " ".join(str(x) for x in (e.context, e.problem) if x)
        return _YAMLProblem(mark.line + 1 if mark else 1, f"invalid YAML: {what}", "check the indentation and quoting here",
                            reference=reference)
    return _YAMLProblem(1, f"invalid YAML: {e}", "check the file's encoding and characters", reference=reference)


def line_of(data: Any, loc: Sequence[Any], default: int = 1) -> int:
    """The line of the deepest value on the path ``loc`` that exists in the data."""
    line = getattr(data, "line", default) or default
    for step in loc:
        if isinstance(data, LineDict) and step in data:
            line = data.key_lines.get(step, line)
            data = data[step]
        elif isinstance(data, LineList) and isinstance(step, int) and 0 <= step < len(data):
            line = data.item_lines[step]
            data = data[step]
        elif step == 0 and isinstance(data, LineDict):
            continue  # the first item of a list written as its one item: `cite: {...}`
        else:
            break
    return line


@dataclass(frozen=True)
class RawDocument:
    """One parsed YAML file of the corpus."""

    file: str  # relative to the corpus root, with forward slashes
    data: Any
    entity_type: str | None = None  # "person", ... for files under facts/
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


_Stamp = tuple[int, int, int]


@dataclass
class ReadCache:
    """What earlier loads read, reused while a file keeps its size, inode and modification time.

    ``mkdocs serve`` keeps one across rebuilds, so an edit to one file re-reads that file only.
    """

    entries: dict[tuple[str, Path], tuple[_Stamp, Any]] = field(default_factory=dict)
    read: list[Path] = field(default_factory=list)  # the files the last load actually read

    @staticmethod
    def stamp(path: Path) -> _Stamp | None:
        """What tells that a file changed; None if it cannot be read."""
        try:
            st = path.stat()
        except (OSError, ValueError):  # ValueError: a path with a NUL character
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def lookup(self, kind: str, path: Path, stamp: _Stamp | None) -> tuple[bool, Any]:
        """(True, the value) if the file is unchanged since it was stored, else (False, None)."""
        hit = self.entries.get((kind, path))
        return (True, hit[1]) if stamp is not None and hit is not None and hit[0] == stamp else (False, None)

    def store(self, kind: str, path: Path, stamp: _Stamp | None, value: Any) -> None:
        """Remember what a file held when it had this stamp."""
        if stamp is not None:
            self.entries[(kind, path)] = (stamp, value)
            self.read.append(path)

    def get(self, kind: str, path: Path, make: Callable[[], _T]) -> _T:
        """The cached value for a file, or a fresh one if the file changed."""
        stamp = self.stamp(path)
        found, value = self.lookup(kind, path, stamp)
        if found:
            return value  # type: ignore[no-any-return]
        value = make()
        self.store(kind, path, stamp, value)
        return value


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


# Below this many files to read, a second process costs more than it saves.
PARALLEL_FROM = 400


def _read_entities(root: Path, files: list[tuple[Path, dict[str, Any]]], problems: list[Problem],
                   cache: ReadCache | None, workers: int | None) -> list[RawDocument]:
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
    workers = default_workers(len(todo), PARALLEL_FROM) if workers is None else workers
    fresh = forked_map([functools.partial(_read, root, *files[i]) for i in todo], workers)
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
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            problems.append(Problem(rel, 0, f"file is too large ({size:,} bytes)", "split it into smaller files"))
            return None
        raw = path.read_bytes()
    except OSError as e:
        problems.append(Problem(rel, 0, f"cannot read file: {e.strerror}", "check that it exists and is readable"))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        problems.append(Problem(rel, line, "file is not UTF-8 text", "save it as UTF-8"))
        return None
    try:
        data = load_yaml(text)
    except _YAMLProblem as e:
        problems.append(Problem(rel, e.line, e.message, e.hint))
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
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            return None, f"article file '{file}' is too large ({size:,} bytes)", "keep articles under 64 MiB"
        raw = path.read_bytes()
    except OSError as e:
        return None, f"cannot read article file '{file}': {e.strerror}", "check its permissions"
    try:
        return raw.decode("utf-8-sig"), "", ""
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        return None, f"article file '{file}' is not UTF-8 (byte {e.start}, line {line})", "save it as UTF-8"


@paused_gc()
def load_corpus(root: Path | str, cache: ReadCache | None = None, *, workers: int | None = None) -> RawCorpus:
    """Read every file of the corpus at root. Problems of reading are collected, not raised.

    With a cache, files unchanged since an earlier load are not read again. ``workers``
    processes read the entity files (by default one per CPU for many files, where processes
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

    files: list[tuple[Path, dict[str, Any]]] = []
    facts = root / "facts"
    if facts.is_dir():
        for child in sorted(facts.iterdir()):
            if child.name.startswith("."):
                continue
            if not child.is_dir():
                if child.suffix in (".yaml", ".yml"):
                    problems.append(Problem(
                        _rel(root, child), 0, "entity file outside a type folder",
                        "move it into facts/people, facts/organizations, facts/places or facts/events",
                    ))
                continue
            if child.name not in ENTITY_TYPES:
                # "persons" is nearer "person" than "people": compare with both forms
                forms = {**{f: f for f in ENTITY_TYPES}, **{t: f for f, t in ENTITY_TYPES.items()}}
                near = difflib.get_close_matches(child.name, list(forms), n=1)
                hint = f"did you mean '{forms[near[0]]}'?" if near else "use people, organizations, places or events"
                problems.append(Problem(_rel(root, child), 0, f"unknown entity folder '{child.name}'", hint))
                continue
            for path in sorted(child.rglob("*"), key=lambda p: p.parts):  # as Path's order, without its slow __lt__
                if path.name.startswith(".") or not path.is_file() or path.suffix not in (".yaml", ".yml"):
                    continue
                if path.parent != child:
                    problems.append(Problem(_rel(root, path), 0, "entity file in a nested folder",
                                            f"move it directly into facts/{child.name}/"))
                    continue
                files.append((path, {"entity_type": ENTITY_TYPES[child.name], "entity_id": path.stem}))
    entities = _read_entities(root, files, problems, cache, workers)

    articles: dict[str, str] = {}
    if sources is not None and isinstance(sources.data, list):
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
    return RawCorpus(root, sources, briefing, tuple(entities), articles, tuple(problems))
