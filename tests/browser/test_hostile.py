"""Hostile text in every field of a corpus: in a real browser, none of it runs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Dialog

from briefgen import check
from briefgen.text.escape import fold

from ..site import mkdocs_build, site_config
from ..test_hostile import write_hostile_corpus
from .conftest import serve


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str], dict[str, str]]]:
    folder = tmp_path_factory.mktemp("hostile-browser")
    write_hostile_corpus(folder / "corpus")
    site = folder / "site"
    result = mkdocs_build(site_config(folder / "corpus", folder / "cfg"), site)
    assert result.returncode == 0, result.stderr
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    names = {e.page.removesuffix(".md") + "/": fold(e.name) for e in check(folder / "corpus").entities}
    with serve(site) as url:
        yield url, ["" if p == "." else p + "/" for p in pages], names


def test_no_injected_script_runs_on_any_page(browser: Browser, hostile_site: tuple[str, list[str], dict[str, str]]) -> None:
    url, pages, names = hostile_site
    dialogs: list[str] = []
    context = browser.new_context()
    page = context.new_page()

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    assert len(pages) > 10
    page.goto(url + "how-to-read/", wait_until="load")
    code = 'script:not([type="application/ld+json"])'
    scripts = page.locator(code).count()
    for path in pages:
        page.goto(url + path, wait_until="load")
        assert page.evaluate("typeof window.pwned") == "undefined", path
        # The browser's own parser ends each script where the page means it to: the same scripts run
        # on every page, and an entity page's JSON-LD reads back as the entity's name.
        assert page.locator(code).count() == scripts, path
        data = page.locator('script[type="application/ld+json"]').evaluate_all("els => els.map(e => JSON.parse(e.text))")
        assert [d["name"] for d in data] == ([names[path]] if path in names else []), path
        # firing the events an injected handler would wait for, on every element of the article
        page.evaluate("""() => document.querySelectorAll("article *").forEach(el => {
            for (const type of ["mouseover", "mouseenter", "focus", "load", "error"]) el.dispatchEvent(new Event(type));
            if (!el.closest("a")) el.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true}));
        })""")
        assert page.evaluate("typeof window.pwned") == "undefined", path
    assert dialogs == []
    context.close()
