"""The page context: what a template needs to link and cite from one page.

A claim, a citation or a link reads the same on every page at one depth (links climb to the
site's root and go down to their target), so each is made once per depth and kept in the
site's memo; only footnote numbers differ from page to page.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup

from ..corpus.origins import origins
from ..corpus.schema import RELIABILITY
from ..dates import PartialDate
from ..history import Day, Fact
from ..kinds import KINDS
from ..model import Briefing, Citation, Claim, Entity, Segment, Source
from ..speed.memo import Memo
from ..text.escape import direction, inert, is_bidi, summary
from ..text.names import NameMatcher, name_matcher
from . import changes, markup
from .graph import Drawing, neighbourhood, svg, whole_graph

__all__ = ["PageContext", "Site"]

# The certainties a claim is labelled with; "reported", the default, goes without a label.
LABELLED = frozenset({"confirmed", "believed", "alleged"})


@dataclass
class Site:
    """A briefing on its way to pages: the templates, the URL style, and the memo of the parts
    that pages share."""

    briefing: Briefing
    env: jinja2.Environment
    directory_urls: bool = True
    memo: Memo = field(default_factory=Memo)

    @functools.cached_property
    def names(self) -> NameMatcher:
        """The matcher of names in articles, made by the first process to render a source page."""
        return name_matcher(self.briefing)

    def render(self, template: str, page: PageContext, **context: Any) -> str:
        """A page from its template, with the context its parts are made with."""
        text = self.env.get_template(template).render(page=page, briefing=self.briefing, kinds=KINDS,
                                                      reliability=RELIABILITY, **context)
        return markup.tidy(text)


@dataclass
class _Footnotes:
    """The citations of one page, numbered in the order they are first cited."""

    numbers: dict[tuple[str, int, int, tuple[Segment, ...]], int] = field(default_factory=dict)
    notes: list[Citation] = field(default_factory=list)

    def number(self, c: Citation) -> int:
        key = (c.source, c.start, c.end, c.via)
        if key not in self.numbers:
            self.numbers[key] = len(self.notes) + 1
            self.notes.append(c)
        return self.numbers[key]


class PageContext:
    """What a template needs to link and cite from one page."""

    def __init__(self, site: Site, path: str) -> None:
        self.site = site
        self.briefing = site.briefing
        self.path = path
        self.up = "../" * path.count("/")
        self._url_up = "../" * markup.page_url(path, site.directory_urls).count("/")  # the same, for raw HTML (href)
        self._notes = _Footnotes()
        memo = site.memo
        # made once per depth (links are relative); passages once for all
        self._claims: dict[tuple[str, int, bool], str] = memo.table("claim")
        self._citations: dict[tuple[str, str, int, int, tuple[Segment, ...]], str] = memo.table("citation")
        self._links: dict[tuple[str, str, str | None], str] = memo.table("link")
        self._passages: dict[tuple[str, int, int], str] = memo.table("passage")
        self._cited_sources: dict[tuple[str, str], tuple[str, str, str]] = memo.table("cited source")
        self._edge_titles: dict[tuple[str, str], str] = memo.table("edge title")

    # -- links ------------------------------------------------------------------------------

    def url(self, target: str) -> str:
        """A relative link from this page to another generated page (by path)."""
        return self.up + target

    def href(self, target: str) -> str:
        """A relative URL (not a Markdown path) from this page to another, for raw HTML: like
        ``url``, it climbs to the site's root and goes down to the target."""
        directory_urls = self.site.directory_urls
        if target == self.path and directory_urls:
            return "./"
        return self._url_up + markup.page_url(target, directory_urls)

    def link(self, id: str, label: str | None = None) -> Markup:
        """A Markdown link to the page of an entity or source."""
        return Markup(self._link(id, label))

    def _link(self, id: str, label: str | None = None) -> str:
        key = (self.up, id, label)
        text = self._links.get(key)
        if text is None:
            name = label if label is not None else self.briefing.name_of(id)
            text = self._links[key] = f"[{markup.isolated(name)}]({self.url(self.briefing.page_of(id))})"
        return text

    def page_link(self, path: str, label: str) -> Markup:
        """A Markdown link to a generated page by its path."""
        return Markup(f"[{inert(label)}]({self.url(path)})")

    # -- claims and citations ---------------------------------------------------------------

    def claim(self, claim: Claim, *, label: bool = True) -> Markup:
        """A claim as a reader sees it: certainty, text, attribution, corroboration, citations."""
        key = (self.up, id(claim), label)
        body = self._claims.get(key)
        if body is None:
            body = self._claims[key] = self._claim_body(claim, label)
        return Markup(body + self._cite(claim.citations))

    def _claim_body(self, claim: Claim, label: bool) -> str:
        parts = []
        word = claim.certainty
        if label and word in LABELLED:
            parts.append(f'<span class="bg-certainty bg-certainty--{word}" title="The source says this is {word}">'
                         f"{word.capitalize()}:</span> ")
        parts.append(self._segments(claim.text))
        if claim.said_by:
            parts.append(f" <span class=\"bg-said-by\">according to {self._segments(claim.said_by)}</span>")
        parts.append(self._corroboration(claim))
        return "".join(parts)

    def _corroboration(self, claim: Claim) -> str:
        """How many sources make a claim and, where a cite says where it got the passage, from how
        many independent origins: "2 sources, 1 origin: both via the Pentagon"."""
        n = len(claim.sources)
        if not any(c.via for c in claim.citations):
            return f' <span class="bg-sources" title="Cited by {n} sources">{n} sources</span>' if n > 1 else ""
        found = origins(claim.citations, self.briefing.source)
        if n == 1 and len(found) == 1:
            return ""
        parts = []
        for o in found:
            k = len(o.sources)
            if k > 1:
                some = ("both" if k == 2 else f"all {k}") if k == n else f"{k} of them"
                parts.append(f"{some} via {self._segments(o.via)}" if o.via else f"{some} from {self._source(o.source)}")
        text = f"{markup.count(n, 'source')}, {markup.count(len(found), 'origin')}" + (": " + "; ".join(parts) if parts else "")
        title = f"Cited by {markup.count(n, 'source')}, from {markup.count(len(found), 'independent origin')}"
        return f' <span class="bg-sources bg-sources--origins" title="{title}">{text}</span>'

    def _source(self, id: str) -> str:
        """A link to a source, by its outlet (or title), and its grade."""
        s = self.briefing.source[id]
        return self._link(id, s.outlet or s.title) + _grade(s)

    def grade(self, source: Source) -> Markup:
        """A source's reliability grade, A-F, with what it means on hover; nothing if ungraded."""
        return Markup(_grade(source).lstrip())

    def account_sources(self, claim: Claim) -> Markup:
        """The sources of an account that differs: each with its grade, and, where a cite says where
        it got the passage, grouped by origin with what they relay ("Bustle via NBC News; VOA B")."""
        relayed = any(c.via for c in claim.citations)
        groups = []
        shown: set[str] = set()
        for o in origins(claim.citations, self.briefing.source):
            fresh = [s for s in o.sources if s not in shown]  # an article with two origins is named once
            shown.update(o.sources)
            if not fresh:
                groups.append(f"also via {self._segments(o.via)}" if o.via else "also its own reporting")
                continue
            names = []
            for s in fresh:
                vias = [] if o.via else list(dict.fromkeys(c.via for c in o.citations if c.source == s and c.via))
                names.append(self._source(s) + (" via " + " and ".join(self._segments(v) for v in vias) if vias else ""))
            text = ", ".join(names)
            if o.via:
                k = len(o.sources)
                text += (" via " if k == 1 else ", both via " if k == 2 else ", all via ") + self._segments(o.via)
            groups.append(text)
        return Markup(("; " if relayed else ", ").join(groups))

    def _segments(self, segments: Iterable[Segment]) -> str:
        return "".join(self._link(s.target, s.text) if s.target else inert(s.text) for s in segments)

    def claim_list(self, claims: Iterable[Claim], lead: str = "") -> Markup:
        """Claims as a Markdown list, an item each, led by the claim's date (``lead="date"``) or by
        a link to the entity that holds it (``lead="holder"``)."""
        items = []
        for claim in claims:
            if lead == "date":
                items.append(f"- {markup.date(claim.date)}: {self.claim(claim)}\n")
            elif lead == "holder" and claim.holder:
                items.append(f"- {self._link(claim.holder)}: {self.claim(claim)}\n")
            else:
                items.append(f"- {self.claim(claim)}\n")
        return Markup("".join(items))

    def cite(self, citations: Iterable[Citation]) -> Markup:
        """Footnote references for citations, numbered on this page."""
        return Markup(self._cite(citations))

    def _cite(self, citations: Iterable[Citation]) -> str:
        number = self._notes.number
        return "".join([f"[^{number(c)}]" for c in citations])

    def footnotes(self) -> Markup:
        """The definitions of every footnote cited on this page so far."""
        citation = self.citation
        return Markup("\n".join([f"[^{i}]: {citation(c)}" for i, c in enumerate(self._notes.notes, 1)]))

    def citation(self, c: Citation) -> str:
        """A citation: the quote, and the source's title, outlet and date linked to the passage."""
        key = (self.up, c.source, c.start, c.end, c.via)
        text = self._citations.get(key)
        if text is None:
            text = self._citations[key] = self._citation(c)
        return text

    def _citation(self, c: Citation) -> str:
        key = (c.source, c.start, c.end)  # the passage reads the same at every depth
        passage = self._passages.get(key)
        if passage is None:
            passage = self._passages[key] = _passage(self.briefing.source[c.source], c)
        # what follows the passage differs between a source's citations only by the anchor
        around = self._cited_sources.get((self.up, c.source))
        if around is None:
            around = self._cited_sources[(self.up, c.source)] = self._cited_source(c.source)
        via = f", via {self._segments(c.via)}" if c.via else ""
        return f"\u201c{passage}\u201d \u2014 {around[0]}#{c.anchor}{around[1]}{via}{around[2]}"

    def _cited_source(self, id: str) -> tuple[str, str, str]:
        """A citation's link to its source, cut where the passage's anchor goes, and where a via
        goes: after the outlet and the source's grade, before the date."""
        s = self.briefing.source[id]
        outlet = f", {markup.isolated(s.outlet)}" if s.outlet else ""
        date = f", {inert(s.published.display)}" if s.published else ""
        return f"[{markup.isolated(s.title)}]({self.url(s.page)}", ")" + outlet + _grade(s), date

    def connection_list(self, connections: Mapping[str, Sequence[Claim]]) -> Markup:
        """An entity's connections as a Markdown list: each other entity, its type and how many
        claims make the connection."""
        return Markup("".join(
            f"- {self._link(other)} ({self.briefing.entity[other].type}), {markup.count(len(claims), 'claim')}\n"
            for other, claims in connections.items()
        ))

    # -- graphs -----------------------------------------------------------------------------

    def graph(self) -> Drawing:
        """The whole relationship graph, or its most connected part, laid out."""
        return whole_graph(self.briefing)

    def svg(self, drawing: Drawing) -> Markup:
        """A laid-out graph as inline SVG."""
        return Markup(svg(drawing, self.briefing, self.href, f"Connections between {len(drawing.nodes)} entities"))

    def neighbourhood(self, entity: Entity) -> Markup:
        """An entity's connections as inline SVG."""
        drawing = neighbourhood(self.briefing, entity.id)
        return Markup(svg(drawing, self.briefing, self.href, f"Connections of {entity.name}", self._edge_titles))

    # -- the record's changes ---------------------------------------------------------------

    def holder(self, id: str, name: str) -> Markup:
        """Whose claim a change is: a link to its entity's page (the home page for the
        overview), or, for an entity no longer in the briefing, its name as it was."""
        if id in self.briefing.entity:
            return self.link(id)
        if not id:
            return self.page_link("index.md", "Overview")
        return Markup(markup.isolated(name))

    def wording(self, fact: Fact) -> str:
        """A recorded claim's text, in plain words."""
        return changes.wording(fact, self.briefing)

    def day_title(self, day: Day) -> str:
        """A day's heading: its date, or "Not yet committed"."""
        return changes.day_title(day)

    def day_summary(self, day: Day) -> str:
        """What a day did, in a line."""
        return changes.summary_of(day)

    def changed_on(self, day: Day) -> Markup:
        """A link to a day's changes."""
        return Markup(f"[{inert(changes.day_title(day))}]({self.url(changes.CHANGES)}#{changes.day_anchor(day)})")

    # -- titles and descriptions ------------------------------------------------------------

    def front_matter(self, **meta: Any) -> Markup:
        """YAML front matter (see ``markup.front_matter``)."""
        return markup.front_matter(**meta)

    def summary(self, text: str) -> str:
        """Text as a page's description: one plain line of at most 160 characters."""
        return summary(text)

    def entity_description(self, entity: Entity) -> str:
        """An entity page's description: the entity's own, or what the page holds."""
        if entity.description:
            return summary(entity.description)
        claims, sources = len(entity.claims), len(entity.sources)
        return summary(f"{entity.type.capitalize()} in the briefing \u201c{self.briefing.title}\u201d: "
                       f"{markup.count(claims, 'cited claim')} from {markup.count(sources, 'source')}.")

    def source_description(self, source: Source) -> str:
        """A source page's description: "Article by OUTLET, DATE: TITLE"."""
        by = source.outlet or source.author
        head = "Article" + (f" by {by}" if by else "") + (f", {source.published.display}" if source.published else "")
        return summary(f"{head}: {source.title}")

    def date(self, d: PartialDate | None) -> Markup:
        """A date at its written precision, machine-readable too."""
        return markup.date(d)


def _grade(source: Source) -> str:
    """A source's grade after its name (" B", in an <abbr> that says what B means), or ""."""
    if not source.reliability:
        return ""
    meaning = RELIABILITY[source.reliability]
    return (f' <abbr class="bg-grade bg-grade--{source.reliability.lower()}" data-grade="{source.reliability}" '
            f'title="Source reliability {source.reliability}: {meaning}">{source.reliability}</abbr>')


def _passage(source: Source, c: Citation) -> str:
    """A cited passage among other text: inert, and if it has right-to-left text, isolated in the
    direction of the paragraph it comes from, so that it reads as it does in the article."""
    text = source.text[c.start : c.end]
    if not is_bidi(text):
        return inert(text)
    paragraph = source.text[slice(*source.line_at(c.start))]
    return f'<bdi dir="{direction(paragraph) or "ltr"}">{inert(text)}</bdi>'
