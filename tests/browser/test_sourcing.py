"""Where passages came from and how reliable their sources are, as a reader sees them."""

from __future__ import annotations

from collections.abc import Callable

from .conftest import Reader, expect


def _grades(reader: Reader) -> list[str]:
    """The Reliability column of the sources listing, top to bottom."""
    grades: list[str] = reader.page.locator("article table tbody tr").evaluate_all(
        "rows => rows.filter(r => r.offsetParent !== null).map(r => r.cells[3].textContent.trim())")
    return grades


def test_a_claim_relayed_from_one_briefing_reads_as_one_origin(reader_on: Callable[..., Reader]) -> None:
    reader = reader_on("spill")
    page = reader.open("events/alder-river-spill/")
    claim = page.locator("article h2#claims + ul > li").first
    expect(claim.locator(".bg-sources")).to_have_text("2 sources, 1 origin: both via Alder County press briefing")
    # hovering the first citation: its source's grade and the origin the source names
    claim.locator("a.footnote-ref").first.hover()
    tooltip = page.locator(".md-tooltip2--active")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text("Kestrel Falls Tribune B, via Alder County press briefing, 4 June 2025")
    # the grade says what it means
    grade = tooltip.locator("abbr.bg-grade")
    expect(grade).to_have_attribute("title", "Source reliability B: usually reliable")
    # the accounts that differ: an ungraded blog and the wire that relays it, one origin
    expect(page.locator("article h3 + ul > li").nth(1)).to_contain_text(
        "Alder Riverwatch, Valley Wire C, both via a plant worker who asked not to be named:")
    assert not reader.errors, reader.errors


def test_sources_sort_by_reliability_with_ungraded_ones_last(reader_on: Callable[..., Reader]) -> None:
    reader = reader_on("spill")
    page = reader.open("sources/")
    header = page.locator("article table").first.locator("thead th").nth(3)
    header.get_by_role("button", name="Reliability").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert _grades(reader) == ["B", "C", ""]  # most reliable first
    header.get_by_role("button", name="Reliability").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    assert _grades(reader) == ["C", "B", ""]  # ungraded last either way: not graded is not F
    assert not reader.errors, reader.errors

