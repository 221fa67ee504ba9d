"""Generated pages that MkDocs converts with ``fastmd`` where it gives what Python-Markdown gives.

A ``FastPage`` renders as MkDocs's ``Page`` does (its HTML, table of contents, anchors, links
checked and made relative as MkDocs's own code does: see ``Targets``), but converts its Markdown with
``briefgen.speed.fastmd`` when the page is of the shape it knows; otherwise, as MkDocs does. The
plugin makes them only for a site whose Markdown extensions are the ones fastmd knows.

MkDocs renders pages one after the other; ``render_ahead`` renders them all before, shared out
to forked processes, and each page then takes its rendering if its Markdown is still the one
rendered (read from the same source, which no plugin gave it or changed since) and rendering it
raised no warning (MkDocs, not a forked process, says those).
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data

from . import fastmd
from .runner import Runner
from .searchview import as_searched, excluded, mark_footnotes, search_view

__all__ = ["FastPage", "Rendering", "Targets", "canonical", "fast_markdown", "nav_titles", "render_ahead"]

log = logging.getLogger("mkdocs.structure.pages")  # its level decides, as in MkDocs, whether links to anchors are kept

# The extensions, with their options, whose output fastmd gives: MkDocs's own three and the
# shipped mkdocs.yml's.
_KNOWN = {"toc": {"permalink": True}, "tables": {}, "fenced_code": {}, "attr_list": {}, "footnotes": {}}


def fast_markdown(config: MkDocsConfig) -> bool:
    """Whether the site converts Markdown with the extensions, and options, that fastmd knows."""
    names = [str(name).removeprefix("markdown.extensions.") for name in config.markdown_extensions]
    options = {str(k).removeprefix("markdown.extensions."): v for k, v in (config.mdx_configs or {}).items()}
    return sorted(names) == sorted(_KNOWN) and all(options.get(name, {}) == value for name, value in _KNOWN.items())


@dataclass(frozen=True)
class Rendering:
    """What rendering a page's Markdown gives: its HTML, table of contents, first h1, ids and
    links to anchors (by the path of the page linked to), and, made ahead, what search is to
    read of it."""

    content: str
    toc_tokens: list[Any]
    h1: str | None
    ids: frozenset[str]
    anchors: dict[str, dict[str, str]]
    view: str | None = None  # search's view of the page, its footnotes marked (``mark_footnotes``)


class _Said(logging.Filter):
    """Holds back, and counts, what MkDocs says about a page's links while it is rendered ahead."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def filter(self, record: logging.LogRecord) -> bool:
        self.count += 1
        return False


# A link to a page by its relative path, with an anchor or none: what generated pages write.
_PLAIN_LINK = re.compile(r"([\w./-]+\.md)(?:#([\w:.-]+))?", re.ASCII)


class Targets:
    """The page each plain link leads to, by the folder of the page it is on, as MkDocs's
    ``path_to_url`` finds it: found once for all pages of a folder, in one build."""

    def __init__(self, files: Files) -> None:
        self.files = files
        self.found: dict[tuple[str, str], File | None] = {}

    def url(self, href: str, links: _RelativePathTreeprocessor) -> str:
        """The link's address on ``links``'s page, as ``links.path_to_url(href)`` gives it (the
        links to anchors recorded the same way); links of another shape, and links that MkDocs
        warns of, are made by it."""
        plain = _PLAIN_LINK.fullmatch(href)
        if plain is None or href.startswith("/"):
            return links.path_to_url(href)
        path, anchor = plain.groups()
        folder = links.file.src_uri.rpartition("/")[0]
        try:
            target = self.found[folder, path]
        except KeyError:
            target = self.found[folder, path] = self.files.src_uris.get(
                posixpath.normpath(posixpath.join(folder, path).lstrip("/")))
        if target is None or target.inclusion.is_excluded():  # type: ignore[no-untyped-call]
            return links.path_to_url(href)
        url = get_relative_url(target.url, links.file.url)
        if not anchor:
            return url
        links.links_to_anchors.setdefault(target, {}).setdefault(anchor, href)
        return f"{url}#{anchor}"


def _rendering(markdown: str, file: File, config: MkDocsConfig, targets: Targets) -> Rendering | None:
    """The page's rendering by fastmd, its links made as MkDocs makes them; None if fastmd
    declines the page."""
    converted = fastmd.convert(markdown)
    if converted is None:
        return None
    links = _RelativePathTreeprocessor(file, targets.files, config)
    # A page links to the same page many times: each address is made once (MkDocs's warning
    # about a link, if any, is then said once too).
    urls: dict[str, str] = {}
    for href in converted.hrefs:
        if href not in urls:
            urls[href] = targets.url(href, links)
    anchors = {target.src_uri: found for target, found in links.links_to_anchors.items()}
    within = anchors.setdefault(file.src_uri, {})
    for anchor in converted.anchors:  # "#fn:1": what path_to_url records of a link within the page
        within.setdefault(anchor[1:], anchor)
    if not within:
        del anchors[file.src_uri]
    return Rendering(converted.html_with(urls), converted.toc_tokens, converted.h1, converted.ids, anchors)


def _ahead(page: FastPage, config: MkDocsConfig, targets: Targets, searched: bool) -> Rendering | None:
    """A page's rendering made ahead, as its render would make it; None if MkDocs says anything
    about it (the page is then rendered in its turn, and MkDocs says it there)."""
    assert page.file.content_string is not None
    markdown, meta = get_data(page.file.content_string)
    if "title" not in meta:
        return None
    said = _Said()
    log.addFilter(said)
    try:
        rendering = _rendering(markdown, page.file, config, targets)
    finally:
        log.removeFilter(said)
    if rendering is None or said.count:
        return None
    if not searched or excluded(meta):
        return rendering
    return dataclasses.replace(rendering, view=search_view(mark_footnotes(rendering.content)))


def render_ahead(pages: Sequence[FastPage], config: MkDocsConfig, files: Files, runner: Runner,
                 searched: bool) -> None:
    """Every page rendered before MkDocs renders them, shared out by ``runner``; with ``searched``,
    with the view search is to read of each."""
    targets = Targets(files)
    tasks = [functools.partial(_ahead, page, config, targets, searched) for page in pages]
    for page, rendering in zip(pages, runner.map(tasks, chunk=16), strict=True):
        page.ahead = rendering
        # what it was rendered from: the Markdown, which need not travel back to be compared
        page.ahead_from = page.file.content_string


# A URL that joins a base by being appended to it: path segments of plain characters, none of
# them "." or "..", no scheme, query or fragment.
_PLAIN_URL = re.compile(r"(?:[\w.~%-]+/)*[\w.~%-]*", re.ASCII)


def _plain(path: str) -> bool:
    return _PLAIN_URL.fullmatch(path) is not None and not {".", ".."} & set(path.split("/"))


@functools.lru_cache(maxsize=16)
def _base_path(base: str) -> str | None:
    """The path of a site's URL that a plain URL is appended to; None where joining does more
    (a query or fragment, dot segments)."""
    parts = urlsplit(base)
    return parts.path if not parts.query and not parts.fragment and parts.path[:1] == "/" \
        and _plain(parts.path[1:]) else None


def canonical(base: str, url: str) -> tuple[str, str]:
    """A page's canonical URL and its path on the server, as MkDocs's ``Page`` makes them from
    the site's URL (ending in "/") with ``urljoin`` and ``urlsplit``."""
    path = _base_path(base)
    if path is not None and _plain(url):
        return base + url, path + url
    joined = urljoin(base, url)
    return joined, urlsplit(joined).path


class FastPage(Page):
    """A generated page, converted by fastmd where it can be: for a site whose Markdown
    extensions are the ones it knows (``fast_markdown``)."""

    ahead: Rendering | None = None  # its rendering made ahead, if it was
    ahead_from: str | None = None  # the source it was rendered from
    read_from: str | None = None  # the source ``read_source`` read, if no plugin gave it
    read: str | None = None  # the Markdown it read, before any plugin's ``on_page_markdown``
    _content: str | None = None
    _indexed: str | None = None  # its HTML as search was to read it, until its content is read

    @property
    def content(self) -> str | None:
        """Its HTML (``Page.content``)."""
        if self._indexed is not None:
            self._content, self._indexed = as_searched(self._indexed), None
        return self._content

    @content.setter
    def content(self, value: str | None) -> None:
        self._content, self._indexed = value, None

    def indexed(self, content: str) -> None:
        """Its content is ``content`` as Material's search leaves a page it has indexed: made
        when it is read (in MkDocs's loop, a page built ahead is not read again: 1.5 s of the loop
        at 10,000 entities)."""
        self._content, self._indexed = None, content

    def _set_canonical_url(self, base: str | None) -> None:
        # Serve gives the site its URL: MkDocs joined and split a URL for each of the 1,122 pages
        # of a 1,000-entity site at every rebuild, 10 ms.
        if base:
            self.canonical_url, self.abs_url = canonical(base if base.endswith("/") else base + "/", self.url)
        else:
            super()._set_canonical_url(base)

    def read_source(self, config: MkDocsConfig) -> None:
        """The page's Markdown and metadata, as ``Page.read_source`` reads them."""
        self.read_from = None if config.plugins.events["page_read_source"] else self.file.content_string
        super().read_source(config)
        self.read = self.markdown

    def render(self, config: MkDocsConfig, files: Files) -> None:
        """The page's HTML, table of contents and anchors, as ``Page.render`` gives them."""
        rendering = None
        if self.markdown is not None and "title" in self.meta:
            ahead = self.ahead
            # Rendered ahead from the very string read, its Markdown not changed since: the same
            # Markdown, without comparing 30 KB a page (which would have had to travel back too).
            same = ahead is not None and self.read_from is not None and self.read_from is self.ahead_from \
                and self.markdown is self.read
            rendering = ahead if same else _rendering(self.markdown, self.file, config, Targets(files))
        if rendering is None:
            super().render(config, files)
            return
        self.content = rendering.content
        self.toc = get_toc(rendering.toc_tokens)
        self._title_from_render = rendering.h1
        self.present_anchor_ids = set(rendering.ids)
        if log.getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = {files.src_uris[uri]: found for uri, found in rendering.anchors.items()}


def nav_titles(nav: Any) -> dict[str, str | None]:
    """The title the nav gives each page it lists (None for a page listed without one), as MkDocs
    reads the nav: the first listing of a page counts."""
    titles: dict[str, str | None] = {}

    def walk(item: Any, title: str | None = None) -> None:
        if isinstance(item, str):
            titles.setdefault(item, title)
        elif isinstance(item, list):
            for x in item:
                walk(x)
        elif isinstance(item, dict):
            for key, value in item.items():
                walk(value, key if isinstance(value, str) else None)

    walk(nav)
    return titles
