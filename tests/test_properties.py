"""Property-based tests: generated corpora, valid and broken, and inert text.

Valid corpora (names in any script, claims with wikilinks to the generated ids, quotes cut
from the generated articles) validate and render, and every citation lands on an anchor of
its source page. One mutation makes a corpus invalid: it fails with a CorpusError naming the
file it was made in, never with another exception. Any text made inert renders as one
paragraph that reads as the text itself.
"""

from __future__ import annotations

import html
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from briefgen.corpus import load_corpus, safeyaml
from briefgen.corpus.problems import CorpusError, Problem, Problems
from briefgen.corpus.validate import build_briefing, validate
from briefgen.site.render import render_site
from briefgen.text.escape import close_bidi, inert
from briefgen.text.names import suggest_id
from briefgen.text.normalize import normalize_quote

from .test_safeyaml import lines_of

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CHEAP = settings(max_examples=200, deadline=None)

# -- text --------------------------------------------------------------------------------

# Letters of several scripts (with precomposed and combining accents), digits, the
# characters Markdown and HTML give a meaning to, typographic quotes, and emoji.
LETTERS = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    + list("éüñøßÆÇ") + ["e\u0301", "a\u0308"]
    + list("ابتثجحخدذرزسشصضطظعغفقكلمنهوي") + list("中文字漢")
    + list("<>*_`{}#|&~^=:$!\"+\\-.()'") + ["\u201c", "\u201d", "\u2019"]
    + ["😀", "🇺🇦", "👩\u200d👩\u200d👧"]
)
WORD = st.lists(LETTERS, min_size=1, max_size=8).map("".join)
WORDS = st.lists(WORD, min_size=1, max_size=8).map(" ".join)
NAME = WORDS.map(lambda s: s.strip()).filter(bool)


def _no_wikilinks(text: str) -> str:
    """Plain text with no wikilink syntax in it: brackets do not come in pairs."""
    return text.replace("[", "(").replace("]", ")")


@dataclass
class Corpus:
    """A generated corpus: file path -> YAML data or article text."""

    yaml_files: dict[str, Any] = field(default_factory=dict)
    articles: dict[str, str] = field(default_factory=dict)

    def write(self, root: Path) -> None:
        for rel, text in self.articles.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8", newline="")
        for rel, data in self.yaml_files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def entity_files(self) -> list[str]:
        return sorted(rel for rel in self.yaml_files if rel.startswith("facts/"))


TYPES = ("people", "organizations", "places", "events")


@st.composite
def corpora(draw: st.DrawFn) -> Corpus:
    """A valid corpus: 1-3 articles, 1-6 entities, claims that cite passages and link ids."""
    corpus = Corpus()
    sources: dict[str, list[str]] = {}  # id -> the quotable passages of its article
    records = []
    for n in range(draw(st.integers(1, 3))):
        paragraphs = draw(st.lists(WORDS, min_size=1, max_size=5))
        text = "\n".join(paragraphs) + draw(st.sampled_from(["", "\n", "\r\n"]))
        file = f"articles/a{n}.txt"
        corpus.articles[file] = text
        # a passage is a run of whole words of one paragraph
        passages = []
        for p in paragraphs:
            words = p.split(" ")
            for i in range(len(words)):
                for j in range(i + 1, min(i + 4, len(words)) + 1):
                    passage = " ".join(words[i:j])
                    if normalize_quote(passage):
                        passages.append(passage)
        assume(passages)
        id = f"src-{n}"
        sources[id] = passages
        records.append({"id": id, "file": file, "title": draw(NAME), "outlet": draw(NAME),
                        "published": draw(st.sampled_from(["2016", "2016-03", "2016-03-25"]))})
    corpus.yaml_files["sources.yaml"] = records

    names = draw(st.lists(NAME, min_size=1, max_size=6))
    ids: list[str] = []
    for name in names:  # readable ids from the names, as a curator would get them suggested
        base = suggest_id(name)
        id = base if base not in ids and base not in sources else f"{base}-{len(ids)}"
        ids.append(id)

    def cite() -> dict[str, str]:
        source = draw(st.sampled_from(sorted(sources)))
        return {"source": source, "quote": draw(st.sampled_from(sources[source]))}

    def text() -> str:
        parts = [_no_wikilinks(draw(WORDS))]
        for _ in range(draw(st.integers(0, 2))):
            target = draw(st.sampled_from(ids + sorted(sources)))
            label = draw(st.none() | NAME.map(_no_wikilinks))
            parts.append(f"[[{target}|{label}]]" if label else f"[[{target}]]")
            parts.append(_no_wikilinks(draw(WORDS)))
        return " ".join(parts)

    for n, (id, name) in enumerate(zip(ids, names, strict=True)):
        folder = draw(st.sampled_from(TYPES))
        claims = []
        for _ in range(draw(st.integers(1 if n == 0 else 0, 4))):  # at least one claim in the corpus
            claim: dict[str, Any] = {"text": text(), "cite": [cite() for _ in range(draw(st.integers(1, 2)))]}
            if draw(st.booleans()):
                claim["topic"] = draw(st.sampled_from(["method", "date", "place"]))
            if draw(st.booleans()):
                claim["certainty"] = draw(st.sampled_from(["confirmed", "reported", "believed", "alleged"]))
            if draw(st.booleans()):
                claim["said_by"] = text()
            if draw(st.booleans()):
                claim["date"] = draw(st.sampled_from(["2015", "2016-03", "2016-03-25", "2016-02-29"]))
            claims.append(claim)
        data: dict[str, Any] = {"name": name}
        if draw(st.booleans()):
            data["description"] = _no_wikilinks(draw(WORDS))
        aliases = [{"name": draw(NAME), "cite": cite(), "link": draw(st.booleans())} for _ in range(draw(st.integers(0, 2)))]
        if aliases:
            data["aliases"] = aliases
        if claims:
            data["claims"] = claims
        dated = [c["date"] for c in claims if "date" in c]
        if folder == "events" and dated:
            data["date"] = dated[0]
        corpus.yaml_files[f"facts/{folder}/{id}.yaml"] = data
    if draw(st.booleans()):
        corpus.yaml_files["briefing.yaml"] = {"title": draw(NAME),
                                              "overview": [{"text": text(), "cite": cite()}]}
    return corpus


def _built(root: Path | str) -> tuple[Any, tuple[Problem, ...]]:
    """The briefing a corpus folder describes, or None, and its problems."""
    problems = Problems()
    briefing = build_briefing(load_corpus(root), problems)
    return briefing, problems.found()


def _problems(corpus: Corpus) -> tuple[Any, tuple[Problem, ...]]:
    with tempfile.TemporaryDirectory() as tmp:
        corpus.write(Path(tmp))
        return _built(tmp)


@SETTINGS
@given(corpora())
def test_generated_corpora_validate_and_render(corpus: Corpus) -> None:
    briefing, problems = _problems(corpus)
    assert not problems, "\n".join(map(str, problems))
    pages = render_site(briefing)
    for e in briefing.entities:
        assert e.page in pages
    cited = [c for claim in briefing.claims for c in claim.citations]
    cited += [c for e in briefing.entities for a in e.aliases for c in a.citations]
    assert cited
    for c in cited:
        source = briefing.source[c.source]
        assert f'<span id="{c.anchor}" class="bg-anchor"></span>' in pages[source.page]
        # the anchor marks the passage quoted
        assert normalize_quote(source.text[c.start : c.end]) == normalize_quote(c.quote)


# -- broken corpora ----------------------------------------------------------------------

Mutation = Callable[[Corpus, st.DrawFn], tuple[str, str]]  # changes the corpus; returns (file, message)


def _any_claim(corpus: Corpus, draw: st.DrawFn) -> tuple[str, int]:
    """One of the corpus's claims, as (entity file, index); the example is dropped if there is none."""
    claims = [(rel, i) for rel in corpus.entity_files() for i, _ in enumerate(corpus.yaml_files[rel].get("claims", []))]
    assume(claims)
    return draw(st.sampled_from(claims))


def unknown_key(corpus: Corpus, draw: st.DrawFn) -> tuple[str, str]:
    rel = draw(st.sampled_from(corpus.entity_files()))
    corpus.yaml_files[rel]["colour"] = "blue"
    return rel, "unknown key 'colour'"


def bad_id(corpus: Corpus, draw: st.DrawFn) -> tuple[str, str]:
    rel = draw(st.sampled_from(corpus.entity_files()))
    stem = draw(st.sampled_from(["Capital", "a space", "a.dot", "ünïcode", "-dash", "عربي"]))
    new = rel.rsplit("/", 1)[0] + f"/{stem}.yaml"
    assume(new not in corpus.yaml_files)
    corpus.yaml_files[new] = corpus.yaml_files.pop(rel)
    return new, f"id '{stem}' is not valid (use lowercase letters, digits, '-' and '_', e.g. '{suggest_id(stem)}')"


def dangling_wikilink(corpus: Corpus, draw: st.DrawFn) -> tuple[str, str]:
    rel, i = _any_claim(corpus, draw)
    corpus.yaml_files[rel]["claims"][i]["text"] += " [[no-such-entity]]"
    return rel, "wikilink [[no-such-entity]] names no entity or source"


def quote_not_in_article(corpus: Corpus, draw: st.DrawFn) -> tuple[str, str]:
    rel, i = _any_claim(corpus, draw)
    cite = corpus.yaml_files[rel]["claims"][i]["cite"][0]
    cite["quote"] = "\u2603 never written \u2603"  # no snowman in the generated articles
    return rel, f"quote not found in source '{cite['source']}'"


def bad_date(corpus: Corpus, draw: st.DrawFn) -> tuple[str, str]:
    rel, i = _any_claim(corpus, draw)
    value = draw(st.sampled_from(["2016-02-30", "2015-02-29", "2016-13", "25/03/2016", "March 2016"]))
    corpus.yaml_files[rel]["claims"][i]["date"] = value
    return rel, f"'claims[{i}].date': '{value}'"


MUTATIONS: dict[str, Mutation] = {
    "unknown key": unknown_key, "bad id": bad_id, "dangling wikilink": dangling_wikilink,
    "quote not in article": quote_not_in_article, "bad date": bad_date,
}


@pytest.mark.parametrize("mutation", list(MUTATIONS))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_one_mutation_fails_cleanly_naming_its_file(mutation: str, data: st.DataObject) -> None:
    corpus = data.draw(corpora())
    file, message = MUTATIONS[mutation](corpus, data.draw)
    with tempfile.TemporaryDirectory() as tmp:
        corpus.write(Path(tmp))
        with pytest.raises(CorpusError) as info:
            validate(load_corpus(tmp))
    problems = info.value.problems
    assert all(isinstance(p, Problem) and p.file for p in problems)
    assert any(p.file == file and message in p.message + f" ({p.hint})" for p in problems), \
        f"{file}: {message}\n" + info.value.report()


@CHEAP
@given(st.text(max_size=300) | st.binary(max_size=300))
def test_any_entity_file_gives_problems_not_exceptions(content: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "sources.yaml").write_text("[]\n", encoding="utf-8")
        path = root / "facts" / "people" / "someone.yaml"
        path.parent.mkdir(parents=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8", errors="surrogatepass")
        else:
            path.write_bytes(content)
        briefing, problems = _built(root)
    assert (briefing is None) == bool(problems)
    assert all(p.file == "facts/people/someone.yaml" for p in problems)


KEYS = st.sampled_from(["name", "description", "aliases", "claims", "date", "text", "cite", "source", "quote", "topic",
                        "certainty", "said_by", "link", "id", "file", "title", "outlet", "published", "url", "colour"])
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | st.dates()
           | st.sampled_from(["2016-02-30", "[[src-0]]", "[[nobody]]", "articles/a0.txt", "../x", "src-0", "Paris"]))
SHAPES = st.recursive(SCALARS, lambda children: st.lists(children, max_size=4)
                      | st.dictionaries(KEYS | st.integers(), children, max_size=5), max_leaves=25)


@SETTINGS
@given(SHAPES, SHAPES, SHAPES)
def test_any_shape_of_yaml_gives_problems_not_exceptions(sources: Any, entity: Any, briefing: Any) -> None:
    """Values of any type, at any place the format has a key for, are reported, never raised."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "articles").mkdir()
        (root / "articles" / "a0.txt").write_text("Paris is a city.\n", encoding="utf-8")
        for rel, data in (("sources.yaml", sources), ("facts/places/paris.yaml", entity), ("briefing.yaml", briefing)):
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        briefing_, problems = _built(root)
        if briefing_ is not None:
            render_site(briefing_)
    assert all(p.file in {"sources.yaml", "facts/places/paris.yaml", "briefing.yaml"} for p in problems)


# -- inert text --------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def shown(text: str) -> str:
    """What a reader sees of text: whitespace runs folded, control characters as pictures,
    bidi embeddings closed at the end."""
    text = _CONTROL.sub(lambda m: chr(0x2400 + ord(m.group())) if ord(m.group()) < 0x20 else
                        ("\u2421" if m.group() == "\x7f" else "\ufffd"), text)
    return close_bidi(re.sub(r"\s+", " ", text)).strip()


@CHEAP
@given(st.text(max_size=200) | WORDS)
@example("\n---")  # found by this test: a space before a block marker hid it from the guard
@example(" 1. item")
@example("a\u202eb\u2067c")
@example("a  b\u2028c\x85d\u00a0e")  # whitespace that only the full path folds
def test_inert_text_renders_as_one_paragraph_of_itself(text: str) -> None:
    expected = shown(text)
    assume(expected)
    md = markdown.Markdown(extensions=["footnotes", "tables", "attr_list", "md_in_html", "abbr", "def_list"])
    out = md.convert(inert(text))
    assert out.startswith("<p>") and out.endswith("</p>"), out
    inner = out[3:-4]
    assert "<" not in inner, out  # no element
    assert html.unescape(inner).strip() == expected  # Markdown may keep a space at either end


# -- YAML nesting ------------------------------------------------------------------------

NESTED: st.SearchStrategy[Any] = st.recursive(
    st.one_of(st.text(alphabet="ab -:[]{}", max_size=4), st.integers(), st.none()),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text("abc", max_size=3), inner, max_size=3)),
    max_leaves=60,
)


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0


@CHEAP
@given(NESTED, st.sampled_from([None, True, False]), st.integers(0, 6))
def test_yaml_that_looks_shallow_is_shallow_and_reads_as_written(
        value: Any, flow: bool | None, indent_more: int) -> None:
    """The one-pass depth bound is a bound, and libyaml's composer, taken for files under it,
    reads values and lines as the depth-checking composer does."""
    text = yaml.safe_dump(value, default_flow_style=flow, indent=2 + indent_more, width=20)
    assert safeyaml._depth_bound(text) >= _depth(value)
    if safeyaml._Fast is None:
        return
    fast, careful = safeyaml._Fast(text), safeyaml._Loader(text)
    try:
        a, b = fast.get_single_data(), careful.get_single_data()
    finally:
        fast.dispose()
        careful.dispose()
    assert a == b == value

    assert lines_of(a) == lines_of(b)


@pytest.mark.parametrize("text", [
    "a:\n" + "".join(f"{'  ' * i}- k{i}:\n" for i in range(60)) + "  " * 60 + "- end\n",
    "- " * 120 + "x\n",
    "[" * 60 + "{" * 50 + "}" * 50 + "]" * 60 + "\n",
])
def test_deep_yaml_is_never_taken_for_shallow(text: str) -> None:
    from briefgen.corpus import safeyaml

    assert safeyaml._depth_bound(text) > safeyaml.MAX_YAML_DEPTH


@CHEAP
@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_an_ascii_quote_normalizes_as_any_other(quote: str) -> None:
    """ASCII quotes take a shortcut; it must agree with the full normalization."""
    from briefgen.text.normalize import normalize

    assert normalize_quote(quote) == re.sub(r" +", " ", normalize(quote).text).strip()


@CHEAP
@given(st.lists(st.text(alphabet="ab é_-.", min_size=1, max_size=5), max_size=8), st.text(alphabet="ab é_-.\n", max_size=80))
def test_names_are_found_where_a_regex_of_them_longest_first_finds_them(names: list[str], text: str) -> None:
    """The matcher's trie-shaped pattern finds what a plain alternation of the names finds: at
    each place, the longest name that starts after and ends before a non-word character."""
    from briefgen.text.names import matcher
    from briefgen.text.normalize import normalize

    names = [n for n in {normalize_quote(n) for n in names} if n]
    article = normalize(text)
    found = list(matcher({n: f"id-{n}" for n in names}).find(article))
    expected = []
    if names:
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")(?!\w)")
        expected = [(*article.span(m.start(), m.end()), f"id-{m.group()}") for m in pattern.finditer(article.text)]
    assert found == expected
