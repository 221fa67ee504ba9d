"""The kinds of page: each a ``PageSpec`` that says which pages of its kind a briefing has, the
template that renders them, what the template is given, and what data each page shows.

A new kind of page is a spec here and its template: the rendering, the incremental rebuild
of ``mkdocs serve``, the navigation and the breadcrumbs all read the specs.

What a page shows is said with its spec's ``depends_on`` (worked out by ``Shows``): the ids of
the entities and sources whose data it prints, ``named(id)`` for those it only links to (by name,
at their page's path), ``claim_at(id, line)`` for a claim of an entity that it shows beside a
link to the entity, and the tokens below for the briefing's other data. ``update_site`` renders
a page again when anything it depends on differs between the old briefing and the new one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..dates import PartialDate
from ..kinds import KINDS, Kind
from ..model import Briefing, Citation, Claim, Entity, Source
from .article import article_context
from .changes import CHANGES, FEED, feed_xml
from .context import PageContext
from .graph import drawn
from .listing import Period, letter_groups, timeline_periods

__all__ = ["ANY", "CITING", "COUNTS", "DRAWN", "HISTORY", "NAMES", "OVERVIEW", "PERIODS", "SECTION_PAGES", "SOURCING",
           "SPECS", "TITLE", "Depends", "Page", "PageSpec", "Shows", "changed_on", "claim_at", "counts", "drawing",
           "every_page_shows", "listed", "named", "pages", "periods", "row", "sourcing"]

# What a page may depend on besides ids (which are never written with these characters):
TITLE = ":title"  # the briefing's title
HISTORY = ":history"  # the record's changes
OVERVIEW = ":overview"  # the overview's claims
NAMES = ":names"  # every entity's name, aliases and kind: the names an article's text links
COUNTS = ":counts"  # how many entities of each kind, sources and accounts that differ there are
CITING = ":citing"  # how many claims cite each source
PERIODS = ":periods"  # the timeline's pages: their paths, titles and numbers of claims
DRAWN = ":drawn"  # which entities the whole graph draws, which connections between them, of how many
SOURCING = ":sourcing"  # whether any citation says where its source got the passage, whether any source is graded
ANY = ":any"  # anything at all: the page shows the whole briefing

Depends = frozenset[str]


def named(id: str) -> str:
    """What a link to an entity or source shows: its name (or title) and its page's path."""
    return id + "#name"


def claim_at(id: str, line: int) -> str:
    """The claims of an entity's file at a line (one, unless the claims were made elsewhere), as
    they show beside a link to the entity: on the pages of what they mention and cite, on the
    timeline, among the accounts that differ."""
    return f"{id}#claim{line}"


def listed(id: str) -> str:
    """What an entity's row in the list of its kind shows (``row``)."""
    return id + "#listed"


def changed_on(id: str) -> str:
    """When an entity's record last changed, which its page says."""
    return id + "#changed"


@dataclass(frozen=True)
class PageSpec:
    """A kind of page.

    ``pages`` gives each page of the kind as (path, item), ``context`` the template's values for
    an item, ``depends_on`` what the page of an item shows, and ``inputs``, if given, all that
    ``depends_on`` reads, as a value: equal inputs, equal dependencies. A section page (in the
    navigation) has a ``nav`` title; the pages under a section's folder have it in their
    breadcrumbs.
    """

    name: str
    template: str
    pages: Callable[[Briefing], Iterable[tuple[str, Any]]]
    context: Callable[[PageContext, Any], Mapping[str, Any]]
    depends_on: Callable[[Shows, Any], Depends]
    nav: Callable[[Any], str] | None = None
    build: Callable[[PageContext, Any], str] | None = None  # a page that is no template's: the feed
    inputs: Callable[[Briefing, Any], object] | None = None


@dataclass(frozen=True)
class Page:
    """One page of the site: its path, its kind and the item it shows."""

    path: str
    spec: PageSpec
    item: Any


def pages(briefing: Briefing) -> list[Page]:
    """Every page of the briefing's site, in a stable order."""
    return [Page(path, spec, item) for spec in SPECS for path, item in spec.pages(briefing)]


# -- what pages show --------------------------------------------------------------------------

class Shows:
    """What the pages of one briefing show, each page's worked out once, and each claim's: a claim
    shows on its entity's page, on the page of everything it links to, of every source it cites,
    on the timeline and on the graph.

    ``earlier``, the ``Shows`` of the briefing before an edit, lends what its claims show to those
    claims that are still this briefing's (a serve's check keeps the claims of unchanged files, the
    same objects), and what its pages show to those whose spec's inputs are the same.
    """

    def __init__(self, briefing: Briefing, earlier: Shows | None = None) -> None:
        self.briefing = briefing
        self._pages: dict[str, tuple[PageSpec, object, Depends]] = {}  # by path: the spec, its inputs, what it shows
        # by id(claim): the claim (which keeps its id its own), what it shows, and with its holder
        self._claims: dict[int, tuple[Claim, frozenset[str], frozenset[str]]] = {}
        self._earlier: dict[str, tuple[PageSpec, object, Depends]] = {}
        if earlier is not None:
            # each entry holds its claim, so no other claim can come to have its id: those of
            # claims gone since are dropped once they could make up a third of the table
            self._claims = dict(earlier._claims)
            if len(self._claims) > 1.5 * len(briefing.claims) + 1000:
                live = {id(c) for c in briefing.claims}
                self._claims = {key: made for key, made in self._claims.items() if key in live}
            self._earlier = earlier._pages

    def page(self, page: Page) -> Depends:
        """What a page of the briefing shows."""
        found = self._pages.get(page.path)
        if found is None:
            spec = page.spec
            inputs = spec.inputs(self.briefing, page.item) if spec.inputs is not None else None
            kept = self._earlier.get(page.path) if inputs is not None else None
            shown = kept[2] if kept is not None and kept[0] is spec and kept[1] == inputs else spec.depends_on(self, page.item)
            found = self._pages[page.path] = (spec, inputs, shown)
        return found[2]

    def claims(self, claims: Iterable[Claim], holders: bool = True) -> set[str]:
        """What claims show: the names they link to, the sources they cite (each citation shows
        its source's title, outlet, grade, date and passage) and what their citations' vias link
        to; with ``holders``, each claim's holder by name beside it (or the overview's)."""
        shown: set[str] = set()
        made = self._claims
        for claim in claims:
            refs = made.get(id(claim))
            if refs is None:
                refs = made[id(claim)] = _refs(claim)
            shown |= refs[2] if holders else refs[1]
        return shown


def every_page_shows(briefing: Briefing) -> Shows:
    """What every page of the briefing shows, worked out now."""
    shows = Shows(briefing)
    for page in pages(briefing):
        shows.page(page)
    return shows


def _refs(claim: Claim) -> tuple[Claim, frozenset[str], frozenset[str]]:
    refs = frozenset({*(named(id) for id in claim.links), *claim.sources, *vias(claim.citations)})
    holder = (named(claim.holder), claim_at(claim.holder, claim.line)) if claim.holder else (OVERVIEW,)
    return claim, refs, refs.union(holder)


def vias(citations: Iterable[Citation]) -> set[str]:
    """What citations' vias show: a via's link is not an edge, only the name and page of what it
    links to show."""
    return {named(s.target) for c in citations for s in c.via if s.target is not None}


def _everything(shows: Shows, item: Any) -> Depends:
    return frozenset({ANY})


def _entity_depends(shows: Shows, entity: Entity) -> Depends:
    # its claims and aliases, the claims that mention it, and so its connections: the neighbours
    # by name and kind (each one a claim links), the claims that make them
    briefing = shows.briefing
    shown = {entity.id, changed_on(entity.id), *entity.sources, *shows.claims(entity.claims, holders=False)}
    shown |= vias(c for a in entity.aliases for c in a.citations)
    shown |= shows.claims(briefing.backlinks.get(entity.id, ()))
    if not entity.description:
        shown.add(TITLE)  # the page's description names the briefing
    return frozenset(shown)


def _entity_inputs(briefing: Briefing, entity: Entity) -> object:
    return entity, briefing.backlinks.get(entity.id, ())


def _home_depends(shows: Shows, item: None) -> Depends:
    # the overview, the key events, how many of each there are
    briefing = shows.briefing
    return frozenset({TITLE, OVERVIEW, COUNTS, *shows.claims(briefing.overview), *(e.id for e in briefing.by_type("event"))})


def _listing_depends(shows: Shows, kind: Kind) -> Depends:
    return frozenset({TITLE, *(listed(e.id) for e in shows.briefing.by_type(kind.id))})


def row(entity: Entity | None) -> tuple[object, ...] | None:
    """What the ``listed`` token of an entity stands for: its name, kind, aliases and description,
    and its claims and sources counted."""
    if entity is None:
        return None
    return (entity.name, entity.type, tuple(a.name for a in entity.aliases), entity.description,
            len(entity.claims), len(entity.sources))


def _guide_depends(shows: Shows, item: None) -> Depends:
    # the paragraphs on origins, grades and changes are there if the briefing has them
    return frozenset({TITLE, HISTORY, SOURCING})


def sourcing(briefing: Briefing) -> tuple[bool, bool]:
    """What the ``SOURCING`` token stands for."""
    return briefing.relayed, briefing.graded


def _sources_listing_depends(shows: Shows, item: None) -> Depends:
    return frozenset({TITLE, CITING, *(s.id for s in shows.briefing.sources)})


def _timeline_depends(shows: Shows, item: None) -> Depends:
    # a long timeline lists its pages with their numbers of claims; a short one, every dated claim
    timeline = shows.briefing.timeline
    rows = () if timeline_periods(timeline) else timeline
    return frozenset({TITLE, PERIODS, *shows.claims(claim for _, _, claim in rows)})


def _period_depends(shows: Shows, item: tuple[Period, Period | None, Period | None]) -> Depends:
    return frozenset({TITLE, PERIODS, *shows.claims(_period_claims(shows.briefing, item))})


def _period_claims(briefing: Briefing, item: tuple[Period, Period | None, Period | None]) -> tuple[Claim, ...]:
    return tuple(claim for _, _, claim in item[0].rows)


def _disputes_depends(shows: Shows, item: None) -> Depends:
    disputes = shows.briefing.disputes
    return frozenset({TITLE, *(d.entity.id for d in disputes),
                      *shows.claims(claim for d in disputes for claim in d.claims)})


def _graph_depends(shows: Shows, item: None) -> Depends:
    # the drawn entities by name and kind, the connections drawn and their claims (each claim
    # shown with its citations): a claim between entities the graph leaves out is not on it
    chosen, edges, _ = drawn(shows.briefing)
    return frozenset({TITLE, DRAWN, *map(named, chosen), *shows.claims(c for edge in edges for c in edge.claims)})


def _graph_inputs(briefing: Briefing, item: None) -> object:
    return drawn(briefing)


def drawing(briefing: Briefing) -> tuple[object, ...]:
    """What the ``DRAWN`` token stands for."""
    chosen, edges, total = drawn(briefing)
    return chosen, tuple((e.a, e.b) for e in edges), total


def _source_inputs(briefing: Briefing, source: Source) -> object:
    return source, briefing.claims_by_source.get(source.id, ())


def _source_depends(shows: Shows, source: Source) -> Depends:
    # the article links every known name; passages cited by aliases change the names too
    return frozenset({source.id, NAMES, *shows.claims(shows.briefing.claims_by_source.get(source.id, ()))})


def counts(briefing: Briefing) -> tuple[object, ...]:
    """What the ``COUNTS`` token stands for."""
    return (tuple(len(briefing.by_type(k.id)) for k in KINDS), len(briefing.sources), len(briefing.disputes))


def periods(briefing: Briefing) -> list[tuple[str, str, int]]:
    """What the ``PERIODS`` token stands for."""
    return [(p.path, p.title, len(p.rows)) for p in timeline_periods(briefing.timeline)]


# -- what templates are given -----------------------------------------------------------------

def _nothing(page: PageContext, item: Any) -> Mapping[str, Any]:
    return {}


def _home(page: PageContext, item: None) -> Mapping[str, Any]:
    events = sorted(page.briefing.by_type("event"),
                    key=lambda e: (e.date is None, e.date or PartialDate(1), e.name.casefold()))
    return {"events": events}


def _listing(page: PageContext, kind: Kind) -> Mapping[str, Any]:
    entities = page.briefing.by_type(kind.id)
    return {"type": kind.id, "title": kind.title, "entities": entities, "groups": letter_groups(entities, lambda e: e.name)}


def _sources(page: PageContext, item: None) -> Mapping[str, Any]:
    return {"groups": letter_groups(page.briefing.sources, lambda s: s.title)}


def _entity(page: PageContext, e: Entity) -> Mapping[str, Any]:
    """The entity's own claims, its accounts that differ, dates, backlinks and connections."""
    briefing = page.briefing
    disputes = briefing.disputes_of.get(e.id, ())
    disputed = {d.topic for d in disputes}
    connections = {(edge.b if edge.a == e.id else edge.a): edge.claims for edge in briefing.edges_of.get(e.id, ())}
    return {
        "entity": e,
        "claims": [c for c in e.claims if c.topic not in disputed],
        "disputes": disputes,
        "dated": sorted((c for c in e.claims if c.date), key=lambda c: c.date or PartialDate(1)),
        "backlinks": briefing.backlinks.get(e.id, ()),
        "connections": dict(sorted(connections.items(), key=lambda kv: (briefing.entity[kv[0]].name.casefold(), kv[0]))),
    }


def _feed(briefing: Briefing) -> Iterable[tuple[str, Any]]:
    return [(FEED, None)] if briefing.history.dated else []


def _timeline(page: PageContext, item: None) -> Mapping[str, Any]:
    return {"periods": timeline_periods(page.briefing.timeline)}


def _periods(briefing: Briefing) -> Iterator[tuple[str, tuple[Period, Period | None, Period | None]]]:
    periods = timeline_periods(briefing.timeline)
    for i, period in enumerate(periods):
        yield period.path, (period, periods[i - 1] if i else None, periods[i + 1] if i + 1 < len(periods) else None)


def _period(page: PageContext, item: tuple[Period, Period | None, Period | None]) -> Mapping[str, Any]:
    period, previous, next = item
    return {"period": period, "previous": previous, "next": next}


def _one(path: str) -> Callable[[Briefing], Iterable[tuple[str, Any]]]:
    return lambda briefing: [(path, None)]


def _titled(title: str) -> Callable[[Any], str]:
    return lambda item: title


# In the order of the site's pages; the section pages in the order of the navigation.
SPECS: tuple[PageSpec, ...] = (
    PageSpec("home", "home.md.j2", _one("index.md"), _home, _home_depends, _titled("Home")),
    PageSpec("listing", "listing.md.j2", lambda b: [(f"{k.folder}/index.md", k) for k in KINDS], _listing, _listing_depends,
             lambda kind: kind.title),
    PageSpec("sources", "sources.md.j2", _one("sources/index.md"), _sources, _sources_listing_depends, _titled("Sources")),
    PageSpec("entity", "entity.md.j2", lambda b: [(e.page, e) for e in b.entities], _entity, _entity_depends,
             inputs=_entity_inputs),
    PageSpec("source", "source.md.j2", lambda b: [(s.page, s) for s in b.sources], article_context, _source_depends,
             inputs=_source_inputs),
    PageSpec("timeline", "timeline.md.j2", _one("timeline.md"), _timeline, _timeline_depends, _titled("Timeline")),
    PageSpec("timeline period", "timeline-period.md.j2", _periods, _period, _period_depends, inputs=_period_claims),
    PageSpec("disputes", "disputes.md.j2", _one("disputes.md"), _nothing, _disputes_depends, _titled("Disputes")),
    PageSpec("graph", "graph.md.j2", _one("graph.md"), _nothing, _graph_depends, _titled("Connections"),
             inputs=_graph_inputs),
    PageSpec("changes", "changes.md.j2", _one(CHANGES), _nothing, _everything, _titled("Changes")),
    PageSpec("how to read", "how-to-read.md.j2", _one("how-to-read.md"), _nothing, _guide_depends, _titled("How to read")),
    PageSpec("feed", "", _feed, _nothing, _everything,
             build=lambda page, item: feed_xml(page.briefing, page.site.directory_urls)),
)

# The pages of the site's navigation, in order: (title, path).
SECTION_PAGES: tuple[tuple[str, str], ...] = tuple(
    (spec.nav(item), path) for spec in SPECS if spec.nav is not None
    for path, item in spec.pages(Briefing("", (), (), ()))
)
