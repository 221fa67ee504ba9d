"""The MkDocs plugin: a thin adapter that adds the generated pages to the build."""

from __future__ import annotations

import dataclasses
import html
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, Template
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from .corpus import CorpusError, HistoryReader, Problem, load_corpus, validate
from .model import Briefing, Entity
from .site.changes import FEED, feed_link
from .site.jsonld import entity_data, script, with_script
from .site.markup import count, template_dir, template_files
from .site.pages import SECTION_PAGES, every_page_shows
from .site.render import render_site, update_site
from .speed.cache import CheckMemo, ReadCache
from .speed.dirty import DirtyBuilds, GeneratedFile, material_index
from .speed.fastpage import FastPage, fast_markdown, nav_titles, render_ahead
from .speed.gcpause import Frozen, IdleCollector, no_collection_at_exit
from .speed.loopahead import LoopAhead, known_plugins
from .speed.memo import OfLast
from .speed.runner import Runner, Serial, runner_for
from .speed.searchview import SearchView, mark_footnotes
from .speed.sweep import Sweep
from .speed.templates import CompiledTemplates
from .tools.project import ASSET_DIR, ASSETS, asset

if TYPE_CHECKING:  # a build does not need serve's server, whose import takes a tenth of a second
    from mkdocs.livereload import LiveReloadServer

    from .speed.watching import Watching

__all__ = ["BriefgenPlugin", "problems_banner", "with_banner"]

log = logging.getLogger("mkdocs.plugins.briefgen")

# Material's offline plugin loads a web-worker shim from unpkg.com; with it on, the site gets this copy.
OFFLINE_SHIM = "iframe-worker.js"


class BriefgenConfig(Config):  # type: ignore[no-untyped-call]
    """The plugin's options in mkdocs.yml."""

    corpus = c.Type(str, default="seeds")
    templates = c.Optional(c.Type(str))
    # Generated pages converted by briefgen's own converter where it gives the bytes Python-Markdown
    # gives (briefgen.speed.fastmd); false converts every page with Python-Markdown.
    fast = c.Type(bool, default=True)


class BriefgenPlugin(BasePlugin[BriefgenConfig]):  # type: ignore[no-untyped-call]
    """Generates a page per entity, source and view from the corpus named in mkdocs.yml."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.corpus = Path()
        self.templates: Path | None = None
        # Kept across rebuilds of `mkdocs serve` (MkDocs keeps a plugin that has on_startup):
        self.cache = ReadCache()
        self.checks = CheckMemo()  # each file's check, while the file and what it links to stay the same
        self.depends = OfLast()  # what each page of the last briefing shows, which the next rebuild compares
        self.previous: tuple[Briefing, tuple[object, ...]] | None = None
        self.rendered: set[str] = set()  # the pages the last build rendered anew
        self.entities: dict[str, Entity] = {}  # by the path of their page
        self.runner: Runner | None = None  # what reads, checks and renders: by default one process per CPU
        self.serving = False
        self.first_build = False  # under serve: the build before its server starts
        self.problems: tuple[Problem, ...] = ()  # under serve: what the corpus has wrong, shown on every page
        self.history = HistoryReader()  # under serve, reads only the commits new since the last build
        self.dirty: DirtyBuilds | None = None  # under `serve --dirty`: only the pages an edit changed are built
        self.search_view: SearchView | None = None  # what Material's search reads of generated pages
        self.ahead: tuple[list[FastPage], Navigation, Runner] | None = None  # the pages rendered ahead
        self.loop: LoopAhead | None = None  # the pages built ahead of MkDocs's page loop
        self.compiled = CompiledTemplates()  # under serve, the theme's templates compiled once
        self.frozen = Frozen()  # a clean build's heap, out of the collector's scans in MkDocs's page loop
        self.collector: IdleCollector | None = None  # under serve, the collector runs between rebuilds
        self.cleans = False  # whether MkDocs deletes the last site before each build (it says in on_startup)
        self.sweep = Sweep()  # that deletion, done alongside the build
        self.watching: Watching | None = None  # under serve, the file watching, whose poll waits while a build runs

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that MkDocs keeps this instance, and its caches, across serve's rebuilds."""
        self.serving = self.first_build = command == "serve"
        self.cleans = not dirty
        self.runner = None  # by default; under serve, chosen at each build (on_pre_build)
        self.dirty = DirtyBuilds() if self.serving and dirty else None
        self.collector = IdleCollector() if self.serving else None
        self.frozen = Frozen(enabled=not self.serving)  # under serve, the collector freezes between builds
        no_collection_at_exit()  # the build's (or serve's last) heap is freed at exit without a collection
        if self.dirty is not None:
            # MkDocs warns that a dirty build may be inaccurate, which a strict config turns into an
            # abort; these rebuilds are exact (see speed/dirty.py), so the warning is dropped.
            logging.getLogger("mkdocs.commands.build").addFilter(_exact_dirty)

    @event_priority(100)  # before Material's search plugin makes the theme an environment
    def _theme(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.serving:
            self.compiled.theme(config.theme, reuse=known_plugins(config))
        return config

    def _options(self, config: MkDocsConfig) -> MkDocsConfig:
        """The corpus and templates from the options; a nav of the section pages if mkdocs.yml has
        none; attr_list if it lacks it; the stylesheet and script (and, offline, the search shim)
        added to every page."""
        base = Path(config.config_file_path or ".").resolve().parent
        self.corpus = base / self.config.corpus
        self.templates = base / self.config.templates if self.config.templates else None
        if config.nav is None:
            # Never let MkDocs list every entity: a nav of every page makes the build quadratic.
            config.nav = [{title: path} for title, path in SECTION_PAGES]
        if not {"attr_list", "markdown.extensions.attr_list"} & set(config.markdown_extensions):
            config.markdown_extensions.append("attr_list")  # the templates mark the sections search leaves out
        for name in ASSETS:
            target = config.extra_css if name.endswith(".css") else config.extra_javascript
            if f"{ASSET_DIR}/{name}" not in [str(x) for x in target]:
                target.append(f"{ASSET_DIR}/{name}")
        if _offline(config):
            # Before or after the offline plugin's own on_config: it adds unpkg's copy only if none is listed.
            polyfills = [p for p in config.extra.get("polyfills", []) if "iframe-worker" not in str(p)]
            config.extra["polyfills"] = [*polyfills, f"{ASSET_DIR}/{OFFLINE_SHIM}"]
        return config

    on_config = CombinedEvent(_theme, _options)
    """Under serve, the theme's templates compiled and its installed files listed once
    (speed/templates.py); the corpus and templates from the options, the nav, the assets."""

    def on_pre_build(self, config: MkDocsConfig) -> None:
        """The corpus read, checked and rendered: only the pages an edit touched, when serve rebuilds.
        What that leaves alive is kept out of the collector's scans for the rest of the build."""
        if self.collector is not None:
            self.collector.hold()
        if self.watching is not None:
            self.watching.building()
        with self.frozen.kept():
            self._pre_build(config)

    def _pre_build(self, config: MkDocsConfig) -> None:
        if self.serving:
            # Serve's server starts its threads after the first build, and a process forked while
            # other threads run may deadlock: only that build shares its work out to processes, as
            # a build does; the rebuilds do only what an edit changed.
            self.runner = None if self.first_build else Serial()
            self.first_build = False
        # Before MkDocs cleans the site folder: a corpus with problems leaves the last site as it was.
        try:
            raw = load_corpus(self.corpus, self.cache, runner=self.runner)
            briefing = validate(raw, runner=self.runner, memo=self.checks)
        except CorpusError as e:
            if not self.serving:
                raise PluginError(f"briefgen: {self.corpus}: {e.report()}") from None
            # Under serve, the curator is looking at the browser: the last good pages stay, each
            # saying what is wrong, until an edit fixes it and the next rebuild takes the banner away.
            # (Printed, not logged: a warning would make a strict build abort and show nothing.)
            print(f"briefgen: {self.corpus}: {e.report()}", file=sys.stderr)
            self.problems = e.problems
            if not self.pages:  # nothing good yet: the section pages, to carry the list
                self.pages = {path: f"# {title}\n\nThe corpus has problems: they are listed above.\n"
                              for title, path in SECTION_PAGES}
            return
        self.problems = ()
        briefing = dataclasses.replace(briefing, history=self.history.read(self.corpus, raw))
        if briefing.history.state == "shallow":
            log.info("briefgen: %s", briefing.history.note)
        # the same templates and URL style: only pages whose data changed are rendered again
        stamp = (self.corpus, config.use_directory_urls, self.templates, template_files(template_dir()),
                 template_files(self.templates))
        if self.previous is not None and self.previous[1] == stamp:
            self.pages, self.rendered = update_site(self.previous[0], self.pages, briefing, self.templates,
                                                    directory_urls=config.use_directory_urls, depends=self.depends)
        else:
            self.pages = render_site(briefing, self.templates, directory_urls=config.use_directory_urls,
                                     runner=self.runner)
            self.rendered = set(self.pages)
            if self.serving:  # for the first rebuild to compare, made while the first build is waited for
                self.depends.keep(briefing, every_page_shows(briefing))
        self.previous = (briefing, stamp)
        self.entities = {e.page: e for e in briefing.entities}
        if not config.site_name.strip():
            # mkdocs.yml leaves the name to the corpus: the briefing's title names the site, escaped
            # because Material prints the site's name as it is (as it does a page's title)
            config.site_name = html.escape(briefing.title, quote=True)
        if self.cleans:  # the corpus is good: the last site goes, alongside this build (speed/sweep.py)
            self.sweep.start(config.site_dir)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """The generated pages and the assets added to the site's files; a page of docs/ at a
        generated path is an error."""
        clashes = sorted(path for path in self.pages if files.src_uris.get(path) is not None)
        if clashes:
            raise PluginError(
                "briefgen: these pages in docs/ have the paths of generated pages; rename or remove them:\n"
                + "\n".join(f"  {config.docs_dir}/{p}" for p in clashes)
            )
        sections = {path for _, path in SECTION_PAGES}
        titles = nav_titles(config.nav)
        fast = self.config.fast and fast_markdown(config)
        for path, markdown in self.pages.items():
            inclusion = InclusionLevel.INCLUDED if path in sections else InclusionLevel.NOT_IN_NAV
            file = GeneratedFile.generated(config, path, content=markdown, inclusion=inclusion)
            files.append(file)
            if fast and file.is_documentation_page():
                FastPage(titles.get(path), file, config)  # the file's page, as MkDocs would make it from the nav
        self.search_view = SearchView() if self.config.fast and material_index(config) is not None else None
        for name in (*ASSETS, OFFLINE_SHIM) if _offline(config) else ASSETS:
            files.append(File.generated(config, f"{ASSET_DIR}/{name}", content=asset(name)))
        return files

    def _parents(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        # Breadcrumbs (Material's navigation.path) and the active tab: an entity or source page
        # belongs under its section's page, though it is not in the nav.
        sections = {page.file.src_uri: page for page in nav.pages}
        for path in self.pages:
            folder = path.split("/")[0]
            section = sections.get(f"{folder}/index.md") or sections.get(f"{folder}.md")  # timeline/2016.md
            file = files.src_uris.get(path)
            if section is not None and file is not None and file.page is not None and file.page.parent is None \
                    and file.page is not section:
                file.page.parent = section  # type: ignore[assignment]  # a Page, where MkDocs expects a Section
        if self.dirty is not None:
            # a page is made of its Markdown and (its head's JSON-LD) its entity; every page shows
            # the problems' banner and the feed's link, named by the briefing's title
            made = {path: (markdown, self.entities.get(path)) for path, markdown in self.pages.items()}
            title = self.previous[0].title if self.previous is not None else None
            self.dirty.plan(config, nav, files, made, shown=(self.problems, FEED in self.pages, title))
        return nav

    @event_priority(-100)  # after every other plugin's on_nav: the site's files and pages are final
    def _render_ahead(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        pages = [page for path in self.pages if isinstance(page := files.src_uris[path].page, FastPage)]
        runner = runner_for(len(pages), self.runner)
        self.ahead = None
        if runner.workers > 1:
            # no collection meanwhile; then what MkDocs's page loop reads is kept out of its scans
            with self.frozen.kept():
                render_ahead(pages, config, files, runner, searched=self.search_view is not None)
            self.ahead = (pages, nav, runner)
        return nav

    on_nav = CombinedEvent(_parents, _render_ahead)
    """Each page under a section's folder gets the section's page as its parent; with processes
    to share the work, the generated pages are rendered ahead of MkDocs's turn (speed/fastpage.py)."""

    def _anchors(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        if self.dirty is not None:
            self.dirty.restore_anchors(files)
        return env

    @event_priority(-100)  # after every other plugin's on_env: the environment is final
    def _build_ahead(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        ahead, self.ahead = self.ahead, None
        self.loop = None if ahead is None else LoopAhead.of(env, config)
        if self.loop is not None and ahead is not None:
            pages, nav, runner = ahead
            with self.frozen.kept():  # the pages MkDocs is to build (under --dirty, those an edit changed)
                self.loop.build([p for p in pages if p.file.is_modified()], config, nav, files, self.serving, runner)
        return env

    on_env = CombinedEvent(_anchors, _build_ahead)
    """Under ``serve --dirty``, the pages left alone keep their anchors, which links are checked
    against; where the pages were rendered ahead, they are built and written ahead too
    (speed/loopahead.py)."""

    @event_priority(100)  # before the search plugin indexes the page
    def _before_search(self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig,
                       nav: Navigation) -> TemplateContext:
        if page.file.src_uri in self.pages and (self.loop is None or not self.loop.before_search(page)) \
                and self.search_view is not None:
            self.search_view.before_search(page)
        return context

    @event_priority(-100)  # after the search plugin has indexed the page
    def _after_search(self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig,
                      nav: Navigation) -> TemplateContext:
        if self.search_view is not None:
            self.search_view.after_search(page)
        if self.loop is not None:
            self.loop.after_search(page, context)
        if self.dirty is not None:
            self.dirty.built(page)
        return context

    on_page_context = CombinedEvent(_before_search, _after_search)
    """Material's search reads a generated page without the parts it leaves out (its whole HTML
    back after); under ``serve --dirty``, what was made of the page is kept for the next rebuilds."""

    def on_pre_template(self, template: Template, /, *, template_name: str, config: MkDocsConfig) -> Template:
        """Under ``serve --dirty``, the 404 page as the last build made it while what every page
        shows is the same."""
        return template if self.dirty is None else self.dirty.template(template, template_name)

    def on_post_template(self, output: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        """Under ``serve --dirty``, the 404 page's output kept for the next rebuild."""
        if self.dirty is not None:
            self.dirty.printed(output, template_name)
        return output

    def on_page_content(self, content: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """A generated page's footnotes are left out of the search index: each quotes a passage
        that its article's page holds (Material's search drops the attribute from the page)."""
        return mark_footnotes(content) if page.file.src_uri in self.pages else content

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Every page's <head> links the feed, if there is one, and an entity page's gets its
        schema.org JSON-LD; under serve, a corpus with problems puts their list at the top of
        every page."""
        if self.loop is not None and self.loop.after_page(page):
            return ""  # written ahead, this all done then: MkDocs writes nothing of it
        if self.problems:
            output = with_banner(output, problems_banner(self.problems))
        if FEED in self.pages and self.previous is not None:
            output = with_script(output, feed_link(get_relative_url(FEED, page.url), self.previous[0].title))
        entity = self.entities.get(page.file.src_uri)
        if entity is None:
            return output
        return with_script(output, script(entity_data(entity, page.canonical_url)))

    @event_priority(100)  # before the search plugin writes its index
    def _finish(self, *, config: MkDocsConfig) -> None:
        self.frozen.thaw()
        self._end_loop()
        if self.dirty is not None:
            self.dirty.finish(config)

    @event_priority(-100)  # the build's last step
    def _built(self, *, config: MkDocsConfig) -> None:
        self._ended()

    on_post_build = CombinedEvent(_finish, _built)
    """The heap frozen for MkDocs's page loop given back to the collector; under ``serve
    --dirty``, the search index of every page and the build kept for the next; the last site's
    deletion waited for; under serve, the collector run once serve is idle."""

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build is not kept: the next builds every page."""
        self.frozen.thaw()
        self.ahead = None
        self._end_loop()
        self._ended()
        if self.dirty is not None:
            self.dirty.forget()

    def _ended(self) -> None:
        """A build is over: the last site's deletion waited for; under serve, the collector run
        once serve is idle, and the poll of the files on again."""
        self.sweep.finish()
        if self.collector is not None:
            self.collector.later()
        if self.watching is not None:
            self.watching.built()

    def _end_loop(self) -> None:
        if self.loop is not None:
            self.loop.close()
        self.loop = None

    def on_shutdown(self) -> None:
        """Serve stops: the collector runs by itself again."""
        if self.collector is not None:
            self.collector.stop()

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """The corpus and the templates watched: an edit to either rebuilds the site, at once
        where the operating system reports it (speed/watching.py)."""
        from .speed.watching import event_driven  # only serve watches: a build does not import watchdog

        self.watching = event_driven(server, [p for p in (config.docs_dir, config.config_file_path) if p])
        server.watch(str(self.corpus))
        server.watch(str(self.templates or template_dir()))
        return server


def problems_banner(problems: Sequence[Problem]) -> str:
    """The problems of a corpus as an HTML alert: each with its file, line and hint, as text."""
    items = "".join(
        f"<li><code>{html.escape(p.where)}</code> {html.escape(p.message)}"
        + (f' <span class="bg-problems__hint">({html.escape(p.hint)})</span>' if p.hint else "") + "</li>"
        for p in problems)
    return (f'<div class="bg-problems" role="alert"><p><strong>The corpus has {count(len(problems), "problem")}.'
            "</strong> These pages are the last good build; they come back by themselves once the files are "
            f"fixed.</p><ul>{items}</ul></div>")


def with_banner(page: str, banner: str) -> str:
    """A built page with the banner at the top of its content (after <body> for another theme)."""
    for opening in ('<article class="md-content__inner', "<body"):
        start = page.find(opening)
        if start >= 0:
            end = page.find(">", start) + 1
            return page[:end] + banner + page[end:]
    return banner + page


def _exact_dirty(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith("A 'dirty' build is being performed")


def _offline(config: MkDocsConfig) -> bool:
    """Whether Material's offline plugin is on (it builds a site to open from disk)."""
    return any(name.rsplit("/", 1)[-1] == "offline" and getattr(plugin.config, "enabled", True)
               for name, plugin in config.plugins.items())
