"""The fast path of the MkDocs build: generated pages converted by briefgen's own converter, and
Material's search handed them without what it leaves out, give the site the bytes it has without."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config

from briefgen import build
from briefgen.site.pages import SECTION_PAGES
from briefgen.speed.fastmd import convert
from briefgen.speed.fastpage import fast_markdown
from briefgen.speed.searchview import search_view

from .conftest import HARBOR, ROOT, SEEDS, SPILL
from .site import site_config
from .test_properties import SETTINGS, Corpus, corpora

# The pages in the nav (listings, the home page, the graph...): the converter need not take them.
SECTIONS = {path for _, path in SECTION_PAGES}
# The shipped mkdocs.yml's Markdown extensions and MkDocs's own (toc, tables, fenced_code).
EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "footnotes"]


def python_markdown(text: str) -> tuple[str, list[Any]]:
    """A page's HTML and table of contents as Python-Markdown converts it for the shipped site."""
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs={"toc": {"permalink": True}})
    return md.convert(text), md.toc_tokens


def fast(text: str) -> tuple[str, list[Any]] | None:
    """The same by the fast converter, the links' addresses as written; None where it declines."""
    converted = convert(text)
    return None if converted is None else (converted.html_with(converted.hrefs), converted.toc_tokens)


def body(page: str) -> str:
    """A generated page less its front matter, as MkDocs hands it to Markdown."""
    return page.split("\n---\n", 1)[1] if page.startswith("---\n") else page


@pytest.mark.parametrize("corpus", [SEEDS, HARBOR, SPILL], ids=lambda p: p.name)
def test_every_page_the_converter_takes_converts_as_python_markdown_converts_it(corpus: Path) -> None:
    taken = []
    for path, page in build(corpus).items():
        converted = fast(body(page))
        if converted is not None:
            assert converted == python_markdown(body(page)), path
            taken.append(path)
    assert set(build(corpus)) - set(taken) <= SECTIONS  # the pages that make a site: every entity, source...


def test_pages_of_a_generated_corpus_convert_as_python_markdown_converts_them(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(corpus), "--entities", "120"],
                   check=True, capture_output=True)
    pages = build(corpus)
    for path, page in pages.items():
        converted = fast(body(page))
        assert converted is None or converted == python_markdown(body(page)), path
    assert {path for path, page in pages.items() if fast(body(page)) is None} <= SECTIONS


@SETTINGS
@given(corpora())
def test_pages_of_any_corpus_convert_as_python_markdown_converts_them_or_not_at_all(corpus: Corpus) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        corpus.write(Path(tmp))
        pages = build(tmp)
    for path, page in pages.items():
        converted = fast(body(page))
        assert converted is None or converted == python_markdown(body(page)), path


# Pieces of Markdown: single characters that are syntax somewhere, and runs the templates write.
MARKDOWNISH = st.sampled_from([
    *"#-*_[]()<>&!`\\ \n:^{}|=~.0123456789ab\"'/;", "[^1]", "[^1]: ", "**", "- ", "<span>", "</span>", "<p>", "</p>",
    "<div>", "</div>", "<figure>", "</figure>", '<span title="a b">', "&#58;", "](x.md)", "[<bdi>x</bdi>](y.md)", "\n\n",
    "\n- ", "# ", "\n## ", " { data-search-exclude }", "| a | b |\n", "| --- | :-: |\n", "| ", " |", "<nav>", "</nav>",
    '<h2 id="x">', "</h2>"])


@settings(max_examples=1500, deadline=None)
@given(st.lists(MARKDOWNISH, max_size=16).map("".join))
def test_any_text_converts_as_python_markdown_converts_it_or_not_at_all(text: str) -> None:
    converted = fast(text)
    assert converted is None or converted == python_markdown(text)


@pytest.mark.parametrize("text", [
    "- a\n\n- b\n",  # a loose list
    "An ![image](x.png) here.\n",
    "Some *emphasis* here.\n",
    "```\ncode\n```\n",
    "<p class=\"x\">unclosed\n\nnext\n",
    "A note.\n\n[^1]: never referred to\n",
    "A comment <!-- here -->.\n",
    "Text with a [^2] reference.\n\n[^1]: one\n[^2]: two\n",  # a note referred to, another not
    "1. an ordered list\n",
    "<div></div><div></div>\n",  # two raw blocks on one line
    "- a | b\n- --- | ---\n",  # a table to the tables extension
])
def test_markdown_of_another_shape_is_left_to_python_markdown(text: str) -> None:
    assert convert(text) is None


@pytest.mark.parametrize("text", [
    "# A\n\n## B { data-search-exclude }\n\n## B\n\n## B { data-search-exclude }\n",  # ids made unique
    "# T\n\nOne[^1] and again[^1], then[^2].\n\n- Item[^1]\n\n[^1]: first\n[^2]: second\n",  # a note referred to thrice
    "### [A link](../people/x.md) { data-search-exclude }\n\n<p class=\"bg-type\">Person</p>\n\n- **[S](s.md):** x&#46;\n",
    "Last line before the notes[^1]\n[^1]: right after it\n",
    "- An item[^1]\n- another[^2]\n[^1]: right after the list\n[^2]: and another\n",
    "<h2 id=\"letter-a\">A</h2>\n\n| Name | Count |\n| --- | ---: |\n| [A](a.md) <span>also B</span> | 3 |\n| C |  |\n",
    "<figure class=\"g\" data-search-exclude><svg>\n<a xlink:href=\"../\"><title>x</title></a>\n</svg></figure>\n\nText.\n",
])
def test_the_shapes_the_templates_write_convert_as_python_markdown_converts_them(text: str) -> None:
    assert fast(text) == python_markdown(text)


def test_search_reads_an_entity_page_without_the_sections_it_leaves_out() -> None:
    html, _ = python_markdown(body(build(HARBOR)["people/karim-haddad.md"]))
    html = html.replace('<div class="footnote">', '<div class="footnote" data-search-exclude="quoted">', 1)
    view = search_view(html)
    assert len(view) < len(html) / 2
    assert "Crane operator" in view and "Overrode a load warning" in view  # description, claims, accounts
    assert 'id="dates"' in view and 'id="connections"' in view  # the headings of the sections left out stay
    for gone in ("<svg", '<li id="fn:1">', "Operator error by"):  # the graph, the footnotes, the mentioned-in list
        assert gone not in view


def _site(corpus: Path, folder: Path, fast: bool, nav: str = "") -> dict[str, bytes]:
    config = site_config(corpus, folder)
    text = config.read_text(encoding="utf-8") + nav
    if not fast:
        text = text.replace(f"corpus: {corpus}", f"corpus: {corpus}\n      fast: false")
    config.write_text(text, encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "https://example.org/briefing/",
           "SOURCE_DATE_EPOCH": "1700000000"}
    site = folder / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
                            capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("corpus", [SEEDS, HARBOR, SPILL], ids=lambda p: p.name)
def test_a_site_built_on_the_fast_path_is_the_site_built_without_it(corpus: Path, tmp_path: Path) -> None:
    """Pages, search index and sitemap, byte for byte: the fast path changes nothing a reader gets."""
    with_it, without = _site(corpus, tmp_path / "fast", True), _site(corpus, tmp_path / "plain", False)
    assert list(with_it) == list(without)
    assert [p for p in with_it if with_it[p] != without[p]] == []
    assert b'"location":"people/' in with_it["search/search_index.json"] or corpus == SPILL


def test_a_nav_of_ones_own_titles_the_fast_pages_as_without_them(tmp_path: Path) -> None:
    nav = "nav:\n  - index.md\n  - Who is who: people/index.md\n  - disputes.md\n  - A person: people/karim-haddad.md\n"
    with_it, without = _site(HARBOR, tmp_path / "fast", True, nav), _site(HARBOR, tmp_path / "plain", False, nav)
    assert b"Who is who" in with_it["people/index.html"] and b"A person" in with_it["index.html"]
    assert [p for p in with_it if with_it[p] != without.get(p)] == []


def test_links_to_anchors_of_fast_pages_are_checked(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    _site(HARBOR, folder, True)
    (folder / "docs" / "notes.md").write_text(
        "# Notes\n\n[Claims](people/karim-haddad.md#claims), [a note](people/karim-haddad.md#fn:1), "
        "[a passage](sources/eastmoor-voice-vigil.md#q-382-424).\n", encoding="utf-8")
    _site(HARBOR, folder, True)  # every anchor is there
    (folder / "docs" / "notes.md").write_text("# Notes\n\n[Gone](people/karim-haddad.md#no-such-part).\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="no-such-part"):
        _site(HARBOR, folder, True)


@pytest.mark.parametrize(("extensions", "fast"), [
    ("", True),  # the shipped mkdocs.yml's
    ("  - admonition\n", False),
    ("  - toc:\n      permalink: \"#\"\n", False),
])
def test_the_converter_is_used_only_with_the_extensions_it_knows(tmp_path: Path, extensions: str, fast: bool) -> None:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if "toc:" in extensions:
        text = text.replace("  - toc:\n      permalink: true\n", extensions)
    else:
        text = text.replace("markdown_extensions:\n", "markdown_extensions:\n" + extensions)
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(text.replace("corpus: seeds", f"corpus: {SEEDS}"), encoding="utf-8")
    assert fast_markdown(load_config(str(tmp_path / "mkdocs.yml"))) is fast
