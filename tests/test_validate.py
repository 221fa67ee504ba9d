"""The loader and validator: every rule of the corpus format, by its message."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen import check
from briefgen.corpus.problems import CorpusError

from .conftest import HARBOR, SEEDS, WriteCorpus, messages, problems_of


def test_base_corpus_is_valid(write_corpus: WriteCorpus) -> None:
    briefing = check(write_corpus())
    assert [e.id for e in briefing.entities] == ["paris-meeting", "alice-smith", "bob-jones", "paris"]
    assert briefing.source["wire-1"].published is not None


@pytest.mark.parametrize("corpus", [SEEDS, HARBOR], ids=["seeds", "harbor"])
def test_shipped_corpora_are_valid(corpus: Path) -> None:
    briefing = check(corpus)
    assert briefing.entities and briefing.sources and briefing.claims


def test_quote_is_located_after_normalization(write_corpus: WriteCorpus) -> None:
    briefing = check(write_corpus())
    claim = briefing.entity["bob-jones"].claims[0]
    c = claim.citations[0]
    # the YAML quote has straight quotes, the article typographic ones
    assert briefing.source["wire-1"].text[c.start : c.end] == "Jones “denied” it."
    assert c.anchor == f"q-{c.start}-{c.end}"


def test_two_errors_in_two_files_are_both_reported(write_corpus: WriteCorpus) -> None:
    root = write_corpus({
        "facts/places/paris.yaml": "name: Paris\nclaims:\n  - text: x\n    cite: {source: wire-9, quote: a}\n",
        "facts/people/bob-jones.yaml": "name: Bob Jones\naliasses: [Bobby]\n",
    })
    assert messages(root) == [
        "facts/people/bob-jones.yaml:2: unknown key 'aliasses' (did you mean 'aliases'?)",
        "facts/places/paris.yaml:4: unknown source 'wire-9' (did you mean 'wire-1'?)",
    ]


def test_check_raises_with_every_problem(write_corpus: WriteCorpus) -> None:
    root = write_corpus({"facts/places/paris.yaml": "nme: Paris\n"})
    with pytest.raises(CorpusError) as info:
        check(root)
    report = info.value.report()
    assert report.startswith("2 problems in the corpus:")
    assert "facts/places/paris.yaml:1: unknown key 'nme' (did you mean 'name'?)" in report
    assert "facts/places/paris.yaml:1: missing required key 'name' (add 'name:')" in report


# Each case: files to change, and one problem that must be reported exactly.
CASES: dict[str, tuple[dict[str, str | bytes | None], str]] = {
    "invalid YAML": (
        {"facts/places/paris.yaml": "name: [Paris\n"},
        "facts/places/paris.yaml:2: invalid YAML:",
    ),
    "file not a mapping": (
        {"facts/places/paris.yaml": "- Paris\n"},
        "facts/places/paris.yaml:1: file must be a mapping of keys to values, not a list (write at least 'name: ...')",
    ),
    "empty entity file": (
        {"facts/places/paris.yaml": ""},
        "facts/places/paris.yaml:1: file is empty (write at least 'name: ...')",
    ),
    "sources not a list": (
        {"sources.yaml": "id: wire-1\n"},
        "sources.yaml:1: file must be a list, not a mapping",
    ),
    "missing sources.yaml": (
        {"sources.yaml": None},
        "sources.yaml: sources.yaml is missing (every corpus lists its articles in sources.yaml)",
    ),
    "duplicate key": (
        {"facts/places/paris.yaml": "name: Paris\nname: Paree\n"},
        "facts/places/paris.yaml:2: duplicate key 'name' (first at line 1) (keep one of them)",
    ),
    "unknown key on a claim": (
        {"facts/places/paris.yaml": "name: Paris\nclaims:\n  - text: x\n    cites: {source: wire-1, quote: Paris}\n"},
        "facts/places/paris.yaml:4: unknown key 'cites' (did you mean 'cite'?)",
    ),
    "missing required key": (
        {"facts/places/paris.yaml": "description: A city\n"},
        "facts/places/paris.yaml:1: missing required key 'name' (add 'name:')",
    ),
    "missing citation": (
        {"facts/places/paris.yaml": "name: Paris\nclaims:\n  - text: A city.\n"},
        "facts/places/paris.yaml:3: missing required key 'cite' in claims[0] (add 'cite:')",
    ),
    "wrong type": (
        {"facts/places/paris.yaml": "name: 1789\n"},
        "facts/places/paris.yaml:1: 'name' must be text, not a number (1789) (put the value in quotes)",
    ),
    "wrong type of link": (
        {"facts/places/paris.yaml": "name: Paris\naliases:\n  - {name: P, link: maybe}\n"},
        "facts/places/paris.yaml:3: 'aliases[0].link' must be true or false, not 'maybe' (write true or false)",
    ),
    "certainty not allowed": (
        {"facts/places/paris.yaml": "name: Paris\nclaims:\n  - text: x\n    certainty: belived\n"
                                    "    cite: {source: wire-1, quote: Paris}\n"},
        "facts/places/paris.yaml:4: 'claims[0].certainty' is 'belived', which is not one of "
        "'confirmed', 'reported', 'believed' or 'alleged' (did you mean 'believed'?)",
    ),
    "duplicate id across types": (
        {"facts/organizations/paris.yaml": "name: Paris FC\n"},
        "facts/places/paris.yaml: id 'paris' is already used by facts/organizations/paris.yaml",
    ),
    "entity id equal to a source id": (
        {"facts/places/wire-1.yaml": "name: Wire\n"},
        "facts/places/wire-1.yaml: id 'wire-1' is already used by sources.yaml:1",
    ),
    "duplicate source id": (
        {"sources.yaml": "- {id: wire-1, file: articles/wire-1.txt, title: A}\n"
                         "- {id: wire-1, file: articles/wire-1.txt, title: B}\n"},
        "sources.yaml:2: id 'wire-1' is already used by sources.yaml:1",
    ),
    "id with capitals": (
        {"facts/places/Paris.yaml": "name: Paris\n"},
        "facts/places/Paris.yaml: id 'Paris' is not valid (use lowercase letters, digits, '-' and '_', e.g. 'paris')",
    ),
    "id with a space and a dot": (
        {"facts/places/st. louis.yaml": "name: St. Louis\n"},
        "facts/places/st. louis.yaml: id 'st. louis' is not valid "
        "(use lowercase letters, digits, '-' and '_', e.g. 'st-louis')",
    ),
    "unknown entity folder": (
        {"facts/persons/carol.yaml": "name: Carol\n"},
        "facts/persons: unknown entity folder 'persons' (did you mean 'people'?)",
    ),
    "wikilink to nothing": (
        {"facts/places/paris.yaml": "name: Paris\nclaims:\n  - text: Home of [[alice-smyth]].\n"
                                    "    cite: {source: wire-1, quote: Paris}\n"},
        "facts/places/paris.yaml:3: wikilink [[alice-smyth]] names no entity or source (did you mean 'alice-smith'?)",
    ),
    "malformed wikilink": (
        {"facts/places/paris.yaml": "name: Paris\nclaims:\n  - text: Home of [[alice-smith.\n"
                                    "    cite: {source: wire-1, quote: Paris}\n"},
        "facts/places/paris.yaml:3: unclosed or malformed wikilink (write [[id]] or [[id|label]])",
    ),
    "wikilink in said_by to nothing": (
        {"facts/places/paris.yaml": "name: Paris\nclaims:\n  - text: A city.\n    said_by: '[[mayor]]'\n"
                                    "    cite: {source: wire-1, quote: Paris}\n"},
        "facts/places/paris.yaml:4: wikilink [[mayor]] names no entity or source",
    ),
    "unknown source": (
        {"facts/places/paris.yaml": "name: Paris\nclaims:\n  - text: x\n    cite: {source: wire-2, quote: Paris}\n"},
        "facts/places/paris.yaml:4: unknown source 'wire-2' (did you mean 'wire-1'?)",
    ),
    "article file missing": (
        {"articles/wire-1.txt": None},
        "sources.yaml:2: article file 'articles/wire-1.txt' does not exist (check the path, relative to the corpus root)",
    ),
    "article not UTF-8": (
        {"articles/wire-1.txt": b"Alice Smith met Bob Jones in Paris\n" + b"caf\xe9\n"},
        "sources.yaml:2: article file 'articles/wire-1.txt' is not UTF-8 (byte 38, line 2) (save it as UTF-8)",
    ),
    "article outside the corpus": (
        {"sources.yaml": "- {id: wire-1, file: ../outside.txt, title: A}\n"},
        "sources.yaml:1: article path '../outside.txt' leads outside the corpus (keep articles inside the corpus folder)",
    ),
    "article path absolute": (
        {"sources.yaml": "- {id: wire-1, file: /etc/passwd, title: A}\n"},
        "sources.yaml:1: article path '/etc/passwd' is absolute (give a path relative to the corpus root)",
    ),
    "quote not found shows the closest passage": (
        {"facts/places/paris.yaml": "name: Paris\nclaims:\n  - text: x\n"
                                    "    cite: {source: wire-1, quote: The meeting was secrett}\n"},
        "facts/places/paris.yaml:4: quote not found in source 'wire-1' "
        "(closest passage: \"The meeting was secret,\")",
    ),
    "quote found only in another case": (
        {"facts/places/paris.yaml": "name: Paris\nclaims:\n  - text: x\n"
                                    "    cite: {source: wire-1, quote: the meeting was secret}\n"},
        "facts/places/paris.yaml:4: quote found in source 'wire-1' only with different capitals "
        "(the article has \"The meeting was secret\")",
    ),
    "empty quote": (
        {"facts/places/paris.yaml": "name: Paris\nclaims:\n  - text: x\n    cite: {source: wire-1, quote: '  '}\n"},
        "facts/places/paris.yaml:4: 'claims[0].cite[0].quote' is empty",
    ),
    "date that does not exist": (
        {"facts/places/paris.yaml": "name: Paris\nclaims:\n  - text: x\n    date: 2016-02-30\n"
                                    "    cite: {source: wire-1, quote: Paris}\n"},
        "facts/places/paris.yaml:4: 'claims[0].date': '2016-02-30' is not a day of the calendar",
    ),
    "date in another format": (
        {"facts/places/paris.yaml": "name: Paris\nclaims:\n  - text: x\n    date: 25/03/2016\n"
                                    "    cite: {source: wire-1, quote: Paris}\n"},
        "facts/places/paris.yaml:4: 'claims[0].date': '25/03/2016' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    "event date no claim backs": (
        {"facts/events/paris-meeting.yaml": "name: The meeting\ndate: 2020-05\nclaims:\n  - text: x\n"
                                            "    date: 2020-05-04\n    cite: {source: wire-1, quote: Paris}\n"},
        "facts/events/paris-meeting.yaml:2: event date 2020-05 is not backed by a claim "
        "(add 'date: 2020-05' to the claim on this event that cites when it happened)",
    ),
    "date on a person": (
        {"facts/places/paris.yaml": "name: Paris\ndate: 2020\n"},
        "facts/places/paris.yaml:2: only events have a date, not a place (put the date on the claim that states it)",
    ),
    "url not http": (
        {"sources.yaml": "- {id: wire-1, file: articles/wire-1.txt, title: A, url: 'javascript:alert(1)'}\n"},
        "sources.yaml:1: 'url' must be an http:// or https:// address, not 'javascript:alert(1)'",
    ),
    "via wikilink to nothing": (
        {"facts/places/paris.yaml": "name: Paris\nclaims:\n  - text: x\n"
                                    "    cite:\n      - source: wire-1\n        quote: Paris\n        via: '[[nbc-newz]]'\n"},
        "facts/places/paris.yaml:7: wikilink [[nbc-newz]] names no entity or source (create the entity file, or fix the id)",
    ),
    "empty via": (
        {"facts/places/paris.yaml": "name: Paris\nclaims:\n  - text: x\n    cite: {source: wire-1, quote: Paris, via: ''}\n"},
        "facts/places/paris.yaml:4: 'claims[0].cite[0].via' is empty",
    ),
    "via that is not text": (
        {"facts/places/paris.yaml": "name: Paris\nclaims:\n  - text: x\n    cite: {source: wire-1, quote: Paris, via: [a]}\n"},
        "facts/places/paris.yaml:4: 'claims[0].cite[0].via' must be text, not a list",
    ),
    "reliability not on the scale": (
        {"sources.yaml": "- {id: wire-1, file: articles/wire-1.txt, title: A, reliability: b}\n"},
        "sources.yaml:1: 'reliability' is 'b', which is not one of 'A', 'B', 'C', 'D', 'E' or 'F' (did you mean 'B'?)",
    ),
    "reliability as a number": (
        {"sources.yaml": "- {id: wire-1, file: articles/wire-1.txt, title: A, reliability: 2}\n"},
        "sources.yaml:1: 'reliability' is 2, which is not one of 'A', 'B', 'C', 'D', 'E' or 'F' "
        "(grade the source on the Admiralty scale, A (completely reliable) to F (reliability cannot be judged))",
    ),
    "reliability note without a grade": (
        {"sources.yaml": "- id: wire-1\n  file: articles/wire-1.txt\n  title: A\n  reliability_note: A wire service\n"},
        "sources.yaml:4: source 'wire-1' has a reliability_note but no reliability grade "
        "(grade it with 'reliability: A'...'F' (F: reliability cannot be judged), or leave the note out)",
    ),
    "YAML tag that constructs an object": (
        {"facts/places/paris.yaml": "name: !!python/object/apply:os.system ['true']\n"},
        "facts/places/paris.yaml:1: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
    ),
    "YAML anchors that blow up": (
        {"facts/places/paris.yaml": "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
         + "".join(f"{k}: &{k} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
                   for p, k in zip("abcdefg", "bcdefgh", strict=True))},
        "facts/places/paris.yaml:1: YAML expands to",
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_problem_is_reported_with_file_line_and_hint(write_corpus: WriteCorpus, case: str) -> None:
    changes, expected = CASES[case]
    found = messages(write_corpus(changes))
    assert any(m.startswith(expected) for m in found), "\n".join(found)


def test_symlinked_article_out_of_the_corpus_is_refused(write_corpus: WriteCorpus, tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("Alice Smith met Bob Jones in Paris on Monday.", encoding="utf-8")
    root = write_corpus({"articles/wire-1.txt": None})
    (root / "articles").mkdir(exist_ok=True)
    (root / "articles" / "wire-1.txt").symlink_to(outside)
    assert "sources.yaml:2: article path 'articles/wire-1.txt' leads outside the corpus" in " ".join(messages(root))


def test_problems_have_no_model(write_corpus: WriteCorpus) -> None:
    problems = problems_of(write_corpus({"facts/places/paris.yaml": "name: [\n"}))
    assert len(problems) == 1


def test_dates_as_yaml_number_and_text_are_equal(write_corpus: WriteCorpus) -> None:
    root = write_corpus({
        "facts/events/paris-meeting.yaml": "name: The meeting\ndate: 2020\nclaims:\n  - text: x\n"
                                           "    date: '2020'\n    cite: {source: wire-1, quote: Paris}\n",
    })
    event = check(root).entity["paris-meeting"]
    assert event.date is not None and event.date.display == "2020"


def test_alias_cites_are_verified(write_corpus: WriteCorpus) -> None:
    root = write_corpus({
        "facts/places/paris.yaml": "name: Paris\naliases:\n  - name: City of Light\n"
                                   "    cite: {source: wire-1, quote: City of Light}\n",
    })
    assert messages(root)[0].startswith("facts/places/paris.yaml:4: quote not found in source 'wire-1'")


@pytest.mark.parametrize("cite", [
    "cite:\n      source: wire-1\n      quote: not in the article\n",
    "cite:\n      - source: wire-1\n        quote: not in the article\n",
])
def test_a_quote_not_found_is_reported_at_its_own_line_in_a_list_or_alone(
        write_corpus: WriteCorpus, cite: str) -> None:
    paris = "name: Paris\nclaims:\n  - text: A city.\n    " + cite
    problems = messages(write_corpus({"facts/places/paris.yaml": paris}))
    found = [p for p in problems if "quote not found" in p]
    assert len(found) == 1 and found[0].startswith("facts/places/paris.yaml:6: quote not found in source 'wire-1'"), problems
