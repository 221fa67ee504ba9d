"""MkDocs's page loop done ahead for the generated pages: each page's theme template rendered,
the plugins' ``on_post_page`` run on it and the page written, and what Material's search indexes
of it made, shared out to forked processes once the pages, the nav and the theme's environment are
final (the plugin's ``on_env``, last of all).

In the loop, a page whose content is still the one it was built of takes its search entries, and
its output is left empty so that MkDocs does not write it again (``before_search``,
``after_search``, ``after_page``); any other page is built, and written, as MkDocs builds it. This
holds for a site whose plugins change nothing in the loop but the page they are called for
(``LoopAhead.of``): each page's context, and its output, is then in its turn what it was ahead.
"""

from __future__ import annotations

import functools
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment
from material.plugins.search.plugin import Parser
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import write_file
from mkdocs.utils.templates import TemplateContext

from .dirty import material_index, material_search, search_plugins
from .fastpage import FastPage
from .runner import Runner
from .searchview import SearchView, as_searched, excluded, feed

__all__ = ["Built", "LoopAhead", "index_page", "known_plugins"]

# The plugins whose page events change nothing but the page they are called for: Material's search
# (``search_index`` is the index it appends to), its offline plugin (no page events) and briefgen.
_KNOWN = {"search", "offline", "briefgen"}
# The name under which a page's HTML made ahead is in its context, and the template that prints it.
_KEY = "briefgen_built"
_TEMPLATE = "main.html"  # what MkDocs renders for a page whose metadata names no template


def known_plugins(config: MkDocsConfig) -> bool:
    """Whether every plugin of the site is one of those above (none of which changes the theme's
    Jinja environment)."""
    return all(name.rsplit("/", 1)[-1] in _KNOWN for name in config.plugins)


def _known(config: MkDocsConfig) -> bool:
    """Whether every plugin of the site is one that changes nothing in MkDocs's page loop but the
    page it is called for (its search plugin, if any, Material's)."""
    return known_plugins(config) and all(material_search(plugin) for plugin in search_plugins(config))


@dataclass(frozen=True)
class Built:
    """A page built ahead: the content it was built of, its search entries (None if the site
    indexes nothing), and whether its output was written (MkDocs writes no page whose output is
    blank, and says so)."""

    content: str
    entries: list[dict[str, Any]] | None
    written: bool


def _build(page: Page, config: MkDocsConfig, nav: Navigation, pages: Sequence[File], env: Environment,
           index: Any) -> tuple[list[dict[str, Any]] | None, bool] | None:
    """What MkDocs's ``_build_page`` does with the page, its output written as it writes it, with
    Material's search indexing it into an index of its own (of ``index``'s class and options);
    None if anything fails (the page is then built in its turn, which says why)."""
    content = page.content
    config._current_page = page
    page.active = True
    try:
        context = get_context(nav, pages, config, page)
        entries = None
        if index is not None:
            own = type(index)(**index.config)
            view = SearchView()
            view.before_search(page)
            index_page(own, page)
            view.after_search(page)
            entries = own.entries
        output = config.plugins.on_post_page(env.get_template(_TEMPLATE).render(context), page=page, config=config)
        # Written here, shared out: encoding, opening and writing the 11,154 pages of a 10,000-entity
        # site took MkDocs's loop 3.4 s.
        written = bool(output.strip())
        if written:
            write_file(output.encode("utf-8", errors="xmlcharrefreplace"), page.file.abs_dest_path)
        return entries, written
    except Exception:  # the loop builds the page again, and reports what is wrong
        return None
    finally:
        page.content = content
        page.active = False
        config._current_page = None


def index_page(index: Any, page: Page) -> None:
    """What Material's search adds of the page to ``index`` (its ``add_entry_from_context``), the
    page's HTML read by ``feed``."""
    if excluded(page.meta):
        return
    parser = Parser()
    feed(parser, page.content or "")
    for section in parser.data:
        if not section.is_excluded():
            index.create_entry_for_section(section, page.toc, page.url, page)


class LoopAhead:
    """The generated pages built ahead of MkDocs's page loop, and handed to it page by page."""

    @classmethod
    def of(cls, env: Environment, config: MkDocsConfig) -> LoopAhead | None:
        """For a site whose plugins are known (see the module); None for another."""
        return cls(env, material_index(config)) if _known(config) else None

    def __init__(self, env: Environment, index: Any) -> None:
        """``index``: Material's search index the loop appends to (None if the site indexes nothing)."""
        self.env = env
        self.index = index
        self.built: dict[str, Built] = {}  # by page
        self.taken: set[str] = set()  # the pages whose turn takes what was built
        self.prints = env.from_string("{{ " + _KEY + " }}")
        self.quiet = _WrittenAhead()

    def build(self, pages: Sequence[Page], config: MkDocsConfig, nav: Navigation, files: Files, serving: bool,
              runner: Runner) -> None:
        """Every page built and written ahead (but one whose metadata names its template, or a
        draft, which the loop marks, or one whose output another file of the site overwrites or is
        overwritten by), shared out by ``runner``; each built one renders, in its turn, the template
        that prints nothing (or, if its content changed, the theme's)."""
        shared = _shared_destinations(files, config)
        pages = [page for page in pages
                 if "template" not in page.meta and not page.file.inclusion.is_excluded()  # type: ignore[no-untyped-call]
                 and page.file.dest_uri not in shared]
        # the pages the loop gives each page's context: under serve, the drafts too
        doc_files = files.documentation_pages(
            inclusion=InclusionLevel.is_in_serve if serving else InclusionLevel.is_included)
        tasks = [functools.partial(_build, page, config, nav, doc_files, self.env, self.index) for page in pages]
        # The theme's files do not change while they are built: each of the fifty or so templates a
        # page includes is taken as loaded, not checked against its file (a stat each) first.
        reload, self.env.auto_reload = self.env.auto_reload, False
        try:
            made_all = runner.map(tasks, chunk=16)
        finally:
            self.env.auto_reload = reload
        for page, made in zip(pages, made_all, strict=True):
            if made is not None and page.content is not None:
                self.built[page.file.src_uri] = Built(page.content, *made)
                page.meta["template"] = self.prints
        _BUILD_LOG.addFilter(self.quiet)

    def before_search(self, page: Page) -> bool:
        """Whether the page takes what was built of it: if so, the search plugin is given nothing
        to parse (its entries are added after it)."""
        built = self.built.get(page.file.src_uri)
        if built is None or page.content != built.content:
            return False
        self.taken.add(page.file.src_uri)
        if self.index is not None:
            page.content = ""
        return True

    def after_search(self, page: Page, context: TemplateContext) -> None:
        """The page's entries added to the index and its content given back as the search plugin
        leaves it, and nothing for the template to print (its output was written ahead); or, if
        its content changed, its HTML rendered now by the theme's template."""
        uri = page.file.src_uri
        built = self.built.pop(uri, None)
        if built is None:
            return
        if uri in self.taken:
            if self.index is not None:
                self.index.entries.extend(built.entries or ())
                if isinstance(page, FastPage):
                    page.indexed(built.content)
                else:
                    page.content = as_searched(built.content)
            if built.written:
                self.quiet.expect(uri)
            context[_KEY] = ""  # type: ignore[literal-required]
        else:
            context[_KEY] = self.env.get_template(_TEMPLATE).render(context)  # type: ignore[literal-required]

    def after_page(self, page: Page) -> bool:
        """The page's metadata as it was (without the template that printed what was built), and
        whether its output was made ahead: if so, the loop is to write nothing of it."""
        if page.meta.get("template") is self.prints:
            del page.meta["template"]
        if page.file.src_uri not in self.taken:
            return False
        self.taken.discard(page.file.src_uri)
        return True

    def close(self) -> None:
        """The build ends: MkDocs's log as it was."""
        _BUILD_LOG.removeFilter(self.quiet)


_BUILD_LOG = logging.getLogger("mkdocs.commands.build")
_SKIPPED = "Page skipped: '{}'. Generated empty output."  # what MkDocs logs of a page it writes nothing of


class _WrittenAhead(logging.Filter):
    """Holds back MkDocs's word that it wrote nothing of a page, for the pages written ahead."""

    def __init__(self) -> None:
        super().__init__()
        self.said: set[str] = set()

    def expect(self, uri: str) -> None:
        self.said.add(_SKIPPED.format(uri))

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg in self.said:
            self.said.discard(record.msg)
            return False
        return True


def _shared_destinations(files: Files, config: MkDocsConfig) -> set[str]:
    """The paths in the site that more than one file, or a template MkDocs renders before the
    pages, writes to: MkDocs writes pages last, and a page written ahead would not win."""
    counts = Counter(file.dest_uri for file in files)
    counts.update(config.theme.static_templates)
    counts.update(config.extra_templates)
    return {uri for uri, n in counts.items() if n > 1}
