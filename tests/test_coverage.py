"""Coverage: the sentences no claim cites, and names left uncited."""

from __future__ import annotations

import pytest

from briefgen import check
from briefgen.model import Source
from briefgen.tools.cli import main
from briefgen.tools.coverage import coverage, sentences

from .conftest import SEEDS, WriteCorpus


def _source(text: str, title: str = "T") -> Source:
    return Source("s", "s.txt", title, text)


def test_sentences_split_at_sentence_ends_only() -> None:
    text = 'Gen. Dunford met U.S. officials. "It worked," he said. Then J. Smith left!\nWATCH: a video\n'
    assert [s.text for s in sentences(_source(text))] == [
        "Gen. Dunford met U.S. officials.",
        '"It worked," he said.',
        "Then J. Smith left!",
    ]


def test_headline_that_repeats_the_title_is_not_a_sentence() -> None:
    src = _source("Big News Today\n\nSomething happened.\n", title="Big News Today")
    assert [s.text for s in sentences(src)] == ["Something happened."]
    assert sentences(src)[0].paragraph == 1


def test_every_sentence_of_the_seed_articles_is_cited() -> None:
    for c in coverage(check(SEEDS)):
        assert c.sentences
        assert [s.text for s in c.uncited] == [], c.source.id


def test_uncited_sentences_and_names_are_listed(write_corpus: WriteCorpus) -> None:
    [c] = coverage(check(write_corpus()))
    assert [s.text for s in c.uncited] == []
    root = write_corpus({"articles/wire-1.txt": "Alice Smith met Bob Jones in Paris on Monday.\n\n"
                         "The meeting was secret, officials said. Jones “denied” it.\nParis was calm. Bob Jones slept.\n"})
    [c] = coverage(check(root))
    assert [s.text for s in c.uncited] == ["Paris was calm.", "Bob Jones slept."]
    assert c.percent == pytest.approx(100 * 3 / 5)
    assert [(m.text, m.entity) for m in c.mentions] == [("Paris", "paris"), ("Bob Jones", "bob-jones")]


def test_coverage_command_fails_below_the_minimum(write_corpus: WriteCorpus, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_corpus({"articles/wire-1.txt": "Alice Smith met Bob Jones in Paris on Monday.\n"
                         "The meeting was secret, officials said. Jones “denied” it. Nobody else came.\n"})
    assert main(["coverage", str(root), "--min", "80"]) == 4
    out = capsys.readouterr()
    assert "wire-1: 3 of 4 sentences cited (75.0%)" in out.out
    assert "  not cited, paragraph 2: Nobody else came." in out.out
    assert "below 80%: wire-1" in out.err
    assert main(["coverage", str(root), "--min", "75"]) == 0
