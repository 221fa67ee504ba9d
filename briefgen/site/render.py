"""Render: the briefing as Markdown pages, {path: Markdown}, from the Jinja2 templates in
docs_templates/, one ``PageSpec`` per kind of page (see ``pages``).

Every value a template prints is escaped by ``inert`` unless it is Markup built here, so
curated and article text can never become markup. Links between pages are relative
``.md`` paths, which MkDocs (or any other generator) resolves and validates.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..model import Alias, Briefing, Claim, Entity
from ..speed.carry import carry
from ..speed.gcpause import paused_gc
from ..speed.memo import OfLast
from ..speed.runner import Runner, runner_for
from . import markup
from .context import PageContext, Site
from .pages import (
    ANY,
    CITING,
    COUNTS,
    DRAWN,
    HISTORY,
    NAMES,
    OVERVIEW,
    PERIODS,
    SOURCING,
    TITLE,
    Page,
    Shows,
    changed_on,
    claim_at,
    counts,
    drawing,
    listed,
    named,
    pages,
    periods,
    row,
    sourcing,
)

__all__ = ["render_site", "update_site"]

Progress = Callable[[str, int, int], None]


def render_page(site: Site, page: Page) -> str:
    """One page, from its spec's template and context."""
    context = PageContext(site, page.path)
    if page.spec.build is not None:
        return page.spec.build(context, page.item)
    return site.render(page.spec.template, context, **page.spec.context(context, page.item))


@paused_gc()
def render_site(briefing: Briefing, templates: Path | None = None, *, directory_urls: bool = True,
                progress: Progress | None = None, runner: Runner | None = None) -> dict[str, str]:
    """Every page of the site, as {path: Markdown}, in a stable order.

    ``directory_urls`` says how the site's URLs look (MkDocs's option of that name); only
    the links inside the inline graphs need it, the others are relative .md paths. The
    ``runner`` renders the pages (by default, for a large site, one process per CPU where
    processes can be forked); pages do not depend on each other, so the result is the same.
    """
    site = Site(briefing, markup.environment(templates), directory_urls)
    listed = pages(briefing)
    runner = runner_for(len(listed), runner)
    if runner.workers > 1:
        _warm(site, runner)

    def done(k: int) -> None:
        if progress is not None:
            progress("rendering", k, len(listed))

    texts = runner.map([functools.partial(render_page, site, page) for page in listed], done)
    return {page.path: text for page, text in zip(listed, texts, strict=True)}


def _warm(site: Site, runner: Runner, batch: int = 2000) -> None:
    """The claims and citations that pages one folder deep show, made by the processes together
    before the pages are shared out, into the site's memo. Each shows on several pages: with the
    pages alone shared out, every process would make nearly all of them for itself."""
    claims = [claim for e in site.briefing.entities for claim in e.claims]
    cites = list({(c.source, c.start, c.end, c.via): c
                  for cs in site.briefing.citations_by_source.values() for c in cs}.values())
    tasks = [functools.partial(_made, site, "claim", "claim", claims[i : i + batch]) for i in range(0, len(claims), batch)]
    tasks += [functools.partial(_made, site, "citation", "citation", cites[i : i + batch]) for i in range(0, len(cites), batch)]
    for table, entries in runner.map(tasks, chunk=1):
        site.memo.update(table, entries)


def _made(site: Site, table: str, method: str, items: Sequence[Any]) -> tuple[str, list[tuple[Any, Any]]]:
    """What making ``items`` with a page's ``method`` adds to a table of the memo."""
    make = getattr(PageContext(site, "folder/page.md"), method)
    return table, site.memo.made(table, lambda: [make(item) for item in items])


@paused_gc()
def update_site(old: Briefing, old_pages: Mapping[str, str], new: Briefing, templates: Path | None = None, *,
                directory_urls: bool = True, depends: OfLast | None = None) -> tuple[dict[str, str], set[str]]:
    """The pages of ``new``, rendering again only those that show something that changed since
    ``old``, whose pages ``old_pages`` are (with the same templates and URL style).

    Returns the pages and the paths rendered anew. What a page shows is its spec's
    ``depends_on``, in the old briefing and in the new one (``Shows``); ``depends`` keeps the new
    one's for the next update, whose old briefing it is.
    """
    carry(old, new)
    changed = changes(old, new)
    before = {page.path: page for page in pages(old)} if changed else {}
    site = Site(new, markup.environment(templates), directory_urls)
    result: dict[str, str] = {}
    rendered: set[str] = set()
    showed = (depends.get(old) if depends is not None else None) or Shows(old)
    shows = Shows(new, showed)
    for page in pages(new):
        was = before.get(page.path)
        stale = False
        if changed:
            stale = was is None or was.spec is not page.spec or not changed.isdisjoint(shows.page(page)) \
                or not changed.isdisjoint(showed.page(was))
        if stale or page.path not in old_pages:
            result[page.path] = render_page(site, page)
            rendered.add(page.path)
        else:
            result[page.path] = old_pages[page.path]
    if depends is not None:
        depends.keep(new, shows)
    return result, rendered


def changes(old: Briefing, new: Briefing) -> set[str]:
    """What differs between two briefings: the ids of the entities and sources that differ, and
    the tokens of ``pages`` for the rest; empty when nothing does."""
    entities = {id for id in {*old.entity, *new.entity} if _differ(old.entity.get(id), new.entity.get(id))}
    changed = entities | {id for id in {*old.source, *new.source} if _differ(old.source.get(id), new.source.get(id))}
    changed |= {named(id) for id in changed if _named(old, id) != _named(new, id)}
    for id in entities:
        was, now = _claims(old, id), _claims(new, id)
        changed |= {claim_at(id, line) for line in {*was, *now} if was.get(line) != now.get(line)}
        if row(old.entity.get(id)) != row(new.entity.get(id)):
            changed.add(listed(id))
    if any(_names(old.entity.get(id)) != _names(new.entity.get(id)) for id in entities):
        changed.add(NAMES)
    if old.history != new.history:
        changed.add(HISTORY)
        changed |= {changed_on(id) for id in {*old.entity, *new.entity} if _last(old, id) != _last(new, id)}
    if old.title != new.title:
        changed.add(TITLE)
    if old.overview != new.overview:
        changed.add(OVERVIEW)
    if changed:
        if counts(old) != counts(new):
            changed.add(COUNTS)
        if {s: len(c) for s, c in old.claims_by_source.items()} != {s: len(c) for s, c in new.claims_by_source.items()}:
            changed.add(CITING)
        if periods(old) != periods(new):
            changed.add(PERIODS)
        if old.edges != new.edges and drawing(old) != drawing(new):
            changed.add(DRAWN)
        if sourcing(old) != sourcing(new):
            changed.add(SOURCING)
        changed.add(ANY)
    return changed


def _differ(a: object, b: object) -> bool:
    # a serve's check keeps the entities of unchanged files: the same objects, compared at once
    return a is not b and a != b


def _claims(briefing: Briefing, id: str) -> dict[int, tuple[Claim, ...]]:
    """An entity's claims by their line."""
    by_line: dict[int, tuple[Claim, ...]] = {}
    for claim in briefing.entity[id].claims if id in briefing.entity else ():
        by_line[claim.line] = (*by_line.get(claim.line, ()), claim)
    return by_line


def _last(briefing: Briefing, id: str) -> tuple[bool, object]:
    """What an entity's page says of when its record last changed."""
    day = briefing.history.last_changed.get(id)
    return (day is not None, day.day if day is not None else None)


def _named(briefing: Briefing, id: str) -> tuple[str, str] | None:
    """What a link to an id shows: the name and the page."""
    return (briefing.name_of(id), briefing.page_of(id)) if id in briefing.entity or id in briefing.source else None


def _names(entity: Entity | None) -> tuple[str, str, tuple[Alias, ...]] | None:
    return (entity.name, entity.type, entity.aliases) if entity is not None else None
