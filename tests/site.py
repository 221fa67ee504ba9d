"""Helpers that build real sites with the real MkDocs, for the end-to-end tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag

ROOT = Path(__file__).resolve().parent.parent


def site_config(corpus: Path, folder: Path, *, site_name: str | None = None) -> Path:
    """A mkdocs.yml in folder, like the project's own, for another corpus; its site named by the
    corpus unless ``site_name`` is given."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "docs").mkdir(exist_ok=True)
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("corpus: seeds", f"corpus: {corpus}")
    if site_name is not None:
        text = "\n".join(f"site_name: {site_name}" if line.startswith("site_name:") else line for line in text.splitlines())
    config = folder / "mkdocs.yml"
    config.write_text(text + "\n", encoding="utf-8")
    return config


def mkdocs_build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build --strict` as a user would."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
        capture_output=True, text=True, env=env, check=False,
    )


def html_of(site: Path, page: str) -> BeautifulSoup:
    """The parsed HTML of a built page, by its URL path ('people/x/')."""
    return BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "html.parser")


LD_JSON = "application/ld+json"


def json_ld(soup: BeautifulSoup) -> list[Any]:
    """The JSON-LD of a page, parsed: every script element of type application/ld+json.

    Each must be in <head>, have no attribute but its type, and hold one JSON object.
    """
    found = []
    for script in soup.find_all("script", attrs={"type": LD_JSON}):
        assert script.attrs == {"type": LD_JSON} and script.find_parent("head") is not None, script
        data = json.loads(script.string or "")
        assert isinstance(data, dict), script
        found.append(data)
    return found


def code_scripts(soup: BeautifulSoup) -> list[Tag]:
    """A page's script elements other than JSON-LD data: the ones a browser runs."""
    return [s for s in soup.find_all("script") if s.get("type") != LD_JSON]


def zensical_command() -> str | None:
    """Zensical's command, which the test extra installs; None (a skip, a failure in CI) without it."""
    found = shutil.which("zensical", path=str(Path(sys.executable).parent)) or shutil.which("zensical")
    if found is None and os.environ.get("CI"):
        pytest.fail("zensical is not installed: pip install -e '.[test]'")
    return found
