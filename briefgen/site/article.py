"""A source page's article: its paragraphs, with cited passages marked and anchored and known
names linked."""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from typing import Any

from markupsafe import Markup

from ..model import Claim, Source
from ..text.escape import inert
from .context import PageContext

__all__ = ["article_context", "paragraph_markdown"]


def paragraph_markdown(text: str, start: int, end: int, quotes: list[tuple[int, int, str]],
                       names: list[tuple[int, int, str]]) -> str:
    """One paragraph of an article: cited passages marked and anchored, names linked.

    ``quotes`` are (start, end, anchor) within the paragraph, ``names`` (start, end, URL).
    The paragraph is cut at every boundary of a passage or a name. Consecutive pieces
    inside the same passages share one <mark>; a passage that starts inside another
    gets its own anchor there. Marks never nest, so passages may overlap freely.
    """
    if not quotes and not names:
        return inert(text[start:end])
    starting: dict[int, list[str]] = {}
    ending: dict[int, list[str]] = {}
    for s, e, anchor in quotes:
        starting.setdefault(s, []).append(anchor)
        ending.setdefault(e, []).append(anchor)
    name_at = {s: (e, link) for s, e, link in names}  # names never overlap
    cuts = sorted({start, end, *starting, *ending, *name_at, *(e for e, _ in name_at.values())})
    # One sweep over the cuts, keeping the passages open at each (a paragraph may hold thousands).
    runs = _Runs()
    active: set[str] = set()
    covering: tuple[str, ...] = ()
    name_end, url = start, ""
    for a, b in itertools.pairwise(cuts):
        opened = ""
        closes, opens = ending.get(a), starting.get(a)
        if closes or opens:
            active.difference_update(closes or ())
            active.update(opens or ())
            opened = "".join([f'<span id="{x}" class="bg-anchor"></span>' for x in sorted(set(opens or ()))])
            covering = tuple(sorted(active))
        if a in name_at:
            name_end, url = name_at[a]
        piece = inert(text[a:b])
        runs.add(f"[{piece}]({url})" if b <= name_end else piece, opened, covering)
    return runs.markdown()


class _Runs:
    """A paragraph's pieces in runs: the pieces one set of passages covers share one <mark>."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.run: list[str] = []  # the pieces of the current run
        self.covering: tuple[str, ...] = ()  # the passages that cover it

    def add(self, piece: str, opened: str, covering: tuple[str, ...]) -> None:
        """The next piece, after the anchors of the passages that start at it."""
        if opened or covering != self.covering or not self.run:
            self._close()
            self.out.append(opened)
            self.run, self.covering = [piece], covering
        else:
            self.run.append(piece)

    def _close(self) -> None:
        if self.run:
            body = "".join(self.run)
            self.out.append(f'<mark class="bg-quote" data-quotes="{" ".join(self.covering)}">{body}</mark>'
                            if self.covering else body)

    def markdown(self) -> str:
        """The paragraph."""
        self._close()
        return "".join(self.out)


def article_context(page: PageContext, source: Source) -> dict[str, Any]:
    """What source.md.j2 shows: the heading, the paragraphs, and the claims citing the source
    grouped by the entity that holds them (the overview's first)."""
    briefing = page.briefing
    cites = briefing.citations_by_source.get(source.id, ())
    spans = sorted({(c.start, c.end, c.anchor) for c in cites})
    urls: dict[str, str] = {}
    names = [(s, e, urls.get(id) or urls.setdefault(id, page.url(briefing.page_of(id))))
             for s, e, id in page.site.names.find(source.normalized)]

    starts = [qs for qs, _, _ in spans]
    longest = max((qe - qs for qs, qe, _ in spans), default=0)
    name_starts = [ns for ns, _, _ in names]

    def paragraph(start: int, end: int, link_names: bool = True) -> Markup:
        # only the passages and names near the paragraph, found by bisection: not all of them each time
        near = spans[bisect.bisect_left(starts, start - longest) : bisect.bisect_left(starts, end)]
        quotes = [(max(qs, start), min(qe, end), a) for qs, qe, a in near if qs < end and qe > start]
        inside = names[bisect.bisect_left(name_starts, start) : bisect.bisect_left(name_starts, end)]
        in_para = [(ns, ne, url) for ns, ne, url in inside if ne <= end] if link_names else []
        return Markup(paragraph_markdown(source.text, start, end, quotes, in_para))

    # A headline that repeats the title is the page's heading; passages cited in it are marked there.
    heading = paragraph(*source.headline, link_names=False) if source.headline else Markup(inert(source.title))
    paragraphs = [paragraph(start, end) for start, end in source.paragraphs]
    by_holder: dict[str | None, list[Claim]] = defaultdict(list)
    for claim in briefing.claims_by_source.get(source.id, ()):
        by_holder[claim.holder].append(claim)
    groups = sorted(
        ((briefing.entity[h] if h else None, cs) for h, cs in by_holder.items()),
        key=lambda g: (g[0] is not None, g[0].name.casefold() if g[0] else ""),
    )
    return {"source": source, "heading": heading, "paragraphs": paragraphs, "groups": groups}
