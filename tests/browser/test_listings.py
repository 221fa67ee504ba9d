"""Listing pages, as a reader uses them: a filter box, sortable columns, and letters to jump to."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable

from briefgen.model import Entity
from briefgen.text.names import initial

from .conftest import Reader, Site, Sites, expect, node_package


def _folded(text: str) -> str:
    """Text as the filter compares it: case and accents aside."""
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).lower())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def _matches(entity: Entity, query: str) -> bool:
    text = _folded(" ".join([entity.name, *(a.name for a in entity.aliases), entity.description]))
    return all(term in text for term in _folded(query).split())


def _shown(reader: Reader) -> list[str]:
    """The names of the rows a reader sees, top to bottom."""
    names: list[str] = reader.page.locator("article table tbody tr").evaluate_all(
        "rows => rows.filter(r => r.offsetParent !== null).map(r => r.cells[0].querySelector('a').textContent)")
    return names


def _column(reader: Reader, index: int) -> list[int]:
    values: list[str] = reader.page.locator("article table tbody tr").evaluate_all(
        f"rows => rows.filter(r => r.offsetParent !== null).map(r => r.cells[{index}].textContent)")
    return [int(v) for v in values]


def test_typing_in_the_filter_keeps_the_rows_that_match_and_counts_them(reader_on: Callable[..., Reader],
                                                                        sites: Sites) -> None:
    reader = reader_on("harbor")
    people = sites["harbor"].briefing.by_type("person")
    page = reader.open("people/")
    box = page.get_by_label("Filter by name or description")
    count = page.locator(".bg-filter__count")
    expect(count).to_have_text(f"{len(people)} of {len(people)} shown")
    for query in ("haddad", "Kareem", "zoe orsted", "ØRSTED", "brother of", "كريم", "nobody at all"):
        expected = [e.name for e in people if _matches(e, query)]
        box.fill(query)
        expect(count).to_have_text(f"{len(expected)} of {len(people)} shown")
        assert _shown(reader) == expected, query
    assert _shown(reader) == []
    box.fill("")
    expect(count).to_have_text(f"{len(people)} of {len(people)} shown")
    assert _shown(reader) == [e.name for e in people]
    assert not reader.errors, reader.errors


def test_a_long_listing_is_grouped_by_letter_and_filters_across_the_groups(reader_on: Callable[..., Reader],
                                                                          sites: Sites) -> None:
    site = sites["large"]
    people = site.briefing.by_type("person")
    assert len(people) > 60
    reader = reader_on("large")
    page = reader.open("people/")
    letters = sorted({initial(e.name) for e in people})
    headings = page.locator("article h2[id^='letter-']")
    expect(headings).to_have_count(len(letters))
    assert page.locator("nav.bg-letters a").all_inner_texts() == letters
    # a letter of the bar leads to its heading
    page.locator("nav.bg-letters a", has_text=letters[-1]).click()
    expect(page.locator(f"#letter-{letters[-1].lower()}")).to_be_in_viewport()

    target = people[len(people) // 2]
    box = page.get_by_label("Filter by name or description")
    box.fill(target.name)
    expected = [e.name for e in people if _matches(e, target.name)]
    expect(page.locator(".bg-filter__count")).to_have_text(f"{len(expected)} of {len(people)} shown")
    assert target.name in _shown(reader) and _shown(reader) == expected
    # only the letters that still have a row keep their heading
    visible = headings.evaluate_all("hs => hs.filter(h => h.offsetParent !== null).map(h => h.textContent)")
    assert visible == sorted({initial(name) for name in expected})
    assert not reader.errors, reader.errors


def test_clicking_a_column_header_sorts_the_rows(reader_on: Callable[..., Reader], sites: Sites) -> None:
    site = sites["large"]
    people = site.briefing.by_type("person")
    reader = reader_on("large")
    page = reader.open("people/")
    in_name_order = _shown(reader)
    assert len(in_name_order) == len(people)
    header = page.locator("article table").first.locator("thead th")

    header.nth(2).get_by_role("button", name="Claims").click()
    expect(header.nth(2)).to_have_attribute("aria-sort", "descending")
    claims = _column(reader, 2)
    assert claims == sorted(claims, reverse=True) and claims[0] == max(len(e.claims) for e in people)
    assert claims != sorted(claims)  # the order changed: not all counts are equal
    # out of name order, the rows are one table: no letter headings, no bar of letters
    expect(page.locator("nav.bg-letters")).to_be_hidden()
    expect(page.locator("article h2[id^='letter-']").first).to_be_hidden()
    assert len(_shown(reader)) == len(people)

    header.nth(2).get_by_role("button", name="Claims").click()
    expect(header.nth(2)).to_have_attribute("aria-sort", "ascending")
    assert _column(reader, 2) == sorted(_column(reader, 2))

    header.nth(3).get_by_role("button", name="Sources").click()
    expect(header.nth(3)).to_have_attribute("aria-sort", "descending")
    expect(header.nth(2)).not_to_have_attribute("aria-sort", re.compile(".*"))
    assert _column(reader, 3) == sorted(_column(reader, 3), reverse=True)

    header.nth(0).get_by_role("button", name="Name").click()
    expect(header.nth(0)).to_have_attribute("aria-sort", "ascending")
    expect(page.locator("nav.bg-letters")).to_be_visible()
    assert _shown(reader) == in_name_order
    header.nth(0).get_by_role("button", name="Name").click()
    expect(header.nth(0)).to_have_attribute("aria-sort", "descending")
    assert _shown(reader) == in_name_order[::-1]
    assert not reader.errors, reader.errors


def test_sources_sort_by_date_with_undated_ones_last(reader: Reader, site: Site) -> None:
    page = reader.open("sources/")
    published = page.locator("article table").first.locator("thead th").nth(2)
    published.get_by_role("button", name="Published").click()
    expect(published).to_have_attribute("aria-sort", "descending")
    dates: list[str | None] = page.locator("article table tbody tr").evaluate_all(
        "rows => rows.map(r => { const t = r.cells[2].querySelector('time'); return t && t.getAttribute('datetime') })")
    known = [d for d in dates if d is not None]
    assert known == sorted(known, reverse=True)
    assert dates == known + [None] * (len(dates) - len(known))


def test_the_filter_comes_once_with_instant_navigation(reader_on: Callable[..., Reader], sites: Sites) -> None:
    """Reached by a click (Material swaps the page in place) and again, the listing has one working box."""
    reader = reader_on("harbor")
    people = sites["harbor"].briefing.by_type("person")
    page = reader.open()
    for _ in range(2):
        page.locator(".md-tabs__link", has_text="People").click()
        expect(page).to_have_url(re.compile(r"/people/$"))
        expect(page.locator(".bg-filter input")).to_have_count(1)
        page.get_by_label("Filter by name or description").fill("tom")
        expected = [e.name for e in people if _matches(e, "tom")]
        expect(page.locator(".bg-filter__count")).to_have_text(f"{len(expected)} of {len(people)} shown")
        page.locator(".md-tabs__link", has_text="Places").click()
        expect(page).to_have_url(re.compile(r"/places/$"))
        expect(page.locator(".bg-filter input")).to_have_count(1)
    assert not reader.errors, reader.errors


def test_without_javascript_every_row_shows_and_the_letters_link_to_headings(reader_on: Callable[..., Reader],
                                                                            sites: Sites) -> None:
    site = sites["large"]
    reader = reader_on("large", java_script_enabled=False)
    page = reader.page
    page.goto(site.url + "people/")  # not Reader.open: without scripts, Material never fetches its sitemap
    assert page.locator(".bg-filter").count() == 0
    assert len(_shown(reader)) == len(site.briefing.by_type("person"))
    for href in page.locator("nav.bg-letters a").evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert page.locator(href).evaluate("el => el.tagName") == "H2", href


def test_a_grouped_listing_in_use_has_no_serious_accessibility_violation(reader_on: Callable[..., Reader]) -> None:
    reader = reader_on("large")
    page = reader.open("people/")
    page.get_by_label("Filter by name or description").fill("a")
    page.locator("article table").first.get_by_role("button", name="Claims").click()
    page.add_script_tag(content=(node_package("axe-core") / "axe.min.js").read_text(encoding="utf-8"))
    violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ["violations"]}))
        .violations.filter(v => v.impact === "serious" || v.impact === "critical")
        .map(v => ({rule: v.id, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + n.failureSummary)}))""")
    assert not violations, json.dumps(violations, indent=1)
