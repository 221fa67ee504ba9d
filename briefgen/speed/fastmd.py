"""Markdown to HTML for the Markdown that briefgen's templates write, as Python-Markdown converts
it with the extensions of the shipped mkdocs.yml, in a few milliseconds a page instead of tens.

It knows one narrow shape of Markdown: ATX headings (with ``{ data-search-exclude }`` at most),
one-line paragraphs, tight lists of one-line items, simple tables, raw HTML blocks of ``p``,
``div``, ``figure``, ``nav`` and headings, and footnote definitions numbered 1, 2, ... at the end; inline, links with a plain
address, footnote references, ``**strong**``, inline HTML tags and character references, in text
that has no other syntax. On anything else it answers None, and the caller converts the page
with Python-Markdown: a page converts to what Python-Markdown gives, or not here.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from markdown.extensions.toc import nest_toc_tokens, slugify, strip_tags, unique
from markdown.inlinepatterns import AUTOLINK_RE, ENTITY_RE, HTML_RE
from markdown.serializers import RE_AMP
from markdown.util import BLOCK_LEVEL_ELEMENTS

__all__ = ["Converted", "convert"]


@dataclass(frozen=True)
class Converted:
    """A page converted: its HTML with the address of each link still to be filled in (``hrefs``,
    as written, in order; ``html_with`` fills them in), the in-page links it makes (``anchors``), its
    table of contents as Python-Markdown's toc extension gives it, every id the page holds (as
    MkDocs finds them), and its first heading's text if it is an h1."""

    html: str
    hrefs: tuple[str, ...]
    anchors: tuple[str, ...]
    toc_tokens: list[Any]  # dicts, nested, as markdown.extensions.toc makes them
    ids: frozenset[str]
    h1: str | None

    def html_with(self, urls: Mapping[str, str]) -> str:
        """The HTML with each link's address: ``urls[href]`` for each of ``hrefs``."""
        # each address made an attribute once: a page links to the same page many times
        return _filled(self.html, {href: _attribute(urls[href]) for href in set(self.hrefs)}.__getitem__)


class _Unknown(Exception):
    """Markdown of another shape than this converter knows."""


_HEADING = re.compile(r"(#{1,6}) (.*)")
_EXCLUDED = " { data-search-exclude }"
_FOOTNOTE = re.compile(r"\[\^([^\]]*)\]: (.*)")
_RAW = re.compile(r"<(p|div|figure|nav|h[1-6])[ >]")
_SEPARATOR = re.compile(r" *:?-+:? *")
_ALIGN = {(True, True): ' style="text-align: center;"', (True, False): ' style="text-align: left;"',
          (False, True): ' style="text-align: right;"', (False, False): ""}
_OTHER_BLOCK_HTML = re.compile(r"</?(?:" + "|".join(BLOCK_LEVEL_ELEMENTS) + r")(?:[\s/>]|$)|<[!?]", re.IGNORECASE)
# What Python-Markdown reads at a block's start: a list, a heading, a quote, a rule, a reference
# definition, code.
_BLOCK_START = re.compile(r"[ \t>#]|\d+\. |[*+-](?: |$)|\[[^\]]*\]:|[-_* ]+$|[-_*=]{3}|~~~|```")
_INLINE = re.compile(
    r"(?P<fn>\[\^(?P<label>[^\]]*)\])"
    r"|(?P<link>\[(?P<text>[^\[\]]*)\]\((?P<href>[^\s()<>\"'\\]+)\))"
    r"|(?P<strong>\*\*(?P<inner>[^*\s](?:[^*]*[^*\s])?)\*\*)"
    f"|(?P<tag>{HTML_RE})"
    f"|(?P<entity>{ENTITY_RE})"
)
# What text between inline syntax may not hold: what Python-Markdown would read as syntax (attr_list's
# braces among it) or escape.
_SYNTAX = r"\[\]*_`\\<>&{}"
_NOT_PLAIN = re.compile(f"[{_SYNTAX}]")
# Inline syntax, or a run of plain text: a line is read as these, one after the other, or not at all.
_INLINE_OR_PLAIN = re.compile(f"{_INLINE.pattern}|(?P<plain>[^{_SYNTAX}]+)")
_TAG_NAME = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*[\s/>]")
# What a tag may not hold: what the patterns that come before inline HTML would read in it.
_NOT_IN_TAG = re.compile(r"[\[\]`\\\n]|" + AUTOLINK_RE)
# A start tag, its quoted values without "<" or ">" (a tag with one is not matched, and so declined)
_START_TAG = re.compile(r"""<([a-zA-Z][a-zA-Z0-9-]*)((?:[^<>"']+|"[^"<>]*"|'[^'<>]*')*)>""")
_TAG_OPEN = re.compile(r"<[a-zA-Z]")
# A tag's attributes as _ATTRIBUTE reads them, as html.parser does: each after white space, its value
# quoted or plain. (html.parser reads others too, '"a"id="b"' say, in ways not followed here.)
_PLAIN_ATTRIBUTES = re.compile(r"""(?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?""")
# Where an attribute named id or name may be, which _ATTRIBUTE then reads.
_ID_OR_NAME = re.compile(r"""[\s"'/](?:id|name)(?![-a-zA-Z0-9_:.])""", re.IGNORECASE)  # after what html.parser allows
_ATTRIBUTE = re.compile(r"""\s([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
# Elements whose content html.parser reads as text, tags and all.
_RAW_TEXT = re.compile(r"<(?:script|style)\b", re.IGNORECASE)
_REF_LABEL = re.compile(r"\[\^([0-9]+)\]")
_PERMALINK = '<a class="headerlink" href="#{0}" title="Permanent link">&para;</a>'
_BACKREF = '<a class="footnote-backref" href="#{0}" title="Jump back to footnote {1} in the text">&#8617;</a>'


class _Page:
    """One conversion: the footnotes and their references, and the links made."""

    def __init__(self, footnotes: dict[str, str]) -> None:
        self.hrefs: list[str] = []
        self.footnotes = footnotes  # label -> its text, in the order of definition
        self.numbers = {label: str(n) for n, label in enumerate(footnotes, start=1)}
        self.refs: dict[str, list[str]] = {}  # label -> the ids of its references, in order

    def inline(self, text: str) -> str:
        """Inline Markdown as HTML."""
        if not _NOT_PLAIN.search(text):  # every inline syntax starts with one of these
            return text
        # Text without footnote references converts the same on every page (a claim or a
        # citation is on several): so does a line's text before the references that end it,
        # which no other syntax can reach into.
        refs = _last_references(text)
        body = text[:refs]
        if "[^" in body:
            return _inline(text, self.hrefs, self._reference)
        converted, hrefs = _referenceless(body)
        self.hrefs.extend(hrefs)
        if refs == len(text):
            return converted
        return converted + "".join(self._reference(label) for label in _REF_LABEL.findall(text, refs))

    def _reference(self, label: str) -> str:
        if label not in self.numbers:
            raise _Unknown
        refs = self.refs.setdefault(label, [])
        ref = f"fnref:{label}" if not refs else f"fnref{len(refs) + 1}:{label}"
        refs.append(ref)
        return f'<sup id="{ref}"><a class="footnote-ref" href="#fn:{label}">{self.numbers[label]}</a></sup>'

    def footnotes_div(self) -> str:
        """The footnotes, each with its links back to where it is referred to."""
        items = []
        for label, text in self.footnotes.items():
            refs = self.refs.get(label)
            if not refs:
                raise _Unknown
            backrefs = "".join(_BACKREF.format(ref, self.numbers[label]) for ref in refs)
            items.append(f'<li id="fn:{label}">\n<p>{_line(self, text)}&#160;{backrefs}</p>\n</li>')
        return '<div class="footnote">\n<hr />\n<ol>\n' + "\n".join(items) + "\n</ol>\n</div>"

    def in_page_links(self) -> list[str]:
        """The links to the footnotes and back."""
        return [f"#fn:{label}" for label, refs in self.refs.items() for _ in refs] + \
            [f"#{ref}" for refs in self.refs.values() for ref in refs]


def _last_references(line: str) -> int:
    r"""Where the footnote references that end the line start, numbered as the templates number
    them (``[^1][^2]``); its length if none does. What ``(?:\[\^[0-9]+\])+$`` finds, read from
    the end: the expression tries every character of the line (3.4 against 0.4 µs a line)."""
    end = len(line)
    while line.endswith("]", 0, end):
        start = line.rfind("[^", 0, end)
        label = line[start + 2 : end - 1]
        if start < 0 or not (label.isdigit() and label.isascii()):
            break
        end = start
    return end


def _inline(text: str, hrefs: list[str], reference: Callable[[str], str] | None) -> str:
    """Inline Markdown as HTML, each link's address as written between NULs (added to
    ``hrefs``), each footnote reference made by ``reference``."""
    out: list[str] = []
    pos = 0
    plain = ""  # the plain text just before the syntax at hand
    for m in _INLINE_OR_PLAIN.finditer(text):
        if m.start() != pos:  # a character of syntax that none of it starts
            raise _Unknown
        pos = m.end()
        kind = m.lastgroup
        if kind == "plain":
            plain = m.group()
            out.append(plain)
            continue
        if kind == "fn":
            if reference is None:
                raise _Unknown
            out.append(reference(m.group("label")))
        elif kind == "link":
            if plain.endswith("!"):  # an image
                raise _Unknown
            href = m.group("href")
            hrefs.append(href)
            out.append(f'<a href="\x00{href}\x00">{_within(m.group("text"), hrefs, reference)}</a>')
        elif kind == "strong":
            out.append(f"<strong>{_within(m.group('inner'), hrefs, reference)}</strong>")
        elif kind == "tag":
            tag = m.group()
            if not _TAG_NAME.match(tag) or _NOT_IN_TAG.search(tag):
                raise _Unknown
            out.append(tag)
        else:
            out.append(m.group())
        plain = ""
    if pos != len(text):
        raise _Unknown
    return "".join(out)


def _within(text: str, hrefs: list[str], reference: Callable[[str], str] | None) -> str:
    """A link's text, or what is strong, as HTML: most often plain text, as it is."""
    return _inline(text, hrefs, reference) if _NOT_PLAIN.search(text) else text


@functools.lru_cache(maxsize=1 << 16)
def _referenceless(text: str) -> tuple[str, tuple[str, ...]]:
    """Inline Markdown without footnote references as HTML, and the addresses of its links."""
    hrefs: list[str] = []
    return _inline(text, hrefs, None), tuple(hrefs)


def _with_urls(html: str, url: Callable[[str], str]) -> str:
    """HTML whose links' addresses are filled in: ``url(href)`` for each."""
    return _filled(html, lambda href: _attribute(url(href)))


def _filled(html: str, attribute: Callable[[str], str]) -> str:
    """HTML whose links' addresses, each as written between NULs (which the Markdown converted
    cannot hold), are replaced by ``attribute(href)``."""
    parts = html.split("\x00")
    parts[1::2] = map(attribute, parts[1::2])
    return "".join(parts)


def _attribute(value: str) -> str:
    """An attribute's value as Python-Markdown's serializer writes it."""
    if "&" in value:
        value = RE_AMP.sub("&amp;", value)
    return value.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _line(page: _Page, text: str) -> str:
    """A paragraph's or list item's one line."""
    if not text or text != text.strip() or _BLOCK_START.match(text) or _OTHER_BLOCK_HTML.match(text):
        raise _Unknown
    return page.inline(text)


def _blocks(lines: list[str]) -> list[tuple[str, list[str]]]:
    """The blocks of the page: ("heading" | "para" | "list" | "raw" | "notes", their lines)."""
    blocks: list[tuple[str, list[str]]] = []
    i = 0
    while i < len(lines):
        if not lines[i]:
            i += 1
            continue
        end = i
        while end < len(lines) and lines[end]:
            end += 1
        block, first = lines[i:end], lines[i]
        raw = _RAW.match(first)
        if len(block) > 1 and "|" in first and not raw and not first.startswith("|"):
            raise _Unknown  # the tables extension may read it as a table
        if raw:
            _one_element("\n".join(block), raw.group(1))
            kind = "raw"
        elif first.startswith("- "):
            items = next((k for k, x in enumerate(block) if not x.startswith("- ")), len(block))
            if not all(_FOOTNOTE.fullmatch(x) for x in block[items:]) or (blocks and blocks[-1][0] == "list"):
                raise _Unknown  # a list that goes on after a blank line is a loose one
            if items < len(block):  # footnote definitions right after the list
                blocks.append(("list", block[:items]))
                kind, block = "notes", block[items:]
            else:
                kind = "list"
        elif all(_FOOTNOTE.fullmatch(x) for x in block):
            kind = "notes"
        elif first.startswith("|"):
            kind = "table"
        elif len(block) > 1 and all(_FOOTNOTE.fullmatch(x) for x in block[1:]):
            # footnote definitions right after a line: the line is a block of its own
            blocks.append(("heading" if _HEADING.fullmatch(first) else "para", [first]))
            kind, block = "notes", block[1:]
        elif len(block) == 1:
            kind = "heading" if _HEADING.fullmatch(first) else "para"
        else:
            raise _Unknown
        blocks.append((kind, block))
        i = end
    return blocks


def _table(page: _Page, lines: list[str]) -> str:
    """A table of the tables extension: a header, a separator that aligns the columns, rows."""
    if len(lines) < 3 or any("\\" in x or "`" in x for x in lines):
        raise _Unknown
    rows = []
    for line in lines:
        if not (line.startswith("| ") and line.endswith(" |")) or len(line) < 4:
            raise _Unknown
        rows.append([cell.strip(" ") for cell in line[1:-1].split("|")])
    header, separator, body = rows[0], rows[1], rows[2:]
    if len(header) < 2 or any(len(row) != len(header) for row in rows) \
            or not all(_SEPARATOR.fullmatch(c) for c in separator):
        raise _Unknown
    align = [_ALIGN[c.startswith(":"), c.endswith(":")] for c in separator]

    def row(cells: list[str], tag: str) -> str:
        return "<tr>\n" + "".join(f"<{tag}{a}>{page.inline(c)}</{tag}>\n" for a, c in zip(align, cells, strict=True)) + "</tr>"

    return ("<table>\n<thead>\n" + row(header, "th") + "\n</thead>\n<tbody>\n"
            + "\n".join(row(cells, "td") for cells in body) + "\n</tbody>\n</table>")


def _one_element(text: str, tag: str) -> None:
    """Refuses a raw block that is not one element, closed at its very end, as Python-Markdown
    reads it (two elements on a line are two blocks)."""
    depth = 0
    for m in re.finditer(f"<(/?){tag}[\\s>]", text):
        depth += -1 if m.group(1) else 1
        if depth == 0 and m.end() != len(text):
            raise _Unknown
    if depth != 0 or not text.endswith(f"</{tag}>"):
        raise _Unknown


def _footnotes(blocks: list[tuple[str, list[str]]]) -> dict[str, str]:
    """The footnote definitions that end the page (taken from blocks), labelled 1, 2, ..."""
    lines: list[str] = []
    while blocks and blocks[-1][0] == "notes":
        lines[:0] = blocks.pop()[1]
    footnotes = {}
    for n, line in enumerate(lines, start=1):
        m = _FOOTNOTE.fullmatch(line)
        if m is None or m.group(1) != str(n) or "[^" in m.group(2):
            raise _Unknown
        footnotes[m.group(1)] = m.group(2).rstrip()
    return footnotes


def _heading(page: _Page, line: str) -> tuple[int, str, bool]:
    """A heading's level, inner HTML, and whether search leaves its section out."""
    m = _HEADING.fullmatch(line)
    assert m is not None
    text = m.group(2)
    excluded = text.endswith(_EXCLUDED)
    text = (text[: -len(_EXCLUDED)] if excluded else text).strip()
    if not text or text.endswith("#") or "{" in text or "}" in text or "[^" in text:
        raise _Unknown
    return len(m.group(1)), page.inline(text), excluded


def convert(markdown: str) -> Converted | None:
    """The page as Python-Markdown (with attr_list, footnotes, tables, fenced_code, and toc with
    permalinks) converts it; None if the Markdown is of another shape."""
    try:
        return _convert(markdown)
    except _Unknown:
        return None


def _convert(markdown: str) -> Converted:
    if any(c in markdown for c in "\t\r\x00\x02\x03") or "<!--" in markdown:
        raise _Unknown
    blocks = _blocks(markdown.split("\n"))
    page = _Page(_footnotes(blocks))
    parts: list[str] = []
    headings: list[tuple[int, int, str, bool]] = []  # where in parts, level, inner HTML, excluded
    for kind, block in blocks:
        if kind == "raw":
            parts.append("\n".join(block) + "\n")
        elif kind == "list":
            parts.append("<ul>\n" + "\n".join(f"<li>{_line(page, x[2:])}</li>" for x in block) + "\n</ul>")
        elif kind == "para":
            parts.append(f"<p>{_line(page, block[0])}</p>")
        elif kind == "table":
            parts.append(_table(page, block))
        elif kind == "heading":
            headings.append((len(parts), *_heading(page, block[0])))
            parts.append("")
        else:
            raise _Unknown  # footnote definitions before the end
    notes = page.footnotes_div() if page.footnotes else ""
    # Ids as the toc extension sees them: those of the footnotes and their references.
    used = {ref for refs in page.refs.values() for ref in refs} | {f"fn:{label}" for label in page.footnotes}
    counters: dict[str, int] = {}
    tokens = []
    for at, level, inner, excluded in headings:
        name = strip_tags(inner)
        id = unique(slugify(html.unescape(name), "-"), used, counters)
        # the toc extension sees the links as written
        tokens.append({"level": level, "id": id, "name": name, "html": _with_urls(inner, str), "data-toc-label": ""})
        exclude = " data-search-exclude" if excluded else ""
        parts[at] = f'<h{level}{exclude} id="{id}">{inner}{_PERMALINK.format(id)}</h{level}>'
    anchors = (*(f"#{t['id']}" for t in tokens), *page.in_page_links())
    if notes:
        parts.append(notes)
    h1 = tokens[0]["name"] if blocks and blocks[0][0] == "heading" and headings[0][1] == 1 else None
    ids = frozenset(used | _raw_ids(markdown))  # the footnotes', their references' and the headings', and the raw HTML's
    return Converted("\n".join(parts).strip(), tuple(page.hrefs), anchors, nest_toc_tokens(tokens), ids, h1)


def _raw_ids(text: str) -> set[str]:
    """The ids (and anchors' names) of the HTML tags in the Markdown, as MkDocs's HTML parser finds
    them; Markdown whose tags it may read otherwise is declined."""
    if _RAW_TEXT.search(text):
        raise _Unknown
    found = set()
    tags = 0
    for m in _START_TAG.finditer(text):
        tags += 1
        attributes = m.group(2)
        lowered = attributes.lower()  # html.parser reads attribute names in lower case
        if "id" not in lowered and "name" not in lowered:
            continue
        if not _ID_OR_NAME.search(attributes):  # "id" in "width" or "aria-hidden", say
            continue
        if not _PLAIN_ATTRIBUTES.fullmatch(attributes):
            raise _Unknown
        for a in _ATTRIBUTE.finditer(attributes):
            value = a.group(2) if a.group(2) is not None else a.group(3) if a.group(3) is not None else a.group(4)
            if value is not None and (a.group(1).lower() == "id" or (a.group(1).lower() == "name" and m.group(1).lower() == "a")):
                found.add(html.unescape(value))  # (one without a value names nothing to link to)
    if tags != len(_TAG_OPEN.findall(text)):  # a tag not matched
        raise _Unknown
    return found
