"""Model: the validated briefing as immutable values, and the views derived from it."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType

from .dates import PartialDate
from .history import NO_HISTORY, History
from .kinds import KIND, KindId
from .text.normalize import NormalizedText, normalize

__all__ = [
    "Alias",
    "Briefing",
    "Citation",
    "Claim",
    "Dispute",
    "Edge",
    "Entity",
    "Segment",
    "Source",
    "TimelineRow",
    "dated",
    "disputes_on",
    "timeline_order",
]

@dataclass(frozen=True, slots=True)
class Segment:
    """A run of curated text: plain, or a wikilink to the page of ``target``."""

    text: str
    target: str | None = None


@dataclass(frozen=True, slots=True)
class Citation:
    """A verified quote: where it stands in its source's article."""

    source: str
    quote: str
    start: int  # offsets in the article's original text
    end: int
    anchor: str  # the id of the passage on the source page
    via: tuple[Segment, ...] = ()  # where the source says it got the passage, as curated
    # What the via names, as origins are compared (see briefgen.corpus.origins): "entity:<id>",
    # "source:<id>" or "name:<words>"; () without a via.
    via_keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Claim:
    """One statement a source makes, held by an entity (or by the overview when None)."""

    holder: str | None
    text: tuple[Segment, ...]
    citations: tuple[Citation, ...]
    topic: str | None = None
    certainty: str = "reported"
    said_by: tuple[Segment, ...] = ()
    date: PartialDate | None = None
    file: str = ""
    line: int = 0

    @property
    def plain(self) -> str:
        """The claim's text as a reader sees it, without links."""
        return "".join(s.text for s in self.text)

    @property
    def links(self) -> tuple[str, ...]:
        """The ids this claim links to, in its text and in said_by, each once."""
        seen: dict[str, None] = {}
        for s in (*self.text, *self.said_by):
            if s.target is not None:
                seen.setdefault(s.target)
        return tuple(seen)

    @property
    def sources(self) -> tuple[str, ...]:
        """The distinct sources that make this claim, in citation order."""
        return tuple(dict.fromkeys(c.source for c in self.citations))


@dataclass(frozen=True, slots=True)
class Alias:
    """Another name of an entity, with the sources that used it."""

    name: str
    citations: tuple[Citation, ...] = ()
    link: bool = True


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organization, place or event."""

    id: str
    type: KindId
    name: str
    description: str = ""
    aliases: tuple[Alias, ...] = ()
    date: PartialDate | None = None
    claims: tuple[Claim, ...] = ()
    file: str = ""

    @property
    def folder(self) -> str:
        """The folder (and URL section) of this entity's type."""
        return KIND[self.type].folder

    @property
    def page(self) -> str:
        """The path of the entity's generated page."""
        return f"{self.folder}/{self.id}.md"

    @property
    def sources(self) -> tuple[str, ...]:
        """The distinct sources cited by this entity's claims and aliases."""
        cites = [c for claim in self.claims for c in claim.citations]
        cites += [c for alias in self.aliases for c in alias.citations]
        return tuple(sorted({c.source for c in cites}))


@dataclass(frozen=True)
class Source:
    """An archived article."""

    id: str
    file: str
    title: str
    text: str
    outlet: str = ""
    published: PartialDate | None = None
    url: str = ""
    author: str = ""
    reliability: str = ""  # the curator's Admiralty grade, A-F; "" when ungraded
    reliability_note: str = ""
    # What the source is, as origins are compared: "source:<id>", and for its outlet
    # "name:<words>" and "entity:<id>" of each entity of that name or alias.
    origin_keys: tuple[str, ...] = ()

    @property
    def page(self) -> str:
        """The path of the source's generated page."""
        return f"sources/{self.id}.md"

    @cached_property
    def normalized(self) -> NormalizedText:
        """The article's text as quotes are matched against it, with the map back."""
        return normalize(self.text)

    @cached_property
    def headline(self) -> tuple[int, int] | None:
        """The span of the first line when it repeats the title: the page's heading, not a paragraph."""
        lines = self._lines
        if lines and normalize(self.text[slice(*lines[0])]).text.strip() == normalize(self.title).text.strip():
            return lines[0]
        return None

    @cached_property
    def paragraphs(self) -> tuple[tuple[int, int], ...]:
        """The (start, end) of each paragraph of the body: every non-empty line but the headline."""
        return self._lines[1:] if self.headline else self._lines

    def line_at(self, offset: int) -> tuple[int, int]:
        """The (start, end) of the headline or paragraph that holds offset (or the nearest before it)."""
        k = bisect.bisect_right(self._line_starts, offset) - 1
        return self._lines[max(k, 0)] if self._lines else (0, len(self.text))

    @cached_property
    def _lines(self) -> tuple[tuple[int, int], ...]:
        return _lines(self.text)

    @cached_property
    def _line_starts(self) -> tuple[int, ...]:
        return tuple(start for start, _ in self._lines)


def _lines(text: str) -> tuple[tuple[int, int], ...]:
    spans = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.strip():
            spans.append((pos, pos + len(body)))
        pos += len(line)
    return tuple(spans)


@dataclass(frozen=True, slots=True)
class Dispute:
    """A topic on which an entity holds two or more claims: accounts that differ."""

    entity: Entity
    topic: str
    claims: tuple[Claim, ...]


@dataclass(frozen=True, slots=True)
class Edge:
    """A connection between two entities, backed by the claims that link them."""

    a: str
    b: str
    claims: tuple[Claim, ...]


@dataclass(frozen=True)
class Briefing:
    """A whole validated corpus."""

    title: str
    overview: tuple[Claim, ...]
    sources: tuple[Source, ...]
    entities: tuple[Entity, ...]
    history: History = NO_HISTORY  # the corpus folder's changes, where its git history was read

    @cached_property
    def entity(self) -> Mapping[str, Entity]:
        """Entities by id."""
        return MappingProxyType({e.id: e for e in self.entities})

    @cached_property
    def source(self) -> Mapping[str, Source]:
        """Sources by id."""
        return MappingProxyType({s.id: s for s in self.sources})

    def page_of(self, id: str) -> str:
        """The generated page of an entity or a source."""
        return self.entity[id].page if id in self.entity else self.source[id].page

    def name_of(self, id: str) -> str:
        """The display name of an entity, or the title of a source."""
        return self.entity[id].name if id in self.entity else self.source[id].title

    def by_type(self, type: str) -> tuple[Entity, ...]:
        """The entities of one type, sorted by name."""
        return self._by_type.get(type, ())

    @cached_property
    def _by_type(self) -> Mapping[str, tuple[Entity, ...]]:
        found: dict[str, list[Entity]] = defaultdict(list)
        for e in self.entities:
            found[e.type].append(e)
        return MappingProxyType({t: tuple(sorted(es, key=lambda e: (e.name.casefold(), e.id))) for t, es in found.items()})

    @cached_property
    def graded(self) -> bool:
        """Whether any source has a reliability grade."""
        return any(s.reliability for s in self.sources)

    @cached_property
    def relayed(self) -> bool:
        """Whether any citation says where its source got the passage (a ``via``)."""
        return any(c.via for claim in self.claims for c in claim.citations) \
            or any(c.via for e in self.entities for alias in e.aliases for c in alias.citations)

    @cached_property
    def text_size(self) -> int:
        """The briefing's own text in UTF-8 bytes: articles and their titles, claims and who said
        them, names, aliases and descriptions; what its search index holds, at least once."""
        parts = [t for s in self.sources for t in (s.text, s.title)]
        parts += [t for c in self.claims for t in (c.plain, "".join(s.text for s in c.said_by))]
        parts += [t for e in self.entities for t in (e.name, e.description, *(a.name for a in e.aliases))]
        return sum(len(t.encode()) for t in parts)

    @cached_property
    def claims(self) -> tuple[Claim, ...]:
        """Every claim: the overview's, then each entity's in corpus order."""
        return self.overview + tuple(c for e in self.entities for c in e.claims)

    @cached_property
    def backlinks(self) -> Mapping[str, tuple[Claim, ...]]:
        """For each id, the claims of other entities that link to it."""
        found: dict[str, list[Claim]] = defaultdict(list)
        for e in self.entities:
            for claim in e.claims:
                for target in claim.links:
                    if target != e.id:
                        found[target].append(claim)
        return MappingProxyType({k: tuple(v) for k, v in found.items()})

    @cached_property
    def disputes(self) -> tuple[Dispute, ...]:
        """Every topic with two or more claims on one entity, in corpus order."""
        return tuple(d for e in self.entities for d in disputes_on(e))

    @cached_property
    def disputes_of(self) -> Mapping[str, tuple[Dispute, ...]]:
        """The disputes on each entity."""
        found: dict[str, list[Dispute]] = defaultdict(list)
        for d in self.disputes:
            found[d.entity.id].append(d)
        return MappingProxyType({k: tuple(v) for k, v in found.items()})

    @cached_property
    def edges_of(self) -> Mapping[str, tuple[Edge, ...]]:
        """The edges that touch each entity."""
        found: dict[str, list[Edge]] = defaultdict(list)
        for edge in self.edges:
            found[edge.a].append(edge)
            found[edge.b].append(edge)
        return MappingProxyType({k: tuple(v) for k, v in found.items()})

    @cached_property
    def citations_by_source(self) -> Mapping[str, tuple[Citation, ...]]:
        """Every citation of each source, from claims, aliases and the overview."""
        found: dict[str, list[Citation]] = defaultdict(list)
        for claim in self.claims:
            for c in claim.citations:
                found[c.source].append(c)
        for e in self.entities:
            for alias in e.aliases:
                for c in alias.citations:
                    found[c.source].append(c)
        return MappingProxyType({k: tuple(v) for k, v in found.items()})

    @cached_property
    def claims_by_source(self) -> Mapping[str, tuple[Claim, ...]]:
        """The claims that cite each source."""
        found: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.claims:
            for s in claim.sources:
                found[s].append(claim)
        return MappingProxyType({k: tuple(v) for k, v in found.items()})

    @cached_property
    def timeline(self) -> tuple[TimelineRow, ...]:
        """Every dated claim, with the entity that holds it, in date order."""
        return tuple(sorted((row for e in self.entities for row in dated(e)), key=timeline_order))

    @cached_property
    def edges(self) -> tuple[Edge, ...]:
        """Every connection between two entities, each with the claims that make it."""
        found: dict[tuple[str, str], list[Claim]] = defaultdict(list)
        for e in self.entities:
            for claim in e.claims:
                for target in claim.links:
                    if target != e.id and target in self.entity:
                        found[(e.id, target) if e.id < target else (target, e.id)].append(claim)
        return tuple(Edge(a, b, tuple(cs)) for (a, b), cs in sorted(found.items()))


TimelineRow = tuple[PartialDate, Entity, Claim]


def dated(entity: Entity) -> list[TimelineRow]:
    """An entity's dated claims as rows of the timeline, in the entity's order."""
    return [(c.date, entity, c) for c in entity.claims if c.date]


def timeline_order(row: TimelineRow) -> tuple[object, ...]:
    """A row's place in the timeline: its date, then its entity by name (no two entities tie)."""
    # a date's fields, not the date: PartialDate's own comparisons are Python calls
    return row[0].year, row[0].month, row[0].day, row[1].name.casefold(), row[1].id


def disputes_on(entity: Entity) -> list[Dispute]:
    """Each topic of two or more of the entity's claims, in the order the topics first appear."""
    topics: dict[str, list[Claim]] = defaultdict(list)
    for claim in entity.claims:
        if claim.topic:
            topics[claim.topic].append(claim)
    return [Dispute(entity, t, tuple(cs)) for t, cs in topics.items() if len(cs) > 1]
