"""Origins: a claim's corroboration counted by where its passages came from, not by articles.

Two articles that relay one press conference, or one that relays the other, corroborate a claim
once. A cite's ``via`` says where its source got the passage; these rules decide which cites
share an origin:

- A cite without ``via`` is its source's own: cites of one source share an origin, cites of two
  sources do not. A claim whose cites have no ``via`` has one origin per source, as many as its
  sources.
- A ``via`` that is only a wikilink (``[[nbc-news]]``) names the entity, or source, it links to.
  Any other ``via`` names its words as a reader sees them, compared case- and space-insensitively
  and without a leading "the" (after the quote normalization: NFKC, typographic quotes as ASCII),
  and every entity that bears those words as its name or one of its aliases.
- A source is its id and, when it has an outlet, the outlet's words and the entities of that
  name or alias.
- Two cites share an origin when their vias name one thing; when one's via names the other's
  source (its id, its outlet, or an entity of the outlet's name); or when neither has a via and
  they cite one source. Sharing is transitive.

The keys compared are made by the validator (``via_keys`` on each citation, ``origin_keys`` on
each source), which knows every entity's names.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..model import Citation, Segment, Source
from ..text.normalize import normalize_quote

__all__ = ["Origin", "name_key", "origins", "via_keys"]


@functools.lru_cache(maxsize=1 << 16)  # every name of the corpus, again at each of serve's checks
def name_key(words: str) -> str:
    """The key of a name or of a via's words: normalized, case, spacing and a leading "the" aside."""
    words = " ".join(normalize_quote(words).casefold().split())
    return "name:" + words.removeprefix("the ")


def via_keys(via: Sequence[Segment], kinds: Mapping[str, str], named: Mapping[str, Iterable[str]]) -> tuple[str, ...]:
    """What a via names: ``kinds`` gives each id's kind ("source" or an entity type), ``named`` the
    entities that bear each name key."""
    if len(via) == 1 and via[0].target is not None:
        target = via[0].target
        return (f"source:{target}" if kinds.get(target) == "source" else f"entity:{target}",)
    key = name_key("".join(s.text for s in via))
    return tuple(sorted({key, *(f"entity:{e}" for e in named.get(key, ()))}))


def source_keys(id: str, outlet: str, named: Mapping[str, Iterable[str]]) -> tuple[str, ...]:
    """What a source is, as vias name it: its id, its outlet, and the entities of the outlet's name."""
    if not outlet:
        return (f"source:{id}",)
    key = name_key(outlet)
    return tuple(sorted({f"source:{id}", key, *(f"entity:{e}" for e in named.get(key, ()))}))


@dataclass(frozen=True, slots=True)
class Origin:
    """One independent origin of a claim: the citations that share it, and what it is.

    ``via`` is the origin as a cite names it; it is empty when the origin is a source's own
    reporting, ``source`` (which the other cites, if any, relay).
    """

    citations: tuple[Citation, ...]
    sources: tuple[str, ...]  # distinct, in citation order
    via: tuple[Segment, ...] = ()
    source: str = ""


def origins(citations: Sequence[Citation], sources: Mapping[str, Source]) -> tuple[Origin, ...]:
    """The origins of a claim's citations, in the order of their first citation."""
    if not any(c.via for c in citations):  # each source its own origin
        by_source: dict[str, list[Citation]] = {}
        for c in citations:
            by_source.setdefault(c.source, []).append(c)
        return tuple(Origin(tuple(cs), (s,), (), s) for s, cs in by_source.items())
    parent = list(range(len(citations)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    first: dict[str, int] = {}  # key -> the first cite whose origin it names
    relayed: dict[str, int] = {}  # the same, for cites with a via: what they relay
    for i, c in enumerate(citations):
        for key in c.via_keys if c.via else (f"source:{c.source}",):
            union(i, first.setdefault(key, i))
            if c.via:
                relayed.setdefault(key, i)
    # a cite whose source another cite's via names: the one relays the other
    for i, c in enumerate(citations):
        for key in sources[c.source].origin_keys:
            if key in relayed:
                union(i, relayed[key])
    groups: dict[int, list[int]] = {}
    for i in range(len(citations)):
        groups.setdefault(find(i), []).append(i)
    return tuple(_origin([citations[i] for i in members], sources) for members in groups.values())


def _origin(cites: list[Citation], sources: Mapping[str, Source]) -> Origin:
    """An origin of cites that share it, named by the deepest of them: a via that relays no other
    member's source, else a member's own reporting, else the first via."""
    names = tuple(dict.fromkeys(c.source for c in cites))
    for c in cites:
        others = {key for d in cites if d.source != c.source for key in sources[d.source].origin_keys}
        if c.via and not others.intersection(c.via_keys):
            return Origin(tuple(cites), names, c.via)
    for c in cites:
        if not c.via:
            return Origin(tuple(cites), names, (), c.source)
    return Origin(tuple(cites), names, cites[0].via)
