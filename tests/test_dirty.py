"""`mkdocs serve --dirty`: after an edit only the pages whose Markdown changed are built again,
and the served site is, byte for byte, what a clean `mkdocs build` of the edited corpus gives:
every page, the search index, the sitemap, no file of a page that is gone.

The rebuilds run in this process as serve runs them (one on_startup, then a build per edit, the
config loaded afresh each time); the clean builds run `mkdocs build` as a user does.
"""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import jinja2
import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from briefgen.plugin import BriefgenPlugin
from briefgen.speed import runner
from briefgen.speed.loopahead import LoopAhead
from briefgen.speed.templates import CompiledTemplates

from .conftest import WriteCorpus
from .site import mkdocs_build as clean_build
from .site import site_config
from .test_serve import _touch


class Served:
    """A site served with ``--dirty``, rebuilt after each edit."""

    def __init__(self, config: Path) -> None:
        self.config = config
        self.site = config.parent / "served"
        loaded = load_config(str(config), site_dir=str(self.site))
        self.plugin = loaded.plugins["briefgen"]
        assert isinstance(self.plugin, BriefgenPlugin)
        loaded.plugins.on_startup(command="serve", dirty=True)
        self.rebuild()

    def rebuild(self) -> set[str]:
        """A rebuild after an edit; the generated pages it built again."""
        config = load_config(str(self.config), site_dir=str(self.site))
        mkdocs_build(config, serve_url=config.site_url, dirty=True)
        assert self.plugin.dirty is not None
        return set(self.plugin.pages) - self.plugin.dirty.skipped

    def matches_a_clean_build(self, tmp_path: Path) -> None:
        clean = tmp_path / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        run = clean_build(self.config, clean)
        assert run.returncode == 0, run.stderr
        served, built = _tree(self.site), _tree(clean)
        assert sorted(served) == sorted(built)
        assert [path for path in built if served[path] != built[path]] == []


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _served_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same URL and date for the served site and the clean builds (the sitemap prints both)."""
    monkeypatch.setenv("SITE_URL", "http://127.0.0.1:8000/")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


@pytest.fixture
def served(write_corpus: WriteCorpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Served]:
    _served_env(monkeypatch)
    config = site_config(write_corpus(), tmp_path / "cfg")
    (config.parent / "docs" / "notes.md").write_text("# Notes\n\nSee [Paris](places/paris.md).\n", encoding="utf-8")
    served = Served(config)
    yield served
    served.plugin.on_shutdown()
    assert isinstance(load_config(str(config)).plugins["briefgen"], BriefgenPlugin)


def test_an_edit_builds_only_the_pages_it_changed_and_the_site_is_a_clean_builds(
        served: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = served.config.parent.parent / "corpus"
    served.matches_a_clean_build(tmp_path)
    rendered: list[str | None] = []
    render = jinja2.Template.render

    def recorded(template: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        rendered.append(template.name)
        return render(template, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", recorded)
    _touch(corpus / "facts" / "places" / "paris.yaml", "name: Paris\ndescription: Capital of France\n")
    built = served.rebuild()
    assert "404.html" not in rendered and "sitemap.xml" in rendered  # the 404 page shows no page's content
    # Paris and the places listing; not Alice, whose claim links Paris by name, nor Bob, the event
    # or the source
    assert {"places/paris.md", "places/index.md"} <= built
    assert not built & {"people/alice-smith.md", "people/bob-jones.md", "events/paris-meeting.md", "sources/wire-1.md"}
    assert not served.plugin.rendered & {"people/alice-smith.md", "sources/wire-1.md"}
    assert "Capital of France" in (served.site / "places" / "paris" / "index.html").read_text(encoding="utf-8")
    served.matches_a_clean_build(tmp_path)


def test_a_first_build_shared_out_and_built_ahead_then_an_edit_give_the_clean_build(
        write_corpus: WriteCorpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Serve's first build renders and builds its pages ahead in forked processes, as `mkdocs
    build` does; its rebuilds, in one process, keep what it made of the pages an edit leaves alone."""
    monkeypatch.setattr(runner, "PARALLEL_FROM", 1)  # as if the corpus were large
    _served_env(monkeypatch)
    built: list[str] = []
    build_ahead = LoopAhead.build

    def building(self: LoopAhead, pages: Sequence[Page], *args: Any) -> None:
        build_ahead(self, pages, *args)
        built.extend(page.file.src_uri for page in pages)

    monkeypatch.setattr(LoopAhead, "build", building)
    corpus = write_corpus()
    served = Served(site_config(corpus, tmp_path / "cfg"))
    try:
        assert "places/paris.md" in built and "people/alice-smith.md" in built
        served.matches_a_clean_build(tmp_path)
        built.clear()
        _touch(corpus / "facts" / "places" / "paris.yaml", "name: Paris\ndescription: Capital of France\n")
        assert served.rebuild() and built == []  # the rebuild, in one process, builds in MkDocs's loop
        served.matches_a_clean_build(tmp_path)
    finally:
        served.plugin.on_shutdown()


def test_a_page_rendered_again_to_the_same_markdown_is_not_built_again(served: Served, tmp_path: Path) -> None:
    alice = served.config.parent.parent / "corpus" / "facts" / "people" / "alice-smith.yaml"
    # a comment moves her claim a line down: the pages that show it are rendered again, the same
    _touch(alice, "# met in May\n" + alice.read_text(encoding="utf-8"))
    built = served.rebuild()
    assert {"places/paris.md", "sources/wire-1.md"} <= served.plugin.rendered
    assert not built & {"places/paris.md", "sources/wire-1.md"}
    served.matches_a_clean_build(tmp_path)


def test_a_deleted_entity_leaves_no_page_behind(served: Served, tmp_path: Path) -> None:
    (served.config.parent.parent / "corpus" / "facts" / "events" / "paris-meeting.yaml").unlink()
    served.rebuild()
    assert not (served.site / "events" / "paris-meeting").exists()
    served.matches_a_clean_build(tmp_path)


def test_an_added_entity_and_an_edited_article_are_served_as_built(served: Served, tmp_path: Path) -> None:
    corpus = served.config.parent.parent / "corpus"
    _touch(corpus / "facts" / "places" / "lyon.yaml", "name: Lyon\ndescription: A city\n")
    assert "places/lyon.md" in served.rebuild()
    served.matches_a_clean_build(tmp_path)
    article = corpus / "articles" / "wire-1.txt"
    _touch(article, article.read_text(encoding="utf-8") + "\nA later paragraph about Lyon.\n")
    assert "sources/wire-1.md" in served.rebuild()
    served.matches_a_clean_build(tmp_path)


def test_what_every_page_shows_builds_every_page_again(served: Served, tmp_path: Path) -> None:
    corpus = served.config.parent.parent / "corpus"
    _touch(corpus / "briefing.yaml", "title: Another title\n")  # the site's name, in every page's header
    assert served.rebuild() == set(served.plugin.pages)
    served.matches_a_clean_build(tmp_path)
    _touch(served.config, served.config.read_text(encoding="utf-8") + "copyright: The desk\n")  # in every footer
    assert served.rebuild() == set(served.plugin.pages)
    served.matches_a_clean_build(tmp_path)
    paris = corpus / "facts" / "places" / "paris.yaml"
    good = paris.read_text(encoding="utf-8")
    _touch(paris, "nme: Paris\n")  # a problem: its banner on every page
    assert served.rebuild() == set(served.plugin.pages)
    assert "bg-problems" in (served.site / "people" / "bob-jones" / "index.html").read_text(encoding="utf-8")
    _touch(paris, good)
    served.rebuild()
    served.matches_a_clean_build(tmp_path)


def test_a_hand_written_page_is_built_again_at_every_rebuild(served: Served, tmp_path: Path) -> None:
    notes = served.config.parent / "docs" / "notes.md"
    _touch(notes, "# Notes\n\nSee [Bob](people/bob-jones.md).\n")
    served.rebuild()
    assert "bob-jones" in (served.site / "notes" / "index.html").read_text(encoding="utf-8")
    served.matches_a_clean_build(tmp_path)


def test_a_failed_rebuild_is_not_kept(served: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert served.plugin.dirty is not None and served.plugin.dirty.kept is not None
    served.plugin.on_build_error(error=RuntimeError("a later plugin failed"))
    assert served.rebuild() == set(served.plugin.pages)
    served.matches_a_clean_build(tmp_path)
    assert os.listdir(served.site)


def test_a_rebuild_compiles_again_only_the_templates_that_were_edited(served: Served, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    compile_ = jinja2.Environment._compile

    def counted(env: jinja2.Environment, source: str, filename: str) -> Any:
        compiled.append(filename)
        return compile_(env, source, filename)

    monkeypatch.setattr(jinja2.Environment, "_compile", counted)
    loaded: list[str] = []
    load = jinja2.BaseLoader.load

    def counted_load(loader: jinja2.BaseLoader, env: jinja2.Environment, name: str, *args: Any) -> Any:
        loaded.append(name)
        return load(loader, env, name, *args)

    monkeypatch.setattr(jinja2.BaseLoader, "load", counted_load)
    served.rebuild()
    # the theme's templates, compiled at the first build, are not compiled again, nor the language
    # strings that Material's search plugin reads; nor loaded again: the theme's environment is kept
    assert compiled == [] and loaded == []
    overrides = served.config.parent / "overrides"
    overrides.mkdir()
    main = overrides / "main.html"
    main.write_text('{% extends "base.html" %}{% block footer %}<p>Footer one</p>{% endblock %}', encoding="utf-8")
    _touch(served.config, served.config.read_text(encoding="utf-8").replace("theme:\n", "theme:\n  custom_dir: overrides\n"))
    served.rebuild()
    _touch(main, main.read_text(encoding="utf-8").replace("one", "two"))
    compiled.clear()
    served.rebuild()
    assert [Path(name).name for name in compiled] == ["main.html"]
    page = (served.site / "people" / "bob-jones" / "index.html").read_text(encoding="utf-8")
    assert "Footer two" in page and "Footer one" not in page
    # a template added there takes the place of the installed theme's, which the last build loaded
    (overrides / "partials").mkdir()
    (overrides / "partials" / "header.html").write_text("<header>Header of our own</header>", encoding="utf-8")
    served.rebuild()
    assert "Header of our own" in (served.site / "people" / "bob-jones" / "index.html").read_text(encoding="utf-8")
    # a file added to the theme's folder in the project is copied at the next rebuild (the files
    # of the installed theme are listed once)
    (overrides / "extra.txt").write_text("an extra file\n", encoding="utf-8")
    served.rebuild()
    assert (served.site / "extra.txt").read_text(encoding="utf-8") == "an extra file\n"
    served.matches_a_clean_build(tmp_path)


def test_the_theme_files_a_build_copies_are_the_same_listed_once(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ntheme:\n  name: material\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    plain = config.theme.get_env()
    CompiledTemplates().theme(config.theme)
    listed = config.theme.get_env()

    def copied(env: jinja2.Environment) -> list[str]:
        files = Files([])
        files.add_files_from_theme(env, config)
        return [f.src_uri for f in files]

    assert copied(listed) == copied(plain)
    assert any(uri.startswith("assets/javascripts/") for uri in copied(plain))
    assert len(listed.list_templates()) < len(plain.list_templates()) / 2  # the icons are not listed


def test_the_theme_gives_every_build_one_environment_only_where_no_plugin_may_change_it(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "overrides").mkdir()
    compiled = CompiledTemplates()

    def env_of_a_build(reuse: bool, locale: str = "en") -> jinja2.Environment:
        text = f"site_name: x\ntheme:\n  name: material\n  custom_dir: overrides\n  locale: {locale}\n"
        (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
        config = load_config(str(tmp_path / "mkdocs.yml"))
        compiled.theme(config.theme, reuse=reuse)
        return config.theme.get_env()

    assert env_of_a_build(False) is not env_of_a_build(False)  # a plugin may change what it is given
    kept = env_of_a_build(True)
    assert env_of_a_build(True) is kept
    assert env_of_a_build(True, "fr") is not kept  # another locale (its translations), another environment
    kept = env_of_a_build(True)
    (tmp_path / "overrides" / "main.html").write_text('{% extends "base.html" %}', encoding="utf-8")
    assert env_of_a_build(True) is not kept  # a template of the theme's own folder added (or saved)


@pytest.mark.parametrize("options", [{}, {"trim_blocks": True}])
def test_compiled_templates_are_kept_apart_by_what_compiling_reads_of_their_environment(options: dict[str, Any]) -> None:
    cache = CompiledTemplates()
    source = {"t.html": "{% if x %}\nA{% endif %}|{{ y }}"}
    first = jinja2.Environment(loader=jinja2.DictLoader(source))
    assert cache.attach(first)
    first.get_template("t.html").render(x=True, y=1)
    again = jinja2.Environment(loader=jinja2.DictLoader(source), **options)
    assert cache.attach(again)
    fresh = jinja2.Environment(loader=jinja2.DictLoader(source), **options)
    assert again.get_template("t.html").render(x=True, y=2) == fresh.get_template("t.html").render(x=True, y=2)
    assert not cache.attach(jinja2.Environment(autoescape=jinja2.select_autoescape()))  # a function: not told apart


def test_under_serve_the_collector_runs_between_rebuilds_not_during_them(served: Served,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    collector = served.plugin.collector
    assert collector is not None
    if collector.timer is not None:
        collector.timer.join(timeout=60)  # the collection after the first build, done
    collector.delay = 0  # serve is idle as soon as a build ends
    runs: list[int] = []
    during: list[int] = []
    later = collector.later

    def built() -> None:  # the build's end: what ran while it built, then the idle collection
        during.extend(runs)
        later()

    def counted(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            runs.append(info["generation"])

    monkeypatch.setattr(collector, "later", built)
    gc.callbacks.append(counted)
    try:
        _touch(served.config.parent.parent / "corpus" / "facts" / "places" / "paris.yaml",
               "name: Paris\ndescription: Capital of France\n")
        served.rebuild()
        assert collector.timer is not None
        collector.timer.join(timeout=60)
    finally:
        gc.callbacks.remove(counted)
    assert during == [] and 2 in runs  # none while it built; a full collection once it was done
    served.plugin.on_shutdown()
    assert gc.isenabled()  # serve stopped: the collector runs by itself again
