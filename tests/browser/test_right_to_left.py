"""Arabic text as a reader sees it: an Arabic paragraph or quote right to left, English left to right."""

from __future__ import annotations

from collections.abc import Callable

from .conftest import Reader, Sites, expect

ARABIC_PARAGRAPH = "وقال سمير حداد للحاضرين بالعربية"
ENGLISH_PARAGRAPH = "He told me the warning lights were flickering for weeks."
ARABIC_QUOTE = "لا نريد إلا الحقيقة"

# Where a paragraph's first character is laid out: at its right edge in a right-to-left paragraph.
# An empty inline box put first takes the paragraph's direction, whatever the text after it.
READING_DIRECTION = """p => {
    const probe = document.createElement("span");
    probe.style.display = "inline-block";
    p.prepend(probe);
    const at = probe.getBoundingClientRect().left, box = p.getBoundingClientRect();
    probe.remove();
    return at - box.left < box.right - at ? "ltr" : "rtl" }"""


def test_an_arabic_paragraph_reads_right_to_left_and_an_english_one_left_to_right(
        sites: Sites, reader_on: Callable[..., Reader]) -> None:
    site = sites["harbor"]
    page = reader_on("harbor").open(site.page(site.briefing.source["eastmoor-voice-vigil"].page))
    arabic = page.locator("article > p", has_text=ARABIC_PARAGRAPH)
    english = page.locator("article > p", has_text=ENGLISH_PARAGRAPH)
    expect(arabic).to_have_count(1)
    expect(english).to_have_count(1)
    assert arabic.evaluate(READING_DIRECTION) == "rtl"
    assert english.evaluate(READING_DIRECTION) == "ltr"


def test_an_arabic_quote_reads_right_to_left_in_its_citation_and_tooltip(
        sites: Sites, reader_on: Callable[..., Reader]) -> None:
    site = sites["harbor"]
    page = reader_on("harbor").open(site.page(site.briefing.entity["samir-haddad"].page))
    note = page.locator("div.footnote li", has_text=ARABIC_QUOTE)
    quote = note.get_by_text(ARABIC_QUOTE)  # the innermost element that holds it
    assert quote.evaluate("q => getComputedStyle(q).direction") == "rtl"
    # the citation around it stays left to right
    assert note.evaluate("n => getComputedStyle(n).direction") == "ltr"
    assert note.locator("p").evaluate(READING_DIRECTION) == "ltr"
    page.locator(f".md-content a.footnote-ref[href$='#{note.get_attribute('id')}']").hover()
    shown = page.locator(".md-tooltip2--active").get_by_text(ARABIC_QUOTE)
    expect(shown).to_be_visible()
    assert shown.evaluate("q => getComputedStyle(q).direction") == "rtl"
