"""Names in article text: one compiled pattern finds every known name in one pass."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from .model import Briefing
from .text import NormalizedText, normalize_quote

__all__ = ["MAX_LINKED_NAME", "NameMatcher", "matcher", "name_matcher"]

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
    if not owner:
        return NameMatcher(None, {})
    pattern = re.compile(r"(?<!\w)" + _trie_pattern(owner) + r"(?!\w)")
    return NameMatcher(pattern, dict(owner))
