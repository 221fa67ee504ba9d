"""The record's history: the changes page, the feed and each entity's last change, from the corpus
folder's git history, built by the real MkDocs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import feedparser
import pytest

from briefgen import build
from briefgen.corpus import HistoryReader, load_corpus, read_history
from briefgen.history import Fact, pair_claims
from briefgen.tools.cli import main

from .conftest import BASE, WriteCorpus
from .site import html_of, mkdocs_build, site_config, zensical_command
from .test_serve import _rebuild, _touch

PARIS_MEETING = """\
    name: Paris
    claims:
      - text: Hosted the meeting of [[alice-smith]] and [[bob-jones]].
        cite: {source: wire-1, quote: "Alice Smith met Bob Jones in Paris"}
    """
REWORDED = BASE["facts/people/alice-smith.yaml"].replace("Met [[bob-jones]] in [[paris]].",
                                                       "Met [[bob-jones]] in [[paris]] on Monday.")


def _git(root: Path, *args: str, day: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Curator", "GIT_AUTHOR_EMAIL": "curator@example.org",
           "GIT_COMMITTER_NAME": "Curator", "GIT_COMMITTER_EMAIL": "curator@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if day is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day}T21:30:00-0500"
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env).stdout


def _commit(root: Path, day: str, files: dict[str, str | None]) -> None:
    for rel, text in files.items():
        if text is None:
            (root / rel).unlink()
        else:
            (root / rel).write_text(textwrap.dedent(text), encoding="utf-8")
    _git(root, "add", "-A", ".")
    _git(root, "commit", "-q", "-m", f"facts of {day}", day=day)


@pytest.fixture
def three_dates(write_corpus: WriteCorpus) -> Path:
    """A corpus committed on three dates: begun; a claim added; a claim reworded."""
    root = write_corpus()
    _git(root, "init", "-q", "-b", "main")
    _commit(root, "2017-11-20", {})
    _commit(root, "2017-11-24", {"facts/places/paris.yaml": PARIS_MEETING})
    _commit(root, "2017-11-26", {"facts/people/alice-smith.yaml": REWORDED})
    return root


def test_the_changes_page_and_feed_list_each_date_newest_first(three_dates: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = mkdocs_build(site_config(three_dates, tmp_path / "project"), site)
    assert result.returncode == 0, result.stderr
    page = html_of(site, "changes")
    days = [h.get_text(" ", strip=True).rstrip("¶ ").strip() for h in page.select("article h2")]
    # the committer's own day (21:30 at UTC-5 is the next day in UTC)
    assert days == ["26 November 2017", "24 November 2017", "20 November 2017"]
    sections = {h["id"]: h for h in page.select("article h2")}
    reworded = _section(sections["26-november-2017"])
    row = reworded.select("table tbody tr")
    assert len(row) == 1
    cells = [td.get_text(" ", strip=True) for td in row[0].select("td")]
    assert cells[0] == "Alice Smith" and row[0].select_one("td a")["href"] == "../people/alice-smith/"
    assert cells[1] == "Met Bob Jones in Paris." and cells[2].startswith("Met Bob Jones in Paris on Monday.")
    added = _section(sections["24-november-2017"])
    assert [li.get_text(" ", strip=True) for li in added.select("li")] == [
        "Paris : Hosted the meeting of Alice Smith and Bob Jones."]
    assert added.select_one("li a")["href"] == "../places/paris/"
    assert "The record begins: 4 claims on 4 entities, from 1 source." in _section(sections["20-november-2017"]).get_text()

    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert feed.version == "atom10" and not feed.bozo
    assert [e.updated for e in feed.entries] == ["2017-11-26T00:00:00Z", "2017-11-24T00:00:00Z", "2017-11-20T00:00:00Z"]
    assert feed.entries[0].link == "changes/#26-november-2017"
    assert [link.href for link in feed.entries[0].links if link.rel == "related"] == ["people/alice-smith/"]
    head = html_of(site, "people/alice-smith").select_one('head link[rel="alternate"][type="application/atom+xml"]')
    assert head is not None and head["href"] == "../../feed.xml"
    # search finds claims on their entities' pages, not again, in wordings no longer held, on this one
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d for d in index["docs"] if d["location"].startswith("changes/")]


def _section(heading: object) -> object:
    """The elements after a day's heading, up to the next day's, as one soup."""
    from bs4 import BeautifulSoup
    parts = []
    for sibling in heading.find_next_siblings():  # type: ignore[attr-defined]
        if sibling.name == "h2":
            break
        parts.append(str(sibling))
    return BeautifulSoup("".join(parts), "html.parser")


def test_an_entity_page_says_when_its_facts_last_changed(three_dates: Path) -> None:
    pages = build(three_dates, history=True)
    assert "Facts last changed: [26 November 2017](../changes.md#26-november-2017)." in pages["people/alice-smith.md"]
    assert "Facts last changed: [24 November 2017](../changes.md#24-november-2017)." in pages["places/paris.md"]
    assert "Facts last changed: [20 November 2017](../changes.md#20-november-2017)." in pages["people/bob-jones.md"]


def test_moved_lines_and_rewritten_yaml_change_no_claim(three_dates: Path) -> None:
    bob = """\
        name: Bob Jones
        claims:
          - {text: Held a secret meeting., topic: meeting, certainty: believed, said_by: officials,
             cite: [{source: wire-1, quote: "The meeting was secret, officials said."}]}
          - text: >-
              Denied the
              meeting.
            topic: meeting
            cite: {quote: 'Jones "denied" it.', source: wire-1}
        """
    _commit(three_dates, "2017-11-28", {"facts/people/bob-jones.yaml": bob})
    history = read_history(three_dates, load_corpus(three_dates))
    assert [str(d.day) for d in history.days] == ["2017-11-26", "2017-11-24", "2017-11-20"]


def test_a_claim_removed_and_a_dispute_closed_are_listed(three_dates: Path) -> None:
    bob = "name: Bob Jones\nclaims:\n  - text: Denied the meeting.\n    topic: meeting\n" \
          "    cite: {source: wire-1, quote: 'Jones \"denied\" it.'}\n"
    _commit(three_dates, "2017-12-01", {"facts/people/bob-jones.yaml": bob})
    day = read_history(three_dates, load_corpus(three_dates)).days[0]
    assert [(r.kind, r.entity, r.old.text if r.old else None) for r in day.claims] == [
        ("removed", "bob-jones", "Held a secret meeting.")]
    assert [(d.entity, d.topic, d.opened) for d in day.disputes] == [("bob-jones", "meeting", False)]
    page = build(three_dates, history=True)["changes.md"]
    assert "- [Bob Jones](people/bob-jones.md), where it was: Held a secret meeting." in page
    assert "- Closed: [Bob Jones](people/bob-jones.md), on meeting" in page


def test_edits_not_yet_committed_come_first_and_stay_out_of_the_feed(three_dates: Path) -> None:
    (three_dates / "facts/places/paris.yaml").write_text("name: Paris\n", encoding="utf-8")
    history = read_history(three_dates, load_corpus(three_dates))
    assert history.days[0].day is None and [r.kind for r in history.days[0].claims] == ["removed"]
    pages = build(three_dates, history=True)
    assert "## Not yet committed" in pages["changes.md"]
    assert "not yet committed" not in pages["feed.xml"].lower() and pages["feed.xml"].count("<entry>") == 3
    assert "Facts last changed: [Not yet committed](../changes.md#not-yet-committed)." in pages["places/paris.md"]


def test_only_the_corpus_folders_history_counts(write_corpus: WriteCorpus, tmp_path: Path) -> None:
    corpus = write_corpus()
    repo = corpus.parent
    _git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text("one\n", encoding="utf-8")
    _git(repo, "add", "README.md")
    _commit(corpus, "2017-11-20", {})
    (repo / "README.md").write_text("two\n", encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "docs", day="2017-11-22")
    _commit(corpus, "2017-11-24", {"facts/places/paris.yaml": PARIS_MEETING})
    history = read_history(corpus, load_corpus(corpus))
    assert [str(d.day) for d in history.days] == ["2017-11-24", "2017-11-20"]


def test_without_history_the_changes_page_says_so_and_the_site_builds(write_corpus: WriteCorpus, tmp_path: Path) -> None:
    corpus = write_corpus()
    site = tmp_path / "site"
    result = mkdocs_build(site_config(corpus, tmp_path / "project"), site)
    assert result.returncode == 0, result.stderr
    text = html_of(site, "changes").select_one("article").get_text(" ", strip=True)
    assert "The corpus is not in a git repository" in text
    assert not (site / "feed.xml").exists()
    assert html_of(site, "people/alice-smith").select_one('link[type="application/atom+xml"]') is None


def test_a_shallow_clone_is_named_with_how_to_fetch_the_history(three_dates: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{three_dates}", str(clone)], check=True)
    history = read_history(clone, load_corpus(clone))
    assert history.state == "shallow" and "fetch-depth: 0" in history.note and not history.days
    assert "shallow clone" in build(clone, history=True)["changes.md"]
    assert main(["build", str(clone), "--out", str(tmp_path / "out")]) == 0
    assert "shallow clone" in capsys.readouterr().err


def test_the_history_is_deterministic_and_read_again_only_when_head_moves(three_dates: Path) -> None:
    reader = HistoryReader()
    raw = load_corpus(three_dates)
    first = reader.read(three_dates, raw)
    assert reader.read(three_dates, raw) == first == read_history(three_dates, raw)
    parsed = dict(reader._parsed)
    _commit(three_dates, "2017-11-30", {"facts/places/paris.yaml": "name: Paris\ndescription: A city\n"})
    later = reader.read(three_dates, load_corpus(three_dates))
    assert later == read_history(three_dates, load_corpus(three_dates))
    assert [str(d.day) for d in later.days][:1] == ["2017-11-30"]
    assert set(reader._parsed) - set(parsed) == {_git(three_dates, "rev-parse", "HEAD:facts/places/paris.yaml").strip()}


def test_curated_text_in_the_history_shows_as_text(three_dates: Path) -> None:
    hostile = PARIS_MEETING.replace("Hosted the meeting", "<img src=x onerror=alert(1)> | **Hosted** the meeting")
    _commit(three_dates, "2017-11-29", {"facts/places/paris.yaml": hostile})
    page = build(three_dates, history=True)["changes.md"]
    assert "<img" not in page
    assert "&#60;img src&#61;x onerror&#61;alert(1)&#62; &#124; &#42;&#42;Hosted&#42;&#42; the meeting" in page


def test_claims_are_paired_by_their_evidence_then_their_words() -> None:
    a = Fact("Met Bob in Paris.", (("wire", "met Bob"),))
    b = Fact("Denied it.", (("wire", "denied"),))
    reworded = Fact("Met Bob in Paris on Monday.", (("wire", "met Bob"),))
    requoted = Fact("Denied it.", (("wire", "Jones denied"),))
    other = Fact("Left for Rome.", (("post", "left"),))
    assert pair_claims([a, b], [b, a]) == []
    assert pair_claims([a, b], [reworded, requoted]) == [(a, reworded), (b, requoted)]
    assert pair_claims([a], [other]) == [(None, other), (a, None)]



def test_the_portable_folder_links_its_feed_in_mkdocs_and_zensical(three_dates: Path, tmp_path: Path) -> None:
    title = 'Crane <img src=x onerror="window.pwned=1"> & "quotes"'
    (three_dates / "briefing.yaml").write_text(f"title: {json.dumps(title)}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(three_dates), "--out", str(out)]) == 0
    assert feedparser.parse((out / "docs" / "feed.xml").read_bytes()).version == "atom10"
    result = mkdocs_build(out / "mkdocs.yml", out / "site")
    assert result.returncode == 0, result.stderr
    sites = {"mkdocs": out / "site"}
    zensical = zensical_command()
    if zensical is not None:
        shutil.move(out / "site", out / "mkdocs-site")
        sites = {"mkdocs": out / "mkdocs-site"}
        done = subprocess.run([zensical, "build"], cwd=out, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        sites["zensical"] = out / "site"
    for name, site in sites.items():
        assert (site / "feed.xml").read_bytes() == (out / "docs" / "feed.xml").read_bytes(), name
        link = html_of(site, "people/alice-smith").select_one('head link[type="application/atom+xml"]')
        assert link is not None and link["href"] == "../../feed.xml" and link["title"] == f"{title}: changes", name


def test_a_date_that_comes_back_after_an_earlier_one_has_one_heading(three_dates: Path) -> None:
    _commit(three_dates, "2017-11-25", {"facts/places/paris.yaml": "name: Paris\ndescription: A city\n"})
    _commit(three_dates, "2017-11-26", {"facts/people/bob-jones.yaml": None})
    history = read_history(three_dates, load_corpus(three_dates))
    assert [str(d.day) for d in history.days] == ["2017-11-26", "2017-11-25", "2017-11-24", "2017-11-20"]
    assert [r.entity for r in history.days[0].claims] == ["alice-smith", "bob-jones", "bob-jones"]


def test_serve_shows_an_edit_as_not_yet_committed_until_it_is(three_dates: Path, tmp_path: Path) -> None:
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    config = site_config(three_dates, tmp_path / "cfg")
    _rebuild(config)
    _touch(three_dates / "facts/places/paris.yaml", "name: Paris\ndescription: A city\n")
    plugin = _rebuild(config)
    assert "## Not yet committed" in plugin.pages["changes.md"]
    assert "events/paris-meeting.md" not in plugin.rendered and "places/paris.md" in plugin.rendered
    assert plugin.pages == build(three_dates, history=True)
    _git(three_dates, "commit", "-q", "-am", "Paris", day="2017-11-30")
    plugin = _rebuild(config)
    assert "Not yet committed" not in plugin.pages["changes.md"] and "## 30 November 2017" in plugin.pages["changes.md"]
    assert plugin.pages == build(three_dates, history=True)
