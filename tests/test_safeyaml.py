"""Reading YAML: what a curator reads never depends on which parser a wheel bundles."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from briefgen.corpus import safeyaml

# Brackets, indicators, quotes, escapes, comments, newlines and indentation: most such texts are
# broken. (Tags, anchors, block scalars and tabs are left out: the two parsers' readings of some
# odd uses of them differ, in ways no corpus relies on.)
YAML_TEXT = st.lists(st.sampled_from([*"ab1 -:?[]{},'\"\\#\né", "\\ud800", "\\x41"]), max_size=40).map("".join)


def _outcome(read: Any, text: str) -> tuple[str, Any]:
    try:
        value = read(text)
    except safeyaml.YAMLProblem as problem:
        return "problem", (problem.line, problem.message, problem.hint)
    return "value", (value, lines_of(value))


def lines_of(v: Any) -> Any:
    """Where each mapping, key, list and item of a loaded value stands."""
    if isinstance(v, dict):
        return (getattr(v, "line", None), getattr(v, "key_lines", None), [lines_of(x) for x in v.values()])
    if isinstance(v, list):
        return (getattr(v, "line", None), getattr(v, "item_lines", None), [lines_of(x) for x in v])
    return None


def _reference(text: str) -> Any:
    return safeyaml._parse(safeyaml._Reference, text, safeyaml._depth_bound(text))


@pytest.mark.skipif(safeyaml._Fast is None, reason="PyYAML without libyaml: the reference is the only parser")
@settings(max_examples=400, deadline=None)
@given(YAML_TEXT)
@example("a: " + "[" * 5000 + "]" * 5000)  # past any libyaml's own nesting limit
@example("a: " + "{b: " * 2000 + "1" + "}" * 2000)
@example('a: "\\ud800"')
@example("a: [1, 2\nb: 3")
def test_a_document_reads_the_same_with_libyaml_as_with_pyyaml_alone(text: str) -> None:
    """What PyYAML reads, libyaml reads alike; where libyaml refuses a document, the problem is
    PyYAML's own, at the same line. (libyaml reads a few texts PyYAML refuses: those read as
    libyaml reads them.)"""
    fast, reference = _outcome(safeyaml.load_yaml, text), _outcome(_reference, text)
    if fast[0] == "problem" or reference[0] == "value":
        assert fast == reference


@pytest.mark.parametrize("depth", [101, 1_000, 100_000])
@pytest.mark.parametrize("shape", ["[{}]", "{{a: {}}}"])
def test_nesting_past_the_limit_is_one_problem_at_its_line_at_any_depth(depth: int, shape: str) -> None:
    opening, closing = shape.split("{}") if shape == "[{}]" else ("{a: ", "}")
    text = "name: x\nlist:\n  " + opening * depth + "1" + closing * depth + "\n"
    with pytest.raises(safeyaml.YAMLProblem) as raised:
        safeyaml.load_yaml(text)
    assert (raised.value.line, raised.value.message, raised.value.hint) == (
        3, "YAML nests more than 100 levels deep", "flatten the structure")


def test_an_escaped_half_character_is_refused_by_either_parser() -> None:
    for read in (safeyaml.load_yaml, _reference):
        with pytest.raises(safeyaml.YAMLProblem) as raised:
            read('name: "\\udc00 x"\n')
        assert raised.value.message == "invalid YAML: while parsing a quoted scalar found invalid Unicode character escape code"
