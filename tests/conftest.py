"""Shared fixtures: small corpora written to a temporary folder."""

from __future__ import annotations

import gc
import textwrap
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from briefgen.corpus import load_corpus
from briefgen.corpus.problems import Problem, Problems
from briefgen.corpus.validate import build_briefing

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
HARBOR = ROOT / "tests" / "corpora" / "harbor"
# Vias and graded sources: a story no other test corpus tells.
SPILL = ROOT / "tests" / "corpora" / "spill"

@pytest.fixture(autouse=True)
def _collector_left_on() -> Iterator[None]:
    """Serve keeps Python's garbage collector off while it builds, and on again once it stops: a
    test that ends with it off left a serve session running (and would slow every test after)."""
    yield
    enabled = gc.isenabled()
    gc.enable()
    assert enabled, "the garbage collector was left off: a serve session was not shut down"


ARTICLE = (
    "Alice Smith met Bob Jones in Paris on Monday.\n"
    "\n"
    "The meeting was secret, officials said. Jones “denied” it.\n"
)

BASE: dict[str, str] = {
    "sources.yaml": """\
        - id: wire-1
          file: articles/wire-1.txt
          title: A meeting in Paris
          outlet: Wire
          published: 2020-05-04
        """,
    "articles/wire-1.txt": ARTICLE,
    "facts/people/alice-smith.yaml": """\
        name: Alice Smith
        description: A traveller
        aliases:
          - name: Ms. Smith
          - name: Alice
            link: false
        claims:
          - text: Met [[bob-jones]] in [[paris]].
            cite: {source: wire-1, quote: "Alice Smith met Bob Jones in Paris"}
        """,
    "facts/people/bob-jones.yaml": """\
        name: Bob Jones
        claims:
          - text: Denied the meeting.
            topic: meeting
            cite: {source: wire-1, quote: 'Jones "denied" it.'}
          - text: Held a secret meeting.
            topic: meeting
            certainty: believed
            said_by: officials
            cite: {source: wire-1, quote: "The meeting was secret, officials said."}
        """,
    "facts/places/paris.yaml": "name: Paris\n",
    "facts/events/paris-meeting.yaml": """\
        name: The Paris meeting
        date: 2020-05-04
        claims:
          - text: "[[alice-smith]] met [[bob-jones]]."
            date: 2020-05-04
            cite: {source: wire-1, quote: "met Bob Jones in Paris on Monday"}
        """,
}

WriteCorpus = Callable[..., Path]


@pytest.fixture
def write_corpus(tmp_path: Path) -> WriteCorpus:
    """Write the base corpus with files replaced (a value of None deletes a file)."""

    def write(changes: Mapping[str, str | bytes | None] | None = None, *, name: str = "corpus") -> Path:
        root = tmp_path / name
        files: dict[str, str | bytes | None] = {**BASE, **(changes or {})}
        for rel, content in files.items():
            if content is None:
                continue
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content), encoding="utf-8")
        return root

    return write


def problems_of(root: Path) -> list[Problem]:
    """Every problem the loader and validator find in a corpus."""
    problems = Problems()
    briefing = build_briefing(load_corpus(root), problems)
    assert (briefing is None) == bool(problems)
    return list(problems)


def messages(root: Path) -> list[str]:
    """Every problem as the CLI prints it."""
    return [str(p) for p in problems_of(root)]
