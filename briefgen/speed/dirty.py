"""Exact rebuilds for ``mkdocs serve --dirty``: after an edit, only the pages whose Markdown
changed are converted, templated, indexed and written again; every other page keeps what the
last build made of it, and the site is the one a clean build would give.

MkDocs's own ``--dirty`` trusts time stamps, which a generated page does not have; Material's
search then indexes only the pages built again, and a page left alone keeps a navigation or a
site name that may have changed. Here a page is left alone only when its Markdown is the last
build's, the last build wrote its output (serve's site folder is its own) and the parts that
every page shows (the configuration, the navigation, the theme's overrides, what the plugin
adds to every page) are the last build's too; the search index is put together from the entries
kept of each page, in the order of a clean build; outputs of files that are gone are removed.
Hand-written pages of docs/ are always built again (their time stamps cannot tell what another
page's edit changed in them).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.theme import Theme

__all__ = ["CHROME_ONLY", "DirtyBuilds", "GeneratedFile", "folder_stamps", "material_index", "material_search",
           "search_plugins"]

# The theme's templates made of what every page shows alone (the configuration, the navigation):
# while that is the same, the last build's output is printed again.
CHROME_ONLY = frozenset({"404.html"})


class GeneratedFile(File):
    """A generated page's file: modified unless the last build's output of it still holds."""

    modified = True

    def is_modified(self) -> bool:
        """Whether MkDocs builds the page again under ``--dirty``."""
        return self.modified


@dataclass
class _Kept:
    """What the last complete build made."""

    chrome: str
    pages: dict[str, object]  # generated page -> what it is made of
    anchors: dict[str, set[str]]  # page -> the ids it has, which links to it are checked against
    entries: dict[str, list[dict[str, Any]]]  # page -> its entries in the search index
    themed: dict[str, str]  # template of CHROME_ONLY -> its output


@dataclass
class DirtyBuilds:
    """The state kept across serve's dirty rebuilds, driven by the plugin's hooks in build order."""

    kept: _Kept | None = None
    chrome: str = ""
    skipped: set[str] = field(default_factory=set)
    files: Files | None = None
    pages: dict[str, object] = field(default_factory=dict)
    entries: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    anchors: dict[str, set[str]] = field(default_factory=dict)
    search: Any = None  # this build's Material search plugin, whose index is kept per page
    seen: int = 0  # the entries of its index already kept
    outputs: set[str] = field(default_factory=set)  # every file of the last build, in its site folder
    json: dict[int, tuple[list[dict[str, Any]], str]] = field(default_factory=dict)  # each page's entries as JSON
    themed: dict[str, str] = field(default_factory=dict)  # this build's outputs of the templates of CHROME_ONLY

    def plan(self, config: MkDocsConfig, nav: Navigation, files: Files, pages: Mapping[str, object],
             shown: object) -> None:
        """Which generated pages this build leaves alone (at ``on_nav``): ``pages`` gives what each
        is made of, ``shown`` what the plugin adds to every page. Hand-written pages lose their
        output, so MkDocs builds them."""
        self.files, self.pages, self.entries, self.anchors, self.seen, self.themed = files, dict(pages), {}, {}, 0, {}
        self.chrome = _digest([_plain(config), _nav(nav), _hand_written(files), _overrides(config), shown])
        if self.kept is not None and self.kept.chrome != self.chrome:
            self.kept = None  # another site folder, configuration or navigation: every page is built
        searches = search_plugins(config)
        self.search = next((p for p in searches if material_search(p)), None)
        if searches and self.search is None:
            self.kept = None  # a search plugin whose index cannot be put together from pages
        kept = self.kept
        self.skipped = set()
        for file in files:
            if isinstance(file, GeneratedFile) and file.src_uri in pages:
                file.modified = not (kept is not None and kept.pages.get(file.src_uri) == pages[file.src_uri]
                                     and file.src_uri in kept.entries and file.abs_dest_path in self.outputs)
                if not file.modified:
                    self.skipped.add(file.src_uri)
            elif file.is_documentation_page() and file.abs_src_path is not None:
                with contextlib.suppress(FileNotFoundError):
                    os.remove(file.abs_dest_path)

    def restore_anchors(self, files: Files) -> None:
        """The ids of the pages left alone, against which links to them are checked (at ``on_env``)."""
        for uri in self.skipped:
            file = files.src_uris.get(uri)
            assert self.kept is not None and file is not None and file.page is not None
            file.page.present_anchor_ids = self.kept.anchors[uri]

    def template(self, template: Any, name: str) -> Any:
        """A theme template of ``CHROME_ONLY`` that the last build made with the same configuration
        and navigation, as that build's output; any other, as it is (at ``on_pre_template``)."""
        if self.kept is not None and name in self.kept.themed:
            return _Printed(self.kept.themed[name])
        return template

    def printed(self, output: str, name: str) -> None:
        """A theme template's output, kept if it is one of ``CHROME_ONLY`` (at ``on_post_template``)."""
        if name in CHROME_ONLY:
            self.themed[name] = output

    def built(self, page: Page) -> None:
        """What the search plugin indexed of a page just built (after its ``on_page_context``)."""
        entries: list[dict[str, Any]] = []
        if self.search is not None:
            index = self.search.search_index.entries
            entries, self.seen = index[self.seen:], len(index)
        self.entries[page.file.src_uri] = entries
        self.anchors[page.file.src_uri] = set(page.present_anchor_ids or ())

    def finish(self, config: MkDocsConfig) -> None:
        """The search index of every page in a clean build's order, the outputs of files that are
        gone removed, and this build kept for the next (at ``on_post_build``, before the search
        plugin writes its index)."""
        assert self.files is not None
        old = self.kept
        for uri in self.skipped:
            assert old is not None
            self.entries[uri], self.anchors[uri] = old.entries[uri], old.anchors[uri]
        order = [f.src_uri for f in self.files if f.src_uri in self.entries]
        if self.search is not None:
            index = self.search.search_index
            index.entries = [entry for uri in order for entry in self.entries[uri]]
            self.search.search_index_prev = None  # Material's own merge assumes one page was built
            parts = [self._json(self.entries[uri]) for uri in order if self.entries[uri]]
            self.json = {id(entries): (entries, text) for entries, text in parts}
            index.generate_search_index = functools.partial(_index_json, index, [text for _, text in parts])
        outputs = {f.abs_dest_path for f in self.files}
        for gone in self.outputs - outputs:
            _remove(gone, config.site_dir)
        self.outputs = outputs
        self.kept = _Kept(self.chrome, self.pages, self.anchors, self.entries, self.themed)

    def _json(self, entries: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], str]:
        """A page's entries with their JSON, made again only for a page built again."""
        kept = self.json.get(id(entries))
        if kept is not None and kept[0] is entries:
            return kept
        return entries, ",".join(json.dumps(entry, separators=(",", ":"), default=str) for entry in entries)

    def forget(self) -> None:
        """A build that failed: the next builds every page."""
        self.kept = None


@dataclass(frozen=True)
class _Printed:
    """A template that renders what it was given."""

    output: str

    def render(self, *args: Any, **kwargs: Any) -> str:
        return self.output


def _index_json(index: Any, pages: list[str], prev: object) -> str:
    """Material's ``generate_search_index`` for a whole index (``prev`` is None), its bytes, from
    each page's entries as JSON: a rebuild serialized 2.4 MB at 1,000 entities for a few pages."""
    config = {key: index.config[key] for key in ["lang", "separator", "pipeline", "fields"]}
    return '{"config":' + json.dumps(config, separators=(",", ":"), default=str) + ',"docs":[' + ",".join(pages) + "]}"


def _remove(path: str, site: str) -> None:
    """A file of the site folder, and the folders it leaves empty."""
    if not path.startswith(os.path.join(site, "")):
        return
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)
    folder = os.path.dirname(path)
    with contextlib.suppress(OSError):  # not empty
        while folder != site and folder.startswith(site):
            os.rmdir(folder)
            folder = os.path.dirname(folder)


def search_plugins(config: MkDocsConfig) -> list[object]:
    """The site's search plugins ("search", or Material's own name for its plugin, "material/search")."""
    return [plugin for name, plugin in config.plugins.items() if name.endswith("search")]


def material_search(plugin: object) -> bool:
    """Whether a search plugin is Material's, whose index holds a list of entries per page."""
    return hasattr(plugin, "search_index_prev") and isinstance(getattr(getattr(plugin, "search_index", None),
                                                                       "entries", None), list)


def material_index(config: MkDocsConfig) -> Any:
    """The index of the site's Material search plugin, if it is on; None if none is."""
    return next((getattr(p, "search_index") for p in search_plugins(config)  # noqa: B009  # untyped plugins
                 if material_search(p) and getattr(getattr(p, "config", None), "enabled", True)), None)


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def _plain(value: object) -> object:
    """The configuration as data to compare: an object that prints its address counts as its type
    and so never hides a change of its contents behind a changing address."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Theme):
        return {"dirs": value.dirs, **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, BasePlugin):
        return _plain(dict(value.config))
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items() if not str(k).startswith("_")}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    text = repr(value)
    return f"{type(value).__qualname__}{'' if ' at 0x' in text else text}"


def _nav(nav: Navigation) -> object:
    def item(node: Any) -> object:
        return [type(node).__name__, node.title, getattr(node, "url", None),
                [item(child) for child in getattr(node, "children", None) or ()]]
    return [item(node) for node in nav.items]


def _overrides(config: MkDocsConfig) -> object:
    """The theme's overrides (``custom_dir``) as they stand: their templates make every page. (The
    theme's own files are taken to stay the same while serve runs.)"""
    folder = config.theme.custom_dir
    return folder_stamps(folder) if folder else []


def folder_stamps(folder: str) -> list[tuple[str, int, int]]:
    """The files of a folder as they stand (path in it, modification time, size): a file added,
    removed or saved differs."""
    stamps = []
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            with contextlib.suppress(FileNotFoundError):
                stat = os.stat(path)
                stamps.append((os.path.relpath(path, folder), stat.st_mtime_ns, stat.st_size))
    return sorted(stamps)


def _hand_written(files: Files) -> object:
    """The hand-written pages as they stand: their titles show in the navigation of every page."""
    return sorted((f.src_uri, os.stat(f.abs_src_path).st_mtime_ns) for f in files.documentation_pages()
                  if not isinstance(f, GeneratedFile) and f.abs_src_path is not None
                  and os.path.isfile(f.abs_src_path))
