"""End to end: the real `mkdocs build --strict` with the Material theme, and the HTML it writes."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import urllib.parse
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from briefgen import build, check
from briefgen.kinds import KIND
from briefgen.site.listing import TIMELINE_PAGE_ROWS, timeline_periods
from briefgen.text.escape import capfirst
from briefgen.text.names import list_key

from .conftest import BASE, HARBOR, ROOT, SEEDS, SPILL
from .site import code_scripts, html_of, json_ld, mkdocs_build, site_config

CORPORA = {"seeds": SEEDS, "harbor": HARBOR, "spill": SPILL}


@pytest.fixture(scope="module", params=list(CORPORA))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(corpus, site folder) of a strict build of a shipped or test corpus."""
    corpus = CORPORA[request.param]
    folder = tmp_path_factory.mktemp(request.param)
    config = ROOT / "mkdocs.yml" if corpus == SEEDS else site_config(corpus, folder)
    site = folder / "site"
    result = mkdocs_build(config, site)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    return corpus, site


def test_every_generated_page_is_built(built: tuple[Path, Path]) -> None:
    corpus, site = built
    for path in build(corpus):
        url = "" if path == "index.md" else path.removesuffix(".md").removesuffix("index")
        assert (site / url / "index.html").is_file(), path


def test_every_citation_lands_on_an_existing_anchor(built: tuple[Path, Path]) -> None:
    _, site = built
    parsed: dict[Path, BeautifulSoup] = {}

    def soup_of(path: Path) -> BeautifulSoup:
        if path not in parsed:
            parsed[path] = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        return parsed[path]

    checked = 0
    for page in site.rglob("index.html"):
        for a in soup_of(page).select('a[href*="#q-"]'):
            url = urllib.parse.urlsplit(a["href"])
            target = (page.parent / urllib.parse.unquote(url.path) / "index.html").resolve()
            assert target.is_file(), (page, a["href"])
            anchor = soup_of(target).find(id=url.fragment)
            assert anchor is not None, (page, a["href"])
            # the passage right after the anchor is highlighted
            mark = anchor.find_next_sibling("mark")
            assert mark is not None and url.fragment in mark["data-quotes"].split()
            checked += 1
    assert checked > 20


def test_source_page_shows_the_article_with_passages_highlighted(built: tuple[Path, Path]) -> None:
    corpus, site = built
    for path in build(corpus):
        if path.startswith("sources/") and path != "sources/index.md":
            soup = html_of(site, path.removesuffix(".md"))
            assert soup.select("article mark.bg-quote")
            assert soup.select('article a[href^="../../people/"], article a[href^="../../places/"]')


def test_seed_entity_page_has_aliases_claims_and_backlinks() -> None:
    pages = build(SEEDS)
    page = pages["people/abd-ar-rahman-mustafa-al-qaduli.md"]
    assert "## Also known as" in page and "Hajji Iman" in page and "Haji Imam" in page
    assert "## Mentioned in" in page


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> [a](javascript:alert(2)) **b** {{ 7*7 }} [^9]'


def test_hostile_text_shows_as_text_in_the_built_site(tmp_path: Path, write_corpus) -> None:  # type: ignore[no-untyped-def]
    article = (f"Alice Smith met Bob Jones in Paris on Monday. {HOSTILE}\n\n"
               "The meeting was secret, officials said. Jones denied it.\n")
    corpus = write_corpus({
        "articles/wire-1.txt": article,
        "facts/people/bob-jones.yaml": "name: Bob Jones\n",
        "sources.yaml": textwrap.dedent(BASE["sources.yaml"]).replace("outlet: Wire", f"outlet: '{HOSTILE}'"),
        "facts/places/paris.yaml": textwrap.dedent(f"""\
            name: 'Paris {HOSTILE}'
            description: '{HOSTILE}'
            aliases: ['{HOSTILE}']
            claims:
              - text: 'Said {HOSTILE} in [[alice-smith]].'
                topic: '{HOSTILE}'
                said_by: '{HOSTILE}'
                cite: {{source: wire-1, quote: '{HOSTILE}'}}
              - text: Other account.
                topic: '{HOSTILE}'
                cite: {{source: wire-1, quote: Paris}}
            """),
    })
    site = tmp_path / "site"
    result = mkdocs_build(site_config(corpus, tmp_path / "cfg"), site)
    assert result.returncode == 0, result.stderr
    scripts_in_benign_page = len(html_of(site, "how-to-read").find_all("script"))
    for page in ["places/paris", "sources/wire-1", "people/alice-smith", "disputes", "places", ""]:
        soup = html_of(site, page)
        assert len(code_scripts(soup)) == scripts_in_benign_page, page
        names = [data["name"] for data in json_ld(soup)]
        assert names == {"places/paris": [f"Paris {HOSTILE}"], "people/alice-smith": ["Alice Smith"]}.get(page, []), page
        assert not soup.select("[onerror]"), page
        assert not soup.select('a[href^="javascript"]'), page
        assert not soup.select('img[src="x"]'), page
        assert not [s for s in soup.find_all("strong") if s.get_text() == "b"], page
        text = soup.get_text()
        assert "49" not in text.replace("2049", "")  # the template syntax was not evaluated
    paris = html_of(site, "places/paris").select_one("article").get_text()
    assert HOSTILE.replace("[^9]", "") in paris
    assert "7*7" in paris


def test_corpus_with_problems_aborts_the_build_and_keeps_the_old_site(tmp_path: Path, write_corpus) -> None:  # type: ignore[no-untyped-def]
    corpus = write_corpus()
    config = site_config(corpus, tmp_path / "cfg")
    site = tmp_path / "site"
    assert mkdocs_build(config, site).returncode == 0
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    (corpus / "facts/places/paris.yaml").write_text("nme: Paris\n", encoding="utf-8")
    (corpus / "facts/people/bob-jones.yaml").write_text("name: Bob\nclaims:\n  - text: x\n", encoding="utf-8")
    result = mkdocs_build(config, site)
    assert result.returncode != 0
    assert "facts/places/paris.yaml:1: unknown key 'nme' (did you mean 'name'?)" in result.stderr
    assert "facts/people/bob-jones.yaml:3: missing required key 'cite' in claims[0]" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before


def test_user_page_at_a_generated_path_is_an_error(tmp_path: Path, write_corpus) -> None:  # type: ignore[no-untyped-def]
    config = site_config(write_corpus(), tmp_path / "cfg")
    (tmp_path / "cfg" / "docs" / "people").mkdir(parents=True)
    (tmp_path / "cfg" / "docs" / "people" / "alice-smith.md").write_text("# Mine\n", encoding="utf-8")
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode != 0
    assert "people/alice-smith.md" in result.stderr and "rename or remove" in result.stderr


def test_site_makes_no_request_to_another_host(built: tuple[Path, Path]) -> None:
    _, site = built
    for page in site.rglob("*.html"):
        soup = __import__("bs4").BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for el in soup.find_all(tag):
                value = el.get(attr, "")
                assert not value.startswith(("http:", "https:", "//")), (page, value)


def test_no_site_left_behind_without_docs_dir(tmp_path: Path, write_corpus) -> None:  # type: ignore[no-untyped-def]
    config = site_config(write_corpus(), tmp_path / "cfg")
    shutil.rmtree(tmp_path / "cfg" / "docs")
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode != 0


def _text(soup: BeautifulSoup) -> str:
    return " ".join(soup.select_one("article").get_text().split())


def test_accounts_that_differ_show_together_and_on_the_disputes_page(built: tuple[Path, Path]) -> None:
    corpus, site = built
    briefing = check(corpus)
    assert briefing.disputes
    disputes = html_of(site, "disputes")
    headings = [" ".join(h.get_text(" ").split()).rstrip("¶ ").strip() for h in disputes.select("article h2")]
    for d in briefing.disputes:
        page = html_of(site, d.entity.page.removesuffix(".md"))
        assert any("Accounts that differ" in h.get_text() for h in page.select("article h2")), d.entity.id
        topic = next(h for h in page.select("article h3") if h.get_text().rstrip("¶").strip() == capfirst(d.topic))
        accounts = topic.find_next_sibling("ul").find_all("li", recursive=False)
        assert len(accounts) == len(d.claims)
        for li, claim in zip(accounts, d.claims, strict=True):
            text = " ".join(li.get_text().split())
            assert " ".join(claim.plain.split())[:40] in text
        assert f"{d.entity.name}: {d.topic}" in headings
    assert len(headings) == len(briefing.disputes)


def test_certainty_attribution_and_corroboration_read_as_text(built: tuple[Path, Path]) -> None:
    corpus, site = built
    briefing = check(corpus)
    seen = set()
    for e in briefing.entities:
        text = _text(html_of(site, e.page.removesuffix(".md")))
        for claim in e.claims:
            if claim.certainty != "reported":
                assert f"{claim.certainty.capitalize()}:" in text, (e.id, claim.plain)
                seen.add(claim.certainty)
            if claim.said_by:
                said = " ".join("".join(s.text for s in claim.said_by).split())
                assert f"according to {said}" in text, (e.id, said)
                seen.add("said_by")
            if len(claim.sources) > 1:
                assert f"{len(claim.sources)} sources" in text
                seen.add("corroborated")
        assert "Reported:" not in text
    assert seen >= {"believed", "alleged", "said_by", "corroborated"}


def test_listing_pages_count_claims_and_sources(built: tuple[Path, Path]) -> None:
    corpus, site = built
    briefing = check(corpus)
    for folder, type in (("people", "person"), ("places", "place")):
        rows = html_of(site, folder).select("article table tbody tr")
        assert len(rows) == len(briefing.by_type(type))
        for row, e in zip(rows, sorted(briefing.by_type(type), key=lambda e: list_key(e.name)), strict=True):
            cells = [c.get_text().strip() for c in row.find_all("td")]
            assert row.td.a.get_text() == e.name and cells[2] == str(len(e.claims)) and cells[3] == str(len(e.sources))
            aka = row.select_one("td .bg-aka")
            assert (aka.get_text() if aka else None) == ("also " + ", ".join(a.name for a in e.aliases) if e.aliases else None)


def test_home_links_to_how_to_read() -> None:
    pages = build(SEEDS)
    assert "(how-to-read.md)" in pages["index.md"]
    assert "Believed" in pages["how-to-read.md"] and "Accounts that differ" in pages["how-to-read.md"]


def _resolves(page: Path, href: str) -> bool:
    target = (page.parent / urllib.parse.unquote(urllib.parse.urlsplit(href).path)).resolve()
    return (target / "index.html").is_file() if target.is_dir() else target.is_file()


def test_graph_page_draws_every_connected_entity_as_a_link(built: tuple[Path, Path]) -> None:
    corpus, site = built
    briefing = check(corpus)
    soup = html_of(site, "graph")
    [svg] = soup.select("article svg")
    nodes = svg.select("a.bg-node")
    connected = {n for e in briefing.edges for n in (e.a, e.b)}
    assert len(nodes) == len(connected)
    for a in nodes:
        assert _resolves(site / "graph" / "index.html", a["xlink:href"]), a["xlink:href"]
        assert a.select_one("title").get_text() and a.select_one("text").get_text()
    assert len(svg.select("g.bg-edge")) == len(briefing.edges)
    assert all(g.select_one("title").get_text().count(" — ") >= 1 for g in svg.select("g.bg-edge"))
    legend = soup.select_one("figcaption.bg-legend").get_text(" ")
    assert all(t in legend for t in ("Person", "Organization", "Place", "Event"))
    # the accessible list names every connection too
    assert len(soup.select("article h2 ~ ul > li")) >= len(briefing.edges)


def test_entity_pages_show_their_neighbourhood(built: tuple[Path, Path]) -> None:
    corpus, site = built
    briefing = check(corpus)
    for e in briefing.entities:
        degree = sum(1 for edge in briefing.edges if e.id in (edge.a, edge.b))
        page = site / e.page.removesuffix(".md") / "index.html"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        svgs = soup.select("article svg")
        if degree == 0:
            assert not svgs
            continue
        [svg] = svgs
        assert len(svg.select("a.bg-node")) == min(degree, 24) + 1
        assert all(_resolves(page, a["xlink:href"]) for a in svg.select("a.bg-node"))
        assert len(page.read_bytes()) < 400_000


def test_graph_is_identical_across_builds(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert mkdocs_build(site_config(HARBOR, tmp_path / "cfg"), first).returncode == 0
    assert mkdocs_build(site_config(HARBOR, tmp_path / "cfg"), second).returncode == 0
    for page in first.rglob("*.html"):
        assert page.read_bytes() == (second / page.relative_to(first)).read_bytes(), page


def test_timeline_is_in_date_order_at_the_precision_written(built: tuple[Path, Path]) -> None:
    corpus, site = built
    briefing = check(corpus)
    times = [t["datetime"] for t in html_of(site, "timeline").select("article li > time")]
    assert times == [d.iso for d, _, _ in briefing.timeline]
    assert times == sorted(times, key=lambda s: tuple(int(x) for x in s.split("-")) + (0,) * (3 - s.count("-") - 1))
    shown = {t["datetime"]: t.get_text() for t in html_of(site, "timeline").select("article li > time")}
    for iso, text in shown.items():
        assert text.count(" ") == iso.count("-"), (iso, text)  # "2016", "March 2016", "25 March 2016"


def test_entity_pages_describe_their_entity_in_json_ld(built: tuple[Path, Path]) -> None:
    corpus, site = built
    briefing = check(corpus)
    for e in briefing.entities:
        [data] = json_ld(html_of(site, e.page.removesuffix(".md")))
        assert data["@context"] == "https://schema.org" and data["@type"] == KIND[e.type].schema_type, e.id
        assert data["name"] == e.name and data.get("description") == (e.description or None)
        names = [a.name for a in e.aliases if a.name != e.name]
        assert data.get("alternateName") == (list(dict.fromkeys(names)) or None)
        assert data.get("startDate") == (e.date.iso if e.date else None)
        assert "url" not in data  # this build has no site_url
    assert {t for e in briefing.entities for t in [e.type]} == set(KIND)
    for page in ("", "people", "timeline", briefing.sources[0].page.removesuffix(".md")):
        assert json_ld(html_of(site, page)) == [], page


def test_json_ld_names_the_page_address_when_the_site_has_one(tmp_path: Path, write_corpus, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SITE_URL", "https://example.org/briefing/")
    site = tmp_path / "site"
    assert mkdocs_build(site_config(write_corpus(), tmp_path / "cfg"), site).returncode == 0
    [data] = json_ld(html_of(site, "events/paris-meeting"))
    assert data == {"@context": "https://schema.org", "@type": "Event", "name": "The Paris meeting",
                    "url": "https://example.org/briefing/events/paris-meeting/", "startDate": "2020-05-04"}
    meta = html_of(site, "events/paris-meeting").select_one('head meta[name="description"]')
    assert meta["content"] == "Event in the briefing \u201cBriefing\u201d: 1 cited claim from 1 source."


def test_a_long_timeline_builds_as_pages_that_hold_every_dated_claim_in_order(tmp_path: Path) -> None:
    """A generated corpus past the page limit: the period pages build strictly, the timeline
    page links each, and their rows are the briefing's timeline, each once, in order."""
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(corpus),
                    "--entities", "150", "--claims", "1500", "--seed", "3"], check=True, capture_output=True)
    briefing = check(corpus)
    assert len(briefing.timeline) > TIMELINE_PAGE_ROWS
    site = tmp_path / "site"
    result = mkdocs_build(site_config(corpus, tmp_path / "project"), site)
    assert result.returncode == 0, result.stderr
    index = html_of(site, "timeline")
    links = [a["href"] for a in index.select("article > ul > li > a")]
    assert links == [p.path.removeprefix("timeline/").removesuffix(".md") + "/" for p in timeline_periods(briefing.timeline)]
    rows = []
    for link in links:
        page = html_of(site, f"timeline/{link}")
        rows += [(li.time["datetime"], li.select("a")[0].get_text()) for li in page.select("article > ul > li")]
        path = page.select_one(".md-path")
        assert path is not None and "Timeline" in path.get_text()  # breadcrumbs: under the timeline's tab
    assert rows == [(d.iso, e.name) for d, e, _ in briefing.timeline]


def test_the_site_is_named_by_its_briefing_on_every_page(built: tuple[Path, Path]) -> None:
    """mkdocs.yml leaves site_name empty: the header and every <title> name this corpus's briefing."""
    corpus, site = built
    title = check(corpus).title
    other = "al-Qaduli" if corpus == HARBOR else "Halvard"
    for page in [site / "index.html", *sorted(site.glob("*/*/index.html"))[:20]]:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert soup.title is not None and soup.title.string is not None
        assert soup.title.string.endswith(title) and other not in soup.title.string, page
        assert soup.select_one(".md-header__topic .md-ellipsis").get_text(strip=True) == title
        assert "briefgen" not in soup.title.string


def test_a_site_name_written_in_mkdocs_yml_wins_over_the_briefing(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = mkdocs_build(site_config(HARBOR, tmp_path, site_name="Harbour desk"), site)
    assert result.returncode == 0, result.stderr
    soup = html_of(site, "people/zoe-orsted")
    assert soup.title is not None and soup.title.string == "Zoë Ørsted - Harbour desk"
    assert "Eastmoor crane collapse" not in str(soup.select_one(".md-header"))


@pytest.mark.parametrize("built", ["spill"], indirect=True)
def test_origins_and_grades_show_on_the_entity_page_the_sources_listing_and_the_source_page(
        built: tuple[Path, Path]) -> None:
    _, site = built
    page = html_of(site, "events/alder-river-spill")
    claims = page.select("article h2#claims + ul > li")
    leak = " ".join(claims[0].get_text().split())
    assert "2 sources, 1 origin: both via Alder County press briefing" in leak
    assert claims[0].select_one(".bg-sources a")["href"] == "../county-press-briefing/"
    assert "1 source, 2 origins" in claims[1].get_text()
    # each citation: the source's grade, what the source says it got the passage from
    notes = [" ".join(li.get_text().split()) for li in page.select(".footnote li")]
    assert any("Kestrel Falls Tribune B, via Dara Venn, 4 June 2025" in n for n in notes), notes
    grade = page.select_one(".footnote abbr.bg-grade")
    assert grade["title"] == "Source reliability B: usually reliable" and grade.get_text() == "B"
    # the accounts that differ: one graded origin against two relays of an ungraded blog
    accounts = [" ".join(li.get_text().split()) for li in page.select("article h3 + ul > li")]
    assert accounts[0].startswith("Kestrel Falls Tribune B, Valley Wire C, both via Corran Chemicals:")
    assert accounts[1].startswith("Alder Riverwatch, Valley Wire C, both via a plant worker who asked not to be named:")

    listing = html_of(site, "sources")
    heads = [th.get_text().strip() for th in listing.select("article table thead th")]
    assert heads == ["Title", "Outlet", "Published", "Reliability", "Claims"]
    grades = {tr.td.a.get_text(): tr.find_all("td")[3].get_text().strip() for tr in listing.select("article table tbody tr")}
    assert grades == {"Solvent leak from Corran plant turns Alder River milky white": "B",
                      "County says 4,000 litres of solvent spilled into Alder River": "C",
                      "Worker says Corran tank was emptied into the river on purpose": ""}

    source = " ".join(html_of(site, "sources/tribune-solvent-leak").select_one("p.bg-reliability").get_text().split())
    assert source == ("Source reliability: B, usually reliable. Local daily with named reporters; its own reporting "
                      "from the riverbank, corrections published.")
    assert html_of(site, "sources/riverwatch-worker").select_one("p.bg-reliability") is None
    how = " ".join(html_of(site, "how-to-read").select_one("article").get_text().split())
    assert "A completely reliable, B usually reliable" in how and "2 sources, 1 origin" in how
