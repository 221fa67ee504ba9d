"""Getting around: section tabs, instant navigation, breadcrumbs, back to top."""

from __future__ import annotations

import re

from briefgen.site.pages import SECTION_PAGES

from .conftest import Reader, Site, expect


def test_the_section_tabs_lead_to_every_section_without_reloading(site: Site, reader: Reader) -> None:
    page = reader.open()
    tabs = page.locator(".md-tabs__link")
    expect(tabs).to_have_text([title for title, _ in SECTION_PAGES])
    page.evaluate("window.sameDocument = true")
    for title, path in SECTION_PAGES[1:]:
        page.locator(".md-tabs__link", has_text=re.compile(f"^\\s*{re.escape(title)}\\s*$")).click()
        expect(page).to_have_url(site.url + site.page(path))
        expect(page.locator(".md-tabs__item--active")).to_have_text(re.compile(re.escape(title)))
        expect(page.locator(".md-content h1").first).to_be_visible()
    # Instant navigation: the page was never reloaded, only its content replaced.
    assert page.evaluate("window.sameDocument === true")
    page.go_back()
    expect(page).to_have_url(site.url + site.page(SECTION_PAGES[-2][1]))


def test_an_entity_page_has_breadcrumbs_and_its_section_tab_active(site: Site, reader: Reader) -> None:
    for md_path, section in [(site.briefing.entities[0].page, site.briefing.entities[0].folder),
                             (site.briefing.sources[0].page, "sources")]:
        page = reader.open(site.page(md_path))
        title = dict((path, title) for title, path in SECTION_PAGES)[f"{section}/index.md"]
        crumbs = page.locator("nav.md-path .md-path__link")
        expect(crumbs).to_have_text(["Home", title])
        expect(page.locator(".md-tabs__item--active")).to_have_text(re.compile(title))
        crumbs.last.click()
        expect(page).to_have_url(site.url + site.page(f"{section}/index.md"))
        expect(page.locator(".md-content h1")).to_contain_text(title)


def test_section_pages_have_no_breadcrumbs_above_them(site: Site, reader: Reader) -> None:
    page = reader.open(site.page("people/index.md"))
    expect(page.locator(".md-content h1")).to_contain_text("People")
    expect(page.locator("nav.md-path")).to_have_count(0)


def test_back_to_top_appears_on_the_way_up_and_goes_to_the_top(site: Site, reader: Reader) -> None:
    source = max(site.briefing.sources, key=lambda s: len(s.text))
    page = reader.open(site.page(source.page))
    top = page.locator(".md-top")
    hidden = re.compile(".*")
    expect(top).to_have_attribute("hidden", hidden)  # Material hides it with the attribute (and opacity)
    page.locator(".md-footer").scroll_into_view_if_needed()
    page.wait_for_function("() => window.scrollY > 1000")
    page.mouse.move(640, 450)
    page.mouse.wheel(0, -300)  # Material shows the button when the reader scrolls back up
    expect(top).not_to_have_attribute("hidden", hidden)
    top.click()
    page.wait_for_function("() => window.scrollY === 0")
    expect(top).to_have_attribute("hidden", hidden)
