"""Generated pages that MkDocs converts with ``fastmd`` where it gives what Python-Markdown gives.

A ``FastPage`` renders as MkDocs's ``Page`` does (its HTML, table of contents, anchors, links
checked and made relative by MkDocs's own code), but converts its Markdown with
``briefgen.speed.fastmd`` when the page is of the shape it knows; otherwise, as MkDocs does. The
plugin makes them only for a site whose Markdown extensions are the ones fastmd knows.
"""

from __future__ import annotations

import logging
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor
from mkdocs.structure.toc import get_toc

from . import fastmd

__all__ = ["FastPage", "fast_markdown", "nav_titles"]

log = logging.getLogger("mkdocs.structure.pages")  # its level decides, as in MkDocs, whether links to anchors are kept

# The extensions, with their options, whose output fastmd gives: MkDocs's own three and the
# shipped mkdocs.yml's.
_KNOWN = {"toc": {"permalink": True}, "tables": {}, "fenced_code": {}, "attr_list": {}, "footnotes": {}}


def fast_markdown(config: MkDocsConfig) -> bool:
    """Whether the site converts Markdown with the extensions, and options, that fastmd knows."""
    names = [str(name).removeprefix("markdown.extensions.") for name in config.markdown_extensions]
    options = {str(k).removeprefix("markdown.extensions."): v for k, v in (config.mdx_configs or {}).items()}
    return sorted(names) == sorted(_KNOWN) and all(options.get(name, {}) == value for name, value in _KNOWN.items())


class FastPage(Page):
    """A generated page, converted by fastmd where it can be: for a site whose Markdown
    extensions are the ones it knows (``fast_markdown``)."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        """The page's HTML, table of contents and anchors, as ``Page.render`` gives them."""
        converted = fastmd.convert(self.markdown) if self.markdown is not None and "title" in self.meta else None
        if converted is None:
            super().render(config, files)
            return
        links = _RelativePathTreeprocessor(self.file, files, config)
        # A page links to the same page many times: MkDocs makes each address once (its warning
        # about a link, if any, is then said once too).
        made: dict[str, str] = {}
        urls = [made.get(href) or made.setdefault(href, links.path_to_url(href)) for href in converted.hrefs]
        within = links.links_to_anchors.setdefault(self.file, {})
        for anchor in converted.anchors:  # "#fn:1": what path_to_url records of a link within the page
            within.setdefault(anchor[1:], anchor)
        if not within:
            del links.links_to_anchors[self.file]
        self.content = converted.html_with(urls)
        self.toc = get_toc(converted.toc_tokens)
        self._title_from_render = converted.h1
        self.present_anchor_ids = set(converted.ids)
        if log.getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = links.links_to_anchors


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
