"""The folder `briefgen build --out` writes, built by Zensical (which runs no plugin), as a reader
sees it: briefgen's styles apply, and a citation leads to its highlighted passage. The corpus
is a generated one, which nobody here curated."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from briefgen import check
from briefgen.tools.cli import main

from ..conftest import ROOT
from .conftest import serve


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated") / "corpus"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(folder), "--entities", "40",
                    "--seed", "3"], check=True, capture_output=True)
    return folder


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Iterator[str]:
    zensical = shutil.which("zensical", path=str(Path(sys.executable).parent)) or shutil.which("zensical")
    if zensical is None:
        message = "zensical is not installed: pip install -e '.[test]'"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    out = tmp_path_factory.mktemp("portable") / "out"
    assert main(["build", str(corpus), "--out", str(out)]) == 0
    result = subprocess.run([zensical, "build"], cwd=out, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    with serve(out / "site") as url:
        yield url


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    page = browser.new_page()
    yield page
    page.close()


def test_certainty_labels_and_source_pills_are_styled(zensical_site: str, corpus: Path, tab: Page) -> None:
    briefing = check(corpus)
    entity = next(e for e in briefing.entities if any(c.certainty == "alleged" for c in e.claims)
                  and any(len(c.sources) > 1 for c in e.claims))
    tab.goto(zensical_site + entity.page.removesuffix(".md") + "/")
    label = tab.locator(".bg-certainty--alleged").first
    expect(label).to_be_visible()
    style = label.evaluate("e => { const s = getComputedStyle(e); return [s.textTransform, s.borderTopStyle] }")
    assert style == ["uppercase", "solid"]  # briefgen.css, not the theme's plain span
    pill = tab.locator(".bg-sources").first
    assert pill.evaluate("e => getComputedStyle(e).borderTopLeftRadius") != "0px"


def test_a_citation_leads_to_its_passage_highlighted(zensical_site: str, corpus: Path, tab: Page) -> None:
    briefing = check(corpus)
    claim = next(c for e in briefing.entities for c in e.claims if c.citations)
    citation = claim.citations[0]
    tab.goto(zensical_site + f"sources/{citation.source}/#{citation.anchor}")
    mark = tab.locator(f'mark.bg-quote[data-quotes~="{citation.anchor}"]').first
    expect(mark).to_have_class("bg-quote bg-quote--target")  # briefgen.js found the passage the link names
    assert mark.evaluate("e => getComputedStyle(e).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    expect(mark).to_be_in_viewport()
