#!/usr/bin/env python3
"""Write a synthetic briefing corpus, in the corpus format, for benchmarks.

    python benchmarks/generate.py OUT --entities M [--sources N] [--claims K] [--seed S]

M entities across the four types (4 people, 2 organizations, 2 places and 2 events in
every 10), N sources (default max(1, M/10)) whose articles are generated sentence by
sentence, and K claims (default 10*M) whose quotes are exact passages of those articles.
The corpus has wikilinks between entities (in claim text and in said_by), aliases (some
cited, some `link: false`), topics shared by two claims (accounts that differ), every
certainty, plain-words and wikilinked said_by, corroborating second cites, typographic
quotes in the articles, dates at the three precisions, and events whose `date` is
backed by a claim carrying the same date. The same arguments always give the same files.

The shape does not grow with M: each entity lives in a "home" source, and the entities
a claim links to are drawn from its source's neighbourhood (its own source and the two
next to it), so pages keep about the same size from 100 to 10,000 entities and only the
number of pages grows. Only the corpus-wide pages (timeline, disputes, connections)
grow with the corpus.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import shutil
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefgen.kinds import KIND, KINDS

__all__ = ["generate"]

TYPE_CYCLE = ("person",) * 4 + ("organization",) * 2 + ("place",) * 2 + ("event",) * 2

# Two-letter syllables: a prefix-free code, so that the stem of entity i is unique.
_CONSONANTS = "bdfghklmnprstvz"
_VOWELS = "aeiou"
SYLLABLES = tuple(c + v for c in _CONSONANTS for v in _VOWELS)  # 75
ENDINGS = ("", "n", "r", "s", "l", "v")

FIRST_NAMES = (
    "Amira", "Bashir", "Celia", "Dmitri", "Elena", "Farid", "Greta", "Hassan", "Ines", "Jonas",
    "Karim", "Leila", "Marek", "Nadia", "Omar", "Petra", "Rafael", "Samira", "Tomas", "Yusuf",
    "Zoë", "José", "Renée", "Aoife", "Björn", "Chiara", "Dara", "Emil", "Fatima", "Goran",
)
ORG_SUFFIXES = ("Front", "Council", "Brigade", "Holdings", "Ministry", "Movement", "Authority", "Union")
PLACE_FORMS = ("{}", "Port {}", "{} Valley", "North {}", "{} Junction")
EVENT_FORMS = ("Siege of {}", "{} Bridge Attack", "{} Summit", "{} Convoy Ambush", "Fall of {}", "{} Talks")
DESCRIPTIONS = {
    "person": ("Regional commander", "Government spokesperson", "Finance official", "Local journalist",
               "Negotiator for the opposition", "Former minister", "Field medic", "Militia leader"),
    "organization": ("Armed group active in the north", "Government ministry", "Trading company",
                     "Coalition of opposition parties", "Aid agency", "Police authority"),
    "place": ("Town in the northern province", "River port", "Border crossing", "District of the capital",
              "Village on the coast road"),
    "event": ("Attack on a convoy", "Round of peace talks", "Battle for a town", "Bombing of a bridge",
              "Meeting of regional leaders"),
}
OUTLETS = ("Halvard Courier", "The Northern Ledger", "Wire Service Nine", "Coastal Voice", "The Daily Meridian",
           "Radio Kessa", "Frontier Post", "The Evening Standardbearer", "Capital Gazette", "Delta News Agency")
AUTHORS = ("Petra Quist", "Owen Tallis", "Mina Okafor", "Lars Eide", "Sofia Brandt", "Tariq Nasser")
SPEAKERS_PLAIN = ("a police spokesperson", "a senior official", "local residents", "a defense official",
                  "two witnesses", "a diplomat familiar with the talks")
ROLES = ("the deputy leader", "the finance chief", "a senior commander", "the chief spokesman",
         "a founding member", "the head of intelligence")
FILLERS = (
    "Residents said the roads remained closed.",
    "The report could not be independently verified.",
    "Talks are expected to resume next week.",
    "Power was cut in several districts overnight.",
    "Aid deliveries were delayed by checkpoints.",
    "Prices for fuel and bread have risen sharply.",
    "Schools in the area stayed shut for a second day.",
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def _stem(i: int, length: int, rng: random.Random) -> str:
    """A unique capitalized word for entity i: i scrambled (a bijection) and written in syllables."""
    i = i * 7919 % len(SYLLABLES) ** length
    digits = []
    for _ in range(length):
        i, d = divmod(i, len(SYLLABLES))
        digits.append(SYLLABLES[d])
    return ("".join(reversed(digits)) + rng.choice(ENDINGS)).capitalize()


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def _lc_first(text: str) -> str:
    """Lowercase a sentence's first word when it is not a name."""
    first, _, rest = text.partition(" ")
    return f"{first.lower()} {rest}" if first in ("The", "Fighting", "At", "Roads") else text


@dataclass(frozen=True)
class Date:
    year: int
    month: int = 0
    day: int = 0

    @property
    def value(self) -> Any:
        """As written in YAML: a number for a year, text otherwise."""
        if not self.month:
            return self.year
        return f"{self.year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")

    @property
    def phrase(self) -> str:
        if not self.month:
            return f" in {self.year}"
        if not self.day:
            return f" in {MONTHS[self.month - 1]} {self.year}"
        return f" on {self.day} {MONTHS[self.month - 1]} {self.year}"


def _date(rng: random.Random) -> Date:
    year = rng.randint(2010, 2020)
    precision = rng.random()
    if precision < 0.2:
        return Date(year)
    if precision < 0.45:
        return Date(year, rng.randint(1, 12))
    return Date(year, rng.randint(1, 12), rng.randint(1, 28))


@dataclass
class Ent:
    index: int
    id: str
    type: str
    name: str
    stem: str
    home: int
    description: str
    aliases: list[dict[str, Any]] = field(default_factory=list)
    mention_aliases: list[str] = field(default_factory=list)  # linked aliases also used in the articles
    claims: list[dict[str, Any]] = field(default_factory=list)
    date: Date | None = None


@dataclass
class Sentence:
    """A generated statement: as the article writes it, and as a claim states it."""

    article: str  # the sentence's core, no final period, names as written in the article
    claim: str  # the same with wikilinks
    links: int = 0


class _Corpus:
    def __init__(self, m: int, n: int, k: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.m, self.n, self.k = m, n, k
        self.entities: list[Ent] = []
        self.used_names: set[str] = set()
        self.sentences: list[list[str]] = [[] for _ in range(n)]  # per source, finished sentences
        self.by_home: list[dict[str, list[Ent]]] = [{k.id: [] for k in KINDS} for _ in range(n)]
        self.by_type: dict[str, list[Ent]] = {k.id: [] for k in KINDS}

    # -- entities ------------------------------------------------------------------------

    def make_entities(self) -> None:
        rng = self.rng
        length = max(2, math.ceil(math.log(max(self.m, 2)) / math.log(len(SYLLABLES))))
        for i in range(self.m):
            type = TYPE_CYCLE[i % len(TYPE_CYCLE)]
            stem = _stem(i, length, rng)
            if type == "person":
                name = f"{rng.choice(FIRST_NAMES)} {stem}"
            elif type == "organization":
                name = f"{stem} {rng.choice(ORG_SUFFIXES)}"
            elif type == "place":
                name = rng.choice(PLACE_FORMS).format(stem)
            else:
                name = rng.choice(EVENT_FORMS).format(stem)
            home = i * self.n // self.m
            e = Ent(i, _slug(name), type, name, stem, home, rng.choice(DESCRIPTIONS[type]))
            self.used_names.add(name)
            self.entities.append(e)
            self.by_home[home][type].append(e)
            self.by_type[type].append(e)
        for e in self.entities:
            self.make_aliases(e)

    def _alias(self, e: Ent, name: str, link: bool = True, cite_sentence: str | None = None, quote: str = "") -> None:
        if name in self.used_names:
            link = False  # another entity's name or alias: keep it searchable, never linked
        else:
            self.used_names.add(name)
        alias: dict[str, Any] = {"name": name}
        if cite_sentence is not None:
            self.sentences[e.home].append(cite_sentence)
            alias["cite"] = {"source": self.source_id(e.home), "quote": quote}
        if not link:
            alias["link"] = False
        e.aliases.append(alias)  # written as a bare string when it has a name only
        if link:
            e.mention_aliases.append(name)

    def make_aliases(self, e: Ent) -> None:
        rng = self.rng
        r = rng.random()
        if e.type == "person":
            if r < 0.4:
                alias = f"Abu {e.stem}"
                self._alias(e, alias, cite_sentence=f"{e.name}, also known as {alias}, was named in the report.",
                            quote=f"also known as {alias}")
            elif r < 0.7:
                self._alias(e, e.stem)  # the surname on its own
            if rng.random() < 0.25:
                self._alias(e, e.name.split()[0], link=False)  # the first name: shared, never linked
        elif e.type == "organization":
            if r < 0.5:
                initials = "".join(w[0] for w in e.name.split()).upper()
                self._alias(e, initials, link=False)
            if rng.random() < 0.3:
                self._alias(e, f"{e.stem} Group")
        elif e.type == "place":
            if r < 0.35:
                alias = e.stem + "h"
                self._alias(e, alias, cite_sentence=f"{e.name} (also spelled {alias}) lies on the old trade route.",
                            quote=f"also spelled {alias}")
        elif r < 0.2:
            self._alias(e, f"the {e.stem} attack", link=False)

    # -- sources -------------------------------------------------------------------------

    def source_id(self, s: int) -> str:
        return f"{_slug(OUTLETS[s % len(OUTLETS)])}-{s:05d}"

    def neighbour(self, s: int, spread: int = 3) -> int:
        if self.n == 1:
            return 0
        while True:
            t = (s + self.rng.randint(-spread, spread)) % self.n
            if t != s:
                return t

    def pick(self, type: str, s: int, *exclude: Ent) -> Ent | None:
        """An entity of the type from the neighbourhood of source s (else anywhere)."""
        pool = [e for t in (s - 1, s, s + 1) if 0 <= t < self.n for e in self.by_home[t][type] if e not in exclude]
        if not pool:
            pool = [e for e in self.by_type[type] if e not in exclude][:50]
        return self.rng.choice(pool) if pool else None

    def mention(self, e: Ent) -> tuple[str, str]:
        """(as the article writes it, as a claim links it)."""
        if e.mention_aliases and self.rng.random() < 0.25:
            alias = self.rng.choice(e.mention_aliases)
            return alias, f"[[{e.id}|{alias}]]"
        return e.name, f"[[{e.id}]]"

    # -- claims --------------------------------------------------------------------------

    def statement(self, h: Ent, s: int, date: Date | None) -> Sentence:
        """A sentence about h, naming entities from around source s."""
        rng = self.rng
        d = date.phrase if date else ""
        hn, hl = self.mention(h)
        if rng.random() < 0.5:
            hl = hn  # the holder named in plain words, as curators often do on its own page
        options: list[Callable[[], Sentence | None]] = []

        def fill(template: str, **roles: Ent | None) -> Sentence | None:
            if any(v is None for v in roles.values()):
                return None
            art, clm = {"H": hn}, {"H": hl}
            for key, ent in roles.items():
                assert ent is not None
                art[key], clm[key] = self.mention(ent)
            return Sentence(template.format(**art, D=d), template.format(**clm, D=d), len(roles))

        t = h.type
        if t == "person":
            options += [
                lambda: fill("{H} met {Q} in {P}{D}", Q=self.pick("person", s, h), P=self.pick("place", s)),
                lambda: fill("{H} was appointed to lead the {O}{D}", O=self.pick("organization", s)),
                lambda: fill("{H} travelled to {P} ahead of the {E}{D}", P=self.pick("place", s), E=self.pick("event", s)),
                lambda: fill("{H} left the {O} after a dispute over funding{D}", O=self.pick("organization", s)),
                lambda: fill("{H} spoke to reporters about the {E}{D}", E=self.pick("event", s)),
            ]
        elif t == "organization":
            options += [
                lambda: fill("The {H} claimed responsibility for the {E}{D}", E=self.pick("event", s)),
                lambda: fill("The {H} opened an office in {P}{D}", P=self.pick("place", s)),
                lambda: fill("The {H} signed an agreement with the {O}{D}", O=self.pick("organization", s, h)),
                lambda: fill("The {H} is led by {Q}", Q=self.pick("person", s)),
            ]
        elif t == "place":
            options += [
                lambda: fill("Fighting was reported near {H}{D}"),
                lambda: fill("{H} lies on the road between {P} and the border", P=self.pick("place", s, h)),
                lambda: fill("The {O} took control of {H}{D}", O=self.pick("organization", s)),
                lambda: fill("The {E} took place close to {H}{D}", E=self.pick("event", s)),
            ]
        else:
            options += [
                lambda: fill("The {H} was carried out by the {O}{D}", O=self.pick("organization", s)),
                lambda: fill("{Q} was present during the {H}{D}", Q=self.pick("person", s)),
                lambda: fill("Roads around {P} were closed after the {H}{D}", P=self.pick("place", s)),
                lambda: fill("The {H} was condemned by {Q}", Q=self.pick("person", s)),
            ]
        rng.shuffle(options)
        for option in options:
            sentence = option()
            if sentence is not None:
                return sentence
        return Sentence(f"{hn} was mentioned in the report{d}", f"{hl} was mentioned in the report{d}")

    def add_claim(self, h: Ent, s: int, core: Sentence, *, date: Date | None = None, topic: str | None = None,
                  hedge: bool = True, second: bool = True) -> None:
        """Write the sentence into source s (with a hedge and attribution), and the claim that cites it."""
        rng = self.rng
        claim: dict[str, Any] = {"text": core.claim + "."}
        certainty = "reported"
        article = core.article
        if hedge:
            r = rng.random()
            if r < 0.1:
                certainty, article = "confirmed", f"Officials confirmed that {_lc_first(article)}"
            elif r < 0.22:
                certainty, article = "believed", f"It is believed that {_lc_first(article)}"
            elif r < 0.32:
                certainty, article = "alleged", f"It was alleged that {_lc_first(article)}"
        said_by = None
        quoted = False
        r = rng.random()
        if hedge and r < 0.15:
            speaker = self.pick("person", s, h)
            if speaker is not None:
                name, link = self.mention(speaker)
                said_by = link
                if certainty == "reported" and rng.random() < 0.4:
                    quoted = True  # a direct quotation, with typographic quotes in the article
                    sentence = f"\u201c{article},\u201d {name} said."
                    quote = f'"{article}," {name} said'
                else:
                    sentence = f"{article}, {name} said."
                    quote = sentence[:-1]
        elif hedge and r < 0.3:
            said_by = rng.choice(SPEAKERS_PLAIN)
            sentence = f"{article}, {said_by} said."
            quote = sentence[:-1] if rng.random() < 0.5 else article
        if said_by is None:
            sentence = article + "."
            quote = sentence if rng.random() < 0.5 else article
        if not quoted and rng.random() < 0.05:
            quote = quote.replace(" ", "  ", 1)  # spacing differs: quotes match after whitespace folding
        self.sentences[s].append(sentence)
        cites = [{"source": self.source_id(s), "quote": quote}]
        if second and self.n > 1 and rng.random() < 0.15:
            # a second source agrees: it repeats the statement inside a sentence of its own
            t = self.neighbour(s)
            self.sentences[t].append(f"Separately, reports said {_lc_first(core.article)}.")
            cites.append({"source": self.source_id(t), "quote": _lc_first(core.article)})
        claim["cite"] = cites[0] if len(cites) == 1 else cites
        if topic:
            claim["topic"] = topic
        if certainty != "reported" or rng.random() < 0.1:
            claim["certainty"] = certainty
        if said_by:
            claim["said_by"] = said_by
        if date is not None:
            claim["date"] = date.value
        h.claims.append(claim)

    def dispute(self, h: Ent, s: int) -> None:
        """Two accounts that differ, on one topic, from two sources where there are two."""
        rng = self.rng
        t = self.neighbour(s)
        hn, hl = self.mention(h)
        if h.type == "person":
            o = self.pick("organization", s)
            if o is None:
                return
            on, ol = self.mention(o)
            r1, r2 = rng.sample(ROLES, 2)
            a = Sentence(f"{hn} served as {r1} of the {on}", f"{hl} served as {r1} of the {ol}")
            b = Sentence(f"{hn} was described as {r2} of the {on}", f"{hl} was described as {r2} of the {ol}")
            topic = "role"
        elif h.type == "organization":
            n1, n2 = rng.randint(2, 40) * 100, rng.randint(41, 90) * 100
            a = Sentence(f"The {hn} has about {n1} members", f"The {hl} has about {n1} members")
            b = Sentence(f"The {hn} has more than {n2} fighters", f"The {hl} has more than {n2} fighters")
            topic = "size"
        elif h.type == "place":
            o1, o2 = self.pick("organization", s), self.pick("organization", t)
            if o1 is None or o2 is None or o1 is o2:
                return
            (n1, l1), (n2, l2) = self.mention(o1), self.mention(o2)
            a = Sentence(f"The {n1} controls {hn}", f"The {l1} controls {hl}")
            b = Sentence(f"The {n2} is in control of {hn}", f"The {l2} is in control of {hl}")
            topic = "control"
        else:
            n1, n2 = rng.randint(3, 20), rng.randint(21, 60)
            a = Sentence(f"At least {n1} people were killed in the {hn}", f"At least {n1} people were killed in the {hl}")
            b = Sentence(f"The {hn} left {n2} people dead", f"The {hl} left {n2} people dead")
            topic = "casualties"
        self.add_claim(h, s, a, topic=topic, second=False)
        self.add_claim(h, t, b, topic=topic, second=False)

    def make_claims(self) -> None:
        rng = self.rng
        counts = [0] * self.m
        events = [e.index for e in self.entities if e.type == "event"]
        others = [e.index for e in self.entities if e.type != "event"]
        order = events + others  # every event first gets the claim that backs its date
        for i in order[: self.k]:
            counts[i] += 1
        if self.k > self.m:
            weights = [rng.lognormvariate(0, 0.6) for _ in range(self.m)]
            for i in rng.choices(range(self.m), weights=weights, k=self.k - self.m):
                counts[i] += 1
        for e in self.entities:
            left = counts[e.index]
            if e.type == "event" and left:
                e.date = _date(rng)
                p = self.pick("place", e.home)
                if p is not None:
                    pn, pl = self.mention(p)
                    core = Sentence(f"The {e.name} took place in {pn}{e.date.phrase}",
                                    f"The [[{e.id}]] took place in {pl}{e.date.phrase}")
                else:
                    core = Sentence(f"The {e.name} happened{e.date.phrase}", f"The [[{e.id}]] happened{e.date.phrase}")
                self.add_claim(e, e.home, core, date=e.date, hedge=False)
                left -= 1
            if left >= 2 and rng.random() < 0.15:
                before = len(e.claims)
                self.dispute(e, e.home)
                left -= len(e.claims) - before
            while left > 0:
                s = e.home if rng.random() < 0.7 else self.neighbour(e.home)
                date = _date(rng) if rng.random() < 0.35 else None
                topic = "location" if rng.random() < 0.03 else None  # a topic with one account is no dispute
                self.add_claim(e, s, self.statement(e, s, date), date=date, topic=topic)
                left -= 1

    # -- writing -------------------------------------------------------------------------

    def article(self, s: int, title: str) -> str:
        rng = self.rng
        sentences = list(self.sentences[s])
        pool = [e for t in ("person", "organization") for e in self.by_home[s][t]]
        for _ in range(max(2, len(sentences) // 4)):
            if pool and rng.random() < 0.4:
                sentences.append(f"{rng.choice(pool).name} did not respond to a request for comment.")
            else:
                sentences.append(rng.choice(FILLERS))
        rng.shuffle(sentences)
        paragraphs = []
        i = 0
        while i < len(sentences):
            size = rng.randint(2, 5)
            paragraphs.append(" ".join(sentences[i : i + size]))
            i += size
        if rng.random() < 0.3:
            paragraphs.insert(len(paragraphs) // 2, "Related coverage")  # page furniture, no sentence
        if rng.random() < 0.5:
            paragraphs.insert(0, title)
        gap = "\n\n" if rng.random() < 0.5 else "\n"
        return gap.join(paragraphs) + "\n"

    def write(self, out: Path) -> dict[str, int]:
        rng = self.rng
        (out / "articles").mkdir(parents=True)
        for kind in KINDS:
            (out / "facts" / kind.folder).mkdir(parents=True)
        records = []
        for s in range(self.n):
            sid = self.source_id(s)
            place = self.pick("place", s)
            title = f"Fighting reported near {place.name}" if place is not None else f"Report number {s + 1}"
            title += f", report {s + 1}"
            record: dict[str, Any] = {"id": sid, "file": f"articles/{sid}.txt", "title": title,
                                      "outlet": OUTLETS[s % len(OUTLETS)]}
            published = _date(rng)
            if rng.random() < 0.8:
                published = Date(published.year, published.month or 3, published.day or 14)
            record["published"] = published.value
            if rng.random() < 0.7:
                record["url"] = f"https://example.org/{record['id']}"
            if rng.random() < 0.5:
                record["author"] = rng.choice(AUTHORS)
            records.append(record)
            (out / record["file"]).write_text(self.article(s, title), encoding="utf-8")
        _dump(out / "sources.yaml", records)
        n_claims = 0
        for e in self.entities:
            data: dict[str, Any] = {"name": e.name, "description": e.description}
            if e.aliases:
                data["aliases"] = [a if len(a) > 1 else a["name"] for a in e.aliases]
            if e.date is not None:
                data["date"] = e.date.value
            if e.claims:
                data["claims"] = e.claims
            n_claims += len(e.claims)
            _dump(out / "facts" / KIND[e.type].folder / f"{e.id}.yaml", data)
        # the overview: the first claims that cite the first source, restated
        first = self.source_id(0)
        overview = []
        for e in self.entities:
            for c in e.claims:
                cites = c["cite"] if isinstance(c["cite"], list) else [c["cite"]]
                if cites[0]["source"] == first and len(overview) < 3:
                    overview.append({"text": c["text"], "cite": cites[0]})
        _dump(out / "briefing.yaml", {"title": f"A synthetic briefing of {self.m:,} entities", "overview": overview})
        return {"entities": self.m, "claims": n_claims + len(overview), "sources": self.n}


def _dump(path: Path, data: Any) -> None:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    path.write_text(yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=4096), encoding="utf-8")


def generate(out: Path | str, entities: int, sources: int | None = None, claims: int | None = None,
             seed: int = 0) -> dict[str, int]:
    """Write a corpus of the given size to out (which must not exist, or be an earlier output)."""
    out = Path(out)
    if entities < 4:
        raise ValueError("give at least 4 entities, one of each type")
    n = sources if sources is not None else max(1, entities // 10)
    k = claims if claims is not None else 10 * entities
    if n < 1 or k < 0:
        raise ValueError("give at least one source and no negative number of claims")
    if out.exists():
        if not (out / ".synthetic-corpus").is_file():
            raise FileExistsError(f"{out} exists and is not an earlier output of this script")
        shutil.rmtree(out)
    corpus = _Corpus(entities, n, k, seed)
    corpus.make_entities()
    corpus.make_claims()
    counts = corpus.write(out)
    (out / ".synthetic-corpus").write_text(f"entities={entities} sources={n} claims={k} seed={seed}\n", encoding="utf-8")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="the corpus folder to write (new, or an earlier output)")
    parser.add_argument("--entities", "-m", type=int, required=True, help="number of entities (at least 4)")
    parser.add_argument("--sources", "-n", type=int, help="number of sources (default: max(1, M/10))")
    parser.add_argument("--claims", "-k", type=int, help="number of entity claims (default: 10*M)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    try:
        counts = generate(args.out, args.entities, args.sources, args.claims, args.seed)
    except (ValueError, FileExistsError) as e:
        print(f"generate: {e}", file=sys.stderr)
        return 2
    print(f"{args.out}: {counts['entities']} entities, {counts['claims']} claims, {counts['sources']} sources")
    return 0


if __name__ == "__main__":
    sys.exit(main())
