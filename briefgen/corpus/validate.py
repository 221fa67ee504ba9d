"""Validate: check a raw corpus against every rule of the format and build the model.

All problems are collected, each with its file, line and a hint; a corpus with any
problem gives no model at all.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from rapidfuzz import fuzz, process

from ..model import Alias, Briefing, Citation, Claim, Entity, Segment, Source
from ..speed.cache import CheckMemo
from ..speed.gcpause import paused_gc
from ..speed.runner import Runner, runner_for
from ..text.escape import WIKILINK, fold
from ..text.names import ID_PATTERN, suggest_id
from ..text.normalize import NormalizedText, normalize_quote
from .origins import name_key, source_keys, via_keys
from .problems import Outcome, Problems, did_you_mean, outcome
from .read import RawCorpus, RawDocument
from .records import parse, records_of
from .schema import BriefingIn, CiteIn, ClaimIn, EntityIn, SourceIn

__all__ = ["build_briefing", "validate"]


# -- cross-references ------------------------------------------------------------------

class _Checker:
    """Cross-checks citations and wikilinks against the whole corpus."""

    def __init__(self, sources: dict[str, Source], ids: dict[str, str], names: dict[str, str],
                 named: dict[str, tuple[str, ...]]) -> None:
        self.sources = sources
        self.ids = ids  # every id -> "person", ..., or "source"
        self.names = names  # every id -> display name
        self.named = named  # the key of every name and alias -> the entities that bear it

    def citations(self, doc: RawDocument, loc: Sequence[Any], cites: Iterable[CiteIn],
                  problems: Problems) -> tuple[Citation, ...]:
        out = []
        for i, cite in enumerate(cites):
            c = self.citation(doc, (*loc, i), cite, problems)
            if c is not None:
                out.append(c)
        return tuple(out)

    def citation(self, doc: RawDocument, loc: Sequence[Any], cite: CiteIn, problems: Problems) -> Citation | None:
        if cite.source not in self.sources and self.ids.get(cite.source) == "source":
            return None  # in sources.yaml, but its record or article has a problem, reported there
        if cite.source not in self.sources:
            hint = did_you_mean(cite.source, self.sources) or "add it to sources.yaml"
            problems.add(doc.file, doc.line(*loc, "source"), f"unknown source '{cite.source}'", hint)
            return None
        quote = normalize_quote(cite.quote)
        if not quote:
            problems.add(doc.file, doc.line(*loc, "quote"), "quote is empty", "copy the passage from the article")
            return None
        via = self.segments(doc, (*loc, "via"), cite.via, problems) if cite.via else ()
        article = self.sources[cite.source].normalized  # each article normalized once, when first cited
        span = article.find(quote)
        if span is not None:
            return Citation(cite.source, cite.quote, span[0], span[1], f"q-{span[0]}-{span[1]}", via,
                            via_keys(via, self.ids, self.named) if via else ())
        other_case = re.search(re.escape(quote), article.text, re.IGNORECASE)
        if other_case:
            found = article.original[slice(*article.span(*other_case.span()))]
            problems.add(doc.file, doc.line(*loc, "quote"), f"quote found in source '{cite.source}' only with different capitals",
                         f'the article has "{fold(found)}"')
            return None
        problems.add(doc.file, doc.line(*loc, "quote"), f"quote not found in source '{cite.source}'",
                     f'closest passage: "{self._closest(article, quote)}"')
        return None

    @staticmethod
    def _closest(article: NormalizedText, quote: str) -> str:
        """The run of the article's words most like the quote, of about its length."""
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", article.text)]
        n = len(quote.split())
        windows = {
            article.text[words[i][0] : words[min(i + size, len(words)) - 1][1]]: None
            for size in (n, n + 1, max(n - 1, 1))
            for i in range(max(len(words) - size + 1, 1))
            if words
        }
        best = process.extractOne(quote, list(windows), scorer=fuzz.ratio)
        passage = best[0] if best else ""
        return passage if len(passage) <= 300 else passage[:297] + "..."

    def segments(self, doc: RawDocument, loc: Sequence[Any], text: str, problems: Problems) -> tuple[Segment, ...]:
        """Curated text split into plain runs and wikilinks, each link checked."""
        text = fold(text)
        out: list[Segment] = []
        pos = 0
        malformed = False  # a bracket pair left in the plain text: an unclosed or broken link
        for m in WIKILINK.finditer(text):
            if m.start() > pos:
                plain = text[pos : m.start()]
                malformed = malformed or "[[" in plain or "]]" in plain
                out.append(Segment(plain))
            pos = m.end()
            target, label = m.group(1).strip(), (m.group(2) or "").strip() or None
            if target in self.ids:
                out.append(Segment(label or self.names[target], target))
                continue
            if not ID_PATTERN.fullmatch(target):
                hint = "an id is lowercase letters, digits, '-' and '_'"
                near = did_you_mean(suggest_id(target), self.ids)
            else:
                hint = "create the entity file, or fix the id"
                near = did_you_mean(target, self.ids)
            problems.add(doc.file, doc.line(*loc), f"wikilink [[{target}]] names no entity or source", near or hint)
            out.append(Segment(label or target))
        rest = text[pos:]
        if malformed or "[[" in rest or "]]" in rest:
            problems.add(doc.file, doc.line(*loc), "unclosed or malformed wikilink", "write [[id]] or [[id|label]]")
        if rest:
            out.append(Segment(rest))
        return tuple(out)

    def claim(self, doc: RawDocument, loc: Sequence[Any], claim: ClaimIn, holder: str | None, problems: Problems) -> Claim:
        line = doc.line(*loc)
        return Claim(
            holder=holder,
            text=self.segments(doc, (*loc, "text"), claim.text, problems),
            citations=self.citations(doc, (*loc, "cite"), claim.cite, problems),
            topic=fold(claim.topic) if claim.topic else None,
            certainty=claim.certainty,
            said_by=self.segments(doc, (*loc, "said_by"), claim.said_by, problems) if claim.said_by else (),
            date=claim.date,
            file=doc.file,
            line=line,
        )


def _check_document(check: _Checker, doc: RawDocument, unique: bool, problems: Problems) -> Entity | None:
    """The entity an entity file describes (None if it has problems, or its id is another's)."""
    for data in records_of(doc, problems, dict, "write at least 'name: ...'"):
        parsed = parse(doc, (), EntityIn, data, problems)
        if parsed is None:
            break
        if parsed.date is not None and doc.entity_type != "event":
            problems.add(doc.file, doc.line("date"), f"only events have a date, not a {doc.entity_type}",
                         "put the date on the claim that states it")
        if unique:
            return _check_entity(check, doc, parsed, problems)
    return None


def _check_entity(check: _Checker, doc: RawDocument, e: EntityIn, problems: Problems) -> Entity:
    """An entity as the model has it, its claims and aliases checked."""
    assert doc.entity_id is not None and doc.entity_type is not None
    claims = tuple(check.claim(doc, ("claims", i), c, doc.entity_id, problems) for i, c in enumerate(e.claims))
    aliases = tuple(
        Alias(fold(a.name), check.citations(doc, ("aliases", i, "cite"), a.cite or (), problems), a.link)
        for i, a in enumerate(e.aliases)
    )
    if e.date is not None and doc.entity_type == "event" and e.date not in {c.date for c in claims}:
        problems.add(doc.file, doc.line("date"), f"event date {e.date} is not backed by a claim",
                     f"add 'date: {e.date}' to the claim on this event that cites when it happened")
    return Entity(doc.entity_id, doc.entity_type, fold(e.name), fold(e.description or ""), aliases, e.date, claims, doc.file)


# -- the corpus ------------------------------------------------------------------------

class _Ids:
    """Every id of the corpus, with its kind ("person", ..., "source") and where it was first used."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.kinds: dict[str, str] = {}
        self.places: dict[str, str] = {}

    def claim(self, id: str, kind: str, file: str, line: int) -> bool:
        """Take an id for a record; False, with a problem, if it is not valid or is taken."""
        if not ID_PATTERN.fullmatch(id):
            suggestion = suggest_id(id)
            self.problems.add(file, line, f"id '{id}' is not valid",
                              f"use lowercase letters, digits, '-' and '_', e.g. '{suggestion}'")
            return False
        if id in self.kinds:
            self.problems.add(file, line, f"id '{id}' is already used by {self.places[id]}",
                              "ids are unique across all entities and sources: rename one")
            return False
        self.kinds[id], self.places[id] = kind, f"{file}:{line}" if line else file
        return True

    def keep(self, id: str, kind: str, place: str) -> None:
        """Count the id of a broken record, so that references to it are not reported as well."""
        self.kinds.setdefault(id, kind)
        self.places.setdefault(id, place)


def _sources(raw: RawCorpus, ids: _Ids, problems: Problems, named: dict[str, tuple[str, ...]]) -> list[Source]:
    """The sources of sources.yaml, in order: those whose records are valid and articles read."""
    doc = raw.sources
    records_in: list[tuple[int, SourceIn]] = []
    for records in records_of(doc, problems, list, "list the articles, one '- id: ...' record each"):
        assert doc is not None
        for i, record in enumerate(records):
            parsed = parse(doc, (i,), SourceIn, record, problems)
            if parsed is not None and ids.claim(parsed.id, "source", doc.file, doc.line(i, "id")):
                records_in.append((i, parsed))
            elif parsed is None and isinstance(record, dict) and isinstance(record.get("id"), str):
                ids.keep(record["id"], "source", f"{doc.file}:{doc.line(i, 'id')}")
    for i, s in records_in:
        if s.reliability_note and not s.reliability:
            assert doc is not None
            problems.add(doc.file, doc.line(i, "reliability_note"),
                         f"source '{s.id}' has a reliability_note but no reliability grade",
                         "grade it with 'reliability: A'...'F' (F: reliability cannot be judged), or leave the note out")
    return [Source(s.id, s.file, fold(s.title), raw.articles[s.file], fold(s.outlet or ""), s.published,
                   s.url or "", fold(s.author or ""), s.reliability or "", fold(s.reliability_note or ""),
                   source_keys(s.id, fold(s.outlet or ""), named))
            for _, s in records_in if s.file in raw.articles]


def _entity_documents(raw: RawCorpus, ids: _Ids) -> list[tuple[RawDocument, bool]]:
    """Each readable entity file, and whether its id is its own; every id taken first, so that
    every id is known before links are checked (even a file with problems keeps its id)."""
    documents = []
    for doc in raw.entities:
        assert doc.entity_id is not None and doc.entity_type is not None
        unique = ids.claim(doc.entity_id, doc.entity_type, doc.file, 0)
        if not doc.failed:
            documents.append((doc, unique))
    return documents


def _names(ids: _Ids, documents: list[tuple[RawDocument, bool]], sources: list[Source]) -> dict[str, str]:
    """The name of every id, as a wikilink without a label shows it."""
    names = {id: id for id in ids.kinds}
    # the name as written: the schema checks it but keeps it as it is (a wrong one is a problem anyway)
    names.update({doc.entity_id: doc.data["name"] for doc, unique in documents
                  if unique and doc.entity_id and isinstance(doc.data, dict) and isinstance(doc.data.get("name"), str)})
    names.update({s.id: s.title for s in sources})
    return names


def _entities(check: _Checker, documents: list[tuple[RawDocument, bool]], problems: Problems,
              progress: Progress | None, runner: Runner | None, memo: CheckMemo | None) -> list[Entity]:
    """The entities of the files, each checked on its own: by the runner, in several processes
    for a large corpus; a file whose check the memo holds is not checked again."""
    if memo is not None:
        memo.start((check.ids, check.names, check.named, {id: s.text for id, s in check.sources.items()}))
    kept: list[Outcome[Entity | None] | None] = [memo.get(doc, unique) if memo is not None else None
                                                 for doc, unique in documents]
    todo = [i for i, found in enumerate(kept) if found is None]
    tasks = [functools.partial(outcome, functools.partial(_check_document, check, *documents[i])) for i in todo]
    done = (lambda k: progress("checking", k, len(tasks))) if progress is not None else None
    runner = runner_for(len(tasks), runner)
    if runner.workers > 1:  # the articles normalized before the processes fork, not in each of them
        _ = [source.normalized for source in check.sources.values()]
    for i, fresh in zip(todo, runner.map(tasks, done), strict=True):
        kept[i] = fresh
    if memo is not None:
        memo.keep([(doc, unique, result) for (doc, unique), result in zip(documents, kept, strict=True)])
    return [entity for entity in problems.values(kept) if entity is not None]


def _briefing_record(raw: RawCorpus, problems: Problems) -> BriefingIn | None:
    """briefing.yaml's record, if the corpus has one and it has the right shape."""
    for data in records_of(raw.briefing, problems, dict, "write 'title:' and 'overview:', or delete the file"):
        assert raw.briefing is not None
        record = parse(raw.briefing, (), BriefingIn, data, problems)
        return record if isinstance(record, BriefingIn) else None
    return None


def _overview(raw: RawCorpus, check: _Checker, record: BriefingIn | None, problems: Problems) -> tuple[str, tuple[Claim, ...]]:
    """The title and the overview's claims ("" and none without briefing.yaml)."""
    if record is None or raw.briefing is None:
        return "", ()
    claims = tuple(check.claim(raw.briefing, ("overview", i), c, None, problems) for i, c in enumerate(record.overview))
    return fold(record.title or ""), claims


def _named(docs: Iterable[RawDocument]) -> dict[str, tuple[str, ...]]:
    """The key of every name and alias as written (see briefgen.corpus.origins) -> the entities that bear it.

    Read from the files as they are, before they are checked: a value of the wrong shape is
    reported by the check, and names nothing here.
    """
    found: dict[str, dict[str, None]] = {}
    for doc in docs:
        data = doc.data if not doc.failed and isinstance(doc.data, dict) else {}
        aliases = data.get("aliases")
        names = [data.get("name"), *(a.get("name") if isinstance(a, dict) else a
                                     for a in (aliases if isinstance(aliases, list) else ()))]
        for name in names:
            if isinstance(name, str) and name.strip() and doc.entity_id is not None:
                found.setdefault(name_key(fold(name)), {})[doc.entity_id] = None
    return {key: tuple(ids) for key, ids in found.items()}


Progress = Callable[[str, int, int], None]


@paused_gc()
def build_briefing(raw: RawCorpus, problems: Problems, progress: Progress | None = None, *,
                   runner: Runner | None = None, memo: CheckMemo | None = None) -> Briefing | None:
    """The briefing a raw corpus describes; None, with every problem found added to ``problems``
    (the problems of reading first), if it has any.

    ``progress(stage, done, total)`` is called as entities are checked, for long runs.
    The ``runner`` checks the entity files (by default, for many files, one process per CPU
    where processes can be forked), and the ``memo`` keeps their checks for the next load (the
    files that are the same documents are not checked again); the result is the same.
    """
    problems.extend(raw.problems)
    ids = _Ids(problems)
    named = _named(raw.entities)
    sources = _sources(raw, ids, problems, named)
    documents = _entity_documents(raw, ids)
    record = _briefing_record(raw, problems)
    check = _Checker({s.id: s for s in sources}, ids.kinds, _names(ids, documents, sources), named)
    entities = _entities(check, documents, problems, progress, runner, memo)
    title, overview = _overview(raw, check, record, problems)
    if problems:
        return None
    return Briefing(title or "Briefing", overview, tuple(sources), tuple(entities))


def validate(raw: RawCorpus, progress: Progress | None = None, *, runner: Runner | None = None,
             memo: CheckMemo | None = None) -> Briefing:
    """The briefing a raw corpus describes. Raises CorpusError with every problem."""
    problems = Problems()
    briefing = build_briefing(raw, problems, progress, runner=runner, memo=memo)
    problems.raise_any()
    assert briefing is not None
    return briefing
