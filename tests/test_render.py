"""Generated Markdown: golden pages, escaping, and links."""

from __future__ import annotations

import os
import posixpath
import re
import shutil
from pathlib import Path

import markdown
import pytest
import yaml
from mkdocs.utils.meta import get_data

from briefgen import build, check
from briefgen.dates import PartialDate
from briefgen.site import listing
from briefgen.site.listing import GROUP_AT, timeline_periods
from briefgen.site.render import render_site
from briefgen.speed import runner
from briefgen.speed.runner import Forked, Serial
from briefgen.text.escape import inert, summary
from briefgen.text.names import initial, list_key

from .conftest import BASE, HARBOR, SEEDS, SPILL, WriteCorpus

GOLDEN = Path(__file__).parent / "golden" / "harbor"
UPDATE = os.environ.get("BRIEFGEN_UPDATE_GOLDEN") == "1"


def _match_golden(corpus: Path, golden: Path) -> None:
    pages = build(corpus)
    if UPDATE:
        for path, text in pages.items():
            (golden / path).parent.mkdir(parents=True, exist_ok=True)
            (golden / path).write_text(text, encoding="utf-8")
    expected = {p.relative_to(golden).as_posix() for p in golden.rglob("*.md")}
    assert set(pages) == expected
    for path, text in pages.items():
        assert text == (golden / path).read_text(encoding="utf-8"), path


def test_harbor_pages_match_golden_files() -> None:
    """The generated pages of the harbor corpus, byte for byte (BRIEFGEN_UPDATE_GOLDEN=1 rewrites them)."""
    _match_golden(HARBOR, GOLDEN)


def test_spill_pages_match_golden_files() -> None:
    """The pages of a corpus with vias and graded sources, byte for byte."""
    _match_golden(SPILL, GOLDEN.parent / "spill")


def _without_sourcing(corpus: Path, folder: Path) -> Path:
    """A copy of a corpus without its vias and grades."""
    shutil.copytree(corpus, folder)
    for path in folder.rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for record in data if isinstance(data, list) else [data]:
            record.pop("reliability", None)
            record.pop("reliability_note", None)
            for claim in [*record.get("claims", ()), *record.get("overview", ())]:
                for cite in claim["cite"] if isinstance(claim["cite"], list) else [claim["cite"]]:
                    cite.pop("via", None)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", ["seeds", "spill", "harbor"])
def test_a_corpus_without_via_or_grades_shows_neither(name: str, tmp_path: Path) -> None:
    """No grade, no origin, no word of either on how-to-read; a claim of N sources reads "N sources" as ever."""
    corpus = HARBOR if name == "harbor" else _without_sourcing(SEEDS if name == "seeds" else SPILL, tmp_path / name)
    briefing = check(corpus)
    assert not briefing.graded and not briefing.relayed
    pages = build(corpus)
    for path, text in pages.items():
        assert "bg-grade" not in text and not re.search(r"\borigins?\b|[Rr]eliab", text), path
    corroborated = [c for e in briefing.entities for c in e.claims if len(c.sources) > 1]
    assert corroborated
    for claim in corroborated:
        n = len(claim.sources)
        page = pages[briefing.page_of(claim.holder or "")]
        assert f'<span class="bg-sources" title="Cited by {n} sources">{n} sources</span>' in page


def test_two_sources_of_one_origin_read_as_one() -> None:
    """The point of origins: two articles relaying one briefing are not two independent sources."""
    pages = build(SPILL)
    page = pages["events/alder-river-spill.md"]
    assert "2 sources, 1 origin: both via [Alder County press briefing](../events/county-press-briefing.md)" in page
    assert '<span class="bg-sources" title="Cited by 2 sources">2 sources</span>' not in page
    # the grade of each source beside its citation, its via between its outlet and its date
    assert ("Kestrel Falls Tribune <abbr class=\"bg-grade bg-grade--b\" data-grade=\"B\" "
            "title=\"Source reliability B: usually reliable\">B</abbr>, "
            "via [Dara Venn](../people/dara-venn.md), 4 June 2025") in page
    # an ungraded source shows no grade at all, not F
    assert "Alder Riverwatch, via a plant worker who asked not to be named, 5 June 2025" in page
    # the accounts that differ: each account's sources with their grades, by origin
    assert ("- **[Alder Riverwatch](../sources/riverwatch-worker.md), [Valley Wire](../sources/valley-wire-solvent.md) "
            "<abbr class=\"bg-grade bg-grade--c\"") in page
    assert "both via a plant worker who asked not to be named:**" in pages["disputes.md"]


# Variants of the harbor build, each golden for the pages that differ from the plain build's:
# a timeline split into a year page and a month page with listings grouped by letter, and
# MkDocs's .html URLs (use_directory_urls: false), which the inline graphs' links follow.
VARIANTS = {
    "harbor-split": {"rows": 3, "group_at": 3, "directory_urls": True},
    "harbor-html-urls": {"rows": None, "group_at": None, "directory_urls": False},
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_harbor_variant_pages_match_golden_files(variant: str, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = build(HARBOR)
    options = VARIANTS[variant]
    if options["rows"] is not None:
        monkeypatch.setattr(listing, "TIMELINE_PAGE_ROWS", options["rows"])
    if options["group_at"] is not None:
        monkeypatch.setattr(listing, "GROUP_AT", options["group_at"])
    pages = render_site(check(HARBOR), directory_urls=bool(options["directory_urls"]))
    differ = {path: text for path, text in pages.items() if plain.get(path) != text}
    golden = GOLDEN.parent / variant
    if UPDATE:
        for path, text in differ.items():
            (golden / path).parent.mkdir(parents=True, exist_ok=True)
            (golden / path).write_text(text, encoding="utf-8")
    assert set(differ) == {p.relative_to(golden).as_posix() for p in golden.rglob("*.md")}
    for path, text in differ.items():
        assert text == (golden / path).read_text(encoding="utf-8"), path


def test_rendering_is_deterministic() -> None:
    assert build(HARBOR) == build(HARBOR)


@pytest.mark.skipif(not runner.CAN_FORK, reason="pages are rendered in one process where it cannot fork")
def test_pages_rendered_by_several_processes_are_the_pages_of_one() -> None:
    briefing = check(HARBOR)
    one = render_site(briefing, runner=Serial())
    assert list(render_site(briefing, runner=Forked(2)).items()) == list(one.items())


@pytest.mark.parametrize("directory_urls", [True, False])
def test_graph_links_lead_to_generated_pages(directory_urls: bool) -> None:
    """The inline graphs link in raw HTML, which MkDocs leaves alone: each link, read from its
    page's URL, must be the URL of a generated page, with MkDocs's URLs of either form."""
    pages = render_site(check(HARBOR), directory_urls=directory_urls, runner=Serial())

    def url(path: str) -> str:
        if not directory_urls:
            return path.removesuffix(".md") + ".html"
        u = path.removesuffix(".md").removesuffix("index")
        return u if not u or u.endswith("/") else u + "/"

    urls = {url(path) for path in pages}
    links = 0
    for path, text in pages.items():
        here = url(path)
        base = here if directory_urls else posixpath.dirname(here)
        for href in re.findall(r'xlink:href="([^"]*)"', text):
            target = posixpath.normpath(posixpath.join(base, href))
            if directory_urls:
                target = "" if target == "." else target + "/"
            assert target in urls, (path, href)
            links += 1
    assert links > len(pages)  # every entity page draws its own node and its neighbours


def test_every_page_type_is_generated(write_corpus: WriteCorpus) -> None:
    pages = build(write_corpus())
    assert set(pages) == {
        "index.md", "people/index.md", "organizations/index.md", "places/index.md", "events/index.md",
        "sources/index.md", "people/alice-smith.md", "people/bob-jones.md", "places/paris.md",
        "events/paris-meeting.md", "sources/wire-1.md", "timeline.md", "disputes.md", "graph.md",
        "how-to-read.md", "changes.md",
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
    assert "- [Person 5](../people/p005.md) (person), 1 claim" in pages["people/p006.md"]


def test_a_small_graph_lists_every_connection(write_corpus: WriteCorpus) -> None:
    graph = build(write_corpus())["graph.md"]
    assert "## Every connection" in graph and "most connected" not in graph
    assert "- [Alice Smith](people/alice-smith.md) and [Bob Jones](people/bob-jones.md):" in graph


# -- descriptions ------------------------------------------------------------------------

def test_summary_is_one_line_cut_after_a_word_with_an_ellipsis() -> None:
    assert summary("A  short\n line") == "A short line"
    text = "word " * 60
    cut = summary(text)
    assert len(cut) <= 160 and cut.endswith("word\u2026")
    assert summary("x" * 300) == "x" * 159 + "\u2026"  # one long word is cut where it stands
    assert summary("a" * 150 + ", " + "b" * 20) == "a" * 150 + "\u2026"  # no dangling comma


def _meta(page: str) -> dict[str, object]:
    _, meta = get_data(page)
    return meta


def test_every_page_has_a_title_and_a_description(write_corpus: WriteCorpus) -> None:
    for path, page in build(write_corpus()).items():
        meta = _meta(page)
        assert meta.get("title") and meta.get("description"), path
        assert isinstance(meta["description"], str) and len(meta["description"]) <= 160, path


def test_descriptions_say_what_each_page_holds(write_corpus: WriteCorpus) -> None:
    long = "A traveller " + "who went far " * 20
    pages = build(write_corpus({"facts/places/paris.yaml": f"name: Paris\ndescription: '{long}'\n"}))
    assert _meta(pages["people/alice-smith.md"])["description"] == "A traveller"
    paris = _meta(pages["places/paris.md"])["description"]
    assert isinstance(paris, str) and paris == summary(long) and paris.endswith("\u2026")
    assert long.startswith(paris[:-1]) and long[len(paris) - 1] == " "  # cut after a whole word
    # without a description: what the page holds
    assert _meta(pages["people/bob-jones.md"])["description"] == \
        "Person in the briefing \u201cBriefing\u201d: 2 cited claims from 1 source."
    assert _meta(pages["sources/wire-1.md"])["description"] == "Article by Wire, 4 May 2020: A meeting in Paris"
    assert _meta(pages["people/index.md"])["description"] == \
        "People in the briefing \u201cBriefing\u201d: 2 in all, each linked to its page of cited claims."


def test_a_source_without_outlet_or_date_is_described_by_its_title(write_corpus: WriteCorpus) -> None:
    sources = "- id: wire-1\n  file: articles/wire-1.txt\n  title: A meeting in Paris\n  author: Jo Reporter\n"
    assert _meta(build(write_corpus({"sources.yaml": sources}))["sources/wire-1.md"])["description"] == \
        "Article by Jo Reporter: A meeting in Paris"


def test_description_in_front_matter_is_escaped_for_the_head(write_corpus: WriteCorpus) -> None:
    pages = build(write_corpus({"facts/places/paris.yaml": "name: Paris\ndescription: '</title><script>x</script> & \"q\"'\n"}))
    assert _meta(pages["places/paris.md"])["description"] == \
        "&lt;/title&gt;&lt;script&gt;x&lt;/script&gt; &amp; &quot;q&quot;"


# -- listings ----------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "letter"), [
    ("Zoë Ørsted", "Z"), ("Ørsted", "O"), ("القادولي", "A"), ("'Ali", "A"), ("Владимир", "V"), ("1st Brigade", "Other"),
    ("...", "Other"), ("Émile", "E"),
])
def test_names_are_listed_under_the_first_letter_of_their_latin_form(name: str, letter: str) -> None:
    assert initial(name) == letter


def test_other_comes_after_the_letters() -> None:
    names = ["1st Brigade", "Zoë", "ali", "Émile", "القادولي"]
    assert sorted(names, key=list_key) == ["القادولي", "ali", "Émile", "Zoë", "1st Brigade"]  # al qaduli, ali


def _people(names: list[str]) -> dict[str, str | None]:
    return {f"facts/people/p{i}.yaml": f"name: '{name}'\n" for i, name in enumerate(names)}


def test_a_short_listing_is_one_table_without_letters(write_corpus: WriteCorpus) -> None:
    page = build(write_corpus(_people([f"Person {i}" for i in range(GROUP_AT - 2)])))["people/index.md"]
    assert "bg-letters" not in page and "<h2" not in page and page.count("| Name |") == 1


def test_a_long_listing_is_grouped_by_letter_with_a_bar_of_links(write_corpus: WriteCorpus) -> None:
    names = [f"{first} {i}" for i, first in enumerate(["Zoë", "Ørsted", "القادولي", "1st", "Émile", "Bob"] * 6)]
    page = build(write_corpus(_people(names)))["people/index.md"]
    letters = ["A", "B", "E", "O", "Z", "Other"]
    bar = re.search(r'<nav class="bg-letters" aria-label="Jump to a letter">(.*)</nav>', page)
    assert bar is not None
    assert re.findall(r'<a href="#(letter-[a-z]+)">(\w+)</a>', bar[1]) == [(f"letter-{x.lower()}", x) for x in letters]
    assert re.findall(r'<h2 id="letter-([a-z]+)">(\w+)</h2>', page) == [(x.lower(), x) for x in letters]
    assert page.count("| Name |") == len(letters)
    # each group's rows are its names, in order
    groups = dict(zip(letters, page.split("<h2 ")[1:], strict=True))
    assert re.findall(r"\[(Bob [^\]]*)\]", groups["B"]) == sorted(["Bob Jones"] + [n for n in names if n.startswith("Bob")],
                                                                 key=list_key)
    assert "القادولي" in groups["A"] and "1st" in groups["Other"] and "Émile" in groups["E"]


def test_a_listing_shows_other_names_under_the_name(write_corpus: WriteCorpus) -> None:
    page = build(write_corpus())["people/index.md"]
    assert '| [Alice Smith](../people/alice-smith.md) <span class="bg-aka">also Ms. Smith, Alice</span> |' in page


# -- a long timeline ---------------------------------------------------------------------

def test_a_timeline_that_fits_a_page_has_no_period_pages() -> None:
    assert timeline_periods(check(HARBOR).timeline) == ()


def test_a_long_timeline_is_split_by_year_and_a_busy_year_by_month() -> None:
    _, entity, claim = check(HARBOR).timeline[0]
    dates = [PartialDate(2016), PartialDate(2016, 3), PartialDate(2016, 3, 5), PartialDate(2016, 4), PartialDate(2017, 1, 1)]
    rows = [(d, entity, claim) for d in dates]
    periods = timeline_periods(rows, limit=2)
    assert [(p.path, p.title, [r[0] for r in p.rows]) for p in periods] == [
        ("timeline/2016.md", "2016, no month given", dates[:1]),
        ("timeline/2016-03.md", "March 2016", dates[1:3]),
        ("timeline/2016-04.md", "April 2016", dates[3:4]),
        ("timeline/2017.md", "2017", dates[4:]),
    ]
    assert timeline_periods(rows, limit=5) == ()


def test_period_pages_link_back_and_to_their_neighbours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing, "TIMELINE_PAGE_ROWS", 0)
    pages = build(SEEDS)
    periods = timeline_periods(check(SEEDS).timeline)
    assert len(periods) > 2
    for p in periods:
        assert f"]({p.path})" in pages["timeline.md"]
    middle = pages[periods[1].path]
    assert "[The whole timeline](../timeline.md)" in middle
    assert f"Earlier: [{periods[0].title}](../{periods[0].path})" in middle
    assert f"Later: [{periods[2].title}](../{periods[2].path})" in middle
    assert "<time" not in pages["timeline.md"]  # the rows are on the period pages


def test_seed_claims_that_both_articles_took_from_the_press_conference_read_as_one_origin() -> None:
    pages = build(SEEDS)
    page = pages["events/carter-dunford-press-conference.md"]
    assert ("(../people/ash-carter.md) announced [al-Qaduli's death](../events/killing-of-al-qaduli.md) on Friday. "
            '<span class="bg-sources bg-sources--origins" title="Cited by 2 sources, from 1 independent origin">'
            "2 sources, 1 origin: both via [Press conference of Ash Carter and Joe Dunford]"
            "(../events/carter-dunford-press-conference.md)</span>") in page
    # a claim both articles report without naming where they got it still counts two
    assert '<span class="bg-sources" title="Cited by 2 sources">2 sources</span>' in pages["events/state-department-reward.md"]
    voa = pages["sources/voa-2016-03-25.md"]
    assert '<p class="bg-reliability">Source reliability: <abbr class="bg-grade bg-grade--b"' in voa
