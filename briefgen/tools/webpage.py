"""Saved web pages as articles: the body text and the metadata a curator checks, from HTML or WARC.

Extraction is trafilatura's, made for news pages: it drops navigation, advertisements, related
links, bylines and footers. Nothing here fetches anything: pages are parsed from the bytes given.
"""

from __future__ import annotations

import datetime as dt
import gzip
import re
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

__all__ = ["MIN_ARTICLE_CHARS", "Page", "PageError", "is_warc", "looks_like_html", "read_html", "read_warc"]

# Shorter than this (the headline aside) is a login form, a cookie wall or an index, not an article.
MIN_ARTICLE_CHARS = 200
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")
NO_TEXT = "no article text found (is it the article page itself, saved as HTML?)"
# htmldate rejects dates after max_date, by default today: a fixed bound keeps the result the same every day.
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d",
                "max_date": dt.datetime(2200, 1, 1)}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class PageError(Exception):
    """A page that cannot be imported: the message says why and what to do."""


@dataclass(frozen=True)
class Page:
    """An article read from a saved page: its text and the metadata proposed for its record."""

    origin: str  # the page as the curator names it: a file, or a WARC file and the record's URI
    html: bytes  # the page as saved, kept beside the text
    text: str  # one paragraph a line, the headline first where the page gives one
    title: str | None
    outlet: str | None
    author: str | None
    published: str | None  # YYYY-MM-DD
    url: str | None


def looks_like_html(data: bytes) -> bool:
    """Whether bytes read as an HTML document (by their start, whatever the file is named)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"\0" in head:  # UTF-16 and binary files
        return False
    # a page may open with an XML declaration or a comment before its <html>
    return head.startswith((b"<!doctype html", b"<html")) or (head.startswith(b"<") and b"<html" in head)


def is_warc(path: Path) -> bool:
    """Whether a file is named as a WARC file."""
    return path.name.lower().endswith(WARC_SUFFIXES)


def _line(text: str) -> str:
    return " ".join(text.split())


def _http_url(value: str | None, base: str | None = None) -> str | None:
    if not value:
        return None
    url = urljoin(base, value.strip()) if base else value.strip()
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc and not any(c.isspace() for c in url) else None


def read_html(data: bytes, origin: str, *, url: str | None = None, charset: str | None = None) -> Page:
    """The article of one saved HTML page; url (a WARC record's target) overrides the page's own."""
    # imported here: trafilatura takes a fifth of a second to import, which every build would pay
    from trafilatura import bare_extraction
    from trafilatura.settings import Document
    from trafilatura.utils import decode_file, load_html

    if not looks_like_html(data):
        raise PageError(f"{origin}: not an HTML page (save the article's page as HTML, or give its text as .txt)")
    text = None
    if charset:
        try:
            text = data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text = decode_file(data)  # the charset the page declares, else a guess
    doc = bare_extraction(text, with_metadata=True, favor_precision=True, include_comments=False,
                          include_images=False, include_links=False, date_extraction_params=_DATE_PARAMS)
    if not isinstance(doc, Document):  # None: trafilatura found nothing it would call the page's text
        raise PageError(f"{origin}: {NO_TEXT}")
    lines = [line for line in map(_line, (doc.text or "").splitlines()) if line]
    title = _line(doc.title) if doc.title else None
    if title and lines[:1] != [title]:
        lines.insert(0, title)  # the headline first, so that the source's page takes it as its heading
    if sum(len(line) for line in lines[1 if title else 0:]) < MIN_ARTICLE_CHARS:
        raise PageError(f"{origin}: {NO_TEXT}")
    published = doc.date if doc.date and _DATE.fullmatch(doc.date) else None
    # The canonical link is the publisher's own address for the page; og:url often carries tracking.
    tree = load_html(text)
    canonical = tree.xpath('//head/link[@rel="canonical"]/@href') if tree is not None else []
    proposed = _http_url(url) or _http_url(str(canonical[0]) if canonical else None, doc.url) or _http_url(doc.url)
    return Page(origin, data, "\n".join(lines) + "\n", title, _line(doc.sitename) if doc.sitename else None,
                _line(doc.author) if doc.author else None, published, proposed)


def read_warc(path: Path) -> list[Page]:
    """The article of each HTML response in a WARC file that has one, in the file's order.

    Responses without article text (style sheets, index pages) are skipped; a WARC with none at
    all is an error.
    """
    pages: list[Page] = []
    try:
        with path.open("rb") as stream:
            start = stream.read(2)
            stream.seek(0)
            # warcio also reads the older ARC format, and takes a line of words for one of its records
            with gzip.open(stream) if start == b"\x1f\x8b" else nullcontext(stream) as head:
                if head.read(5) != b"WARC/":
                    raise ValueError("it does not start with a WARC record")
            stream.seek(0)
            for record in ArchiveIterator(stream):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                if record.http_headers.get_statuscode() != "200":
                    continue
                content_type = (record.http_headers.get_header("Content-Type") or "").lower()
                if content_type.split(";")[0].strip() not in HTML_TYPES:
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI")
                charset = next((p.split("=", 1)[1].strip(' "') for p in content_type.split(";")[1:]
                                if p.strip().startswith("charset=")), None)
                data = record.content_stream().read()
                try:
                    pages.append(read_html(data, f"{path} ({uri})", url=uri, charset=charset))
                except PageError:
                    continue
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as e:
        raise PageError(f"{path}: not a readable WARC file ({e}); give the .warc or .warc.gz a web archiver wrote") from None
    if not pages:
        raise PageError(f"{path}: no HTML response with article text in this WARC file")
    return pages
