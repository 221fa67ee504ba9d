"""The model: a briefing's derived views, its sources' lines, and values that pickle as they are."""

from __future__ import annotations

import pickle

from briefgen import check
from briefgen.dates import PartialDate
from briefgen.model import Alias, Briefing, Citation, Claim, Entity, Segment, Source

from .conftest import HARBOR


def _claim(holder: str, *links: str, date: PartialDate | None = None, topic: str | None = None) -> Claim:
    text = (Segment("Met "), *(Segment(link.title(), link) for link in links))
    return Claim(holder, text, (Citation("wire", "Met", 0, 3, "q-1"),), topic=topic, date=date)


def _briefing() -> Briefing:
    entities = (
        Entity("alice", "person", "Alice", claims=(_claim("alice", "bob", "paris"), _claim("alice", "alice"))),
        Entity("bob", "person", "Bob", claims=(_claim("bob", topic="meeting", date=PartialDate(2020, 5)),
                                               _claim("bob", topic="meeting", date=PartialDate(2020)))),
        Entity("paris", "place", "Paris"),
    )
    source = Source("wire", "articles/wire.txt", "A meeting", "A meeting\n\nMet in Paris.\nLater.\n")
    return Briefing("Test", (), (source,), entities)


def test_a_link_to_another_entity_is_a_backlink_and_an_edge_a_link_to_itself_is_neither() -> None:
    b = _briefing()
    assert [c.holder for c in b.backlinks["bob"]] == ["alice"]
    assert "alice" not in b.backlinks
    assert [(e.a, e.b) for e in b.edges] == [("alice", "bob"), ("alice", "paris")]
    assert {e.b for e in b.edges_of["alice"]} == {"bob", "paris"}


def test_claims_sharing_a_topic_on_one_entity_are_a_dispute() -> None:
    (dispute,) = _briefing().disputes
    assert dispute.entity.id == "bob" and dispute.topic == "meeting" and len(dispute.claims) == 2


def test_the_timeline_puts_a_year_before_its_months() -> None:
    assert [row[0] for row in _briefing().timeline] == [PartialDate(2020), PartialDate(2020, 5)]


def test_a_source_whose_first_line_is_its_title_has_it_as_headline_not_paragraph() -> None:
    source = _briefing().source["wire"]
    assert source.headline == (0, 9)
    assert [source.text[slice(*p)] for p in source.paragraphs] == ["Met in Paris.", "Later."]
    assert source.line_at(source.text.index("Paris")) == source.paragraphs[0]


def test_pages_are_in_the_folder_of_their_kind() -> None:
    b = _briefing()
    assert b.entity["paris"].page == "places/paris.md"
    assert b.page_of("wire") == "sources/wire.md" and b.name_of("wire") == "A meeting"


def test_model_values_pickle_to_equal_values() -> None:
    briefing = check(HARBOR)
    values = [*briefing.entities, *briefing.claims, Alias("x", (Citation("s", "q", 1, 2, "a"),), link=False)]
    assert pickle.loads(pickle.dumps(values, protocol=pickle.HIGHEST_PROTOCOL)) == values
