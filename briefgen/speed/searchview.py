"""What Material's search reads of a generated page: the page without what it would skip.

Material's search parses the whole HTML of every page (``html.parser``, in Python) to index it,
and skips the sections whose heading carries ``data-search-exclude`` and the elements that carry
it: on an entity page most of its tags (the connections' graph, the mentioned-in and dates
lists, the footnotes). ``SearchView`` hands it the page with those parts cut out, and gives the
page its whole HTML back once it is indexed, as the search plugin leaves pages: the index and
the page are the bytes they are without it.
"""

from __future__ import annotations

import itertools
import re

from mkdocs.structure.pages import Page

__all__ = ["SearchView", "search_view"]

# A heading that starts a section of the index: one with an id, at the start of a line.
_HEADING = re.compile(r"^<h[1-6]\b[^>]*\sid=", re.MULTILINE)
_ANY_HEADING = re.compile(r"<h[1-6]\b", re.IGNORECASE)
_FOOTNOTES = '<div class="footnote" data-search-exclude="quoted">'
# What Material's search plugin removes from a page once it has indexed it (search/plugin.py).
_SEARCH_ATTRIBUTES = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")


def search_view(content: str) -> str:
    """The page's HTML less what Material's search parser skips: the body of each section whose
    heading search leaves out (the heading stays), and the footnotes marked to be left out."""
    starts = [m.start() for m in _HEADING.finditer(content)] + [len(content)]
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
    return view


class SearchView:
    """Hands Material's search each generated page's view while it indexes it."""

    def __init__(self) -> None:
        self.whole: dict[str, str] = {}  # by page: the HTML the page gets back

    def before_search(self, page: Page) -> None:
        """The page's HTML, as the search plugin is to read it."""
        assert page.content is not None
        self.whole[page.file.src_uri] = page.content
        page.content = search_view(page.content)

    def after_search(self, page: Page) -> None:
        """The page's whole HTML back, as the search plugin leaves a page it has indexed."""
        whole = self.whole.pop(page.file.src_uri, None)
        if whole is not None:
            page.content = _SEARCH_ATTRIBUTES.sub("", whole)
