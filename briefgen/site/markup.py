"""Markup: the Jinja2 environment whose every printed value is inert, and the small pieces of
Markdown and HTML that pages share (front matter, dates, isolated names, page URLs)."""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..dates import PartialDate
from ..text.escape import capfirst, inert, is_bidi
from ..text.names import spellings

__all__ = ["count", "date", "environment", "front_matter", "isolated", "page_url", "template_dir", "template_files", "tidy"]


def template_dir() -> Path:
    """The folder of the default templates."""
    here = Path(__file__).resolve().parent.parent
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


def environment(extra: Path | None) -> jinja2.Environment:
    """The templates of ``extra`` (if given) over the default ones; what they print is inert
    unless it is Markup made here.

    The same folders with the same files give the same environment, its templates compiled
    once (under ``mkdocs serve``, once for all rebuilds)."""
    return _environment(extra, template_files(extra), template_files(template_dir()))


def template_files(folder: Path | None) -> tuple[tuple[str, int, int], ...]:
    """The files of a template folder as they stand (name, modification time, size): a file
    added, removed or saved differs."""
    if folder is None or not folder.is_dir():
        return ()
    return tuple(sorted((p.relative_to(folder).as_posix(), p.stat().st_mtime_ns, p.stat().st_size)
                        for p in folder.rglob("*") if p.is_file()))


@functools.lru_cache(maxsize=4)
def _environment(extra: Path | None, *files: object) -> jinja2.Environment:
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
    env.filters["isolated"] = lambda v: Markup(isolated(str(v)))
    env.filters["spellings"] = spellings
    # After a heading: Material's search leaves its section out of the index (attr_list reads it).
    # The section holds what other pages index already: claims of other entities, quotes.
    env.globals["unindexed"] = Markup(" { data-search-exclude }")
    return env


_HEADING = re.compile(r"\n(#{1,6} )")
# "\n\n\n+", not "\n{3,}": the latter tries (and fails) at every pair of newlines, ten times slower.
_BLANK_LINES = re.compile(r"\n\n\n+")


def tidy(text: str) -> str:
    """Blank lines as Markdown needs them: one before each heading, never two in a row."""
    text = _HEADING.sub("\n\n\\1", text)
    return _BLANK_LINES.sub("\n\n", text).strip("\n") + "\n"


@functools.lru_cache(maxsize=1 << 14)
def date(d: PartialDate | None) -> Markup:
    """A date at its written precision, machine-readable too."""
    if d is None:
        return Markup("")
    return Markup(f'<time datetime="{d.iso}">{inert(d.display)}</time>')


def count(n: int, noun: str, plural: str = "") -> str:
    """"1 claim", "2 claims" ("1 entity", "2 entities" with the plural given)."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


@functools.lru_cache(maxsize=1 << 16)
def isolated(text: str) -> str:
    """A name among other text: inert, and in <bdi> if it is right to left, so that (say) an
    Arabic name followed by a number or by another Arabic name keeps the order written.

    Not for passages of an article: <bdi> takes its direction from the first letter, which
    for an English sentence that opens with an Arabic name would be the wrong one.
    """
    return f"<bdi>{inert(text)}</bdi>" if is_bidi(text) else inert(text)


@functools.lru_cache(maxsize=1 << 16)
def page_url(path: str, directory_urls: bool) -> str:
    """The URL of a generated page, relative to the site's root, as MkDocs makes it."""
    if not directory_urls:
        return path.removesuffix(".md") + ".html"
    url = path.removesuffix(".md").removesuffix("index")
    return url if not url or url.endswith("/") else url + "/"


# -- front matter -------------------------------------------------------------------------

def front_matter(**meta: Any) -> Markup:
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


def _escaped(value: Any) -> Any:
    """Front matter's strings HTML-escaped, inside lists and mappings too."""
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if isinstance(value, Mapping):
        return {k: _escaped(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_escaped(v) for v in value]
    return value


# A JSON escape of a surrogate pair, not itself escaped (preceded by an even run of backslashes).
_SURROGATE_PAIR = re.compile(r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")


def _yaml_escape(m: re.Match[str]) -> str:
    code = 0x10000 + ((int(m[2], 16) - 0xD800) << 10) + (int(m[3], 16) - 0xDC00)
    return f"{m[1]}\\U{code:08x}"
