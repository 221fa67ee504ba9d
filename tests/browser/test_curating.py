"""Curating under the real `mkdocs serve`: a corpus with problems lists them on the page the
curator is looking at, and the page comes back by itself once they are fixed."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from ..conftest import HARBOR
from ..site import site_config

# A rebuild of the harbor site takes seconds; under a loaded machine, several.
REBUILD_MS = 90_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """(corpus, URL): a copy of the harbor corpus under `mkdocs serve`, with live reload."""
    corpus = tmp_path / "corpus"
    shutil.copytree(HARBOR, corpus)
    config = site_config(corpus, tmp_path / "cfg")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + REBUILD_MS / 1000
        while True:  # until the first build is served, or the server has died
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError):
                pass
            assert server.poll() is None, server.communicate()[1]
            assert time.monotonic() < deadline, "mkdocs serve did not serve the site"
            time.sleep(0.2)
        yield corpus, url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_problems_show_on_the_page_being_read_and_go_once_fixed(browser: Browser, served: tuple[Path, str]) -> None:
    corpus, url = served
    page = browser.new_page()
    try:
        page.goto(url + "people/zoe-orsted/")
        expect(page.locator(".md-content h1")).to_contain_text("Zoë Ørsted")
        entity = corpus / "facts" / "people" / "zoe-orsted.yaml"
        good = entity.read_text(encoding="utf-8")
        entity.write_text(good.replace("description:", "descripton:", 1), encoding="utf-8")
        banner = page.locator(".md-content .bg-problems[role=alert]")
        expect(banner).to_be_visible(timeout=REBUILD_MS)  # live reload brought the rebuilt page
        expect(banner).to_contain_text("The corpus has 1 problem.")
        expect(banner.locator("li")).to_have_text(
            ["facts/people/zoe-orsted.yaml:2 unknown key 'descripton' (did you mean 'description'?)"])
        expect(page.locator(".md-content h1")).to_contain_text("Zoë Ørsted")  # the last good page, still readable
        entity.write_text(good, encoding="utf-8")
        expect(banner).to_have_count(0, timeout=REBUILD_MS)
        expect(page.locator(".md-content h1")).to_contain_text("Zoë Ørsted")
    finally:
        page.close()
