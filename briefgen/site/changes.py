"""The record's changes as a reader gets them: the changes page's parts and the Atom feed."""

from __future__ import annotations

import datetime
import html
import uuid
import xml.etree.ElementTree as ET

from ..dates import PartialDate
from ..history import Day, Fact
from ..model import Briefing
from ..text.escape import WIKILINK
from .markup import count, page_url

__all__ = ["CHANGES", "FEED", "day_anchor", "day_title", "feed_link", "feed_xml", "summary_of", "wording"]

CHANGES = "changes.md"
FEED = "feed.xml"
ATOM = "http://www.w3.org/2005/Atom"


def day_title(day: Day) -> str:
    """A day as its heading says it: "26 November 2017", or "Not yet committed"."""
    if day.day is None:
        return "Not yet committed"
    return PartialDate(day.day.year, day.day.month, day.day.day).display


def day_anchor(day: Day) -> str:
    """The id of a day's heading on the changes page, as the toc extension makes it."""
    return day_title(day).lower().replace(" ", "-")


def wording(fact: Fact, briefing: Briefing) -> str:
    """A recorded claim's text as plain words: each wikilink as its label, or the name it has now."""
    def label(m: object) -> str:
        id, text = m.group(1).strip(), m.group(2)  # type: ignore[attr-defined]
        if text is not None:
            return str(text)
        return briefing.name_of(id) if id in briefing.entity or id in briefing.source else id
    return WIKILINK.sub(label, fact.text)


def summary_of(day: Day) -> str:
    """What a day did, in a line: "2 claims added, 1 changed; 1 source added"."""
    if day.first:
        return (f"The record begins: {count(day.count('added'), 'claim')} on {count(len(day.entities), 'entity', 'entities')}"
                f", from {count(sum(1 for s in day.sources if s.added), 'source')}.")
    claims = [(kind, n) for kind in ("added", "changed", "removed") if (n := day.count(kind))]
    parts = []
    if claims:
        (kind, n), *rest = claims
        parts.append(", ".join([f"{count(n, 'claim')} {kind}", *(f"{m} {k}" for k, m in rest)]))
    for added, verb in ((True, "added"), (False, "removed")):
        n = sum(1 for s in day.sources if s.added is added)
        if n:
            parts.append(f"{count(n, 'source')} {verb}")
    for opened, verb in ((True, "opened"), (False, "closed")):
        n = sum(1 for d in day.disputes if d.opened is opened)
        if n:
            parts.append(f"{count(n, 'topic')} of accounts that differ {verb}")
    if day.edited:
        parts.append(f"{count(len(day.edited), 'entity', 'entities')} {'also ' if parts else ''}edited")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def feed_xml(briefing: Briefing, directory_urls: bool) -> str:
    """The Atom 1.0 feed of the record's changes: an entry per date, newest first, linking to
    its part of the changes page and to the pages it changed. Links are relative to the feed,
    at the site's root."""
    ET.register_namespace("", ATOM)
    days = briefing.history.dated
    feed = ET.Element(f"{{{ATOM}}}feed")
    feed_id = uuid.uuid5(uuid.NAMESPACE_URL, "briefgen:" + briefing.title)
    _add(feed, "title", f"{briefing.title}: changes")
    _add(feed, "id", feed_id.urn)
    _add(feed, "updated", _stamp(days[0].day if days else None))
    ET.SubElement(_add(feed, "author"), f"{{{ATOM}}}name").text = briefing.title
    _link(feed, page_url(CHANGES, directory_urls), "alternate", "text/html")
    for day in days:
        entry = _add(feed, "entry")
        _add(entry, "title", f"{day_title(day)}: {summary_of(day)}")
        _add(entry, "id", uuid.uuid5(feed_id, str(day.day)).urn)
        _add(entry, "updated", _stamp(day.day))
        _link(entry, f"{page_url(CHANGES, directory_urls)}#{day_anchor(day)}", "alternate", "text/html")
        changed = [(briefing.entity[id].page, "", briefing.entity[id].name) for id in day.entities if id in briefing.entity]
        changed += [(briefing.source[s.id].page, "Source: ", s.title) for s in day.sources
                    if s.added and s.id in briefing.source]
        items = []
        for page, lead, label in changed:
            url = page_url(page, directory_urls)
            _link(entry, url, "related", "text/html")
            items.append(f'<li>{lead}<a href="{html.escape(url)}">{html.escape(label)}</a></li>')
        content = f"<p>{html.escape(summary_of(day))}</p>" + (f"<ul>{''.join(items)}</ul>" if items else "")
        _add(entry, "content", content).set("type", "html")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def feed_link(href: str, title: str) -> str:
    """The <link> in a page's head by which browsers and feed readers find the feed."""
    return (f'<link rel="alternate" type="application/atom+xml" title="{html.escape(title, quote=True)}: changes" '
            f'href="{html.escape(href, quote=True)}">')


def _add(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = text
    return element


def _link(parent: ET.Element, href: str, rel: str, type: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "type": type, "href": href or "./"})


def _stamp(day: datetime.date | None) -> str:
    """A date as Atom's date-time: its start, in UTC (the feed says days, not hours)."""
    return f"{(day or datetime.date(1970, 1, 1)).isoformat()}T00:00:00Z"
