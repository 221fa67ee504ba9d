"""schema.org JSON-LD of entity pages: the data, and a script element no curated text can end."""

from __future__ import annotations

import json
import re

import pytest

from briefgen.dates import PartialDate
from briefgen.model import Alias, Entity
from briefgen.site.jsonld import entity_data, script, with_script


def test_each_entity_type_has_its_schema_org_type() -> None:
    types = {t: entity_data(Entity("x", t, "X"))["@type"] for t in ("person", "organization", "place", "event")}
    assert types == {"person": "Person", "organization": "Organization", "place": "Place", "event": "Event"}


def test_aliases_become_alternate_names_once_each_and_not_the_name_again() -> None:
    e = Entity("q", "person", "Abu Qaduli", "Leader", aliases=(Alias("Hajji Iman"), Alias("Abu  Qaduli"), Alias("Imam"),
                                                                   Alias("Hajji Iman", link=False)))
    assert entity_data(e) == {"@context": "https://schema.org", "@type": "Person", "name": "Abu Qaduli",
                              "alternateName": ["Hajji Iman", "Imam"], "description": "Leader"}


def test_only_what_the_corpus_says_is_given() -> None:
    data = entity_data(Entity("p", "place", "Paris"))
    assert set(data) == {"@context", "@type", "name"}  # no description, url, date or sameAs invented


@pytest.mark.parametrize(("date", "iso"), [(PartialDate(2016), "2016"), (PartialDate(2016, 3), "2016-03"),
                                           (PartialDate(2016, 3, 25), "2016-03-25")])
def test_an_event_starts_at_the_precision_written(date: PartialDate, iso: str) -> None:
    data = entity_data(Entity("e", "event", "Raid", date=date), "https://example.org/events/e/")
    assert data["startDate"] == iso and data["url"] == "https://example.org/events/e/"


def test_text_is_one_line_with_control_characters_shown() -> None:
    data = entity_data(Entity("p", "person", "A\nB", "one\x00 two\t three"))
    assert data["name"] == "A B" and data["description"] == "one\u2400 two three"


HOSTILE = 'x</script><script>alert(1)</script> <!-- & "q" \\ \u2028 \u2029 </SCRIPT > ]]> <\u0000'


def test_no_text_can_end_the_script_and_the_json_reads_back_the_same() -> None:
    data = {"@type": "Person", "name": HOSTILE, "alternateName": [HOSTILE]}
    element = script(data)
    body = element.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert not re.search(r"[<>&\u2028\u2029]", body)
    assert json.loads(body) == data


def test_the_script_goes_at_the_end_of_the_head() -> None:
    page = "<html><head><title>&lt;/head&gt;</title></head><body>&lt;/head&gt;</body></html>"
    assert with_script(page, "<s></s>") == page.replace("</title></head>", "</title><s></s></head>")
    assert with_script("<p>no head</p>", "<s></s>") == "<p>no head</p>"
