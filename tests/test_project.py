"""A briefing of one's own: `briefgen init` starts a project that builds at once, and
`briefgen build --out` writes a folder that MkDocs and Zensical build without the plugin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from briefgen import check
from briefgen.tools.cli import main
from briefgen.tools.project import skeleton

from .conftest import ARTICLE, ROOT, WriteCorpus
from .site import html_of, mkdocs_build, zensical_command

TITLE = "The Lakeside ferry strike"


def _mkdocs(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` run in a project's folder, as its curator runs it."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", *args], cwd=folder, env=env,
                          capture_output=True, text=True, check=False)


def _titles(site: Path) -> set[str]:
    found = set()
    for page in site.rglob("index.html"):
        title = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").title
        assert title is not None and title.string is not None
        found.add(title.string)
    return found


def _json_ld(page: BeautifulSoup) -> dict[str, Any]:
    """The one JSON-LD script of a page, wherever it stands."""
    scripts = page.find_all("script", attrs={"type": "application/ld+json"})
    assert len(scripts) == 1
    data: dict[str, Any] = json.loads(scripts[0].string or "")
    return data


def test_init_makes_a_project_that_builds_at_once_named_by_its_briefing(tmp_path: Path) -> None:
    project = tmp_path / "ferry"
    assert main(["init", str(project), "--title", TITLE]) == 0
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()) == [
        ".github/workflows/site.yml", ".gitignore", "docs/.gitkeep", "mkdocs.yml",
        "seeds/articles/.gitkeep", "seeds/briefing.yaml",
        "seeds/facts/events/.gitkeep", "seeds/facts/organizations/.gitkeep", "seeds/facts/people/.gitkeep",
        "seeds/facts/places/.gitkeep", "seeds/sources.yaml",
    ]
    result = _mkdocs(project)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    titles = _titles(project / "site")
    assert all(t.endswith(TITLE) for t in titles), titles
    built = " ".join(p.read_text(encoding="utf-8") for p in (project / "site").rglob("*.html"))
    assert "Qaduli" not in built and "briefgen \u2014" not in built


def test_a_new_project_builds_after_its_first_source_and_entity(tmp_path: Path) -> None:
    project = tmp_path / "ferry"
    assert main(["init", str(project), "--title", TITLE]) == 0
    article = tmp_path / "wire-1.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    os.chdir(project)  # as a curator works: the corpus is found as ./seeds
    try:
        assert main(["new", "source", str(article)]) == 0
        assert main(["new", "person", "Alice Smith"]) == 0
    finally:
        os.chdir(ROOT)
    source = check(project / "seeds").sources[0].id
    person = project / "seeds" / "facts" / "people" / "alice-smith.yaml"
    person.write_text(person.read_text(encoding="utf-8") + textwrap.dedent(f"""\
        claims:
          - text: Met Bob Jones in Paris.
            cite: {{source: {source}, quote: "Alice Smith met Bob Jones in Paris"}}
        """), encoding="utf-8")
    result = _mkdocs(project)
    assert result.returncode == 0, result.stderr
    page = html_of(project / "site", "people/alice-smith")
    assert page.title is not None and page.title.string == f"Alice Smith - {TITLE}"
    assert page.select_one(f'a[href*="sources/{source}/#q-"]') is not None


@pytest.mark.parametrize("present", ["a file", "a hidden file", "a folder"])
def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path, present: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "ferry"
    project.mkdir()
    if present == "a folder":
        (project / "notes").mkdir()
    else:
        (project / (".env" if present == "a hidden file" else "mkdocs.yml")).write_text("mine", encoding="utf-8")
    before = sorted(p.name for p in project.iterdir())
    assert main(["init", str(project), "--title", TITLE]) == 3
    assert f"{project} is not an empty folder" in capsys.readouterr().err
    assert sorted(p.name for p in project.iterdir()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ferry"]  # nothing staged is left


def test_init_into_an_empty_folder_or_a_new_path(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["init", str(tmp_path / "empty"), "--title", TITLE]) == 0
    assert main(["init", str(tmp_path / "a" / "b"), "--title", TITLE]) == 0
    for project in (tmp_path / "empty", tmp_path / "a" / "b"):
        assert check(project / "seeds").title == TITLE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "empty"]


def test_init_title_is_written_as_safe_yaml(tmp_path: Path) -> None:
    title = 'Strike: "day one" # of many'
    assert main(["init", str(tmp_path / "p"), "--title", title]) == 0
    assert check(tmp_path / "p" / "seeds").title == title


def test_init_needs_a_title(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "p"), "--title", "  "]) == 3
    assert "the title is empty" in capsys.readouterr().err
    assert not (tmp_path / "p").exists()


def test_this_repository_is_a_project_like_the_ones_init_makes() -> None:
    """The shipped mkdocs.yml and workflow are the skeleton's, so the two cannot drift apart."""
    assert (ROOT / "mkdocs.yml").read_text(encoding="utf-8") == skeleton("mkdocs.yml")
    ours = (ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8")
    assert ours == skeleton("site.yml").replace("pip install briefgen\n", "pip install .\n")


# -- the portable folder ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def portable(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(corpus, folder): `briefgen build --out` of a generated corpus nobody here curated."""
    tmp = tmp_path_factory.mktemp("portable")
    corpus = tmp / "corpus"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(corpus), "--entities", "40",
                    "--seed", "11"], check=True, capture_output=True)
    assert main(["build", str(corpus), "--out", str(tmp / "out")]) == 0
    return corpus, tmp / "out"


def test_the_portable_folder_builds_with_mkdocs_alone_like_the_plugins_site(portable: tuple[Path, Path]) -> None:
    corpus, out = portable
    config = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    assert config["plugins"] == ["search"]  # no briefgen plugin: nothing but plain Markdown pages
    assert config["extra_css"] == ["assets/briefgen/briefgen.css"]
    site = out / "mkdocs-site"
    result = mkdocs_build(out / "mkdocs.yml", site)
    assert result.returncode == 0, result.stderr
    briefing = check(corpus)
    assert _titles(site) and all(t.endswith(briefing.title) for t in _titles(site))
    entity = briefing.entities[0]
    page = html_of(site, entity.page.removesuffix(".md"))
    assert {s["href"].rsplit("/", 1)[-1] for s in page.select("link[rel=stylesheet]")} >= {"briefgen.css"}
    assert _json_ld(page)["name"] == entity.name  # in the page, not the head: it survives a plain build
    source = html_of(site, briefing.sources[0].page.removesuffix(".md"))
    assert source.select("article mark.bg-quote")


@pytest.fixture(scope="module")
def zensical_site(portable: tuple[Path, Path]) -> Path:
    zensical = zensical_command()
    if zensical is None:
        pytest.skip("zensical is not installed: pip install -e '.[test]'")
    _, out = portable
    result = subprocess.run([zensical, "build"], cwd=out, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return out / "site"


def test_the_portable_folder_builds_with_zensical(portable: tuple[Path, Path], zensical_site: Path) -> None:
    corpus, _ = portable
    briefing = check(corpus)
    assert all(t.endswith(briefing.title) for t in _titles(zensical_site))
    for entity in briefing.entities[:5]:
        page = html_of(zensical_site, entity.page.removesuffix(".md"))
        assert any(s["src"].endswith("assets/briefgen/briefgen.js") for s in page.select("script[src]"))
        assert _json_ld(page)["name"] == entity.name
        assert page.select("a.footnote-ref")
    source = html_of(zensical_site, briefing.sources[0].page.removesuffix(".md"))
    anchors = source.select("article span.bg-anchor[id^=q-]")
    assert anchors and all(a.find_next_sibling("mark", class_="bg-quote") is not None for a in anchors)


def test_a_hostile_briefing_title_names_the_portable_site_as_text(write_corpus: WriteCorpus, tmp_path: Path) -> None:
    title = 'Crane <img src=x onerror="window.pwned=1"> & "quotes"'
    root = write_corpus({"briefing.yaml": f"title: {json.dumps(title)}\n"})
    out = tmp_path / "out"
    assert main(["build", str(root), "--out", str(out)]) == 0
    result = mkdocs_build(out / "mkdocs.yml", out / "mkdocs-site")
    assert result.returncode == 0, result.stderr
    sites = [out / "mkdocs-site"]
    zensical = zensical_command()
    if zensical is not None:
        result = subprocess.run([zensical, "build"], cwd=out, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        sites.append(out / "site")
    for site in sites:
        home = html_of(site, "")
        assert not home.select("img[onerror]"), site
        topic = home.select_one(".md-header__topic")
        assert topic is not None and topic.get_text(strip=True) == title, site
