"""The hardened YAML loader: safe tags only, bounded in size, depth and expansion, and every
mapping and list remembering its lines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import yaml

from .problems import FileProblem

__all__ = ["MAX_YAML_BYTES", "LineDict", "LineList", "YAMLProblem", "line_of", "load_yaml"]

MAX_YAML_BYTES = 64 * 1024 * 1024
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


class YAMLProblem(FileProblem):
    """A problem of reading YAML, at a line. ``reference`` is False where only libyaml refused
    the text: PyYAML's own parser then reads it again, for the problem it finds."""

    def __init__(self, line: int, message: str, hint: str = "", *, reference: bool = True) -> None:
        super().__init__(line, message, hint)
        self.reference = reference


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
                raise YAMLProblem(self.peek_event().start_mark.line + 1,  # type: ignore[attr-defined]
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
            raise YAMLProblem(line, "a key must be plain text", "remove the brackets or braces") from None
        if key in result:
            raise YAMLProblem(
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
    raise YAMLProblem(
        node.start_mark.line + 1,
        f"YAML tag '{node.tag}' is not allowed",
        "write plain text, lists and mappings only",
    )


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:  # Python refuses to convert integers of more than 4,300 digits
        raise YAMLProblem(node.start_mark.line + 1, "number is too long",
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
    """Parse one YAML document safely, keeping lines. Raises ``YAMLProblem``.

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
    except YAMLProblem as problem:
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
            raise YAMLProblem(deep.start_mark.line + 1, f"YAML nests more than {MAX_YAML_DEPTH} levels deep",
                               "flatten the structure")
        # Without anchors, each value takes at least a character of the text.
        size = _expanded_size(node, {}) if "&" in text or len(text) >= MAX_YAML_NODES else 0
        if size > MAX_YAML_NODES:
            raise YAMLProblem(
                1,
                f"YAML expands to {size:,} values through anchors and aliases",
                "write the values out instead of repeating anchors",
            )
        return loader.construct_document(node)
    except yaml.reader.ReaderError as e:
        # The reader stops at the first character YAML refuses; its position counts bytes with
        # libyaml and characters without, so find the character itself.
        line = text[: max(text.find(chr(e.character)), 0)].count("\n") + 1
        raise YAMLProblem(line, f"invalid YAML: character U+{e.character:04X} is not allowed in a YAML file",
                           f'remove it, or write it as "\\u{e.character:04x}" inside double quotes') from None
    except yaml.YAMLError as e:
        raise _parser_problem(e, text, loader_class is _Reference) from None
    except RecursionError:
        raise YAMLProblem(1, "YAML nests too deeply", "flatten the structure") from None
    finally:
        loader.dispose()


def _parser_problem(e: yaml.YAMLError, text: str, reference: bool) -> YAMLProblem:
    """What the parser refused, as a problem; only the reference parser's is final."""
    if isinstance(e, yaml.MarkedYAMLError):
        mark = e.problem_mark or e.context_mark
        what = " ".join(str(x) for x in (e.context, e.problem) if x)
        return YAMLProblem(mark.line + 1 if mark else 1, f"invalid YAML: {what}", "check the indentation and quoting here",
                            reference=reference)
    return YAMLProblem(1, f"invalid YAML: {e}", "check the file's encoding and characters", reference=reference)


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


