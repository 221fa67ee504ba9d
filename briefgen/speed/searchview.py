"""What Material's search reads of a generated page: the page without what it would skip.

Material's search parses the whole HTML of every page (``html.parser``, in Python) to index it,
and skips the sections whose heading carries ``data-search-exclude`` and the elements that carry
it: on an entity page most of its tags (the connections' graph, the mentioned-in and dates
lists, the footnotes). ``SearchView`` hands it the page with those parts cut out, and gives the
page its whole HTML back once it is indexed, as the search plugin leaves pages: the index and
the page are the bytes they are without it.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any

from mkdocs.structure.pages import Page

__all__ = ["SearchView", "as_searched", "excluded", "feed", "lean", "mark_footnotes", "search_view"]

# A heading that starts a section of the index: one with an id, at the start of a line (found
# after a line break: "^" in MULTILINE mode tries every character of the page).
_HEADING = re.compile(r"<h[1-6]\b[^>]*\sid=")
_HEADING_LINE = re.compile(r"\n" + _HEADING.pattern)
_ANY_HEADING = re.compile(r"<h[1-6]\b", re.IGNORECASE)
_FOOTNOTES = '<div class="footnote" data-search-exclude="quoted">'
# What Material's search plugin removes from a page once it has indexed it (search/plugin.py:
# r'\s?data-search-\w+="[^"]+"'), found from its literal start, which a regular expression that
# starts with "\s?" must try at every character.
_SEARCH_ATTRIBUTE = re.compile(r'data-search-\w+="[^"]+"')


def excluded(meta: Mapping[str, Any]) -> bool:
    """Whether a page's front matter leaves it out of the index: Material's search then never
    reads it (its ``add_entry_from_context``), and it needs no view."""
    return bool((meta.get("search") or {}).get("exclude"))


def as_searched(content: str) -> str:
    """The page's HTML as Material's search plugin leaves a page it has indexed: without its
    ``data-search-*`` attributes (each with the white space before it, if any)."""
    if "data-search-" not in content:
        return content
    kept = []
    end = 0
    for m in _SEARCH_ATTRIBUTE.finditer(content):
        start = m.start() - (m.start() > end and content[m.start() - 1].isspace())
        kept.append(content[end:start])
        end = m.end()
    kept.append(content[end:])
    return "".join(kept)


def mark_footnotes(content: str) -> str:
    """A generated page's footnotes marked to be left out of the search index: each quotes a
    passage that its article's page holds (Material's search drops the attribute from the page)."""
    return content.replace('<div class="footnote">', _FOOTNOTES, 1)


def search_view(content: str) -> str:
    """The page's HTML less what Material's search parser skips: the body of each section whose
    heading search leaves out (the heading stays), and the footnotes marked to be left out."""
    starts = [*([0] if _HEADING.match(content) else []), *(m.start() + 1 for m in _HEADING_LINE.finditer(content)),
              len(content)]
    kept = [content[: starts[0]]]
    for start, end in itertools.pairwise(starts):
        close = content.find(">", start)
        heading_end = content.find("\n", start, end)
        heading_end = end if heading_end < 0 else heading_end
        body = content[heading_end:end]
        if "data-search-exclude" in content[start:close] and not _ANY_HEADING.search(body):
            kept.append(content[start:heading_end])
        else:
            kept.append(content[start:end])
    view = "".join(kept)
    start = view.find(_FOOTNOTES)
    end = view.find("</div>", start)
    if start >= 0 and end >= 0 and "<div" not in view[start + len(_FOOTNOTES) : end]:
        view = view[:start] + view[end + len("</div>") :]
    return lean(view)


# How Material's search parser (search/plugin.py, ``Parser``) reads tags: the ones whose markup it
# copies into the index, the ones it never indexes, the headings that start its sections, HTML's
# void elements, and the attributes it reads (any other attribute it ignores).
_KEPT = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})
_SKIPPED = frozenset({"object", "script", "style"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})
# What may leave an element out (character references may spell either), and what else it reads.
_EXCLUDING = re.compile(r"data-search-exclude|linenodiv|&", re.IGNORECASE)
_READ = re.compile(_EXCLUDING.pattern + "|headerlink", re.IGNORECASE)
# Elements whose content one version of html.parser reads as text and another as markup.
_RAW = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
                  "plaintext"})
_TAG = re.compile(r"""<(/?)([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_CUT_ENTITY = re.compile(r"&[#\w]*$")


class _Attributes(HTMLParser):
    """A tag's attributes as html.parser, and so Material's search, reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found = dict(attrs)


def _reading(attributes: str) -> int:
    """What the search parser makes of a start tag's attributes: 0 nothing; 1 it reads them (a
    permalink, or it may be one: the tag is kept); 2 it leaves the element out."""
    if not _READ.search(attributes):
        return 0
    if not _EXCLUDING.search(attributes):
        return 1  # a permalink's class, say: nothing that could leave the element out
    parser = _Attributes()
    parser.feed(f"<x{attributes}>")
    parser.close()
    found = parser.found
    return 2 if "data-search-exclude" in found or found.get("class") == "linenodiv" else 1


def _gap(text: str) -> int:
    """What the text between two tags is to the parser: 0 none or more than white space; 1 one
    space or line break (one space in the index, or none after another); 2 other white space, or
    text that ends in a cut character reference."""
    if not text:
        return 0
    if "&" in text:
        if _CUT_ENTITY.search(text):
            return 2
        text = html.unescape(text)  # the parser reads the text unescaped
    return 0 if not text.isspace() else 1 if text in (" ", "\n") else 2


def lean(view: str) -> str:
    """The view less the markup that changes nothing Material's search parser makes of it: the
    tags of elements whose markup it neither copies nor reads (links, spans, marks) where the
    text on either side runs on as it would, and the content of the elements it leaves out. The
    parser then walks a fraction of the tags for the same index. A view this cannot vouch for
    (a stray "<", elements closed out of order, raw text, self-closing tags) is returned whole."""
    parts = _TAG.split(view)
    text, closing, attributes = parts[0::4], parts[1::4], parts[3::4]
    names = [name.lower() for name in parts[2::4]]
    if not names or view.count("<") != len(names):
        return view
    # gaps[k]: the text before tag k; gaps[k + 1]: after it
    gaps = [0 if not t or ("&" not in t and not t.isspace()) else _gap(t) for t in text]
    reading = [_reading(a) if a and not end else 0 for end, a in zip(closing, attributes, strict=True)]
    excluded = {name for name, r in zip(names, reading, strict=True) if r == 2}
    loose = set(names) - _KEPT - _SKIPPED - _HEADINGS - _VOID - excluded  # the names whose tags may go
    # the parser starts its first section at the first element, which stays
    first = next((i for i, (end, n) in enumerate(zip(closing, names, strict=True)) if not end and n not in _VOID), -1)
    # whether a tag leaves the parser's last indexed text as it is (it adds, if anything, its markup)
    plain = bytearray(len(names))
    gone = bytearray(len(names))
    hollow: dict[int, int] = {}  # the tags between these two go, and the text
    stack: list[tuple[str, int, int]] = []  # the open elements: name, tag, headings before it
    headings = 0

    def spaced(k: int) -> bool:
        """Whether the one space before tag k, with text after it, is indexed as it is when the
        tag goes: after text that the tag before it leaves last (a space after a space is not)."""
        return (gaps[k] == 1 and gaps[k + 1] == 0 and text[k + 1] != "" and k > 0 and plain[k - 1] == 1
                and gaps[k - 1] == 0 and text[k - 1] != "")

    for i, name in enumerate(names):
        if not closing[i]:
            if name in _RAW and not (i + 1 < len(names) and names[i + 1] == name and closing[i + 1]):
                return view  # raw text must be no markup at all: the next tag is its end
            plain[i] = name not in _HEADINGS and name not in excluded and name not in _SKIPPED
            if name not in _VOID:
                if attributes[i].endswith("/"):
                    return view
                stack.append((name, i, headings))
                headings += name in _HEADINGS
            continue
        if name in _VOID or not stack or stack[-1][0] != name:
            return view
        _, at, before = stack.pop()
        if headings != before or at == first:  # it is or holds a heading
            continue
        plain[i] = plain[at]
        if reading[at] == 2:
            if not excluded.intersection(names[at + 1 : i]):
                hollow[at] = i  # never indexed, and nothing in it that the parser tracks
        elif (name in loose and reading[at] == 0 and (gaps[at] == 0 or spaced(at))
              and gaps[at + 1] == gaps[i] == gaps[i + 1] == 0):
            gone[at] = gone[i] = 1
    return _without(parts, gone, hollow) if any(gone) or hollow else view


def _without(parts: list[str], gone: bytearray, hollow: dict[int, int]) -> str:
    """The HTML split by ``_TAG`` put together again, less the tags that go and the content of
    the elements hollowed."""
    kept = [parts[0]]
    i = 0
    while i < len(gone):
        if not gone[i]:
            kept.append(f"<{parts[4 * i + 1]}{parts[4 * i + 2]}{parts[4 * i + 3]}>")
        if i in hollow:
            i = hollow[i]
            continue
        kept.append(parts[4 * i + 4])
        i += 1
    return "".join(kept)


# A tag of the shape generated pages have: a name in lower case, attributes in double quotes
# without "<" or ">". html.parser reads the name, the attributes and the text between such tags
# as these expressions do (the text and values with their character references unescaped).
_PLAIN_TAG = re.compile(r'<(/?)([a-z][a-z0-9]*)((?:[ \n]+[a-z][a-z0-9_:.-]*(?:="[^"<>]*")?)*)>')
_PLAIN_ATTRIBUTE = re.compile(r'([a-z][a-z0-9_:.-]*)(?:="([^"]*)")?')


def feed(parser: HTMLParser, markup: str) -> None:
    """``markup`` fed to ``parser`` and the parser closed: the same handlers called with the same
    arguments as ``parser.feed(markup); parser.close()`` calls them, without html.parser's scan
    of the text where every tag is of the plain shape generated pages have (and none holds raw
    text); otherwise by html.parser."""
    parts = _PLAIN_TAG.split(markup)
    if markup.count("<") * 4 + 1 != len(parts) or not _RAW.isdisjoint(parts[2::4]):
        parser.feed(markup)
        parser.close()
        return
    start, end, data, unescape = parser.handle_starttag, parser.handle_endtag, parser.handle_data, html.unescape
    if parts[0]:
        data(unescape(parts[0]))
    for i in range(1, len(parts), 4):
        if parts[i]:
            end(parts[i + 1])
        else:
            start(parts[i + 1], [(a.group(1), a.group(2) and unescape(a.group(2)))
                                 for a in _PLAIN_ATTRIBUTE.finditer(parts[i + 2])])
        if text := parts[i + 3]:
            data(unescape(text))


class SearchView:
    """Hands Material's search each generated page's view while it indexes it."""

    def __init__(self) -> None:
        self.whole: dict[str, str] = {}  # by page: the HTML the page gets back

    def before_search(self, page: Page) -> None:
        """The page's HTML, as the search plugin is to read it: its view made ahead, if the page
        is still what it was made of. A page search leaves out is not read: it needs none."""
        assert page.content is not None
        self.whole[page.file.src_uri] = page.content
        if excluded(page.meta):
            return
        ahead = getattr(page, "ahead", None)  # a Rendering (speed/fastpage.py)
        if ahead is not None and ahead.view is not None and page.content == mark_footnotes(ahead.content):
            page.content = ahead.view
        else:
            page.content = search_view(page.content)

    def after_search(self, page: Page) -> None:
        """The page's whole HTML back, as the search plugin leaves a page it has indexed."""
        whole = self.whole.pop(page.file.src_uri, None)
        if whole is not None:
            page.content = as_searched(whole)
