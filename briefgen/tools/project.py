"""Projects: a new briefing's folder (`briefgen init`), and the portable folder of a built one
(`briefgen build --out`) that MkDocs and Zensical build as it is, without the plugin."""

from __future__ import annotations

import html
import os
import shutil
import tempfile
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..kinds import KINDS
from ..model import Briefing
from ..site.changes import FEED
from ..site.jsonld import entity_data, script
from ..site.pages import SECTION_PAGES
from ..text.escape import fold
from .scaffold import yaml_scalar

__all__ = ["ASSETS", "ASSET_DIR", "ProjectError", "init_project", "portable_config", "portable_files", "skeleton"]

# Static files the pages need, and the folder of the site they are served from.
ASSETS = ("briefgen.css", "briefgen.js")
ASSET_DIR = "assets/briefgen"
OVERRIDES = "overrides"
# The theme override of a portable folder with a feed: its link in every page's head, as the plugin
# puts it there (the site's name is escaped in mkdocs.yml, and both themes print it as it is).
FEED_OVERRIDE = """{% extends "base.html" %}
{% block extrahead %}{{ super() }}<link rel="alternate" type="application/atom+xml" \
title="{{ config.site_name }}: changes" href="{{ 'feed.xml' | url }}">{% endblock %}
"""
CORPUS = "seeds"  # the folder a new project's corpus is in: the plugin's and the command line's default

GITIGNORE = """\
# What a build or an install writes: never commit it.
/site/
/.venv/
__pycache__/
"""

SOURCES = """\
# One record per archived article; `briefgen new source PAGE.html` adds one. For example:
# - id: voa-2016-03-25
#   file: articles/voa-2016-03-25.txt
#   title: U.S. forces kill Islamic State finance minister
#   outlet: VOA
#   published: 2016-03-25
[]
"""

BRIEFING = """\
title: {title}
# The home page's lead: claims, each with its cite, as in the entity files. For example:
# - text: "[[some-person]] said the port would reopen on Monday."
#   cite: {{source: SOURCE-ID, quote: "verbatim words from the article"}}
overview: []
"""


class ProjectError(Exception):
    """The project cannot be written: the message says why and what to do."""


def skeleton(name: str) -> str:
    """A file of the project skeleton that ships with briefgen (mkdocs.yml, site.yml)."""
    return resources.files("briefgen.skeleton").joinpath(name).read_text(encoding="utf-8")


def asset(name: str) -> str:
    """One of briefgen's static files (its CSS and JavaScript)."""
    return resources.files("briefgen.assets").joinpath(name).read_text(encoding="utf-8")


def init_project(folder: Path, title: str) -> list[str]:
    """Write a new briefing project into folder, which must be new or empty; all or nothing.

    The project builds at once (`mkdocs build --strict`), before its first source: a mkdocs.yml
    whose site the briefing's title names, the corpus folder, the GitHub Pages workflow and a
    .gitignore. Returns the paths written, relative to folder.
    """
    title = fold(title)
    if not title:
        raise ProjectError("the title is empty; give the briefing's subject with --title")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ProjectError(f"{folder} is not an empty folder; give a new or empty one, so that nothing is overwritten")
    files = {
        "mkdocs.yml": skeleton("mkdocs.yml"),
        ".github/workflows/site.yml": skeleton("site.yml"),
        ".gitignore": GITIGNORE,
        "docs/.gitkeep": "",
        f"{CORPUS}/sources.yaml": SOURCES,
        f"{CORPUS}/briefing.yaml": BRIEFING.format(title=yaml_scalar(title)),
        f"{CORPUS}/articles/.gitkeep": "",
        **{f"{CORPUS}/facts/{kind.folder}/.gitkeep": "" for kind in KINDS},
    }
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    except OSError as e:
        raise ProjectError(f"cannot create {folder}: {e.strerror} ({e.filename})") from None
    try:
        for rel, text in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        if folder.exists():
            folder.rmdir()  # empty, as checked: the staged project takes its place
        os.replace(staging, folder)
    except OSError as e:
        raise ProjectError(f"cannot write {folder}: {e.strerror} ({e.filename})") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return sorted(files)


# -- the portable folder ---------------------------------------------------------------------

class _Env:
    """An ``!ENV [NAME, default]`` value of mkdocs.yml, kept as written."""

    def __init__(self, value: list[Any]) -> None:
        self.value = value


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


_Loader.add_constructor("!ENV", lambda loader, node: _Env(loader.construct_sequence(node)))  # type: ignore[arg-type]
_Dumper.add_representer(_Env, lambda dumper, env: dumper.represent_sequence("!ENV", env.value, flow_style=True))
_Dumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def portable_config(title: str, feed: bool = False) -> str:
    """The mkdocs.yml of a portable folder: the shipped one without the briefgen plugin, and
    with what the plugin adds at build time written out (the site's name, the CSS and the
    JavaScript, and with a feed, the theme override that links it). Material's offline plugin
    is left out: it is MkDocs's, not Zensical's."""
    config = yaml.load(skeleton("mkdocs.yml"), Loader=_Loader)  # a SafeLoader that keeps !ENV
    config["site_name"] = html.escape(title, quote=True)  # MkDocs's Material and Zensical print it as it is
    config["plugins"] = [p for p in config["plugins"] if p == "search"]
    config["extra_css"] = [f"{ASSET_DIR}/{name}" for name in ASSETS if name.endswith(".css")]
    config["extra_javascript"] = [f"{ASSET_DIR}/{name}" for name in ASSETS if name.endswith(".js")]
    if feed:
        config["theme"]["custom_dir"] = OVERRIDES
    # The plugin sets the nav of the section pages and leaves the others out of it; here the nav
    # is written out, and MkDocs's own option leaves the others out.
    config["nav"] = [{title: path} for title, path in SECTION_PAGES]
    sections = [path for _, path in SECTION_PAGES]
    config["not_in_nav"] = "".join([*(f"/{folder}/*.md\n" for folder in (*(k.folder for k in KINDS), "sources")),
                                    *(f"!/{path}\n" for path in sections)])
    head = ("# A briefing's pages as plain Markdown, written by `briefgen build --out`: MkDocs\n"
            "# (`mkdocs build`) and Zensical (`zensical build`) build this folder as it is.\n")
    return head + yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def portable_files(briefing: Briefing, pages: Mapping[str, str]) -> dict[str, str]:
    """Every file of the portable folder, by its path there: mkdocs.yml, the pages under docs/,
    briefgen's assets, and each entity page's JSON-LD as a script at the page's end (where the
    plugin puts it into the page's head, which Markdown cannot reach)."""
    entities = {e.page: e for e in briefing.entities}
    files = {"mkdocs.yml": portable_config(briefing.title, FEED in pages)}
    if FEED in pages:
        # Markdown cannot reach a page's head: a theme override links the feed there.
        files[f"{OVERRIDES}/main.html"] = FEED_OVERRIDE
    for path, text in pages.items():
        entity = entities.get(path)
        files[f"docs/{path}"] = text if entity is None else f"{text}\n{script(entity_data(entity))}\n"
    for name in ASSETS:
        files[f"docs/{ASSET_DIR}/{name}"] = asset(name)
    return files
