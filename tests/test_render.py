"""Generated Markdown: golden pages, escaping, and links."""

from __future__ import annotations

import os
import re
from pathlib import Path

import markdown
import pytest

from briefgen import build, check
from briefgen.render import render_site
from briefgen.text import inert

from .conftest import BASE, HARBOR, WriteCorpus

GOLDEN = Path(__file__).parent / "golden" / "harbor"
UPDATE = os.environ.get("BRIEFGEN_UPDATE_GOLDEN") == "1"


def test_harbor_pages_match_golden_files() -> None:
    """The generated pages of the harbor corpus, byte for byte (BRIEFGEN_UPDATE_GOLDEN=1 rewrites them)."""
    pages = build(HARBOR)
    if UPDATE:
        for path, text in pages.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_text(text, encoding="utf-8")
    expected = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md")}
    assert set(pages) == expected
    for path, text in pages.items():
        assert text == (GOLDEN / path).read_text(encoding="utf-8"), path


def test_rendering_is_deterministic() -> None:
    assert build(HARBOR) == build(HARBOR)


def test_every_page_type_is_generated(write_corpus: WriteCorpus) -> None:
    pages = build(write_corpus())
    assert set(pages) == {
        "index.md", "people/index.md", "organizations/index.md", "places/index.md", "events/index.md",
        "sources/index.md", "people/alice-smith.md", "people/bob-jones.md", "places/paris.md",
        "events/paris-meeting.md", "sources/wire-1.md", "timeline.md", "disputes.md", "graph.md",
        "how-to-read.md",
    }


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "[link](javascript:alert(3))",
    "![image](http://example.org/x.png)",
    "**bold** _em_ `code` ~~strike~~ ==mark== ^^sup^^",
    "[^1] footnote and [[not-a-link]] text",
    "{{ 7*7 }} {% raw %} {#id} :smile:",
    "1. list",
    "- item",
    "# heading",
    "> quote",
    "| a | b |",
    "&amp; &lt;b&gt; &#60;",
    "a\x00b\x07c",
    "<!-- comment -->",
    "$x^2$",
    "++ctrl+alt++",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_inert_text_renders_as_itself(text: str) -> None:
    md = markdown.Markdown(extensions=["footnotes", "tables", "attr_list", "md_in_html", "def_list", "abbr"])
    html = md.convert(inert(text))
    assert html.startswith("<p>") and html.endswith("</p>")
    inner = html[3:-4]
    assert "<" not in inner.replace("&lt;", ""), html
    import html as h

    expected = re.sub(r"[\x00-\x08]", lambda m: chr(0x2400 + ord(m.group())), text)
    assert h.unescape(inner) == expected


def test_links_are_relative_and_point_at_generated_pages(write_corpus: WriteCorpus) -> None:
    pages = build(write_corpus())
    targets = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", pages["people/alice-smith.md"])
    assert targets
    for t in targets:
        resolved = os.path.normpath(os.path.join("people", t))
        assert resolved in pages, t


def test_citation_names_quote_title_outlet_date_and_anchor(write_corpus: WriteCorpus) -> None:
    briefing = check(write_corpus())
    page = render_site(briefing)["people/alice-smith.md"]
    c = briefing.entity["alice-smith"].claims[0].citations[0]
    assert (f"[^1]: \u201cAlice Smith met Bob Jones in Paris\u201d \u2014 "
            f"[A meeting in Paris](../sources/wire-1.md#{c.anchor}), Wire, 4 May 2020") in page
    source = render_site(briefing)["sources/wire-1.md"]
    assert f'<span id="{c.anchor}" class="bg-anchor"></span>' in source


def test_disputed_topic_renders_as_accounts_that_differ(write_corpus: WriteCorpus) -> None:
    page = build(write_corpus())["people/bob-jones.md"]
    block = page.split("## Accounts that differ", 1)[1]
    assert "### Meeting" in block
    assert "Denied the meeting" in block and "Held a secret meeting" in block
    assert "Believed:" in block and "according to officials" in block
    assert "disputes.md" not in block
    assert "## Claims" not in page  # both claims are in the dispute


@pytest.mark.parametrize(("topic", "heading"), [
    ("U.S. role in the raid", "U.S. role in the raid"),
    ("role of the IS leadership", "Role of the IS leadership"),
    ("ǆamija fire", "ǅamija fire"),
])
def test_topic_heading_upper_cases_only_its_first_letter(write_corpus: WriteCorpus, topic: str, heading: str) -> None:
    bob = BASE["facts/people/bob-jones.yaml"].replace("topic: meeting", f"topic: {topic}")
    pages = build(write_corpus({"facts/people/bob-jones.yaml": bob}))
    assert f"\n### {inert(heading)}\n" in pages["people/bob-jones.md"]
    assert f"\n## Bob Jones: {inert(topic)}\n" in pages["disputes.md"]


def test_source_page_marks_passages_and_links_names(write_corpus: WriteCorpus) -> None:
    page = build(write_corpus())["sources/wire-1.md"]
    assert "[Bob Jones](../people/bob-jones.md)" in page
    assert "[Paris](../places/paris.md)" in page
    assert '<mark class="bg-quote"' in page
    # an alias with link: false is not linked
    assert "](../people/alice-smith.md)" in page and "[Alice]" not in page


def test_user_templates_override_the_defaults(write_corpus: WriteCorpus, tmp_path: Path) -> None:
    override = tmp_path / "templates"
    override.mkdir()
    (override / "how-to-read.md.j2").write_text("# Reading guide\n\n{{ briefing.title }}\n", encoding="utf-8")
    pages = render_site(check(write_corpus()), override)
    assert pages["how-to-read.md"] == "# Reading guide\n\nBriefing\n"


def test_a_dense_graph_lists_the_connections_it_draws_and_says_the_rest_are_on_entity_pages(
        write_corpus: WriteCorpus) -> None:
    """Past the drawing's limit, the graph page lists only what it draws, and says so."""
    pairs = {
        f"facts/people/p{i:03}.yaml": f"""\
            name: Person {i}
            claims:
              - text: Met [[p{i + 1:03}]] in [[paris]].
                cite: {{source: wire-1, quote: "Alice Smith met Bob Jones in Paris"}}
            """
        for i in range(200)
    }
    pages = build(write_corpus({**pairs, "facts/people/p200.yaml": "name: Person 200\n"}))
    graph = pages["graph.md"]
    assert "## Connections drawn" in graph and "## Every connection" not in graph
    assert "shows the 120 most connected of the 205 connected entities" in graph
    listed = re.findall(r"^- \[.*?\]\(\w+/[\w-]+\.md\) and \[.*?\]\(\w+/[\w-]+\.md\):", graph, re.M)
    assert 0 < len(listed) == graph.count('<g class="bg-edge">') < 404  # each line drawn, and listed once
    assert "- [Person 5](p005.md) (person), 1 claim" in pages["people/p006.md"]


def test_a_small_graph_lists_every_connection(write_corpus: WriteCorpus) -> None:
    graph = build(write_corpus())["graph.md"]
    assert "## Every connection" in graph and "most connected" not in graph
    assert "- [Alice Smith](people/alice-smith.md) and [Bob Jones](people/bob-jones.md):" in graph
