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
    cuts = {start, end}
    # One sweep over the cuts, keeping the passages open at each (a paragraph may hold thousands).
    starting: dict[int, list[str]] = {}
    ending: dict[int, list[str]] = {}
    for s, e, anchor in quotes:
        cuts.add(s)
        cuts.add(e)
        starting.setdefault(s, []).append(anchor)
        ending.setdefault(e, []).append(anchor)
    name_at = {}
    for s, e, link in names:  # names never overlap
        cuts.add(s)
        cuts.add(e)
        name_at[s] = (e, link)
    active: set[str] = set()
    covering: tuple[str, ...] = ()
    name_end, url = start, ""
    out: list[str] = []
    run: list[str] = []  # the pieces of the current run: one <mark>, or none, around them all
    run_covering: tuple[str, ...] = ()

    def close_run() -> None:
        body = "".join(run)
        out.append(f'<mark class="bg-quote" data-quotes="{" ".join(run_covering)}">{body}</mark>'
                   if run_covering else body)

    for a, b in itertools.pairwise(sorted(cuts)):
        opened = ""
        closes, opens = ending.get(a), starting.get(a)
        if closes or opens:
            if closes:
                active.difference_update(closes)
            if opens:
                active.update(opens)
                opened = "".join([f'<span id="{x}" class="bg-anchor"></span>' for x in sorted(set(opens))])
            covering = tuple(sorted(active))
        name = name_at.get(a)
        if name is not None:
            name_end, url = name
        piece = inert(text[a:b])
        if b <= name_end:
            piece = f"[{piece}]({url})"
        if opened or covering != run_covering or not run:
            if run:
                close_run()
            out.append(opened)
            run, run_covering = [piece], covering
        else:
            run.append(piece)
    close_run()
    return "".join(out)


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
