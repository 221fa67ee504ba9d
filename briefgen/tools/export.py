"""Export: the whole briefing as JSON or CSV, and the format as JSON Schema, for other tools."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..model import Briefing, Citation, Claim, Entity

__all__ = ["CSV_COLUMNS", "to_csv", "to_json"]

CSV_COLUMNS = (
    "entity", "entity_type", "entity_name", "claim", "text", "topic", "certainty", "said_by", "date",
    "source", "quote", "start", "end", "anchor", "file", "line",
)


def _citation(c: Citation) -> dict[str, Any]:
    return {"source": c.source, "quote": c.quote, "start": c.start, "end": c.end, "anchor": c.anchor}


def _claim(claim: Claim) -> dict[str, Any]:
    return {
        "text": claim.plain,
        "links": list(claim.links),
        "topic": claim.topic,
        "certainty": claim.certainty,
        "said_by": "".join(s.text for s in claim.said_by) or None,
        "date": claim.date.iso if claim.date else None,
        "citations": [_citation(c) for c in claim.citations],
        "file": claim.file,
        "line": claim.line,
    }


def to_json(briefing: Briefing) -> str:
    """The briefing as one JSON document. Citation offsets index the article's text (code points)."""
    data = {
        "title": briefing.title,
        "overview": [_claim(c) for c in briefing.overview],
        "sources": [
            {"id": s.id, "file": s.file, "title": s.title, "outlet": s.outlet or None,
             "published": s.published.iso if s.published else None, "url": s.url or None,
             "author": s.author or None, "characters": len(s.text)}
            for s in briefing.sources
        ],
        "entities": [
            {"id": e.id, "type": e.type, "name": e.name, "description": e.description or None,
             "date": e.date.iso if e.date else None, "file": e.file,
             "aliases": [{"name": a.name, "link": a.link, "citations": [_citation(c) for c in a.citations]}
                         for a in e.aliases],
             "claims": [_claim(c) for c in e.claims]}
            for e in briefing.entities
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_csv(briefing: Briefing) -> str:
    """One row per claim and citation; overview claims have no entity."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    holders: list[tuple[Entity | None, Claim, int]] = [(None, c, i) for i, c in enumerate(briefing.overview)]
    holders += [(e, c, i) for e in briefing.entities for i, c in enumerate(e.claims)]
    for entity, claim, index in holders:
        for c in claim.citations:
            writer.writerow([
                entity.id if entity else "", entity.type if entity else "", entity.name if entity else "",
                index, claim.plain, claim.topic or "", claim.certainty, "".join(s.text for s in claim.said_by),
                claim.date.iso if claim.date else "", c.source, c.quote, c.start, c.end, c.anchor,
                claim.file, claim.line,
            ])
    return out.getvalue()
