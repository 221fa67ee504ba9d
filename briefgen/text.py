"""Text values: quote normalization with offsets, wikilinks, and inert escaping."""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from anyascii import anyascii

__all__ = [
    "ID_PATTERN",
    "WIKILINK",
    "NormalizedText",
    "capfirst",
    "close_bidi",
    "direction",
    "fold",
    "inert",
    "initial",
    "is_bidi",
    "latin",
    "list_key",
    "normalize",
    "spellings",
    "summary",
]

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")

_QUOTES = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
}
# Runs that normalize to themselves (printable ASCII, single spaces) are copied in lockstep;
# everything else is looked at one cluster at a time. A printable ASCII character just before
# the rest goes with it: it may be the base of the combining marks that follow ("O\u0308"); and
# so do the spaces after it, which fold with any space it ends with ("\u00a0 " is one space).
_SPECIAL = re.compile(r"\s{2,}|[\x21-\x7e]?[^\x20-\x7e](?:[^\x20-\x7e]|\s)*")


def _composes_back() -> frozenset[str]:
    """The characters of combining class 0 that compose with the character before them (as the
    vowel sign U+0B3E does with U+0B47): the second of a canonical pair's decomposition."""
    found = set()
    for cp in range(0x20000):  # no canonical pair lies beyond
        parts = unicodedata.decomposition(chr(cp)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            second = chr(int(parts[1], 16))
            if not unicodedata.combining(second):
                found.add(second)
    return frozenset(found)


_COMPOSES_BACK = _composes_back()


def _cluster_end(text: str, i: int) -> int:
    """End of the character at i plus the marks that NFKC may compose with it."""
    j = i + 1
    while j < len(text) and (
        unicodedata.combining(text[j]) or "\u1160" <= text[j] <= "\u11ff" or text[j] in _COMPOSES_BACK
    ):
        j += 1
    return j


def _normalize_cluster(cluster: str) -> str:
    out = unicodedata.normalize("NFKC", cluster)
    return "".join(_QUOTES.get(c, c) for c in out)


@dataclass(frozen=True)
class NormalizedText:
    """A text normalized for quote matching, with a map back to the original offsets.

    The map is a list of pieces: piece k starts at ``norm_starts[k]`` in the normalized
    text and ``orig_starts[k]`` in the original. A lockstep piece advances both texts one
    character at a time; any other piece maps as a whole.
    """

    original: str
    text: str
    norm_starts: tuple[int, ...]
    orig_starts: tuple[int, ...]
    lockstep: tuple[bool, ...]

    def _piece(self, n: int) -> int:
        return bisect.bisect_right(self.norm_starts, n) - 1

    def _piece_orig_end(self, k: int) -> int:
        return self.orig_starts[k + 1] if k + 1 < len(self.orig_starts) else len(self.original)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalized span [start, end) to a span of the original text."""
        k = self._piece(start)
        ostart = self.orig_starts[k] + (start - self.norm_starts[k] if self.lockstep[k] else 0)
        k = self._piece(end - 1)
        oend = self.orig_starts[k] + (end - self.norm_starts[k]) if self.lockstep[k] else self._piece_orig_end(k)
        return ostart, oend

    def find(self, needle: str) -> tuple[int, int] | None:
        """The original span of the first occurrence of an already normalized needle."""
        i = self.text.find(needle)
        if i < 0 or not needle:
            return None
        return self.span(i, i + len(needle))


def normalize(text: str) -> NormalizedText:
    """Normalize as quotes are matched: NFKC, typographic quotes to ASCII, spaces folded."""
    out: list[str] = []
    norm_starts: list[int] = []
    orig_starts: list[int] = []
    lockstep: list[bool] = []
    n = 0

    def piece(orig: int, value: str, step: bool) -> None:
        nonlocal n
        if not value:
            return
        norm_starts.append(n)
        orig_starts.append(orig)
        lockstep.append(step)
        out.append(value)
        n += len(value)

    pos = 0
    for m in _SPECIAL.finditer(text):
        if m.start() > pos:
            piece(pos, text[pos : m.start()], True)
        run = m.group()
        if run.isspace():
            piece(m.start(), " ", False)
        else:
            i = m.start()
            while i < m.end():
                j = _cluster_end(text, i)
                if text[i].isspace():
                    j = i + 1
                    while j < m.end() and text[j].isspace():
                        j += 1
                    piece(i, " ", False)
                else:
                    value = _normalize_cluster(text[i:j])
                    piece(i, value, value == text[i:j] and len(value) == j - i)
                i = j
        pos = m.end()
    if pos < len(text):
        piece(pos, text[pos:], True)
    if not norm_starts:
        norm_starts, orig_starts, lockstep = [0], [0], [True]
    return NormalizedText(text, "".join(out), tuple(norm_starts), tuple(orig_starts), tuple(lockstep))


def normalize_quote(quote: str) -> str:
    """A quote as it is matched: normalized and stripped."""
    if quote.isascii():  # nothing to normalize but whitespace, which split() finds alike
        return " ".join(quote.split())
    return re.sub(r" +", " ", normalize(quote).text).strip()


_ARABIC = dict(zip(
    "اأإآبتثجحخدذرزسشصضطظعغفقكلمنهةويىءئؤ",
    ["a", "a", "i", "a", "b", "t", "th", "j", "h", "kh", "d", "dh", "r", "z", "s", "sh", "s", "d", "t", "z", "",
     "gh", "f", "q", "k", "l", "m", "n", "h", "a", "w", "y", "a", "", "", ""],
    strict=True,
))


def _arabic(word: str) -> str:
    """A reader's transliteration of an Arabic word: the article as al-, long vowels as vowels."""
    prefix = ""
    if word.startswith("ال") and len(word) > 3:
        prefix, word = "al-", word[2:]
    out = []
    for i, ch in enumerate(word):
        # waw and ya after a consonant are usually the long vowels u and i
        if ch in "وي" and i > 0 and word[i - 1] not in "اوي":
            out.append("u" if ch == "و" else "i")
        else:
            out.append(_ARABIC.get(ch, ch))
    return prefix + "".join(out)


def latin(text: str) -> str:
    """Text in ASCII Latin letters, from any script: "Zoë Ørsted" -> "Zoe Orsted", "القادولي" -> "al-qaduli"."""
    return anyascii(re.sub(r"[\u0600-\u06ff]+", lambda m: _arabic(m.group()), unicodedata.normalize("NFKC", text)))


def spellings(names: Iterable[str]) -> list[str]:
    """The names, each followed by its form without accents where that differs ("Zoë Ørsted",
    "Zoe Orsted"), each once: what search indexes, so that a name typed as a keyboard allows
    finds its page. A name in another script keeps its own form only: a transliteration made
    here ("krim hdad") is no spelling any reader would type."""
    return list(dict.fromkeys(form for name in names for form in (name, latin(name) if _is_latin(name) else name)))


def _is_latin(name: str) -> bool:
    return all(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in name if c.isalpha())


def initial(name: str) -> str:
    """The letter a name is listed under: the first letter of its Latin form, A to Z, or "Other".

    Leading punctuation is skipped ("'Ali" is under A); a name that starts with a digit, or has
    no letter, is under "Other".
    """
    return _initial(latin(name))


def _initial(form: str) -> str:
    for c in form:
        if c.isalnum():
            return c.upper() if c.isalpha() else "Other"
    return "Other"


def list_key(name: str) -> tuple[bool, str, str, str]:
    """The order of names in a listing: by ``initial`` (the second item), "Other" last, then by
    Latin form."""
    form = latin(name)  # once: transliteration is most of the cost of listing thousands of names
    letter = _initial(form)
    return letter == "Other", letter, " ".join(re.findall(r"[a-z0-9]+", form.lower())), name


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


def suggest_id(name: str) -> str:
    """A readable id for a name in any script: "Zoë Ørsted" -> "zoe-orsted"."""
    ascii_name = latin(name).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"['`.]", "", ascii_name)).strip("-")
    return slug[:80].rstrip("-") or "entity"


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
