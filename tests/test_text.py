"""Text: quotes match whatever Unicode form the article and the quote were saved in."""

from __future__ import annotations

import itertools
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from briefgen.text.normalize import normalize, normalize_quote

# Characters each of which starts a new character on screen: letters that NFD splits into a base
# and marks (with one, two or three marks, and marks that NFC reorders), letters with no
# decomposition, Indic and Hangul letters that compose from parts of combining class 0,
# compatibility forms that NFKC rewrites, typographic quotes and spaces.
BASES = st.sampled_from([
    *"abOzZ .,'", "é", "Ö", "ñ", "Å", "ǖ", "ệ", "ø", "ß", "Ω", "\u212b",  # ANGSTROM SIGN: NFC makes it Å
    "\u0b4b", "\u09cb", "\u0ccb", "\u0d4a", "한", "가", "\ufb01", "\u2460", "\u201c", "\u2019", "\u00a0", "\u3000",
    "q\u0301", "x\u0323\u0301",  # marks no precomposed letter holds: they stay apart in NFC too
])
TEXT = st.lists(BASES, min_size=1, max_size=24)
FORMS = ("NFC", "NFD")


def _form(form: str, parts: list[str]) -> str:
    return unicodedata.normalize(form, "".join(parts))


@settings(max_examples=300, deadline=None)
@given(TEXT)
@example([*"aÖzil"])
def test_a_text_normalizes_alike_in_its_composed_and_decomposed_forms(parts: list[str]) -> None:
    composed, decomposed = (normalize(_form(form, parts)) for form in FORMS)
    assert composed.text == decomposed.text
    assert composed.text == normalize("".join(parts)).text


def _boundaries(form: str, parts: list[str]) -> list[int]:
    """The offsets, in the text of that form, where each of the characters begins (and the end)."""
    return [0, *itertools.accumulate(len(unicodedata.normalize(form, p)) for p in parts)]


@settings(max_examples=300, deadline=None)
@given(TEXT, st.data())
@example([*"Mesut Özil"], None)
@example(["a", "a", "\u00a0", " ", "a"], None)  # a no-break space and a space fold into one
def test_a_quote_in_either_form_is_found_in_an_article_in_either_form_over_the_same_characters(
        parts: list[str], data: st.DataObject | None) -> None:
    """The span found covers exactly the quoted characters, whichever forms the two are in."""
    if data is None:
        i, j = 0, len(parts)  # an example: the whole text
    else:
        i = data.draw(st.integers(0, len(parts) - 1))
        j = data.draw(st.integers(i + 1, len(parts)))
    quote = parts[i:j]
    if not normalize_quote("".join(quote)):
        return  # spaces only: there is nothing to quote
    covered = set()
    for article_form in FORMS:
        article = normalize(_form(article_form, parts))
        bounds = _boundaries(article_form, parts)
        for quote_form in FORMS:
            span = article.find(normalize_quote(_form(quote_form, quote)))
            assert span is not None
            start, end = span
            assert normalize(article.original[start:end]).text.strip() == normalize_quote("".join(quote))
            # on a character's boundaries, in the article's own form
            assert start in bounds and end in bounds
            covered.add((bounds.index(start), bounds.index(end)))
    assert len(covered) == 1, "the same characters, whatever the forms"


def test_an_accented_quote_copied_in_nfd_is_found_in_an_nfc_article() -> None:
    article = normalize("Mesut \u00d6zil said so.")
    assert article.find(normalize_quote("Mesut O\u0308zil said")) == (0, 15)
    decomposed = normalize("Mesut O\u0308zil said so.")
    assert decomposed.find(normalize_quote("Mesut \u00d6zil said")) == (0, 16)
    assert decomposed.find(normalize_quote("\u00d6zil")) == (6, 11)
