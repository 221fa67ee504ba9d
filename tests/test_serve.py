"""`mkdocs serve`: the plugin keeps its state across rebuilds and redoes only what an edit touches.

MkDocs keeps a plugin instance that defines on_startup across serve's rebuilds, loading the
config afresh each time; these tests do the same with the real config loader and build.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer

from briefgen import build
from briefgen.plugin import BriefgenPlugin
from briefgen.site.markup import template_dir
from briefgen.speed import runner

from .conftest import WriteCorpus
from .site import site_config


def _rebuild(config_file: Path, then: Callable[[], None] | None = None) -> BriefgenPlugin:
    """A serve of its own, started, built and stopped; with ``then``, an edit made after its first
    build and the rebuild that follows it."""
    config = load_config(str(config_file))
    plugin = config.plugins["briefgen"]
    assert isinstance(plugin, BriefgenPlugin)
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        mkdocs_build(config)
        if then is not None:
            then()
            mkdocs_build(load_config(str(config_file)))
    finally:
        config.plugins.on_shutdown()
    return plugin


@pytest.fixture
def served(write_corpus: WriteCorpus, tmp_path: Path) -> tuple[Path, Path, BriefgenPlugin]:
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    corpus = write_corpus()
    config = site_config(corpus, tmp_path / "cfg")
    first = _rebuild(config)
    assert first.rendered == set(build(corpus, history=True))
    return corpus, config, first


def _touch(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a later save, whatever the clock's grain


def test_an_edit_to_one_entity_rereads_that_file_only(served: tuple[Path, Path, BriefgenPlugin]) -> None:
    corpus, config, first = served
    paris = corpus / "facts" / "places" / "paris.yaml"
    _touch(paris, "name: Paris\ndescription: Capital of France\n")
    second = _rebuild(config)
    assert second is first
    assert second.cache.read == [paris]


def test_an_edit_regenerates_only_the_pages_that_show_it(served: tuple[Path, Path, BriefgenPlugin]) -> None:
    corpus, config, _ = served
    _touch(corpus / "facts" / "places" / "paris.yaml", "name: Paris\ndescription: Capital of France\n")
    plugin = _rebuild(config)
    # Paris's page and the listing of places; not Alice's, whose claim links to Paris by name, nor
    # Bob's, the event's, the source's, nor the section pages that show no description (the changes,
    # which show any change, are rendered again)
    assert plugin.rendered == {"places/paris.md", "places/index.md", "changes.md"}
    assert plugin.pages == build(corpus, history=True)


def test_a_new_link_regenerates_the_page_it_points_to(served: tuple[Path, Path, BriefgenPlugin]) -> None:
    corpus, config, _ = served
    _touch(corpus / "facts" / "places" / "paris.yaml",
           "name: Paris\nclaims:\n  - text: Where [[bob-jones]] was.\n    cite: {source: wire-1, quote: in Paris}\n")
    plugin = _rebuild(config)
    assert {"places/paris.md", "people/bob-jones.md", "sources/wire-1.md"} <= plugin.rendered
    assert plugin.pages == build(corpus, history=True)


def test_a_renamed_entity_regenerates_the_source_pages_that_link_names(served: tuple[Path, Path, BriefgenPlugin]) -> None:
    corpus, config, _ = served
    _touch(corpus / "facts" / "places" / "paris.yaml", "name: Paris\naliases: [Monday]\n")
    plugin = _rebuild(config)
    assert "sources/wire-1.md" in plugin.rendered
    assert plugin.pages == build(corpus, history=True)
    assert "[Monday](../places/paris.md)" in plugin.pages["sources/wire-1.md"]


def test_a_deleted_entity_disappears(served: tuple[Path, Path, BriefgenPlugin]) -> None:
    corpus, config, _ = served
    (corpus / "facts" / "events" / "paris-meeting.yaml").unlink()
    plugin = _rebuild(config)
    assert "events/paris-meeting.md" not in plugin.pages
    assert plugin.pages == build(corpus, history=True)


def _site_page(config: Path, url: str) -> str:
    return (config.parent / "site" / url / "index.html").read_text(encoding="utf-8")


def test_an_edit_with_a_problem_keeps_the_last_pages_and_lists_the_problems_on_them(
        served: tuple[Path, Path, BriefgenPlugin], capsys: pytest.CaptureFixture[str]) -> None:
    corpus, config, first = served
    before = dict(first.pages)
    _touch(corpus / "facts" / "places" / "paris.yaml", "nme: Paris\n<script>alert(1)</script>: x\n")
    plugin = _rebuild(config)  # the build goes on: the browser shows what is wrong
    assert "facts/places/paris.yaml:1: unknown key 'nme'" in capsys.readouterr().err
    assert plugin.pages == before
    for url in ("", "people/alice-smith", "places/paris"):
        page = BeautifulSoup(_site_page(config, url), "html.parser")
        banner = page.select_one("article .bg-problems[role=alert]")
        assert banner is not None, url
        items = [li.get_text(" ", strip=True) for li in banner.select("li")]
        assert "facts/places/paris.yaml:1 unknown key 'nme' (did you mean 'name'?)" in items
        assert not banner.select("script") and "<script>alert(1)</script>" in banner.get_text()
    _touch(corpus / "facts" / "places" / "paris.yaml", "name: Paris\n")
    assert _rebuild(config).pages == build(corpus, history=True)
    assert "bg-problems" not in _site_page(config, "places/paris")


def test_a_first_build_with_problems_under_serve_shows_them(write_corpus: WriteCorpus, tmp_path: Path) -> None:
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    corpus = write_corpus({"facts/places/paris.yaml": "nme: Paris\n"})
    config = site_config(corpus, tmp_path / "cfg")
    _rebuild(config)
    assert "unknown key &#x27;nme&#x27;" in _site_page(config, "")
    _touch(corpus / "facts" / "places" / "paris.yaml", "name: Paris\n")
    assert _rebuild(config).pages == build(corpus, history=True)
    assert "bg-problems" not in _site_page(config, "")


def test_a_build_outside_serve_still_fails_on_a_problem(write_corpus: WriteCorpus, tmp_path: Path,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    config = load_config(str(site_config(write_corpus({"facts/places/paris.yaml": "nme: Paris\n"}), tmp_path / "cfg")))
    config.plugins.on_startup(command="build", dirty=False)
    with pytest.raises(Abort):
        mkdocs_build(config)
    assert "facts/places/paris.yaml:1: unknown key 'nme'" in caplog.text


def test_serve_watches_the_corpus_and_the_templates(write_corpus: WriteCorpus, tmp_path: Path) -> None:
    config = load_config(str(site_config(write_corpus(), tmp_path / "cfg")))
    config.plugins.on_startup(command="serve", dirty=False)
    config = config.plugins.on_config(config)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        config.plugins.on_serve(server, config=config, builder=lambda: None)
        watched = set(server._watched_paths)
    finally:
        server.shutdown()
        config.plugins.on_shutdown()
    assert str(tmp_path / "corpus") in watched
    assert str(template_dir()) in watched


def test_serve_forks_only_before_its_server_threads_run(write_corpus: WriteCorpus, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A process forked while others of its threads hold locks may hang. Serve's server starts its
    threads after the first build: that build shares its work out as `mkdocs build` does; every
    rebuild runs in MkDocs's own process, however large the corpus."""
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    monkeypatch.setattr(runner, "PARALLEL_FROM", 1)  # as if the corpus were large
    asked: list[int] = []
    real = runner.forked_map

    def recording(tasks: Any, workers: int, *args: Any, **kwargs: Any) -> Any:
        asked.append(workers)
        return real(tasks, workers, *args, **kwargs)

    monkeypatch.setattr(runner, "forked_map", recording)
    corpus = write_corpus()
    first: list[int] = []

    def edit() -> None:
        first.extend(asked)
        asked.clear()
        _touch(corpus / "facts" / "places" / "paris.yaml", "name: Paris\ndescription: Capital of France\n")

    plugin = _rebuild(site_config(corpus, tmp_path / "cfg"), then=edit)
    # the first build: read, checked, claims and citations made, pages rendered, rendered ahead and
    # built ahead of MkDocs's page loop
    assert len(first) == 6 and (min(first) > 1 or len(os.sched_getaffinity(0)) == 1)
    assert asked == [1, 1]  # the rebuild: the edited file read and checked in this process
    assert plugin.pages == build(corpus, history=True)


def test_a_grade_given_to_a_source_regenerates_every_page_citing_it(served: tuple[Path, Path, BriefgenPlugin]) -> None:
    corpus, config, _ = served
    _touch(corpus / "sources.yaml", "- {id: wire-1, file: articles/wire-1.txt, title: A meeting in Paris, outlet: Wire, "
                                    "published: 2020-05-04, reliability: B, reliability_note: A wire service}\n")
    plugin = _rebuild(config)
    assert {"people/bob-jones.md", "sources/wire-1.md", "sources/index.md"} <= plugin.rendered
    assert plugin.pages == build(corpus, history=True)
    assert 'data-grade="B"' in plugin.pages["people/bob-jones.md"]


def test_an_alias_that_names_a_via_regroups_the_origins_of_another_entitys_claim(
        served: tuple[Path, Path, BriefgenPlugin]) -> None:
    corpus, config, _ = served
    _touch(corpus / "facts" / "people" / "alice-smith.yaml",
           "name: Alice Smith\nclaims:\n  - text: Met [[bob-jones]].\n    cite:\n"
           "      - {source: wire-1, quote: Alice Smith met Bob Jones, via: the city hall}\n"
           "      - {source: wire-1, quote: met Bob Jones in Paris, via: '[[paris]]'}\n")
    assert "1 source, 2 origins" in _rebuild(config).pages["people/alice-smith.md"]
    _touch(corpus / "facts" / "places" / "paris.yaml", "name: Paris\naliases: [{name: The City Hall, link: false}]\n")
    plugin = _rebuild(config)
    assert "people/alice-smith.md" in plugin.rendered
    assert plugin.pages == build(corpus, history=True)
    assert "origins" not in plugin.pages["people/alice-smith.md"]


def test_a_grade_regenerates_the_pages_of_other_sources_whose_claims_cite_it_too(write_corpus: WriteCorpus,
                                                                                 tmp_path: Path) -> None:
    sources = ("- {id: wire-1, file: articles/wire-1.txt, title: A meeting in Paris}\n"
               "- {id: wire-2, file: articles/wire-2.txt, title: The same meeting%s}\n")
    corpus = write_corpus({"sources.yaml": sources % "", "articles/wire-2.txt": "Alice Smith met Bob Jones.\n",
                           "facts/people/alice-smith.yaml": "name: Alice Smith\nclaims:\n  - text: Met Bob.\n    cite:\n"
                           "      - {source: wire-1, quote: Alice Smith met Bob Jones}\n"
                           "      - {source: wire-2, quote: Alice Smith met Bob Jones}\n"})
    config = site_config(corpus, tmp_path / "cfg")
    _rebuild(config)
    _touch(corpus / "sources.yaml", sources % ", reliability: E")
    plugin = _rebuild(config)
    assert "sources/wire-1.md" in plugin.rendered  # its claim's other citation now shows wire-2's grade
    assert plugin.pages == build(corpus, history=True)
