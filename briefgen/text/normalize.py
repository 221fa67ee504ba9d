"""Quote normalization: text as quotes are matched against it, with the map back to the original."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["NormalizedText", "normalize", "normalize_quote"]


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
