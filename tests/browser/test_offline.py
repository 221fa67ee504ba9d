"""The site opened from disk (file://), as the README builds it: OFFLINE=true mkdocs build."""

from __future__ import annotations

import re
from collections.abc import Callable

from .conftest import Reader, Sites, expect


def test_the_offline_build_loads_nothing_from_another_host(sites: Sites) -> None:
    """Material's offline plugin would add a script from unpkg.com; briefgen puts its own copy in its place."""
    site = sites["seeds-offline"]
    pages = list(site.root.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "unpkg.com" not in html, page
        assert "assets/briefgen/iframe-worker.js" in html, page
    assert (site.root / "search" / "search_index.js").is_file()
    assert (site.root / "people" / "abd-ar-rahman-mustafa-al-qaduli.html").is_file()  # no directory URLs


def test_opened_from_disk_search_and_links_work(reader_on: Callable[..., Reader]) -> None:
    reader = reader_on("seeds-offline")
    page = reader.open("index.html")
    expect(page.locator(".md-content h1")).to_contain_text("al-Qaduli")
    # Search runs (its worker in an iframe, its index a script) and finds an alias.
    results = reader.search("Hajji Iman")
    assert results[0] == "people/abd-ar-rahman-mustafa-al-qaduli.html"
    page.locator(".md-search-result__list > li > a:first-child").first.click()
    expect(page).to_have_url(re.compile(r"^file:.*/people/abd-ar-rahman-mustafa-al-qaduli\.html"))
    expect(page.locator(".md-content h1")).to_contain_text("Abd ar-Rahman Mustafa al-Qaduli")
    # A citation leads to its highlighted passage; tabs and breadcrumbs lead to the sections.
    note = page.locator(".md-content .footnote li").first
    note.locator("a[href*='#q-']").click()
    expect(page).to_have_url(re.compile(r"^file:.*/sources/[^/]+\.html#q-"))
    expect(page.locator("mark.bg-quote--target").first).to_be_in_viewport()
    page.locator(".md-path__link", has_text="Sources").click()
    expect(page).to_have_url(re.compile(r"^file:.*/sources/index\.html$"))
    page.locator(".md-tabs__link", has_text="Timeline").click()
    expect(page.locator(".md-content h1")).to_contain_text("Timeline")
    assert not reader.foreign_requests(), reader.foreign_requests()
    assert not reader.errors, reader.errors
