"""An incremental rebuild gives the pages a clean build of the edited corpus gives.

`mkdocs serve` regenerates only the pages an edit can change (`update_site`); whatever the
edit, the result must be what `render_site` makes of the edited corpus from scratch.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen import build, check
from briefgen.corpus import CorpusError, build_briefing, load_corpus, validate
from briefgen.corpus.problems import Problems
from briefgen.model import Claim
from briefgen.site import pages
from briefgen.site.graph import drawn
from briefgen.site.listing import timeline_periods
from briefgen.site.markup import template_dir
from briefgen.site.pages import PageSpec, Shows, every_page_shows
from briefgen.site.pages import pages as listed
from briefgen.site.render import render_site, update_site
from briefgen.speed.cache import CheckMemo, ReadCache
from briefgen.speed.carry import INDEXES, VIEWS, carry
from briefgen.speed.memo import OfLast, of_the_last

from .conftest import HARBOR, ROOT, SPILL
from .site import site_config
from .test_serve import _rebuild, _touch

Edit = Callable[[Path, int], None]


def _entity_files(root: Path) -> list[Path]:
    return sorted((root / "facts").glob("*/*.yaml"))


def _edit_yaml(path: Path, change: Callable[[Any], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    _touch(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def _entity(change: Callable[[dict[str, Any]], None]) -> Edit:
    def edit(root: Path, n: int) -> None:
        files = _entity_files(root)
        _edit_yaml(files[n % len(files)], change)
    return edit


def _source(change: Callable[[dict[str, Any]], None]) -> Edit:
    def edit(root: Path, n: int) -> None:
        _edit_yaml(root / "sources.yaml", lambda records: change(records[n % len(records)]))
    return edit


def _briefing(change: Callable[[dict[str, Any]], None]) -> Edit:
    def edit(root: Path, n: int) -> None:
        _edit_yaml(root / "briefing.yaml", change)
    return edit


def _add_entity(root: Path, n: int) -> None:
    """A new person whose claim links to an existing entity and quotes an existing passage."""
    other = _entity_files(root)[n % len(_entity_files(root))]
    data = yaml.safe_load(other.read_text(encoding="utf-8"))
    cite = next(c for claim in data.get("claims", []) for c in (claim["cite"] if isinstance(claim["cite"], list)
                                                                  else [claim["cite"]]))
    _touch(root / "facts" / "people" / f"newcomer-{n}.yaml", yaml.safe_dump({
        "name": f"Newcomer {n}", "aliases": [data["name"] + " Junior"],
        "claims": [{"text": f"Was seen with [[{other.stem}]].", "topic": "sightings", "cite": cite}],
    }, allow_unicode=True))


def _delete_entity(root: Path, n: int) -> None:
    files = _entity_files(root)
    files[n % len(files)].unlink()


def _append_paragraph(root: Path, n: int) -> None:
    articles = sorted((root / "articles").glob("*.txt"))
    path = articles[n % len(articles)]
    _touch(path, path.read_text(encoding="utf-8") + f"\nA later paragraph, number {n}, names Port Halvard again.\n")


def _move_kind(root: Path, n: int) -> None:
    """An entity file moved to another kind's folder: its page moves, and every link to it."""
    files = [f for f in _entity_files(root) if f.parent.name != "events"]  # an event's date needs its own claim
    path = files[n % len(files)]
    target = root / "facts" / ("organizations" if path.parent.name == "people" else "people") / path.name
    path.rename(target)


def _link_another(root: Path, n: int) -> None:
    """An entity's first claim links one more entity: the next file's."""
    files = _entity_files(root)
    other = files[(n + 1) % len(files)].stem
    _entity(_first_claim(lambda c: c.update(text=c["text"] + f" See [[{other}]].")))(root, n)


def _cite_anothers(root: Path, n: int) -> None:
    """An entity's first claim cites, in place of its own passages, those of the next file's first
    claim: its sources change, and how many it has may (the list of its kind counts them)."""
    files = _entity_files(root)
    other = yaml.safe_load(files[(n + 1) % len(files)].read_text(encoding="utf-8"))
    cite = next((c["cite"] for c in other.get("claims", [])[:1]), None)
    if cite is not None:
        _entity(_first_claim(lambda c: c.update(cite=cite)))(root, n)


def _relayed(claim: dict[str, Any]) -> None:
    """Each citation of the claim says where its source got the passage."""
    cites = claim["cite"] if isinstance(claim["cite"], list) else [claim["cite"]]
    claim["cite"] = [{**cite, "via": "a port official"} for cite in cites]


def _claim_first(data: dict[str, Any]) -> None:
    """A copy of the last claim put first: every claim of the file moves down."""
    if data.get("claims"):
        data["claims"].insert(0, {**data["claims"][-1], "text": "Reported first: " + data["claims"][-1]["text"]})


def _first_claim(change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    return lambda d: [change(c) for c in d.get("claims", [])[:1]]


def _drop_last_claim(data: dict[str, Any]) -> None:
    if data.get("claims"):
        data["claims"].pop()


def _add_alias(data: dict[str, Any]) -> None:
    data.setdefault("aliases", []).append(data["name"].split()[0] + " the Elder")


EDITS: dict[str, Edit] = {
    "an entity loses its description": _entity(lambda d: d.pop("description", None)),
    "an entity gets a description": _entity(lambda d: d.update(description="Named in the reports")),
    "an entity is renamed": _entity(lambda d: d.update(name=d["name"] + " (renamed)")),
    "an entity gets an alias": _entity(_add_alias),
    "an entity loses its last claim": _entity(_drop_last_claim),
    "a claim is reworded": _entity(_first_claim(lambda c: c.update(text=c["text"] + " Again."))),
    "a claim links another entity": _link_another,
    "a claim cites another claim's passages": _cite_anothers,
    "a claim is put before the others": _entity(_claim_first),
    "a claim changes its certainty": _entity(lambda d: [c.update(certainty="alleged") for c in d.get("claims", [])[:1]]),
    "a claim gets a topic": _entity(lambda d: [c.update(topic="the cause") for c in d.get("claims", [])[-1:]]),
    "an entity loses its aliases": _entity(lambda d: d.pop("aliases", None)),
    "a claim gets a date": _entity(_first_claim(lambda c: c.update(date="1999-12"))),
    "an entity moves to another kind": _move_kind,
    "an entity file is added": _add_entity,
    "an entity file is deleted": _delete_entity,
    "a source is retitled": _source(lambda s: s.update(title=s["title"] + " (updated)")),
    "a source loses its outlet": _source(lambda s: s.pop("outlet", None)),
    "a source gets another date": _source(lambda s: s.update(published="2024-04")),
    "a source is graded": _source(lambda s: s.update(reliability="B")),
    "a claim's source says where it got the passage": _entity(_first_claim(_relayed)),
    "an article gets a paragraph": _append_paragraph,
    "the briefing is retitled": _briefing(lambda b: b.update(title="Another title")),
    "the briefing loses its last overview claim": _briefing(lambda b: b["overview"].pop()),
}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(sorted(EDITS)), st.integers(0, 50)), min_size=1, max_size=3))
def test_pages_after_any_single_file_edits_are_the_pages_of_a_clean_build(edits: list[tuple[str, int]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "corpus"
        shutil.copytree(HARBOR, root)
        old = check(root)
        pages = render_site(old)
        depends = OfLast()  # what the pages of each briefing show, kept for the next update, as serve keeps it
        for name, n in edits:
            EDITS[name](root, n)
            try:
                new = check(root)
            except CorpusError:
                continue  # the edit broke a reference: serve keeps the last good site (tested in test_serve)
            pages, _ = update_site(old, pages, new, depends=depends)
            clean = render_site(new)
            assert pages == clean, f"after: {name}"
            assert list(pages) == list(clean)  # in the same order too
            # what each page shows, kept from the old briefing's pages where their inputs are the same
            kept, fresh = depends.get(new), Shows(new)
            assert all(kept.page(page) == fresh.page(page) for page in listed(new)), f"after: {name}"
            old = new


# every entity of the harbor corpus is linked from another: deleting one leaves a problem
@pytest.mark.parametrize("name", sorted(set(EDITS) - {"an entity file is deleted"}))
def test_each_kind_of_edit_renders_again_what_a_clean_build_renders_differently(name: str, tmp_path: Path) -> None:
    """Every kind of edit once (the random sequences above may miss one), on the first file from
    the second on where it leaves a corpus with no problems: the pages it leaves alone are the
    clean build's."""
    for n in range(1, 20):
        root = tmp_path / str(n)
        shutil.copytree(HARBOR, root)
        old = check(root)
        EDITS[name](root, n)
        with contextlib.suppress(CorpusError):
            new = check(root)
            break
    else:
        pytest.fail(f"{name}: no file where the edit leaves a corpus without problems")
    before = render_site(old)
    pages, rendered = update_site(old, before, new)
    clean = render_site(new)
    assert pages == clean
    assert rendered >= {path for path in clean if clean[path] != before.get(path)}


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(EDITS)), st.integers(0, 50)), min_size=1, max_size=3))
def test_a_check_that_keeps_the_checks_of_unchanged_files_is_a_check_from_scratch(edits: list[tuple[str, int]]) -> None:
    """As serve checks: the files read again only if changed, each file's check kept while it and
    what it links to stay the same. The briefing and the problems are those of a fresh check."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "corpus"
        shutil.copytree(HARBOR, root)
        cache, memo = ReadCache(), CheckMemo()
        build_briefing(load_corpus(root, cache), Problems(), memo=memo)
        for name, n in edits:
            EDITS[name](root, n)
            kept, fresh = Problems(), Problems()
            assert build_briefing(load_corpus(root, cache), kept, memo=memo) == build_briefing(load_corpus(root), fresh)
            assert kept.found() == fresh.found(), f"after: {name}"


# edits after which the check keeps every entity but one, in its order (a new name or article
# has every entity checked again: what they link to may differ)
CARRIED = {name for name in EDITS if name.startswith(("a claim ", "the briefing "))} | {
    "an entity gets a description", "an entity loses its description", "an entity loses its last claim"}


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(EDITS)), st.integers(0, 50), st.booleans()), min_size=1, max_size=3))
def test_the_indexes_a_rebuild_carries_from_the_last_briefing_are_those_made_afresh(
        edits: list[tuple[str, int, bool]]) -> None:
    """Backlinks, claims by source and edges (and the edges by entity, the timeline and the
    accounts that differ), made from the last briefing's through the claims of the entities that
    differ, as serve checks and renders again; ``also``: a second file saved
    before the rebuild, whose claim links the first's entity (two changed entities, linked)."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "corpus"
        shutil.copytree(HARBOR, root)
        cache, memo = ReadCache(), CheckMemo()
        old = build_briefing(load_corpus(root, cache), Problems(), memo=memo)
        for name, n, also in edits:
            assert old is not None
            for index in (*INDEXES, *VIEWS):
                getattr(old, index)
            EDITS[name](root, n)
            if also:
                _link_another(root, n - 1)
            new = build_briefing(load_corpus(root, cache), Problems(), memo=memo)
            if new is None:
                continue  # the edit broke a reference
            carried = carry(old, new)
            assert carried or name not in CARRIED or also, f"not carried after: {name}"
            fresh = dataclasses.replace(new)  # the same fields, nothing made from them yet
            for index in (*INDEXES, *VIEWS):
                assert getattr(new, index) == getattr(fresh, index), f"{index} after: {name}"
            old = new


def test_an_edit_to_one_description_checks_that_file_alone(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(HARBOR, root)
    cache, memo = ReadCache(), CheckMemo()
    validate(load_corpus(root, cache), memo=memo)
    kept = dict(memo.checked)
    EDITS["an entity loses its description"](root, 0)
    validate(load_corpus(root, cache), memo=memo)
    again = [key for key, (_, _, checked) in memo.checked.items() if key not in kept or kept[key][2] is not checked]
    assert len(again) == 1 and memo.checked[again[0]][0].file == _entity_files(root)[0].relative_to(root).as_posix()


def test_what_the_claims_of_earlier_briefings_showed_is_dropped_once_most_of_them_are_gone(tmp_path: Path) -> None:
    """Serve lends what each claim shows from one rebuild to the next; the claims that are gone
    are dropped before they outgrow the briefing (a long session would otherwise keep them all)."""
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(corpus), "--entities", "200"],
                   check=True, capture_output=True)
    full = check(corpus)
    earlier = every_page_shows(full)
    one = dataclasses.replace(full, entities=full.entities[:1], overview=())  # the rest of the claims gone
    shows = Shows(one, earlier)
    assert {id(c) for c in one.claims} >= set(shows._claims)
    assert len(Shows(full, earlier)._claims) == len(earlier._claims)  # all still there: all lent


def test_on_a_long_timeline_an_edit_to_a_dated_claim_renders_again_the_page_of_its_period_alone(tmp_path: Path) -> None:
    """As serve updates the pages: what each page of the last briefing shows kept, and lent to
    the pages of the new one whose inputs are the same."""
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(corpus), "--entities", "200"],
                   check=True, capture_output=True)
    old = check(corpus)
    periods = [p for p in render_site(old) if p.startswith("timeline/")]
    assert len(periods) > 2
    dated = next(path for path in _entity_files(corpus)
                 if any("date" in c for c in yaml.safe_load(path.read_text(encoding="utf-8")).get("claims", [])))
    # an entity that no claim of the period links to, for the claim to link to
    claim = next(c for c in old.entity[dated.stem].claims if c.date)
    period = next(p for p in timeline_periods(old.timeline) if any(c is claim for _, _, c in p.rows))
    other = next(e.id for e in old.entities if e.id not in {t for _, _, c in period.rows for t in c.links})
    depends = OfLast()
    depends.keep(old, every_page_shows(old))
    pages = render_site(old)

    def reword(text: str) -> Callable[[dict[str, Any]], None]:
        def edit(data: dict[str, Any]) -> None:
            claim = next(c for c in data["claims"] if "date" in c)
            claim["text"] += text
        return edit

    for words in (" Again.", f" With [[{other}]]."):  # the claim's words; then what it links to too
        _edit_yaml(dated, reword(words))
        new = check(corpus)
        pages, rendered = update_site(old, pages, new, depends=depends)
        assert pages == render_site(new)
        kept, fresh = depends.get(new), Shows(new)
        assert all(kept.page(page) == fresh.page(page) for page in listed(new))
        if words == " Again.":
            # the page of the claim's period, not those of the entity's other dated claims, nor the others
            holds = {p.path for p in timeline_periods(new.timeline) if any(c.plain.endswith(" Again.") for _, _, c in p.rows)}
            assert {p for p in rendered if p.startswith("timeline/")} == holds and len(holds) == 1
        old = new


@pytest.mark.parametrize("drawn_one", [False, True])
def test_an_edit_to_a_connection_the_graph_leaves_out_does_not_render_the_graph_again(tmp_path: Path,
                                                                                      drawn_one: bool) -> None:
    """The whole graph draws the most connected entities: a claim between two it leaves out is not
    on it, one between two it draws is."""
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(corpus), "--entities", "200"],
                   check=True, capture_output=True)
    old = check(corpus)
    chosen, _, total = drawn(old)
    assert total > len(chosen)  # the graph leaves entities out

    def line(claim: Claim) -> str:
        return (corpus / old.entity[str(claim.holder)].file).read_text(encoding="utf-8").splitlines()[claim.line - 1]

    claim = next(c for e in old.edges if (e.a in chosen) == (e.b in chosen) == drawn_one
                 for c in e.claims if line(c).startswith("- text: ") and line(c)[8:9].isalpha())
    path = corpus / old.entity[str(claim.holder)].file
    # reworded where it stands, as an editor would: the other claims keep their lines
    edited = line(claim).replace("- text: ", "- text: As reported, ")
    path.write_text(path.read_text(encoding="utf-8").replace(line(claim), edited), encoding="utf-8")
    new = check(corpus)
    pages, rendered = update_site(old, render_site(old), new)
    assert pages == render_site(new)
    assert ("graph.md" in rendered) == drawn_one


def test_the_briefing_title_shown_in_entity_descriptions_is_never_stale(tmp_path: Path) -> None:
    """An entity without a description is described by the briefing's title."""
    root = tmp_path / "corpus"
    shutil.copytree(HARBOR, root)
    EDITS["an entity loses its description"](root, 0)
    old = check(root)
    EDITS["the briefing is retitled"](root, 0)
    new = check(root)
    pages, rendered = update_site(old, render_site(old), new)
    page = _entity_files(root)[0]
    path = f"{page.parent.name}/{page.stem}.md"
    assert path in rendered
    assert "Another title" in pages[path]
    described = [e.page for e in new.entities if e.description]
    assert described and not set(described) & rendered  # a page that does not show the title is kept


@pytest.mark.parametrize("edit", ["changed", "added", "deleted"])
def test_serve_after_a_template_edit_shows_what_a_clean_build_shows(tmp_path: Path, edit: str) -> None:
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    root = tmp_path / "corpus"
    shutil.copytree(HARBOR, root)
    templates = tmp_path / "templates"
    templates.mkdir()
    shutil.copy(template_dir() / "how-to-read.md.j2", templates / "how-to-read.md.j2")
    config = site_config(root, tmp_path / "cfg")
    config.write_text(config.read_text(encoding="utf-8").replace(
        f"corpus: {root}", f"corpus: {root}\n      templates: {templates}"), encoding="utf-8")
    _rebuild(config)
    own = templates / "how-to-read.md.j2"
    if edit == "changed":
        _touch(own, own.read_text(encoding="utf-8").replace("How to read", "Reading this briefing", 1))
    elif edit == "added":
        _touch(templates / "disputes.md.j2",
               (template_dir() / "disputes.md.j2").read_text(encoding="utf-8") + "\nDisputes end here.\n")
    else:
        own.unlink()
    plugin = _rebuild(config)
    assert plugin.pages == build(root, templates, history=True)
    if edit == "changed":
        assert "Reading this briefing" in plugin.pages["how-to-read.md"]
    elif edit == "added":
        assert "Disputes end here." in plugin.pages["disputes.md"]


def test_an_edit_that_changes_nothing_renders_nothing(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(HARBOR, root)
    old = check(root)
    site, rendered = update_site(old, render_site(old), check(root))
    assert rendered == set() and site == render_site(old)


def test_a_new_kind_of_page_is_a_spec_and_a_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rendering and the incremental rebuild read the specs alone: a spec of one page per source
    that shows the source's title is rendered, and rendered again when the title changes."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "card.md.j2").write_text("# {{ source.title }}\n", encoding="utf-8")
    card = PageSpec("card", "card.md.j2", lambda b: [(f"cards/{s.id}.md", s) for s in b.sources],
                    lambda page, s: {"source": s}, lambda b, s: frozenset({s.id}))
    monkeypatch.setattr(pages, "SPECS", (*pages.SPECS, card))
    root = tmp_path / "corpus"
    shutil.copytree(HARBOR, root)
    old = check(root)
    first = old.sources[0]
    site = render_site(old, templates)
    assert site[f"cards/{first.id}.md"] == f"# {first.title}\n"
    EDITS["a source is retitled"](root, 0)
    new = check(root)
    site, rendered = update_site(old, site, new, templates)
    assert site == render_site(new, templates)
    assert f"cards/{first.id}.md" in rendered
    assert not {f"cards/{s.id}.md" for s in new.sources[1:]} & rendered


def test_a_page_whose_citations_link_through_a_via_follows_the_page_the_via_links_to(tmp_path: Path) -> None:
    """A via's link is no edge, yet it shows the linked entity's page: moved, every citation follows."""
    root = tmp_path / "corpus"
    shutil.copytree(SPILL, root)
    old = check(root)
    (root / "facts" / "people" / "dara-venn.yaml").rename(root / "facts" / "organizations" / "dara-venn.yaml")
    new = check(root)
    pages, rendered = update_site(old, render_site(old), new)
    assert pages == render_site(new)
    # the council's claim links Dara Venn only in a via
    assert "organizations/alder-county-council.md" in rendered
    assert "../organizations/dara-venn.md" in pages["organizations/alder-county-council.md"]


def test_a_value_kept_for_the_last_objects_is_given_back_for_the_same_object_and_options_only() -> None:
    calls: list[tuple[object, int]] = []

    @of_the_last(2)
    def made(of: object, limit: int = 1) -> tuple[object, int]:
        calls.append((of, limit))
        return of, limit

    a, b, equal_to_a = [1], [2], [1]
    assert made(a) == made(a) == (a, 1) and made(b) == (b, 1) and made(a) == (a, 1)
    assert len(calls) == 2
    made(equal_to_a)  # equal, but another object: a is now the third from last
    assert made(a) == (a, 1) and made(a, 2) == (a, 2)
    assert calls == [(a, 1), (b, 1), (equal_to_a, 1), (a, 1), (a, 2)]
