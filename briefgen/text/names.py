"""Names: their Latin forms, the ids made from them, the order of listings, and the matcher
that finds every known name in an article in one pass."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from anyascii import anyascii

from .normalize import NormalizedText, normalize_quote

if TYPE_CHECKING:
    from ..model import Briefing

__all__ = ["ID_PATTERN", "MAX_LINKED_NAME", "NameMatcher", "initial", "latin", "list_key", "matcher", "name_matcher",
           "spellings", "suggest_id"]

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")

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


def suggest_id(name: str) -> str:
    """A readable id for a name in any script: "Zoë Ørsted" -> "zoe-orsted"."""
    ascii_name = latin(name).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"['`.]", "", ascii_name)).strip("-")
    return slug[:80].rstrip("-") or "entity"




# -- the name matcher -----------------------------------------------------------------

# Names and aliases longer than this (in characters) are not looked for in article text.
MAX_LINKED_NAME = 200


_Trie = dict[str, "_Trie"]


def _trie_pattern(words: Iterable[str]) -> str:
    """A regex that matches any of the words, longest first, without trying them one by one."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: _Trie) -> str:
        end = "" in node
        branches = [re.escape(ch) + walk(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return walk(trie)


@dataclass(frozen=True)
class NameMatcher:
    """Finds the names of entities in text; each name belongs to exactly one entity."""

    pattern: re.Pattern[str] | None
    owner: Mapping[str, str]  # normalized name -> entity id

    def find(self, article: NormalizedText) -> Iterator[tuple[int, int, str]]:
        """(start, end, entity id) of every name in the article, as original offsets."""
        if self.pattern is None:
            return
        for m in self.pattern.finditer(article.text):
            start, end = article.span(m.start(), m.end())
            yield start, end, self.owner[m.group()]


def name_matcher(briefing: Briefing, *, linked_only: bool = True) -> NameMatcher:
    """A matcher of every name and alias (only linkable ones by default) that names only one entity."""
    owners: dict[str, set[str]] = {}
    for e in briefing.entities:
        names = [e.name, *(a.name for a in e.aliases if a.link or not linked_only)]
        for name in names:
            key = normalize_quote(name)
            # The pattern nests a group per character: a name longer than any real one would
            # exhaust Python's recursion limit, so it is shown but not linked in articles.
            if key and len(key) <= MAX_LINKED_NAME:
                owners.setdefault(key, set()).add(e.id)
    return matcher({name: next(iter(ids)) for name, ids in owners.items() if len(ids) == 1})


def matcher(owner: Mapping[str, str]) -> NameMatcher:
    """A matcher of the given normalized names, each of the entity it maps to."""
    return _matcher(tuple(owner.items()))


# Under serve, every rebuild that renders a source page asks for the matcher of the same names
# (unless the edit renamed something): made once, it is a tenth of a rebuild's rendering.
@functools.lru_cache(maxsize=2)
def _matcher(owner: tuple[tuple[str, str], ...]) -> NameMatcher:
    if not owner:
        return NameMatcher(None, {})
    names = dict(owner)
    return NameMatcher(re.compile(r"(?<!\w)" + _trie_pattern(names) + r"(?!\w)"), names)
