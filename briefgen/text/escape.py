"""Text made safe to print: inert escaping, closed bidi controls, folded lines, wikilinks."""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["WIKILINK", "capfirst", "close_bidi", "direction", "fold", "inert", "is_bidi", "summary"]

def summary(text: str, limit: int = 160) -> str:
    """Text as one plain line of at most ``limit`` characters, cut after a word with an ellipsis."""
    text = fold(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]  # and the ellipsis
    if text[limit - 1] != " ":
        space = cut.rfind(" ")
        if space > limit // 2:  # else the word is too long to drop: cut it where it stands
            cut = cut[:space]
    return cut.rstrip(" ,;:-\u2013\u2014") + "\u2026"


def capfirst(text: str) -> str:
    """Text with its first character in upper case and the rest as written ("U.S. role", not "U.s. role")."""
    # title case, not upper: a digraph such as "ǆ" starts a sentence as "ǅ"
    return text[:1].title() + text[1:]


# -- wikilinks -------------------------------------------------------------------------

WIKILINK = re.compile(r"\[\[([^\[\]|]*)(?:\|([^\[\]]*))?\]\]")


# -- escaping --------------------------------------------------------------------------

# Characters that Markdown, its common extensions or HTML give a meaning to. Each is
# written as a numeric character reference, which every Markdown and HTML parser shows
# as the character itself and none reads as syntax.
_MEANINGFUL = frozenset('\\`*_{}[]<>&|~^=:$!"#+')
_BLOCK_START = re.compile(r"[-.)0-9]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ENTITIES = {ord(c): f"&#{ord(c)};" for c in _MEANINGFUL}
_SYNTAX = re.compile("[" + re.escape("".join(sorted(_MEANINGFUL))) + "]")
_SPACES = re.compile(r"\s+")
_MARKER = re.compile(r"\d*[-.)]?")


def _control_picture(m: re.Match[str]) -> str:
    c = ord(m.group())
    if c < 0x20:
        return chr(0x2400 + c)
    return "\u2421" if c == 0x7F else "\ufffd"


def fold(text: str) -> str:
    """One line of plain text: whitespace runs folded, control characters made visible."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text  # nothing to fold: whitespace but " " and controls are unprintable
    text = _CONTROL.sub(_control_picture, text)
    return " ".join(text.split())


# Explicit bidi formatting characters: each opener and the character that closes it.
_BIDI_CLOSER = {
    "\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c",  # LRE RLE LRO RLO: PDF
    "\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069",  # LRI RLI FSI: PDI
}
_BIDI_OPENERS = re.compile("[\u202a\u202b\u202d\u202e\u2066-\u2068]")
# Bidi classes of characters that would reorder the text around them (right-to-left letters,
# Arabic digits, explicit formatting).
_BIDI_CLASSES = frozenset({"R", "AL", "AN", "LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})


def close_bidi(text: str) -> str:
    """Text with every explicit bidi embedding, override or isolate it opens closed at its end.

    An unclosed U+202E (RIGHT-TO-LEFT OVERRIDE) in a name would otherwise reverse whatever
    the page prints after it.
    """
    if not _BIDI_OPENERS.search(text):  # closers alone close nothing
        return text
    open_: list[str] = []  # the closers owed, innermost last (as the Unicode bidi algorithm pairs them)
    for c in text:
        if c in _BIDI_CLOSER:
            open_.append(_BIDI_CLOSER[c])
        elif c == "\u202c" and open_ and open_[-1] == "\u202c":
            open_.pop()
        elif c == "\u2069" and "\u2069" in open_:
            while open_.pop() != "\u2069":
                pass
    return text + "".join(reversed(open_))


@functools.lru_cache(maxsize=1 << 16)
def is_bidi(text: str) -> bool:
    """Whether text has right-to-left characters or bidi controls: shown among other text, it
    needs isolating (``<bdi>``) so that it does not reorder its neighbours."""
    return not text.isascii() and any(unicodedata.bidirectional(c) in _BIDI_CLASSES for c in text)


_STRONG = {"L": "ltr", "R": "rtl", "AL": "rtl"}


def direction(text: str) -> str | None:
    """The direction of a paragraph as the Unicode bidi algorithm finds it (rule P2) and as
    ``dir="auto"`` does: that of its first strong letter outside isolates; None if it has none."""
    depth = 0
    for c in text:
        kind = unicodedata.bidirectional(c)
        if kind in ("LRI", "RLI", "FSI"):
            depth += 1
        elif kind == "PDI":
            depth = max(depth - 1, 0)
        elif depth == 0 and kind in _STRONG:
            return _STRONG[kind]
    return None


@functools.lru_cache(maxsize=1 << 16)  # names, titles and quotes recur on page after page
def inert(text: str) -> str:
    """Plain text as Markdown (or HTML text or attribute) that shows exactly that text.

    Whitespace runs become one space (kept at the ends, where segments meet).

    Nothing in the result is syntax: not Markdown, not an extension's, not HTML, not a
    template's. Line starts are guarded too (``- ``, ``1.``), so the result is safe at
    the start of a block. Bidi embeddings, overrides and isolates the text opens are
    closed at its end (``close_bidi``), so they cannot reorder what follows it.
    """
    # Each step only where it can change something: most text is printable, single-spaced,
    # left to right and free of syntax, and this runs for every name and passage of the site.
    if "  " in text or not text.isprintable():  # controls and whitespace but " " are unprintable
        text = _SPACES.sub(" ", _CONTROL.sub(_control_picture, text))
    if not text.isascii():
        text = close_bidi(text)
    out = text.translate(_ENTITIES) if _SYNTAX.search(text) else text
    # "1. x", "- x" or "---" at a block start would make a list or a rule: guard the marker,
    # after the one space a text may start with (Markdown allows up to three).
    start = 1 if out.startswith(" ") else 0
    if _BLOCK_START.match(out, start):
        m = _MARKER.match(out, start)
        end = m.end() if m else start
        if end > start and not out[end - 1].isdigit():
            out = out[: end - 1] + f"&#{ord(out[end - 1])};" + out[end:]
    return out
