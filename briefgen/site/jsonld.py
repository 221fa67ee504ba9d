"""schema.org JSON-LD: what an entity page says about its entity, for search engines and other readers."""

from __future__ import annotations

import json
from typing import Any

from ..kinds import KIND
from ..model import Entity
from ..text.escape import fold

__all__ = ["entity_data", "script", "with_script"]

# Characters that could end the script element or a comment in it, or end a line in older JavaScript.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def entity_data(entity: Entity, url: str | None = None) -> dict[str, Any]:
    """An entity as a schema.org item: its name, other names, description, page and (for events) date.

    Text is as the page shows it (``fold``: one line, control characters visible). An event's
    ``startDate`` has the precision written (``2016-03`` is valid schema.org Date text).
    """
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": KIND[entity.type].schema_type, "name": fold(entity.name)}
    aliases = [name for name in dict.fromkeys(fold(a.name) for a in entity.aliases) if name != data["name"]]
    if aliases:
        data["alternateName"] = aliases
    if entity.description:
        data["description"] = fold(entity.description)
    if url:
        data["url"] = url
    if entity.type == "event" and entity.date is not None:
        data["startDate"] = entity.date.iso
    return data


def script(data: dict[str, Any]) -> str:
    """JSON-LD as a ``<script type="application/ld+json">`` element that no text in it can end."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Outside strings JSON has none of these characters; inside one, the escape is the same string.
    text = "".join(_SCRIPT_ESCAPES.get(c, c) for c in text)
    return f'<script type="application/ld+json">{text}</script>'


def with_script(html: str, element: str) -> str:
    """An HTML page with an element added at the end of its <head> (unchanged if it has none).

    The first ``</head>`` is the head's end: text before it (a title, a description) is escaped.
    """
    end = html.find("</head>")
    return html if end < 0 else html[:end] + element + html[end:]
