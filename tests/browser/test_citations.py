"""Citations, as a reader follows them: the quote on hover, then the passage highlighted in its article."""

from __future__ import annotations

import re

from .conftest import Reader, Site, expect, passage_text


def _quote(footnote: str) -> str:
    """The quote of a footnote: "“quote” — Title, Outlet, date"."""
    return passage_text(footnote).split("\u201d \u2014 ", 1)[0].removeprefix("\u201c")


def _same_text(a: str, b: str) -> bool:
    """Equal but for white space: a passage may run over several marks and paragraphs."""
    return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)


def _cited_entity(site: Site) -> str:
    """The URL path of the entity page with the most citations: the one a reader is likeliest to check."""
    entity = max(site.briefing.entities, key=lambda e: (len(e.claims), e.id))
    return site.page(entity.page)


def test_hovering_a_citation_shows_its_quote(site: Site, reader: Reader) -> None:
    page = reader.open(_cited_entity(site))
    ref = page.locator(".md-content a.footnote-ref").first
    note_id = (ref.get_attribute("href") or "").split("#", 1)[1]
    note = page.locator(f"[id='{note_id}']")
    quote = _quote(note.inner_text())
    assert len(quote) > 10
    ref.hover()
    tooltip = page.locator(".md-tooltip2--active")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text(quote)


def test_following_a_citation_lands_on_the_highlighted_passage(site: Site, reader: Reader) -> None:
    """Click the number, then the source in the footnote: the article, its passage marked and in view."""
    page = reader.open(_cited_entity(site))
    page.evaluate("window.sameDocument = true")
    ref = page.locator(".md-content a.footnote-ref").nth(2)
    note_id = (ref.get_attribute("href") or "").split("#", 1)[1]
    ref.click()
    expect(page).to_have_url(re.compile(re.escape("#" + note_id) + "$"))
    note = page.locator(f"[id='{note_id}']")
    expect(note).to_be_in_viewport()
    quote = _quote(note.inner_text())
    link = note.locator("a[href*='#q-']")
    anchor = (link.get_attribute("href") or "").split("#", 1)[1]
    reader.settle()  # a reader reads the footnote before following it
    link.click()
    expect(page).to_have_url(re.compile(r"/sources/[^/]+/#" + re.escape(anchor) + "$"))
    target = page.locator("mark.bg-quote--target")
    expect(target.first).to_be_visible()
    expect(target.first).to_be_in_viewport()
    assert _same_text("".join(target.all_inner_texts()), quote)
    # Only this passage is emphasized; the others stay plainly highlighted.
    assert page.locator("mark.bg-quote").count() > target.count()
    assert page.evaluate("window.sameDocument === true"), "instant navigation did not keep the page"


def test_a_link_to_a_passage_from_elsewhere_highlights_it(site: Site, reader: Reader) -> None:
    """Opened directly (a shared link, a new tab): the same passage, marked and scrolled to."""
    source = max(site.briefing.sources, key=lambda s: len(site.briefing.citations_by_source.get(s.id, ())))
    last = max(site.briefing.citations_by_source[source.id], key=lambda c: c.start)  # far down the article
    page = reader.open(f"{site.page(source.page)}#{last.anchor}")
    target = page.locator("mark.bg-quote--target")
    expect(target.first).to_be_in_viewport()
    assert _same_text("".join(target.all_inner_texts()), source.text[last.start:last.end])
    # Another citation, followed within the page, moves the emphasis.
    first = min(site.briefing.citations_by_source[source.id], key=lambda c: c.start)
    page.evaluate("anchor => { location.hash = anchor }", first.anchor)
    expect(page.locator(f"mark.bg-quote--target[data-quotes~='{first.anchor}']").first).to_be_in_viewport()
    expect(page.locator(f"mark.bg-quote--target[data-quotes~='{last.anchor}']")).to_have_count(0)
