"""A rebuild's briefing given the indexes that every claim goes into (backlinks, claims by source,
edges; and, where the last briefing has them, the edges by entity, the timeline and the accounts
that differ) from the last briefing's, going through only the claims of the entities that differ.

Under ``mkdocs serve`` the check keeps the entities of unchanged files, the same objects, so the
entities that differ are those that are not. Made from scratch the three indexes read every
claim of the corpus: 80 ms at 1,000 entities, a quarter of a rebuild. The values are the ones
the briefing would make (a test compares them on random edits); where the last briefing's are
not made, the order of the unchanged entities moved, or much changed, nothing is carried.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType

from ..model import Briefing, Claim, Dispute, Edge, Entity, dated, disputes_on, timeline_order

__all__ = ["INDEXES", "VIEWS", "carry"]

INDEXES = ("backlinks", "claims_by_source", "edges")
VIEWS = ("edges_of", "timeline", "disputes")  # carried too where the last briefing has them
Order = Callable[[Claim], int]
AT_MOST = 0.1  # the share of entities that may differ: beyond it, making the indexes afresh is as quick


def carry(old: Briefing, new: Briefing) -> bool:
    """``new``'s indexes made from ``old``'s, if they can be; whether they were."""
    if any(name not in old.__dict__ for name in INDEXES) or any(name in new.__dict__ for name in INDEXES):
        return False
    changed = {id for id in {*old.entity, *new.entity} if old.entity.get(id) is not new.entity.get(id)}
    if len(changed) > AT_MOST * len(new.entities) + 1:
        return False
    if [e.id for e in old.entities if e.id not in changed] != [e.id for e in new.entities if e.id not in changed]:
        return False
    was = [e for e in map(old.entity.get, changed) if e is not None]
    now = [e for e in new.entities if e.id in changed]
    if any(c.holder != e.id for e in (*was, *now) for c in e.claims):
        return False  # an entity's claims are its own, as the check makes them: the order rests on it
    position = {e.id: i for i, e in enumerate(new.entities)}

    def order(claim: Claim) -> int:
        # the overview's claims first, then each entity's in corpus order; sorted() keeps an
        # entity's own claims in their order
        return -1 if claim.holder is None else position[claim.holder]

    overview = old.overview is not new.overview
    backlinks = _carried(old.backlinks, changed, False, order,
                         ((t, c) for e in now for c in e.claims for t in c.links if t != e.id),
                         (t for e in was for c in e.claims for t in c.links))
    by_source = _carried(old.claims_by_source, changed, overview, order,
                         ((s, c) for c in (*(new.overview if overview else ()), *(c for e in now for c in e.claims))
                          for s in c.sources),
                         (s for c in (*(old.overview if overview else ()), *(c for e in was for c in e.claims))
                          for s in c.sources))
    new.__dict__["backlinks"] = backlinks
    new.__dict__["claims_by_source"] = by_source
    new.__dict__["edges"], made = _edges(old.edges, new, changed, now, order)
    if "edges_of" in old.__dict__:
        new.__dict__["edges_of"] = _edges_of(old, new, changed, made)
    if "timeline" in old.__dict__:
        rows = [row for row in old.timeline if row[1].id not in changed]
        for row in sorted((row for e in now for row in dated(e)), key=timeline_order):
            bisect.insort(rows, row, key=timeline_order)  # no two entities tie: never beside an equal row
        new.__dict__["timeline"] = tuple(rows)
    if "disputes" in old.__dict__:
        kept: dict[str, list[Dispute]] = defaultdict(list)
        for d in old.disputes:
            kept[d.entity.id].append(d)
        new.__dict__["disputes"] = tuple(d for e in new.entities for d in (disputes_on(e) if e.id in changed else kept[e.id]))
    return True


def _carried(index: Mapping[str, tuple[Claim, ...]], changed: set[str], overview: bool, order: Order,
             added: Iterable[tuple[str, Claim]], removed: Iterable[str]) -> Mapping[str, tuple[Claim, ...]]:
    """An index of claims by key with the claims of the changed entities (and of the overview,
    if it changed) taken out and ``added`` put in, in the briefing's order of claims."""
    fresh: dict[str, list[Claim]] = defaultdict(list)
    for key, claim in added:
        fresh[key].append(claim)
    found = dict(index)
    for key in {*fresh, *removed}:
        kept = [c for c in index.get(key, ()) if c.holder not in changed and not (overview and c.holder is None)]
        claims = sorted(kept + fresh.get(key, []), key=order)
        if claims:
            found[key] = tuple(claims)
        else:
            found.pop(key, None)
    return MappingProxyType(found)


def _edges(edges: tuple[Edge, ...], new: Briefing, changed: set[str], now: list[Entity],
           order: Order) -> tuple[tuple[Edge, ...], list[Edge]]:
    """The edges of the unchanged entities between themselves, and those of the changed ones made
    again: from their own claims and from the others' claims that link to them; and those made."""
    found: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for e in now:
        for claim in new.backlinks.get(e.id, ()):
            if claim.holder is not None and claim.holder not in changed:
                found[_pair(claim.holder, e.id)].append(claim)
        for claim in e.claims:
            for target in claim.links:
                if target != e.id and target in new.entity:
                    found[_pair(e.id, target)].append(claim)
    made = [Edge(a, b, tuple(sorted(cs, key=order))) for (a, b), cs in found.items()]
    kept = [edge for edge in edges if edge.a not in changed and edge.b not in changed]  # in order
    for edge in made:  # no two edges join the same pair: never beside an equal one
        bisect.insort(kept, edge, key=_ends)
    return tuple(kept), made


def _ends(edge: Edge) -> tuple[str, str]:
    return edge.a, edge.b


def _edges_of(old: Briefing, new: Briefing, changed: set[str], made: list[Edge]) -> Mapping[str, tuple[Edge, ...]]:
    """The edges by entity: those of the changed entities and of what they were or are connected
    to gathered again from the new edges, in their order; the others' are the last briefing's."""
    touched = set(changed).union(*((e.a, e.b) for e in made), *((e.a, e.b) for c in changed for e in old.edges_of.get(c, ())))
    gathered: dict[str, list[Edge]] = {id: [] for id in touched}
    for edge in new.edges:
        if edge.a in gathered:
            gathered[edge.a].append(edge)
        if edge.b in gathered:
            gathered[edge.b].append(edge)
    found = {id: edges for id, edges in old.edges_of.items() if id not in touched}
    found.update((id, tuple(edges)) for id, edges in gathered.items() if edges)
    return MappingProxyType(found)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)
