"""Export: the whole briefing as JSON or CSV, and the format as JSON Schema, for other tools."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..corpus.origins import Origin, origins
from ..model import Briefing, Citation, Claim, Entity, Segment

__all__ = ["CSV_COLUMNS", "to_csv", "to_json"]

CSV_COLUMNS = (
    "entity", "entity_type", "entity_name", "claim", "text", "topic", "certainty", "said_by", "date",
    "source", "quote", "start", "end", "anchor", "file", "line",
    "via", "source_reliability", "origin", "claim_sources", "claim_origins",
)


def _plain(segments: tuple[Segment, ...]) -> str | None:
    return "".join(s.text for s in segments) or None


def _citation(c: Citation, origin: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"source": c.source, "quote": c.quote, "start": c.start, "end": c.end, "anchor": c.anchor,
                            "via": _plain(c.via), "via_links": [s.target for s in c.via if s.target]}
    if origin is not None:
        data["origin"] = origin
    return data


def _origin_of(found: tuple[Origin, ...]) -> dict[int, int]:
    """Each citation's origin (by its place in the claim's list), by the citation's place."""
    return {id(c): k for k, o in enumerate(found) for c in o.citations}


def _origin(o: Origin, briefing: Briefing) -> dict[str, Any]:
    if o.via:
        label = _plain(o.via) or ""
    else:
        s = briefing.source[o.source]
        label = s.outlet or s.title
    return {"label": label, "via": _plain(o.via), "via_links": [s.target for s in o.via if s.target],
            "source": o.source or None, "sources": list(o.sources)}


def _claim(claim: Claim, briefing: Briefing) -> dict[str, Any]:
    found = origins(claim.citations, briefing.source)
    where = _origin_of(found)
    return {
        "text": claim.plain,
        "links": list(claim.links),
        "topic": claim.topic,
        "certainty": claim.certainty,
        "said_by": "".join(s.text for s in claim.said_by) or None,
        "date": claim.date.iso if claim.date else None,
        "citations": [_citation(c, where[id(c)]) for c in claim.citations],
        "sources": len(claim.sources),
        "origins": [_origin(o, briefing) for o in found],
        "file": claim.file,
        "line": claim.line,
    }


def to_json(briefing: Briefing) -> str:
    """The briefing as one JSON document. Citation offsets index the article's text (code points).

    A claim's ``sources`` counts its distinct articles, its ``origins`` list where they got it
    (see briefgen.corpus.origins); each citation's ``origin`` is its place in that list.
    """
    data = {
        "title": briefing.title,
        "overview": [_claim(c, briefing) for c in briefing.overview],
        "sources": [
            {"id": s.id, "file": s.file, "title": s.title, "outlet": s.outlet or None,
             "published": s.published.iso if s.published else None, "url": s.url or None,
             "author": s.author or None, "reliability": s.reliability or None,
             "reliability_note": s.reliability_note or None, "characters": len(s.text)}
            for s in briefing.sources
        ],
        "entities": [
            {"id": e.id, "type": e.type, "name": e.name, "description": e.description or None,
             "date": e.date.iso if e.date else None, "file": e.file,
             "aliases": [{"name": a.name, "link": a.link, "citations": [_citation(c) for c in a.citations]}
                         for a in e.aliases],
             "claims": [_claim(c, briefing) for c in e.claims]}
            for e in briefing.entities
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_csv(briefing: Briefing) -> str:
    """One row per claim and citation; overview claims have no entity. ``origin`` numbers the
    citation's origin within its claim (from 1), ``claim_origins`` counts them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    holders: list[tuple[Entity | None, Claim, int]] = [(None, c, i) for i, c in enumerate(briefing.overview)]
    holders += [(e, c, i) for e in briefing.entities for i, c in enumerate(e.claims)]
    for entity, claim, index in holders:
        found = origins(claim.citations, briefing.source)
        where = _origin_of(found)
        for c in claim.citations:
            writer.writerow([
                entity.id if entity else "", entity.type if entity else "", entity.name if entity else "",
                index, claim.plain, claim.topic or "", claim.certainty, "".join(s.text for s in claim.said_by),
                claim.date.iso if claim.date else "", c.source, c.quote, c.start, c.end, c.anchor,
                claim.file, claim.line,
                _plain(c.via) or "", briefing.source[c.source].reliability, where[id(c)] + 1, len(claim.sources),
                len(found),
            ])
    return out.getvalue()
