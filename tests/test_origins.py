"""Origins: a claim's corroboration counts where its passages came from, not the articles."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from briefgen import check
from briefgen.corpus.origins import name_key, origins
from briefgen.model import Briefing, Claim

from .conftest import HARBOR, SEEDS, WriteCorpus

ARTICLE = "The dam held, a council engineer said. NBC News reported it first.\n"
SOURCES = """\
    - {id: wire-1, file: articles/wire-1.txt, title: A meeting in Paris}
    - {id: wire, file: articles/wire.txt, title: Wire story, outlet: Wire}
    - {id: nbc, file: articles/nbc.txt, title: NBC story, outlet: NBC News}
    - {id: blog, file: articles/blog.txt, title: Blog post}
    """


def _briefing(write_corpus: WriteCorpus, cites: list[str], extra: dict[str, str] | None = None) -> Briefing:
    """A corpus of three articles that say the same, and one claim with these cites (YAML flow mappings)."""
    lines = "".join(f"      - {c}\n" for c in cites)
    return check(write_corpus({
        "sources.yaml": SOURCES,
        "articles/wire.txt": ARTICLE, "articles/nbc.txt": ARTICLE, "articles/blog.txt": ARTICLE,
        "facts/places/dam.yaml": f"name: The dam\nclaims:\n  - text: Held.\n    cite:\n{lines}",
        "facts/organizations/council.yaml": "name: Harbour Council\naliases: [the Council, Town hall]\n",
        "facts/organizations/nbc-news.yaml": "name: NBC News\n",
        **(extra or {}),
    }))


def _groups(briefing: Briefing) -> list[list[str]]:
    """The claim's origins, each as the sources of its cites."""
    claim: Claim = briefing.entity["dam"].claims[0]
    return [[c.source for c in o.citations] for o in origins(claim.citations, briefing.source)]


Q = "quote: The dam held"


@pytest.mark.parametrize("corpus", [SEEDS, HARBOR], ids=["seeds", "harbor"])
def test_without_via_every_source_is_its_own_origin(corpus: Path) -> None:
    briefing = check(corpus)
    for claim in briefing.claims:
        if not any(c.via for c in claim.citations):
            found = origins(claim.citations, briefing.source)
            assert [o.sources for o in found] == [(s,) for s in claim.sources]


def test_cites_without_via_count_their_sources(write_corpus: WriteCorpus) -> None:
    b = _briefing(write_corpus, [f"{{source: wire, {Q}}}", f"{{source: nbc, {Q}}}", "{source: wire, quote: NBC News}"])
    assert _groups(b) == [["wire", "wire"], ["nbc"]]


def test_one_via_in_other_words_case_and_spacing_is_one_origin(write_corpus: WriteCorpus) -> None:
    b = _briefing(write_corpus, [f"{{source: wire, {Q}, via: a council engineer}}",
                                 f"{{source: blog, {Q}, via: 'A  Council   ENGINEER'}}",
                                 f"{{source: nbc, {Q}, via: a council spokesman}}"])
    assert _groups(b) == [["wire", "blog"], ["nbc"]]


def test_a_via_naming_another_cites_outlet_relays_it(write_corpus: WriteCorpus) -> None:
    """Without a via, the NBC article is its own origin; the wire story that got it from NBC News shares it."""
    b = _briefing(write_corpus, [f"{{source: nbc, {Q}}}", f"{{source: wire, {Q}, via: the NBC News}}",
                                 f"{{source: blog, {Q}}}"])
    assert _groups(b) == [["nbc", "wire"], ["blog"]]
    first = origins(b.entity["dam"].claims[0].citations, b.source)[0]
    assert first.source == "nbc" and first.via == ()  # named by the article that is the origin


def test_a_wikilink_via_is_its_entity_by_id_name_or_alias(write_corpus: WriteCorpus) -> None:
    b = _briefing(write_corpus, [f"{{source: wire, {Q}, via: '[[council|the council]]'}}",
                                 f"{{source: blog, {Q}, via: town hall}}",
                                 f"{{source: nbc, {Q}, via: Harbour Council}}"])
    assert _groups(b) == [["wire", "blog", "nbc"]]
    # and a wikilink to the outlet's entity relays the outlet's article
    b = _briefing(write_corpus, [f"{{source: nbc, {Q}, via: a council engineer}}", f"{{source: wire, {Q}, via: '[[nbc-news]]'}}"])
    assert _groups(b) == [["nbc", "wire"]]
    found = origins(b.entity["dam"].claims[0].citations, b.source)
    assert "".join(s.text for s in found[0].via) == "a council engineer"  # the origin is where NBC got it


def test_a_wikilink_via_to_a_source_relays_that_article(write_corpus: WriteCorpus) -> None:
    b = _briefing(write_corpus, [f"{{source: blog, {Q}}}", f"{{source: wire, {Q}, via: '[[blog]]'}}"])
    assert _groups(b) == [["blog", "wire"]]


def test_one_article_naming_two_origins_counts_both(write_corpus: WriteCorpus) -> None:
    b = _briefing(write_corpus, [f"{{source: wire, {Q}, via: a council engineer}}", f"{{source: wire, {Q}, via: NBC News}}"])
    assert _groups(b) == [["wire"], ["wire"]]


def test_relays_chain_into_one_origin(write_corpus: WriteCorpus) -> None:
    """The blog relays the wire, which relays NBC News: one origin, whatever the order of the cites."""
    chain = [f"{{source: blog, {Q}, via: Wire}}", f"{{source: wire, {Q}, via: NBC News}}", f"{{source: nbc, {Q}}}"]
    assert _groups(_briefing(write_corpus, chain)) == [["blog", "wire", "nbc"]]
    assert _groups(_briefing(write_corpus, chain[::-1])) == [["nbc", "wire", "blog"]]


def test_same_words_that_name_no_entity_still_match(write_corpus: WriteCorpus) -> None:
    assert name_key("The  Daily Beast") == name_key("daily beast") == "name:daily beast"
    assert name_key("l\u2019agence") == name_key("L'Agence")


def test_an_alias_that_becomes_another_entitys_changes_the_count(write_corpus: WriteCorpus) -> None:
    """Which entity bears a name is read from every entity file: a renamed alias regroups the cites."""
    cites = [f"{{source: wire, {Q}, via: the mayor}}", f"{{source: blog, {Q}, via: '[[council]]'}}"]
    assert _groups(_briefing(write_corpus, cites)) == [["wire"], ["blog"]]
    council = textwrap.dedent("""\
        name: Harbour Council
        aliases: [the Council, {name: the mayor, link: false}]
        """)
    assert _groups(_briefing(write_corpus, cites, {"facts/organizations/council.yaml": council})) == [["wire", "blog"]]
