"""The record's history: what each date of the corpus's git history added, changed and removed.

These are values, made by ``corpus.history`` from the commits and shown by the changes page,
the feed and each entity page. A claim here is the claim as a commit recorded it (``Fact``),
not a checked ``model.Claim``: an old commit's quote is not checked against today's articles.
"""

from __future__ import annotations

import datetime
import difflib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import Literal

__all__ = ["NO_HISTORY", "Day", "DisputeChange", "EntityFacts", "Fact", "History", "Revision", "SourceChange",
           "diff_day", "pair_claims"]

# How alike two wordings must be (difflib's ratio) for a claim with other evidence to be the same claim.
ALIKE = 0.6


@dataclass(frozen=True, slots=True)
class Fact:
    """A claim as a commit records it: its wording and the passages it cites."""

    text: str
    cites: tuple[tuple[str, str], ...]  # (source, quote)
    topic: str = ""
    certainty: str = ""
    said_by: str = ""
    date: str = ""


@dataclass(frozen=True, slots=True)
class EntityFacts:
    """An entity file as a commit records it ("" is the id of the briefing's overview)."""

    kind: str
    name: str
    description: str
    aliases: tuple[str, ...]
    claims: tuple[Fact, ...]


@dataclass(frozen=True, slots=True)
class Revision:
    """One claim added (no ``old``), changed (both) or removed (no ``new``)."""

    entity: str
    name: str
    old: Fact | None
    new: Fact | None

    @property
    def kind(self) -> Literal["added", "changed", "removed"]:
        """Added, changed or removed."""
        return "added" if self.old is None else "removed" if self.new is None else "changed"

    @property
    def what(self) -> tuple[str, ...]:
        """For a changed claim, what changed: "wording", "quote", or "certainty: reported to
        believed" for the parts that are a word or two."""
        if self.old is None or self.new is None:
            return ()
        out = []
        for label, field, default in _PARTS:
            was, now = getattr(self.old, field), getattr(self.new, field)
            if was != now:
                out.append(f"{label}: {was or default} to {now or default}" if default else f"{label} changed")
        return tuple(out)


_PARTS = (("wording", "text", ""), ("quote", "cites", ""), ("topic", "topic", "none"),
          ("certainty", "certainty", "reported"), ("attribution", "said_by", "none"), ("date", "date", "none"))


@dataclass(frozen=True, slots=True)
class DisputeChange:
    """Accounts that differ on a topic, opened (a second account came) or closed."""

    entity: str
    name: str
    topic: str
    opened: bool


@dataclass(frozen=True, slots=True)
class SourceChange:
    """A source added to sources.yaml, or removed from it."""

    id: str
    title: str
    added: bool


@dataclass(frozen=True, slots=True)
class Day:
    """What one date changed; ``day`` None for the edits not yet committed."""

    day: datetime.date | None
    claims: tuple[Revision, ...]
    sources: tuple[SourceChange, ...]
    disputes: tuple[DisputeChange, ...]
    entities: tuple[str, ...]  # the ids whose records changed, any part of them
    first: bool = False  # the day the record begins: everything on it is new

    def count(self, kind: str) -> int:
        """How many claims were added, changed or removed."""
        return sum(1 for r in self.claims if r.kind == kind)

    @property
    def edited(self) -> tuple[str, ...]:
        """The entities whose name, description or aliases changed, and none of their claims."""
        holders = {r.entity for r in self.claims}
        return tuple(id for id in self.entities if id not in holders)


HistoryState = Literal["read", "none", "shallow"]


@dataclass(frozen=True)
class History:
    """The dates of change, newest first (the edits not yet committed before them), or, in
    ``note``, why there are none to show."""

    state: HistoryState
    note: str = ""
    days: tuple[Day, ...] = ()

    @cached_property
    def last_changed(self) -> Mapping[str, Day]:
        """For each entity id, the newest day that changed its record."""
        found: dict[str, Day] = {}
        for day in self.days:
            for id in day.entities:
                found.setdefault(id, day)
        return MappingProxyType(found)

    @property
    def dated(self) -> tuple[Day, ...]:
        """The committed days, newest first."""
        return tuple(d for d in self.days if d.day is not None)


NO_HISTORY = History("none", "This build read no history of the corpus.")


def pair_claims(old: Sequence[Fact], new: Sequence[Fact]) -> list[tuple[Fact | None, Fact | None]]:
    """The claims of one entity before and after, paired: (old, new) for a claim changed,
    (None, new) added, (old, None) removed; those unchanged left out.

    A claim is the same claim when it cites the same passages, or says the same thing, or, failing
    both, when it cites one of the same sources in much the same words. Where its lines are or how
    its YAML is written never matters: facts are compared as values.
    """
    old_left, new_left = list(old), list(new)
    for fact in new:
        if fact in old_left:
            old_left.remove(fact)
            new_left.remove(fact)
    pairs: list[tuple[Fact | None, Fact | None]] = []
    for field in ("cites", "text"):
        for fact in list(new_left):
            match = next((o for o in old_left if getattr(o, field) == getattr(fact, field)), None)
            if match is not None:
                pairs.append((match, fact))
                old_left.remove(match)
                new_left.remove(fact)
    alike = sorted(((-difflib.SequenceMatcher(None, o.text, n.text).ratio(), i, j)
                    for i, o in enumerate(old_left) for j, n in enumerate(new_left)
                    if {s for s, _ in o.cites} & {s for s, _ in n.cites}))
    used_old: set[int] = set()
    used_new: set[int] = set()
    for score, i, j in alike:
        if -score >= ALIKE and i not in used_old and j not in used_new:
            pairs.append((old_left[i], new_left[j]))
            used_old.add(i)
            used_new.add(j)
    pairs += [(None, n) for j, n in enumerate(new_left) if j not in used_new]
    pairs += [(o, None) for i, o in enumerate(old_left) if i not in used_old]
    order = {id(f): k for k, f in enumerate((*new, *old))}
    return sorted(pairs, key=lambda p: (p[1] is None, order[id(p[1] if p[1] is not None else p[0])]))


def _topics(entity: EntityFacts | None) -> set[str]:
    """The topics with accounts that differ: two or more claims."""
    seen = Counter(fact.topic for fact in entity.claims if fact.topic) if entity is not None else Counter()
    return {t for t, n in seen.items() if n > 1}


def _record(entity: EntityFacts | None) -> tuple[str, ...] | None:
    """What an entity's page says of it besides its claims."""
    return None if entity is None else (entity.kind, entity.name, entity.description, *entity.aliases)


def diff_day(day: datetime.date | None, before: Mapping[str, EntityFacts | None], after: Mapping[str, EntityFacts],
             sources_before: Mapping[str, str], sources_after: Mapping[str, str], *, first: bool = False) -> Day | None:
    """What changed between two states, for the ids in ``before`` (each entity as it was, None if
    it was not there), or None if nothing did."""
    claims: list[Revision] = []
    disputes: list[DisputeChange] = []
    entities: list[str] = []
    for id in sorted(before, key=lambda id: ((after.get(id) or before[id]).name.casefold(), id)):  # type: ignore[union-attr]
        old, new = before[id], after.get(id)
        name = (new or old).name  # type: ignore[union-attr]
        revisions = [Revision(id, name, a, b) for a, b in pair_claims(old.claims if old else (), new.claims if new else ())]
        was, now = _topics(old), _topics(new)
        # claims put in another order, or YAML written another way, change nothing
        if not revisions and was == now and _record(old) == _record(new):
            continue
        entities.append(id)
        claims += revisions
        disputes += [DisputeChange(id, name, t, True) for t in sorted(now - was)]
        disputes += [DisputeChange(id, name, t, False) for t in sorted(was - now)]
    sources = [SourceChange(id, title, True) for id, title in sources_after.items() if id not in sources_before]
    sources += [SourceChange(id, title, False) for id, title in sources_before.items() if id not in sources_after]
    if not (entities or sources):  # an entity's claims or disputes changed: it is in entities
        return None
    return Day(day, tuple(claims), tuple(sources), tuple(disputes), tuple(e for e in entities if e), first)
