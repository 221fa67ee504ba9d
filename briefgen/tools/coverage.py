"""Coverage: which sentences of each article the claims cite, and which names they leave out."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Briefing, Source
from ..text.names import name_matcher
from ..text.normalize import normalize

__all__ = ["Mention", "Sentence", "SourceCoverage", "coverage", "sentences"]

# Words that end with a period without ending a sentence.
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "sgt", "capt", "maj", "adm", "cmdr", "sen",
    "rep", "gov", "pres", "st", "jr", "sr", "mt", "ft", "no", "vs", "etc", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.g", "i.e",
})
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_TERMINAL = re.compile(r"[.!?][\"'”’)\]]*$")


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article: its offsets, its paragraph (from 1) and its text."""

    start: int
    end: int
    paragraph: int
    text: str


@dataclass(frozen=True)
class Mention:
    """A known name in an article that no claim or alias of its entity cites there."""

    start: int
    end: int
    paragraph: int
    text: str
    entity: str


@dataclass(frozen=True)
class SourceCoverage:
    """How much of one source the corpus cites."""

    source: Source
    sentences: tuple[Sentence, ...]
    uncited: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]

    @property
    def percent(self) -> float:
        """The share of sentences cited, from 0 to 100 (100 for an article with none)."""
        if not self.sentences:
            return 100.0
        return 100.0 * (len(self.sentences) - len(self.uncited)) / len(self.sentences)


def sentences(source: Source) -> tuple[Sentence, ...]:
    """The sentences of an article's body. A line with no closing punctuation is a heading
    or page furniture ("WATCH: ...") and has none."""
    out = []
    for number, (start, end) in enumerate(source.paragraphs, 1):
        text = source.text[start:end]
        if not _TERMINAL.search(text.rstrip()):
            continue
        pos = 0
        for m in _BOUNDARY.finditer(text):
            before = text[pos : m.end()].split()
            last = before[-1].rstrip(".!?\"'”’)]").lower() if before else ""
            if last in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last):
                continue
            out.append(_sentence(text, pos, m.end(), start, number))
            pos = m.end()
        out.append(_sentence(text, pos, len(text), start, number))
    return tuple(s for s in out if s.text)


def _sentence(text: str, a: int, b: int, offset: int, number: int) -> Sentence:
    body = text[a:b]
    lead = len(body) - len(body.lstrip())
    body = body.strip()
    return Sentence(offset + a + lead, offset + a + lead + len(body), number, body)


def coverage(briefing: Briefing) -> tuple[SourceCoverage, ...]:
    """The coverage of every source, in the order of sources.yaml."""
    matcher = name_matcher(briefing, linked_only=False)
    out = []
    for source in briefing.sources:
        spans = [(c.start, c.end) for c in briefing.citations_by_source.get(source.id, ())]
        all_sentences = sentences(source)
        uncited = tuple(s for s in all_sentences if not any(a < s.end and b > s.start for a, b in spans))
        # a mention is covered when a citation of its own entity (claim or alias) includes it
        own: dict[str, list[tuple[int, int]]] = {}
        for e in briefing.entities:
            cites = [c for claim in e.claims for c in claim.citations] + [c for a in e.aliases for c in a.citations]
            own[e.id] = [(c.start, c.end) for c in cites if c.source == source.id]
        for claim in briefing.claims:
            for target in claim.links:
                own.setdefault(target, []).extend((c.start, c.end) for c in claim.citations if c.source == source.id)
        mentions = []
        for start, end, entity in matcher.find(normalize(source.text)):
            if any(a <= start and end <= b for a, b in own.get(entity, ())):
                continue
            # names in headings and page furniture are not statements to cite
            sentence = next((s for s in all_sentences if s.start <= start < s.end), None)
            if sentence is not None:
                mentions.append(Mention(start, end, sentence.paragraph, source.text[start:end], entity))
        out.append(SourceCoverage(source, all_sentences, uncited, tuple(mentions)))
    return tuple(out)
