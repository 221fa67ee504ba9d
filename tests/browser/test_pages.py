"""Every kind of page loads from the site alone, logs no error, and passes axe-core, in light and dark."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from .conftest import Reader, Site, Sites, expect, node_package, page_types


def test_every_kind_of_page_stays_on_the_site_and_logs_no_error(site: Site, reader: Reader) -> None:
    """No font, script, stylesheet, image or index from another host; no error in the console."""
    kinds = page_types(site)
    for kind, path in kinds.items():
        reader.open(path)  # until the load event: Material has set itself up, and fetched what it needs
        assert not reader.errors, (kind, reader.errors)
    # And what a reader does next: search (its worker fetches the index), a citation's tooltip.
    page = reader.open(kinds["entity"])
    assert reader.search(site.briefing.entities[0].name)
    page.keyboard.press("Escape")
    page.locator(".md-content a.footnote-ref").first.hover()
    expect(page.locator(".md-tooltip2--active")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert any(url.endswith("search/search_index.json") for url in reader.requests)
    assert not reader.foreign_requests(), reader.foreign_requests()
    assert not reader.errors, reader.errors


@pytest.fixture(scope="session")
def axe_script() -> str:
    return (node_package("axe-core") / "axe.min.js").read_text(encoding="utf-8")


# The dark palette differs in colour only: it is checked, on the seeds and on the corpus with vias and
# grades, where briefgen sets colours of its own (highlighted passages, certainty labels, grades, origins,
# the graph) and on the page every site has (home).
DARK = ("home", "entity", "source", "cited passage", "graph", "disputes", "sources")


@pytest.mark.parametrize(("corpus", "scheme"), [("seeds", "light"), ("harbor", "light"), ("spill", "light"),
                                                ("seeds", "dark"), ("spill", "dark")])
def test_no_serious_accessibility_violation(corpus: str, scheme: str, sites: Sites, axe_script: str,
                                            reader_on: Callable[..., Reader]) -> None:
    """axe-core's rules (WCAG 2.x A and AA, and best practices) in each kind of page: none serious or critical."""
    site = sites[corpus]
    reader = reader_on(corpus, color_scheme=scheme)
    paths = page_types(site)
    # The source page as a citation opens it, its passage emphasized: that mark must be readable too.
    source = next(s for s in site.briefing.sources if site.page(s.page) == paths["source"])
    paths["cited passage"] = f"{paths['source']}#{site.briefing.citations_by_source[source.id][0].anchor}"
    if scheme == "dark":
        paths = {kind: path for kind, path in paths.items() if kind in DARK}
    found = []
    for kind, path in paths.items():
        page = reader.open(path)
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate" if scheme == "dark" else "default")
        page.add_script_tag(content=axe_script)
        violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ["violations"]}))
            .violations.filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => ({rule: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + n.failureSummary)}))""")
        found += [f"{kind} ({path}): {json.dumps(v, indent=1)}" for v in violations]
    assert not found, "\n".join(found)


def test_each_overview_claim_reads_as_an_item_of_its_own(site: Site, reader: Reader) -> None:
    """The home page's lead: one list item per cited claim, each starting on a line of its own."""
    page = reader.open("")
    items = page.locator(".md-content h1 + ul > li")
    expect(items).to_have_count(len(site.briefing.overview))
    tops = [items.nth(i).bounding_box()["y"] for i in range(items.count())]  # type: ignore[index]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)
    for i, claim in enumerate(site.briefing.overview):
        item = items.nth(i)
        assert " ".join(claim.plain.split()) in " ".join(item.inner_text().split())
        expect(item.locator("a.footnote-ref")).to_have_count(len({(c.source, c.start, c.end) for c in claim.citations}))
