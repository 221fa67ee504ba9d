"""The fast path of the MkDocs build: generated pages converted by briefgen's own converter,
rendered ahead by forked processes, and Material's search handed them without what it leaves out
and without the markup it does not read, give the site the bytes it has without."""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import markdown
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from material.plugins.search.plugin import Parser
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import PluginCollection
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor
from mkdocs.utils.meta import get_data

from briefgen import build, plugin
from briefgen.speed import runner
from briefgen.speed.fastmd import _last_references, convert
from briefgen.speed.fastpage import FastPage, Targets, canonical, fast_markdown, render_ahead
from briefgen.speed.loopahead import LoopAhead
from briefgen.speed.runner import Serial
from briefgen.speed.searchview import SearchView, as_searched, excluded, feed, lean, mark_footnotes, search_view

from .conftest import HARBOR, ROOT, SEEDS, SPILL
from .site import site_config
from .test_properties import SETTINGS, Corpus, corpora

# The shipped mkdocs.yml's Markdown extensions and MkDocs's own (toc, tables, fenced_code).
EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "footnotes"]


def python_markdown(text: str) -> tuple[str, list[Any]]:
    """A page's HTML and table of contents as Python-Markdown converts it for the shipped site."""
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs={"toc": {"permalink": True}})
    return md.convert(text), md.toc_tokens


def fast(text: str) -> tuple[str, list[Any]] | None:
    """The same by the fast converter, the links' addresses as written; None where it declines."""
    converted = convert(text)
    return None if converted is None else (converted.html_with({href: href for href in converted.hrefs}), converted.toc_tokens)


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
    # every page but how-to-read's prose (its emphasis is left to Python-Markdown): the home page too,
    # which serve renders again at every edit
    assert set(build(corpus)) - set(taken) <= {"how-to-read.md"}


def test_pages_of_a_generated_corpus_convert_as_python_markdown_converts_them(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(corpus), "--entities", "120"],
                   check=True, capture_output=True)
    pages = build(corpus)
    for path, page in pages.items():
        converted = fast(body(page))
        assert converted is None or converted == python_markdown(body(page)), path
    assert {path for path, page in pages.items() if fast(body(page)) is None} <= {"how-to-read.md"}


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


@settings(max_examples=500)
@given(st.lists(st.sampled_from(["[^", "]", "[^1]", "[^23]", "[^x]", "[^\u0663]", "[^]", "a", " ", "[", "^", "1"]),
                max_size=10).map("".join))
def test_the_references_that_end_a_line_are_found_where_the_expression_finds_them(line: str) -> None:
    """Read from the end, without trying the expression at every character; ASCII digits only."""
    found = re.search(r"(?:\[\^[0-9]+\])+$", line)
    assert _last_references(line) == (len(line) if found is None else found.start())


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


# The same address and date for every build compared (the sitemap prints both).
BUILD_ENV = {"NO_MKDOCS_2_WARNING": "1", "SITE_URL": "https://example.org/briefing/", "SOURCE_DATE_EPOCH": "1700000000"}


def _site(corpus: Path, folder: Path, fast: bool, nav: str = "") -> dict[str, bytes]:
    config = site_config(corpus, folder)
    text = config.read_text(encoding="utf-8") + nav
    if not fast:
        text = text.replace(f"corpus: {corpus}", f"corpus: {corpus}\n      fast: false")
    config.write_text(text, encoding="utf-8")
    env = {**os.environ, **BUILD_ENV}
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


# -- what Material's search reads ---------------------------------------------------------------


def sections(view: str) -> list[tuple[Any, ...]]:
    """Material's search parser's sections of a page's HTML, as its index takes them: id, and
    title (whether it has one, which it is) and text unless the section is left out."""
    parser = Parser()
    parser.feed(view)
    parser.close()
    return [(s.id, True) if s.is_excluded() else (s.id, bool(s.title), "".join(s.title).strip(), "".join(s.text).strip())
            for s in parser.data]


_NAMES = ["a", "span", "mark", "strong", "div", "p", "li", "ul", "h2", "h3", "sup", "pre", "td", "tr", "figure",
          "title", "script"]
_ATTRIBUTES = ["", "", ' href="x"', ' data-search-exclude', ' id="s"', ' class="headerlink"', ' class="linenodiv"',
               ' data-search-exclude="quoted"', " /"]
_TEXTS = ["", "x", " ", "\n", "  ", "a b", " y", "z\n", "&amp;", "&#46;", "&#32;", "&nbsp;", "&am", "\t", "¶"]


@st.composite
def html_views(draw: st.DrawFn, depth: int = 0) -> str:
    """HTML of the shapes search reads, and of others: nested elements of any attributes, any
    white space and character references, some closed out of order or not at all, stray "<"."""
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 3 else 0))):
        kind = draw(st.integers(0, 9))
        if kind < 4:
            parts.append(draw(st.sampled_from(_TEXTS)))
        elif kind == 4:
            parts.append(draw(st.sampled_from(["<br>", "<", "</a>", "<hr/>", "<!-- c -->"])))
        else:
            name, attributes = draw(st.sampled_from(_NAMES)), draw(st.sampled_from(_ATTRIBUTES))
            end = "" if draw(st.integers(0, 15)) == 0 else f"</{name}>"
            parts.append(f"<{name}{attributes}>{draw(html_views(depth + 1))}{end}")
    return "".join(parts)


@settings(max_examples=3000, deadline=None)
@given(html_views())
@example('<h2 id="a">T</h2>z<span> </span>\n<a>y</a>')  # a space after a space is not indexed
@example("<table><tr>\n<th>Name</th>\n<th>Sources</th>\n</tr>\n<tr>\n<td>x</td></tr></table>")  # nor a line break after one
@example('<h2 id="a">A</h2>q<span> </span><div><h2 id="b">B</h2></div>\n<a>y</a>')  # the section before, again
@example('<h2 id="a">A</h2>q<div><h2 id="b">B</h2></div>r')  # text after a heading's element: its section's
@example("<p>a &amp<a>;</a> b</p>")  # a character reference cut by a tag
@example('<div data-search-exclude><span>x</span><div>y</div>z</div><p>w</p>')  # a left-out element holding its like
def test_search_indexes_the_lean_view_of_any_html_as_the_html_itself(view: str) -> None:
    try:
        whole = sections(view)
    except ValueError:  # the parser fails on some HTML ("<p x><p></p></p>"): no index to keep
        assume(False)
    assert sections(lean(view)) == whole


@pytest.mark.parametrize("corpus", [SEEDS, HARBOR, SPILL], ids=lambda p: p.name)
def test_the_lean_view_of_every_page_indexes_as_the_page_with_fewer_tags(corpus: Path) -> None:
    pages = build(corpus)
    fewer = 0
    for path, text in pages.items():
        html, _ = python_markdown(body(text))
        view = search_view(mark_footnotes(html))
        whole = html.replace('<div class="footnote">', '<div class="footnote" data-search-exclude="quoted">', 1)
        assert sections(view) == sections(whole), path
        fewer += view.count("<") < whole.count("<") / 2
    assert fewer > len(pages) / 2  # on most pages, search walks under half the tags


def parsed(view: str, feeding: Callable[[Parser, str], None]) -> tuple[Any, ...]:
    """What Material's search parser holds after it is fed the view (by ``feeding``): every section
    as it is, or the error it raised."""
    parser = Parser()
    try:
        feeding(parser, view)
    except ValueError as e:
        return ("raised", str(e))
    return tuple((s.el.tag, s.el.attrs, s.depth, s.id, s.title, s.text) for s in parser.data)


def html_parser(parser: Parser, view: str) -> None:
    parser.feed(view)
    parser.close()


_PLAIN_ATTRIBUTES = [' class="a b"', ' title="A &amp; B"', ' href="../x/#fn:1"', ' title=""', ' data-x="&#62;"',
                     ' title="&quot;q&quot; &am"']


@settings(max_examples=3000, deadline=None)
@given(html_views(), st.lists(st.sampled_from(_PLAIN_ATTRIBUTES), max_size=3).map("".join))
@example('<p title="a &amp; b">x &amp; y &#46; &am</p>', "")
@example('<a href="x" class="headerlink">¶</a>\n<h2 id="a">A</h2>', "")
def test_feed_gives_materials_search_parser_what_html_parser_gives_it(view: str, attributes: str) -> None:
    view = view.replace("<p>", f"<p{attributes}>")
    assert parsed(view, feed) == parsed(view, html_parser)


@pytest.mark.parametrize("corpus", [SEEDS, HARBOR], ids=lambda p: p.name)
def test_feed_reads_every_generated_page_without_html_parser_but_its_drawings(corpus: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    pages = build(corpus)
    views = {path: search_view(mark_footnotes(python_markdown(body(text))[0])) for path, text in pages.items()}
    expected = {path: parsed(view, html_parser) for path, view in views.items()}
    scanned = []
    scan = Parser.feed

    def scanning(parser: Parser, view: str) -> None:
        scanned.append(view)
        scan(parser, view)

    monkeypatch.setattr(Parser, "feed", scanning)
    assert {path: parsed(view, feed) for path, view in views.items()} == expected
    # html.parser reads only the views that hold an SVG drawing (self-closing tags, titles)
    assert scanned == [view for view in views.values() if "<svg" in view] and len(scanned) < len(views) / 10


_PIECES = ['data-search-exclude="quoted"', 'data-search-boost="2"', "data-search-", 'data-search-x=""', "\n", " ",
           "\t", '"', "=", "x", "\u2003", "<p>"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_a_page_is_left_as_materials_search_leaves_it_once_indexed(content: str) -> None:
    assert as_searched(content) == re.sub(r"\s?data-search-\w+=\"[^\"]+\"", "", content)  # search/plugin.py


_HREF_PIECES = ["../", "./", "people/", "there", "a", ".md", "#claims", "#fn:1", "/", "%20", "?q=1", "https://x.org/",
                "index", "//", ".", "mailto:", "&"]


@settings(max_examples=1500, deadline=None)
@given(st.one_of(
    st.tuples(*(st.sampled_from(x) for x in (["", "../", "./", "people/", "../people/", "/", "../../"],
                                              ["there", "a", "index", "nowhere", "drafts", "2016/03", "timeline/2016/03"],
                                              [".md", "", "/", ".md/"], ["", "#claims", "#fn:1", "#", "?q=1#x"]))).map("".join),
    st.lists(st.sampled_from(_HREF_PIECES), min_size=1, max_size=6).map("".join)),
       st.sampled_from(["people/a.md", "index.md", "people/index.md", "timeline/2016/03.md"]))
def test_a_link_leads_where_mkdocs_makes_it_lead(href: str, path: str) -> None:
    """The address, the links to anchors recorded, and what MkDocs says of the link."""
    config, files = _linked_site()
    made = []
    for make in (lambda links: Targets(files).url(href, links), lambda links: links.path_to_url(href)):
        links = _RelativePathTreeprocessor(files.src_uris[path], files, config)
        with _said() as said:
            url = make(links)
        made.append((url, {f.src_uri: found for f, found in links.links_to_anchors.items()}, said))
    assert made[0] == made[1]


@functools.cache
def _linked_site() -> tuple[MkDocsConfig, Files]:
    config = load_config(str(ROOT / "mkdocs.yml"))
    files = Files([_file(config, p, "# A\n") for p in
                   ("people/a.md", "people/there.md", "index.md", "people/index.md", "timeline/2016/03.md", "a.md")])
    drafts = _file(config, "drafts.md", "# Draft\n")
    drafts.inclusion = InclusionLevel.EXCLUDED
    files.append(drafts)
    return config, files


@contextlib.contextmanager
def _said() -> Iterator[list[str]]:
    """What MkDocs says about pages and their links, meanwhile."""
    said: list[str] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = lambda record: said.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("mkdocs.structure.pages")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield said
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


# -- rendering ahead ----------------------------------------------------------------------------


def _file(config: MkDocsConfig, path: str, markdown: str) -> File:
    file = File(path, src_dir=None, dest_dir=config.site_dir, use_directory_urls=config.use_directory_urls)
    file.content_string = markdown
    return file


@functools.cache
def _shipped_config() -> MkDocsConfig:
    return load_config(str(site_config(SEEDS, Path(tempfile.mkdtemp(prefix="briefgen-ids-")))))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([
    "<p", "<a", "<span", ">", "</p>", "</a>", "</span>", " id", " ID", " Name", " name", " width", "=", '"x"', '"y z"',
    "'q'", " title", "text", "\n\n", "&amp;", "&#58;", "id", '"', "/", "<b>", "<script>", "</script>"]),
    max_size=14).map("".join))
@example('A <a NAME="y">b</a> and <span ID="x">c</span>.\n')
@example('<p id>x <span id="">y</span></p>\n')
@example('<p title="a"id="x">y</p>\n')  # an attribute right after a quote
@example('<p title="<b>" id="x">y</p>\n')  # a tag in a quoted value
@example('<p title="a>b" id="x">y</p>\n')
@example('<style>p {}</style><p id="x">y</p>\n')  # text, not tags, until its end
def test_the_ids_a_converted_page_holds_are_the_ones_mkdocs_finds(text: str) -> None:
    """Its raw HTML's ids, and anchors' names, in any case, as MkDocs's HTML parser reads them."""
    converted = convert(text)
    assume(converted is not None)
    config = _shipped_config()
    page = Page(None, _file(config, "a.md", text), config)
    page.markdown = text
    page.render(config, Files([page.file]))
    assert converted.ids == {x for x in page.present_anchor_ids or () if x is not None}  # None: an id without a value


def _fast_page(config: MkDocsConfig, path: str, markdown: str) -> tuple[FastPage, Files]:
    """A fast page, and the site's files: it and a page it may link to."""
    file = _file(config, path, markdown)
    files = Files([file, _file(config, "people/there.md", "---\ntitle: There\n---\n# There\n")])
    return FastPage("A page", file, config), files


def _render(page: FastPage, config: MkDocsConfig, files: Files) -> None:
    page.read_source(config)
    page.render(config, files)


def test_a_page_rendered_ahead_is_the_page_rendered_in_its_turn(tmp_path: Path) -> None:
    config = load_config(str(site_config(SEEDS, tmp_path)))
    text = "---\ntitle: A\n---\n# A\n\n- [There](there.md#claims) and [here](#a).\n\n<div class=\"footnote\"></div>\n"
    ahead, files = _fast_page(config, "people/a.md", text)
    render_ahead([ahead], config, files, Serial(), searched=True)
    assert ahead.ahead is not None and ahead.ahead.view is not None
    turn, files2 = _fast_page(config, "people/a.md", text)
    _render(turn, config, files2)
    _render(ahead, config, files)
    assert (ahead.content, str(ahead.toc), ahead.title, ahead.present_anchor_ids) == \
        (turn.content, str(turn.toc), turn.title, turn.present_anchor_ids)
    assert {f.src_uri: found for f, found in (ahead.links_to_anchors or {}).items()} == \
        {f.src_uri: found for f, found in (turn.links_to_anchors or {}).items()} == \
        {"people/there.md": {"claims": "there.md#claims"}, "people/a.md": {"a": "#a"}}
    assert ahead.ahead.view == search_view(mark_footnotes(turn.content or ""))


def test_a_page_left_out_of_search_gets_no_view_and_is_left_as_search_leaves_it(tmp_path: Path) -> None:
    """Material's search never reads a page whose front matter excludes it: no view is made of
    it, ahead or in its turn, and it ends as the search plugin leaves every page."""
    config = load_config(str(site_config(SEEDS, tmp_path)))
    text = ('---\ntitle: A\nsearch:\n  exclude: true\n---\n# A\n\n## B { data-search-exclude }\n\n'
            '[There](there.md).\n\n<div class="footnote"></div>\n')
    page, files = _fast_page(config, "people/a.md", text)
    render_ahead([page], config, files, Serial(), searched=True)
    assert page.ahead is not None and page.ahead.view is None
    _render(page, config, files)
    page.content = html = mark_footnotes(page.content or "")  # as the plugin's on_page_content marks it
    assert 'data-search-exclude="quoted"' in html and "<a" in html
    search = SearchView()
    search.before_search(page)
    assert page.content == html  # read by nothing, so cut of nothing
    search.after_search(page)
    assert page.content == as_searched(html) != html


def test_a_page_whose_links_draw_a_warning_is_rendered_in_its_turn_and_warned_of_there(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config = load_config(str(site_config(SEEDS, tmp_path)))
    page, files = _fast_page(config, "people/a.md", "---\ntitle: A\n---\n# A\n\n- [Gone](nowhere.md).\n")
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        render_ahead([page], config, files, Serial(), searched=False)
        assert page.ahead is None and caplog.records == []  # held back, not said
        _render(page, config, files)
    assert [r.getMessage() for r in caplog.records if "nowhere.md" in r.getMessage()] != []
    assert logging.getLogger("mkdocs.structure.pages").filters == []


def test_a_page_changed_since_it_was_rendered_ahead_is_rendered_again(tmp_path: Path) -> None:
    config = load_config(str(site_config(SEEDS, tmp_path)))
    page, files = _fast_page(config, "people/a.md", "---\ntitle: A\n---\n# A\n\nBefore.\n")
    render_ahead([page], config, files, Serial(), searched=True)
    page.read_source(config)
    page.markdown = "# A\n\nAfter.\n"  # as another plugin's on_page_markdown may change it
    page.render(config, files)
    assert "After." in (page.content or "")
    search = SearchView()
    search.before_search(page)
    assert "After." in (page.content or "")  # search reads the page as it is, not the view made ahead


def test_a_page_whose_source_changed_since_it_was_rendered_ahead_is_rendered_again(tmp_path: Path) -> None:
    """Its file's content set anew, or its source given by a plugin's on_page_read_source: what
    the page reads is rendered, not what was rendered ahead."""
    config = load_config(str(site_config(SEEDS, tmp_path)))
    page, files = _fast_page(config, "people/a.md", "---\ntitle: A\n---\n# A\n\nBefore.\n")
    render_ahead([page], config, files, Serial(), searched=True)
    page.file.content_string = "---\ntitle: A\n---\n# A\n\nSet anew.\n"
    _render(page, config, files)
    assert "Set anew." in (page.content or "")

    page, files = _fast_page(config, "people/a.md", "---\ntitle: A\n---\n# A\n\nBefore.\n")
    render_ahead([page], config, files, Serial(), searched=True)
    config.plugins.events["page_read_source"].append(lambda **_: "---\ntitle: A\n---\n# A\n\nGiven.\n")
    _render(page, config, files)
    assert "Given." in (page.content or "")


def _built_in_process(config_file: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The site `mkdocs build` makes, built in this process, every generated page rendered ahead
    (as if the site were large)."""
    monkeypatch.setattr(runner, "PARALLEL_FROM", 1)
    for name, value in BUILD_ENV.items():
        monkeypatch.setenv(name, value)
    config = load_config(str(config_file), site_dir=str(site))
    config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` does
    mkdocs_build(config)
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _turns(monkeypatch: pytest.MonkeyPatch) -> tuple[list[FastPage], dict[str, bool]]:
    """The pages built ahead of MkDocs's page loop, and whether each took, in its turn, what was built."""
    built: list[FastPage] = []
    taken: dict[str, bool] = {}
    build_ahead, before_search = LoopAhead.build, LoopAhead.before_search

    def building(self: LoopAhead, pages: Sequence[FastPage], *args: Any) -> None:
        build_ahead(self, pages, *args)
        built.extend(pages)

    def turn(self: LoopAhead, page: FastPage) -> bool:
        taken[page.file.src_uri] = before_search(self, page)
        return taken[page.file.src_uri]

    monkeypatch.setattr(LoopAhead, "build", building)
    monkeypatch.setattr(LoopAhead, "before_search", turn)
    return built, taken


def test_a_large_site_rendered_ahead_by_forked_processes_is_the_site_built_without_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """Pages, search index and sitemap, byte for byte, with every generated page rendered ahead,
    and built and written ahead of MkDocs's page loop (which says nothing of the pages it then
    writes nothing of)."""
    without = _site(HARBOR, tmp_path / "plain", False)
    taken: list[bool] = []

    def spied(pages: Sequence[FastPage], *args: Any, **kwargs: Any) -> None:
        render_ahead(pages, *args, **kwargs)
        for page in pages:  # every page the converter takes, with the view search reads if it reads it
            markdown, meta = get_data(page.file.content_string or "")
            converts = convert(markdown) is not None
            taken.append((page.ahead is not None, page.ahead is not None and page.ahead.view is not None)
                         == (converts, converts and not excluded(meta)))

    monkeypatch.setattr(plugin, "render_ahead", spied)
    built, turns = _turns(monkeypatch)
    filters = list(logging.getLogger("mkdocs.commands.build").filters)
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        with_it = _built_in_process(site_config(HARBOR, tmp_path / "fast"), tmp_path / "site", monkeypatch)
    assert [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()] == []
    assert logging.getLogger("mkdocs.commands.build").filters == filters  # what held them back goes with the build
    assert taken and all(taken)
    # every generated page built ahead and taken in its turn, its metadata left as it was
    assert len(built) == len(taken) == len(turns) and all(turns.values())
    assert [page.file.src_uri for page in built if "template" in page.meta] == []
    # each page's HTML as Material's search leaves a page it has indexed, made when it is read
    assert [p.file.src_uri for p in built if not p.content or p.content != as_searched(p.content)] == []
    assert gc.get_freeze_count() == 0  # the heap frozen for MkDocs's page loop is thawed at its end
    assert list(with_it) == list(without)
    assert [p for p in with_it if with_it[p] != without[p]] == []


def test_what_the_stages_leave_alive_is_out_of_the_collectors_scans_for_the_rest_of_the_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scanned: list[bool] = []
    on_files = plugin.BriefgenPlugin.on_files

    def listing(self: plugin.BriefgenPlugin, files: Files, config: MkDocsConfig) -> Files:
        assert self.previous is not None and gc.isenabled()
        tracked = {id(o) for o in gc.get_objects()}  # what the collector scans: its generations, not the frozen
        scanned.extend(id(o) in tracked for o in (self.previous[0], self.previous[0].entities))
        return on_files(self, files, config)

    monkeypatch.setattr(plugin.BriefgenPlugin, "on_files", listing)
    _built_in_process(site_config(SEEDS, tmp_path / "seeds"), tmp_path / "site", monkeypatch)
    assert scanned == [False, False]
    assert gc.get_freeze_count() == 0  # given back at the build's end


def test_a_page_changed_after_it_was_built_ahead_is_built_in_its_turn(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page whose content changes between the build ahead and its turn gets the HTML and the
    search entries of what it is in its turn: the site is the one built without building ahead."""
    changed = "people/karim-haddad.md"
    on_env = PluginCollection.on_env

    def then_changed(self: PluginCollection, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        env = on_env(self, env, config=config, files=files)  # the plugins' on_env: pages built ahead
        page = files.src_uris[changed].page
        assert page is not None and page.content is not None
        page.content = page.content.replace("</h1>", "</h1>\n<p>Changed in the loop.</p>", 1)
        return env

    monkeypatch.setattr(PluginCollection, "on_env", then_changed)
    built, taken = _turns(monkeypatch)
    ahead = _built_in_process(site_config(HARBOR, tmp_path / "cfg"), tmp_path / "ahead", monkeypatch)
    assert built and taken.pop(changed) is False and all(taken.values())
    monkeypatch.setattr(LoopAhead, "of", classmethod(lambda cls, env, config: None))
    in_turn = _built_in_process(site_config(HARBOR, tmp_path / "cfg"), tmp_path / "turn", monkeypatch)
    assert b"Changed in the loop." in ahead["people/karim-haddad/index.html"]
    assert b"Changed in the loop." in ahead["search/search_index.json"]
    assert list(ahead) == list(in_turn)
    assert [p for p in ahead if ahead[p] != in_turn[p]] == []


def test_a_page_whose_path_in_the_site_another_file_has_is_built_in_its_turn(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file of docs/ copied to a generated page's path in the site: MkDocs writes pages last, so
    the page is built (and written) in its turn, not ahead; the site is the one built without
    building ahead."""
    config_file = site_config(HARBOR, tmp_path / "cfg")
    shadow = tmp_path / "cfg" / "docs" / "people" / "karim-haddad" / "index.html"
    shadow.parent.mkdir(parents=True)
    shadow.write_text("<p>a file of docs/</p>\n", encoding="utf-8")
    built, taken = _turns(monkeypatch)
    ahead = _built_in_process(config_file, tmp_path / "ahead", monkeypatch)
    assert built and taken.pop("people/karim-haddad.md") is False and all(taken.values())
    monkeypatch.setattr(LoopAhead, "of", classmethod(lambda cls, env, config: None))
    in_turn = _built_in_process(config_file, tmp_path / "turn", monkeypatch)
    assert b"a file of docs/" not in ahead["people/karim-haddad/index.html"]
    assert list(ahead) == list(in_turn)
    assert [p for p in ahead if ahead[p] != in_turn[p]] == []


@pytest.mark.parametrize(("plugins", "ahead", "indexed"), [
    ("  - search\n  - offline\n  - briefgen:\n      corpus: {corpus}\n", True, True),  # as shipped
    ("  - search:\n      enabled: false\n  - briefgen:\n      corpus: {corpus}\n", True, False),
    ("  - search\n  - tags\n  - briefgen:\n      corpus: {corpus}\n", False, False),  # another plugin's page events
])
def test_only_a_site_of_known_plugins_is_built_ahead_of_the_page_loop(
        plugins: str, ahead: bool, indexed: bool, tmp_path: Path) -> None:
    config_file = site_config(SEEDS, tmp_path)
    text = config_file.read_text(encoding="utf-8")
    text = text[: text.index("plugins:\n")] + "plugins:\n" + plugins.format(corpus=SEEDS) \
        + text[text.index("markdown_extensions:"):]
    config_file.write_text(text, encoding="utf-8")
    config = load_config(str(config_file))
    config = config.plugins.on_config(config)  # as a build does, long before on_env
    loop = LoopAhead.of(config.theme.get_env(), config)
    assert (loop is not None) == ahead
    assert loop is None or (loop.index is not None) == indexed


_URL_PARTS = st.sampled_from(["people", "x", "a.b", "index.html", ".", "..", "", "%20", "a:b", "?q=1", "#top", "~u", "é"])


@settings(max_examples=300)
@given(st.sampled_from(["http://127.0.0.1:8000/", "https://example.org/briefing/", "http://h/a/../", "http://h/?q=1",
                        "https://example.org", "http://h//", "http://h/a/./b/"]),
       st.lists(_URL_PARTS, max_size=4).map("/".join), st.booleans())
@example("http://127.0.0.1:8000/", "people/alice-smith/", False)
def test_a_generated_pages_canonical_url_is_the_one_mkdocs_joins(base: str, url: str, slash: bool) -> None:
    """Under serve every page gets the site's URL joined to its own; the fast page appends where
    that is what joining does, and joins otherwise."""
    url += "/" if slash else ""
    base = base if base.endswith("/") else base + "/"  # as Page._set_canonical_url makes it
    joined = urllib.parse.urljoin(base, url)
    assert canonical(base, url) == (joined, urllib.parse.urlsplit(joined).path)
