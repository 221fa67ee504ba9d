"""Render: the briefing as Markdown pages, from the Jinja2 templates in docs_templates/.

Every value a template prints is escaped by ``inert`` unless it is Markup built here, so
curated and article text can never become markup. Links between pages are relative
``.md`` paths, which MkDocs (or any other generator) resolves and validates.
"""

from __future__ import annotations

import bisect
import functools
import html
import itertools
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .dates import PartialDate
from .gcpause import paused_gc
from .graph import Drawing, neighbourhood, svg, whole_graph
from .mentions import NameMatcher, name_matcher
from .model import TYPE_FOLDERS, Alias, Briefing, Citation, Claim, Entity, Segment, Source
from .parallel import default_workers, forked_map
from .text import capfirst, direction, inert, is_bidi, list_key, spellings, summary

__all__ = ["GROUP_AT", "SECTION_PAGES", "TIMELINE_PAGE_ROWS", "LetterGroup", "Period", "letter_groups", "render_site",
           "template_dir", "timeline_periods"]

# The pages of the site's navigation, in order: (title, path).
SECTION_PAGES = (
    ("Home", "index.md"),
    ("People", "people/index.md"),
    ("Organizations", "organizations/index.md"),
    ("Places", "places/index.md"),
    ("Events", "events/index.md"),
    ("Sources", "sources/index.md"),
    ("Timeline", "timeline.md"),
    ("Disputes", "disputes.md"),
    ("Connections", "graph.md"),
    ("How to read", "how-to-read.md"),
)
TYPE_TITLES = {"person": "People", "organization": "Organizations", "place": "Places", "event": "Events"}
CERTAINTY_LABELS = {"confirmed": "confirmed", "believed": "believed", "alleged": "alleged"}
# A listing of more entries than this is grouped by initial letter, with a bar of links to the letters.
GROUP_AT = 30


def template_dir() -> Path:
    """The folder of the default templates."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "docs_templates", here.parent / "docs_templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("briefgen's docs_templates folder is missing from the installation")


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    return Markup(inert(str(value)))


def _environment(extra: Path | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if extra is not None:
        loaders.append(jinja2.FileSystemLoader(str(extra)))
    loaders.append(jinja2.FileSystemLoader(str(template_dir())))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        finalize=_finalize,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["inert"] = lambda v: Markup(inert(str(v)))
    env.filters["attr"] = lambda v: Markup(html.escape(str(v), quote=True))
    env.filters["capfirst"] = capfirst
    env.filters["isolated"] = lambda v: Markup(_isolated(str(v)))
    env.filters["spellings"] = spellings
    return env


@dataclass
class _Footnotes:
    """The citations of one page, numbered in the order they are first cited."""

    numbers: dict[tuple[str, int, int], int] = field(default_factory=dict)
    notes: list[Citation] = field(default_factory=list)

    def number(self, c: Citation) -> int:
        key = (c.source, c.start, c.end)
        if key not in self.numbers:
            self.numbers[key] = len(self.notes) + 1
            self.notes.append(c)
        return self.numbers[key]


class PageContext:
    """What a template needs to link and cite from one page."""

    def __init__(self, site: _Site, path: str) -> None:
        self.site = site
        self.briefing = site.briefing
        self.path = path
        # Links climb to the site's root and go down to their target, even within a folder:
        # so a claim or a citation reads the same on every page at the same depth, and is
        # rendered once for them all.
        self.up = "../" * path.count("/")
        self._url_up = "../" * _page_url(path, site.directory_urls).count("/")  # the same, for raw HTML (href)
        self._notes = _Footnotes()

    def url(self, target: str) -> str:
        """A relative link from this page to another generated page (by path)."""
        return self.up + target

    def link(self, id: str, label: str | None = None) -> Markup:
        """A Markdown link to the page of an entity or source."""
        return Markup(self._link(id, label))

    def _link(self, id: str, label: str | None = None) -> str:
        key = (self.up, id, label)
        text = self.site.links.get(key)
        if text is None:
            name = label if label is not None else self.briefing.name_of(id)
            text = self.site.links[key] = f"[{_isolated(name)}]({self.url(self.briefing.page_of(id))})"
        return text

    def href(self, target: str) -> str:
        """A relative URL (not a Markdown path) from this page to another, for raw HTML: like
        ``url``, it climbs to the site's root and goes down to the target."""
        directory_urls = self.site.directory_urls
        if target == self.path and directory_urls:
            return "./"
        return self._url_up + _page_url(target, directory_urls)

    def graph(self) -> Drawing:
        """The whole relationship graph, or its most connected part, laid out."""
        return whole_graph(self.briefing)

    def svg(self, drawing: Drawing) -> Markup:
        """A laid-out graph as inline SVG."""
        return Markup(svg(drawing, self.briefing, self.href, f"Connections between {len(drawing.nodes)} entities"))

    def neighbourhood(self, entity: Entity) -> Markup:
        """An entity's connections as inline SVG."""
        drawing = neighbourhood(self.briefing, entity.id)
        return Markup(svg(drawing, self.briefing, self.href, f"Connections of {entity.name}", self.site.edge_titles))

    def summary(self, text: str) -> str:
        """Text as a page's description: one plain line of at most 160 characters."""
        return summary(text)

    def entity_description(self, entity: Entity) -> str:
        """An entity page's description: the entity's own, or what the page holds."""
        if entity.description:
            return summary(entity.description)
        claims, sources = len(entity.claims), len(entity.sources)
        return summary(f"{entity.type.capitalize()} in the briefing \u201c{self.briefing.title}\u201d: "
                       f"{_count(claims, 'cited claim')} from {_count(sources, 'source')}.")

    def source_description(self, source: Source) -> str:
        """A source page's description: "Article by OUTLET, DATE: TITLE"."""
        by = source.outlet or source.author
        head = "Article" + (f" by {by}" if by else "") + (f", {source.published.display}" if source.published else "")
        return summary(f"{head}: {source.title}")

    def page_link(self, path: str, label: str) -> Markup:
        """A Markdown link to a generated page by its path."""
        return Markup(f"[{inert(label)}]({self.url(path)})")

    def segments(self, segments: Iterable[Segment]) -> Markup:
        """Curated text with its wikilinks as links."""
        return Markup(self._segments(segments))

    def _segments(self, segments: Iterable[Segment]) -> str:
        return "".join(self._link(s.target, s.text) if s.target else inert(s.text) for s in segments)

    def cite(self, citations: Iterable[Citation]) -> Markup:
        """Footnote references for citations, numbered on this page."""
        return Markup(self._cite(citations))

    def _cite(self, citations: Iterable[Citation]) -> str:
        number = self._notes.number
        return "".join([f"[^{number(c)}]" for c in citations])

    def claim(self, claim: Claim, *, label: bool = True) -> Markup:
        """A claim as a reader sees it: certainty, text, attribution, corroboration, citations."""
        # The same claim reads the same on every page at a depth but for its footnote numbers.
        key = (self.up, id(claim), label)
        body = self.site.claims.get(key)
        if body is None:
            body = self.site.claims[key] = self._claim_body(claim, label)
        return Markup(body + self._cite(claim.citations))

    def claim_list(self, claims: Iterable[Claim], lead: str = "") -> Markup:
        """Claims as a Markdown list, an item each, led by the claim's date (``lead="date"``) or by
        a link to the entity that holds it (``lead="holder"``)."""
        items = []
        for claim in claims:
            if lead == "date":
                items.append(f"- {_date(claim.date)}: {self.claim(claim)}\n")
            elif lead == "holder" and claim.holder:
                items.append(f"- {self._link(claim.holder)}: {self.claim(claim)}\n")
            else:
                items.append(f"- {self.claim(claim)}\n")
        return Markup("".join(items))

    def connection_list(self, connections: Mapping[str, Sequence[Claim]]) -> Markup:
        """An entity's connections as a Markdown list: each other entity, its type and how many
        claims make the connection."""
        return Markup("".join(
            f"- {self._link(other)} ({self.briefing.entity[other].type}), {_count(len(claims), 'claim')}\n"
            for other, claims in connections.items()
        ))

    def _claim_body(self, claim: Claim, label: bool) -> str:
        parts = []
        if label and claim.certainty in CERTAINTY_LABELS:
            word = CERTAINTY_LABELS[claim.certainty]
            parts.append(
                f'<span class="bg-certainty bg-certainty--{word}" title="The source says this is {word}">'
                f"{word.capitalize()}:</span> "
            )
        parts.append(self._segments(claim.text))
        if claim.said_by:
            parts.append(f" <span class=\"bg-said-by\">according to {self._segments(claim.said_by)}</span>")
        n = len(claim.sources)
        if n > 1:
            parts.append(f' <span class="bg-sources" title="Cited by {n} sources">{n} sources</span>')
        return "".join(parts)

    def footnotes(self) -> Markup:
        """The definitions of every footnote cited on this page so far."""
        lines = []
        for i, c in enumerate(self._notes.notes, 1):
            key = (self.up, c.source, c.start, c.end)
            text = self.site.citations.get(key)
            if text is None:
                text = self.site.citations[key] = self._citation(c)
            lines.append(f"[^{i}]: {text}")
        return Markup("\n".join(lines))

    def citation(self, c: Citation) -> Markup:
        """A citation: the quote, and the source's title, outlet and date linked to the passage."""
        return Markup(self._citation(c))

    def _citation(self, c: Citation) -> str:
        key = (c.source, c.start, c.end)  # the passage reads the same at every depth
        passage = self.site.passages.get(key)
        if passage is None:
            passage = self.site.passages[key] = _passage(self.briefing.source[c.source], c)
        # what follows the passage differs between a source's citations only by the anchor
        around = self.site.cited_sources.get((self.up, c.source))
        if around is None:
            around = self.site.cited_sources[(self.up, c.source)] = self._cited_source(c.source)
        return f"\u201c{passage}\u201d \u2014 {around[0]}#{c.anchor}{around[1]}"

    def _cited_source(self, id: str) -> tuple[str, str]:
        """A citation's link to its source, cut where the passage's anchor goes."""
        s = self.briefing.source[id]
        after = [""]
        if s.outlet:
            after.append(_isolated(s.outlet))
        if s.published:
            after.append(inert(s.published.display))
        return f"[{_isolated(s.title)}]({self.url(s.page)}", ")" + ", ".join(after)

    def date(self, d: PartialDate | None) -> Markup:
        """A date at its written precision, machine-readable too."""
        return _date(d)

    def front_matter(self, **meta: Any) -> Markup:
        """YAML front matter; strings are HTML-escaped because themes print them as they are.

        A title is always given: without one, MkDocs takes the heading's text, which themes
        print unescaped (Material's <title> would run an escaped name's tags as HTML).
        Lists and mappings are escaped item by item. For Material's search, an entity page's
        ``tags`` are its name and aliases, indexed (and ranked above titles and text) but, without
        the tags plugin, never shown on the page; a source page's ``search: {boost: 5}`` lets a
        phrase of its article find it before the pages that mention the same words.
        """
        data = {k: _escaped(v) for k, v in meta.items() if v}
        if not data:
            return Markup("")
        # JSON is YAML, but for characters beyond U+FFFF: JSON's surrogate pairs are refused by
        # YAML, and MkDocs then silently reads the front matter as Markdown (links, images...).
        text = _SURROGATE_PAIR.sub(_yaml_escape, json.dumps(data, ensure_ascii=True, sort_keys=True))
        return Markup("---\n" + text + "\n---\n\n")


@functools.lru_cache(maxsize=1 << 14)
def _date(d: PartialDate | None) -> Markup:
    if d is None:
        return Markup("")
    return Markup(f'<time datetime="{d.iso}">{inert(d.display)}</time>')


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


@dataclass(frozen=True)
class LetterGroup:
    """The entries of a listing under one initial letter ("" when the listing is not grouped)."""

    letter: str
    members: tuple[Any, ...]

    @property
    def anchor(self) -> str:
        """The id of the group's heading: ``letter-a`` ... ``letter-other``."""
        return f"letter-{self.letter.lower()}"


def letter_groups(items: Iterable[Any], name: Callable[[Any], str]) -> tuple[LetterGroup, ...]:
    """Items in listing order (``list_key`` of their name); grouped by initial when more than GROUP_AT."""
    keyed = sorted(((list_key(name(item)), n, item) for n, item in enumerate(items)), key=lambda k: k[:2])
    if len(keyed) <= GROUP_AT:
        return (LetterGroup("", tuple(item for _, _, item in keyed)),) if keyed else ()
    return tuple(LetterGroup(letter, tuple(item for _, _, item in members))
                 for letter, members in itertools.groupby(keyed, key=lambda k: k[0][1]))  # the key's initial


def _escaped(value: Any) -> Any:
    """Front matter's strings HTML-escaped, inside lists and mappings too."""
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if isinstance(value, Mapping):
        return {k: _escaped(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_escaped(v) for v in value]
    return value


@functools.lru_cache(maxsize=1 << 16)
def _page_url(path: str, directory_urls: bool) -> str:
    """The URL of a generated page, relative to the site's root, as MkDocs makes it."""
    if not directory_urls:
        return path.removesuffix(".md") + ".html"
    url = path.removesuffix(".md").removesuffix("index")
    return url if not url or url.endswith("/") else url + "/"


@functools.lru_cache(maxsize=1 << 16)
def _isolated(text: str) -> str:
    """A name among other text: inert, and in <bdi> if it is right to left, so that (say) an
    Arabic name followed by a number or by another Arabic name keeps the order written.

    Not for passages of an article: <bdi> takes its direction from the first letter, which
    for an English sentence that opens with an Arabic name would be the wrong one.
    """
    return f"<bdi>{inert(text)}</bdi>" if is_bidi(text) else inert(text)


def _passage(source: Source, c: Citation) -> str:
    """A cited passage among other text: inert, and if it has right-to-left text, isolated in the
    direction of the paragraph it comes from, so that it reads as it does in the article."""
    text = source.text[c.start : c.end]
    if not is_bidi(text):
        return inert(text)
    paragraph = source.text[slice(*source.line_at(c.start))]
    return f'<bdi dir="{direction(paragraph) or "ltr"}">{inert(text)}</bdi>'


# A JSON escape of a surrogate pair, not itself escaped (preceded by an even run of backslashes).
_SURROGATE_PAIR = re.compile(r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")


def _yaml_escape(m: re.Match[str]) -> str:
    code = 0x10000 + ((int(m[2], 16) - 0xD800) << 10) + (int(m[3], 16) - 0xDC00)
    return f"{m[1]}\\U{code:08x}"


@dataclass
class _Site:
    briefing: Briefing
    env: jinja2.Environment
    directory_urls: bool = True
    # Rendered once per depth, as links are relative: claims by (PageContext.up, id, label),
    # citations by (up, source, start, end), links by (up, id, label); passages once.
    claims: dict[tuple[str, int, bool], str] = field(default_factory=dict)
    citations: dict[tuple[str, str, int, int], str] = field(default_factory=dict)
    links: dict[tuple[str, str, str | None], str] = field(default_factory=dict)
    passages: dict[tuple[str, int, int], str] = field(default_factory=dict)
    cited_sources: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    edge_titles: dict[tuple[str, str], str] = field(default_factory=dict)

    @functools.cached_property
    def names(self) -> NameMatcher:
        """The matcher of names in articles, made by the first process to render a source page."""
        return name_matcher(self.briefing)

    def render(self, template: str, page: str | PageContext, **context: Any) -> str:
        """A page from its template: ``page`` is its path, or the context its parts were made with."""
        page = PageContext(self, page) if isinstance(page, str) else page
        text = self.env.get_template(template).render(
            page=page, briefing=self.briefing, sections=SECTION_PAGES, type_titles=TYPE_TITLES,
            type_folders=TYPE_FOLDERS, **context,
        )
        return _tidy(text)


_HEADING = re.compile(r"\n(#{1,6} )")
# "\n\n\n+", not "\n{3,}": the latter tries (and fails) at every pair of newlines, ten times slower.
_BLANK_LINES = re.compile(r"\n\n\n+")


def _tidy(text: str) -> str:
    """Blank lines as Markdown needs them: one before each heading, never two in a row."""
    text = _HEADING.sub("\n\n\\1", text)
    return _BLANK_LINES.sub("\n\n", text).strip("\n") + "\n"


# -- source pages ----------------------------------------------------------------------

def _paragraph_markdown(text: str, start: int, end: int, quotes: list[tuple[int, int, str]],
                        names: list[tuple[int, int, str]]) -> str:
    """One paragraph of an article: cited passages marked and anchored, names linked.

    ``quotes`` are (start, end, anchor) within the paragraph, ``names`` (start, end, URL).
    The paragraph is cut at every boundary of a passage or a name. Consecutive pieces
    inside the same passages share one <mark>; a passage that starts inside another
    gets its own anchor there. Marks never nest, so passages may overlap freely.
    """
    if not quotes and not names:
        return inert(text[start:end])
    cuts = {start, end}
    # One sweep over the cuts, keeping the passages open at each (a paragraph may hold thousands).
    starting: dict[int, list[str]] = {}
    ending: dict[int, list[str]] = {}
    for s, e, anchor in quotes:
        cuts.add(s)
        cuts.add(e)
        starting.setdefault(s, []).append(anchor)
        ending.setdefault(e, []).append(anchor)
    name_at = {}
    for s, e, link in names:  # names never overlap
        cuts.add(s)
        cuts.add(e)
        name_at[s] = (e, link)
    active: set[str] = set()
    covering: tuple[str, ...] = ()
    name_end, url = start, ""
    out: list[str] = []
    run: list[str] = []  # the pieces of the current run: one <mark>, or none, around them all
    run_covering: tuple[str, ...] = ()

    def close_run() -> None:
        body = "".join(run)
        out.append(f'<mark class="bg-quote" data-quotes="{" ".join(run_covering)}">{body}</mark>'
                   if run_covering else body)

    for a, b in itertools.pairwise(sorted(cuts)):
        opened = ""
        closes, opens = ending.get(a), starting.get(a)
        if closes or opens:
            if closes:
                active.difference_update(closes)
            if opens:
                active.update(opens)
                opened = "".join([f'<span id="{x}" class="bg-anchor"></span>' for x in sorted(set(opens))])
            covering = tuple(sorted(active))
        name = name_at.get(a)
        if name is not None:
            name_end, url = name
        piece = inert(text[a:b])
        if b <= name_end:
            piece = f"[{piece}]({url})"
        if opened or covering != run_covering or not run:
            if run:
                close_run()
            out.append(opened)
            run, run_covering = [piece], covering
        else:
            run.append(piece)
    close_run()
    return "".join(out)


def _source_page(site: _Site, source: Source) -> str:
    page = PageContext(site, source.page)
    cites = site.briefing.citations_by_source.get(source.id, ())
    spans = sorted({(c.start, c.end, c.anchor) for c in cites})
    article = source.normalized
    urls: dict[str, str] = {}
    names = [(s, e, urls.get(id) or urls.setdefault(id, page.url(site.briefing.page_of(id))))
             for s, e, id in site.names.find(article)]

    starts = [qs for qs, _, _ in spans]
    longest = max((qe - qs for qs, qe, _ in spans), default=0)
    name_starts = [ns for ns, _, _ in names]

    def paragraph(start: int, end: int, link_names: bool = True) -> Markup:
        # only the passages and names near the paragraph, found by bisection: not all of them each time
        near = spans[bisect.bisect_left(starts, start - longest) : bisect.bisect_left(starts, end)]
        quotes = [(max(qs, start), min(qe, end), a) for qs, qe, a in near if qs < end and qe > start]
        inside = names[bisect.bisect_left(name_starts, start) : bisect.bisect_left(name_starts, end)]
        in_para = [(ns, ne, url) for ns, ne, url in inside if ne <= end] if link_names else []
        return Markup(_paragraph_markdown(source.text, start, end, quotes, in_para))

    # A headline that repeats the title is the page's heading; passages cited in it are marked there.
    heading = paragraph(*source.headline, link_names=False) if source.headline else Markup(inert(source.title))
    paragraphs = [paragraph(start, end) for start, end in source.paragraphs]
    claims = site.briefing.claims_by_source.get(source.id, ())
    by_holder: dict[str | None, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_holder[claim.holder].append(claim)
    groups = sorted(
        ((site.briefing.entity[h] if h else None, cs) for h, cs in by_holder.items()),
        key=lambda g: (g[0] is not None, g[0].name.casefold() if g[0] else ""),
    )
    return site.render("source.md.j2", page, source=source, heading=heading, paragraphs=paragraphs, groups=groups)


# -- the site --------------------------------------------------------------------------

@paused_gc()
def render_site(briefing: Briefing, templates: Path | None = None, *, directory_urls: bool = True,
                progress: Callable[[str, int, int], None] | None = None, workers: int | None = None) -> dict[str, str]:
    """Every page of the site, as {path: Markdown}, in a stable order.

    ``directory_urls`` says how the site's URLs look (MkDocs's option of that name); only
    the links inside the inline graphs need it, the others are relative .md paths.
    ``workers`` processes render the pages (by default one per CPU for a large site, where
    processes can be forked); pages do not depend on each other, so the result is the same.
    """
    site = _Site(briefing, _environment(templates), directory_urls)
    jobs = _jobs(site)
    workers = default_workers(len(jobs), PARALLEL_FROM) if workers is None else workers
    if workers > 1:
        _prerender(site, workers)

    def done(k: int) -> None:
        if progress is not None:
            progress("rendering", k, len(jobs))

    texts = forked_map([job for _, job in jobs], workers, done)
    return {path: text for (path, _), text in zip(jobs, texts, strict=True)}


def _prerender(site: _Site, workers: int, batch: int = 2000) -> None:
    """The claims and citations that pages one folder deep show, rendered by the processes
    together before the pages are shared out. Each shows on several pages: with the pages
    alone shared out, every process would render nearly all of them for itself."""
    page = PageContext(site, "folder/page.md")
    claims = [claim for e in site.briefing.entities for claim in e.claims]
    cites = list({(c.source, c.start, c.end): c for cs in site.briefing.citations_by_source.values() for c in cs}.values())
    kinds = ((claims, functools.partial(page._claim_body, label=True)), (cites, page._citation))
    tasks = [functools.partial(_each, make, items[i : i + batch]) for items, make in kinds for i in range(0, len(items), batch)]
    texts = itertools.chain.from_iterable(forked_map(tasks, workers, chunk=1))
    site.claims.update(((page.up, id(claim), True), next(texts)) for claim in claims)
    site.citations.update(((page.up, c.source, c.start, c.end), next(texts)) for c in cites)


def _each(make: Callable[[Any], str], items: Sequence[Any]) -> list[str]:
    return [make(item) for item in items]


# Below this many pages a second process costs more than it saves.
PARALLEL_FROM = 400


@paused_gc()
def update_site(old: Briefing, old_pages: Mapping[str, str], new: Briefing, templates: Path | None = None, *,
                directory_urls: bool = True) -> tuple[dict[str, str], set[str]]:
    """The pages of ``new``, re-rendering only those whose content can differ from ``old_pages``.

    Returns the pages and the paths rendered anew. The result equals ``render_site(new)`` as
    long as the templates show, on an entity or source page, only data of the ids that
    ``Briefing.depends_on`` names.
    """
    changed = {id for id in {*old.entity, *new.entity} if old.entity.get(id) != new.entity.get(id)}
    if old.title != new.title or old.sources != new.sources:
        # Every page may show the briefing's title (a description) or a source's title, outlet and
        # date (every citation): all are rendered again.
        changed = {*new.entity, *new.source}
        old_pages = {}
    # source pages link every known name: a name or alias that changes touches them all
    renamed = any(_names(old.entity.get(id)) != _names(new.entity.get(id)) for id in changed)
    site = _Site(new, _environment(templates), directory_urls)
    pages: dict[str, str] = {}
    rendered: set[str] = set()
    for path, job in _jobs(site):
        entity = _page_entity(new, path)
        source = new.source.get(path.removeprefix("sources/").removesuffix(".md")) if path.startswith("sources/") else None
        if entity is not None:
            stale = bool((new.depends_on(entity) | (old.depends_on(old.entity[entity.id])
                                                     if entity.id in old.entity else frozenset())) & changed)
        elif source is not None:
            citing = {c.holder for c in (*old.claims_by_source.get(source.id, ()), *new.claims_by_source.get(source.id, ()))}
            stale = renamed or source.id in changed or bool(citing & changed) or (None in citing and old.overview != new.overview)
        else:
            stale = bool(changed) or old.title != new.title or old.overview != new.overview
        if stale or path not in old_pages:
            pages[path] = job()
            rendered.add(path)
        else:
            pages[path] = old_pages[path]
    return pages, rendered


def _names(entity: Entity | None) -> tuple[str, tuple[Alias, ...]] | None:
    return (entity.name, entity.aliases) if entity is not None else None


def _page_entity(briefing: Briefing, path: str) -> Entity | None:
    folder, _, name = path.partition("/")
    entity = briefing.entity.get(name.removesuffix(".md"))
    return entity if entity is not None and entity.folder == folder else None


def _jobs(site: _Site) -> list[tuple[str, Callable[[], str]]]:
    """Every page of the site as (path, a function that renders it), in a stable order."""
    briefing = site.briefing
    events = sorted(briefing.by_type("event"), key=lambda e: (e.date is None, e.date or PartialDate(1), e.name.casefold()))
    jobs: list[tuple[str, Callable[[], str]]] = [
        ("index.md", functools.partial(site.render, "home.md.j2", "index.md", events=events))
    ]
    for type, folder in TYPE_FOLDERS.items():
        jobs.append((f"{folder}/index.md", functools.partial(_listing_page, site, type)))
    jobs.append(("sources/index.md", functools.partial(_sources_page, site)))
    for e in briefing.entities:
        jobs.append((e.page, functools.partial(_entity_page, site, e)))
    for s in briefing.sources:
        jobs.append((s.page, functools.partial(_source_page, site, s)))
    periods = timeline_periods(briefing.timeline)
    jobs.append(("timeline.md", functools.partial(site.render, "timeline.md.j2", "timeline.md", periods=periods)))
    for i, period in enumerate(periods):
        jobs.append((period.path, functools.partial(
            site.render, "timeline-period.md.j2", period.path, period=period,
            previous=periods[i - 1] if i else None, next=periods[i + 1] if i + 1 < len(periods) else None)))
    for name in ("disputes", "graph", "how-to-read"):
        jobs.append((f"{name}.md", functools.partial(site.render, f"{name}.md.j2", f"{name}.md")))
    return jobs


# A timeline longer than this is split into pages: no reader scrolls through tens of thousands
# of rows, and Python-Markdown's time to number a page's footnotes grows with their square.
TIMELINE_PAGE_ROWS = 500
TimelineRow = tuple[PartialDate, Entity, Claim | None]


@dataclass(frozen=True)
class Period:
    """A part of a long timeline on a page of its own: a year, a month, or a year's undated months."""

    year: int
    path: str
    title: str
    rows: tuple[TimelineRow, ...]


def timeline_periods(rows: Iterable[TimelineRow], limit: int | None = None) -> list[Period]:
    """The pages of a long timeline, in date order; none for one that fits a page.

    A year is a page; a year of more than ``limit`` rows is a page of the rows dated to the
    year only, then a page per month.
    """
    limit = TIMELINE_PAGE_ROWS if limit is None else limit
    rows = tuple(rows)
    if len(rows) <= limit:
        return []
    periods = []
    for year, in_year in itertools.groupby(rows, key=lambda r: r[0].year):
        year_rows = tuple(in_year)
        if len(year_rows) <= limit:
            periods.append(Period(year, f"timeline/{year:04d}.md", f"{year}", year_rows))
            continue
        for month, in_month in itertools.groupby(year_rows, key=lambda r: r[0].month):
            if month:
                title = PartialDate(year, month).display
                periods.append(Period(year, f"timeline/{year:04d}-{month:02d}.md", title, tuple(in_month)))
            else:
                periods.append(Period(year, f"timeline/{year:04d}.md", f"{year}, no month given", tuple(in_month)))
    return periods


def _listing_page(site: _Site, type: str) -> str:
    entities = site.briefing.by_type(type)
    path = f"{TYPE_FOLDERS[type]}/index.md"
    return site.render("listing.md.j2", path, type=type, title=TYPE_TITLES[type], entities=entities,
                       groups=letter_groups(entities, lambda e: e.name))


def _sources_page(site: _Site) -> str:
    return site.render("sources.md.j2", "sources/index.md",
                       groups=letter_groups(site.briefing.sources, lambda s: s.title))


def _entity_page(site: _Site, e: Entity) -> str:
    return site.render("entity.md.j2", e.page, entity=e, **_entity_context(site.briefing, e))


def _entity_context(briefing: Briefing, e: Entity) -> Mapping[str, Any]:
    """The entity's own claims, its accounts that differ, dates, backlinks and connections."""
    disputes = briefing.disputes_of.get(e.id, ())
    disputed = {d.topic for d in disputes}
    connections = {(edge.b if edge.a == e.id else edge.a): edge.claims for edge in briefing.edges_of.get(e.id, ())}
    return {
        "claims": [c for c in e.claims if c.topic not in disputed],
        "disputes": disputes,
        "dated": sorted((c for c in e.claims if c.date), key=lambda c: c.date or PartialDate(1)),
        "backlinks": briefing.backlinks.get(e.id, ()),
        "connections": dict(sorted(connections.items(), key=lambda kv: (briefing.entity[kv[0]].name.casefold(), kv[0]))),
    }
