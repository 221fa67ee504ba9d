"""`briefgen new source` with saved web pages and WARC files: the article's text without the
page's boilerplate, and the record's metadata proposed from the page."""

from __future__ import annotations

import datetime as dt
import io
import socket
import textwrap
from pathlib import Path

import pytest
import yaml
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from briefgen import check
from briefgen.tools.cli import main

from .conftest import WriteCorpus

PAGES = Path(__file__).resolve().parent / "pages"
FERRY = PAGES / "halvard-courier-ferry.html"
FERRY_ID = "halvard-courier-2026-03-14-skelde-ferry-returns"

FERRY_TEXT = [
    "Skelde ferry returns after storm closure",
    "The ferry between Port Halvard and Skelde Island sailed again on Saturday morning, nine days after Storm Ilse"
    " tore away part of the pier and left the island's 640 residents without a regular crossing.",
    "The Skelde Star left the harbour at 7.10am with 38 passengers and two lorries of supplies on board, the harbour"
    ' master, Jonas Aaberg, said. "The repairs to the landing stage were finished late on Friday, and the divers passed'
    ' it as safe shortly before midnight," he told the Courier.',
    "During the closure, a fishing boat chartered by the district council carried medicines, post and school pupils"
    " across twice a day when the sea allowed. On three days the crossing was cancelled altogether.",
    "Islanders said the disruption had exposed how much Skelde depends on a single pier. Ingrid Solvang, who runs the"
    " island's only shop, said her shelves had been half empty for a week. \"We managed, because people shared what"
    ' they had, but nobody wants to go through that again," she said.',
    "The council's transport committee is due to discuss a second landing stage on the island's sheltered eastern"
    " shore at its meeting on 26 March. A study commissioned last year put the cost at about 4.2 million kroner.",
    "Timetabled sailings will run as normal from Monday, with an extra evening crossing on Saturdays until the end of"
    " April, the ferry operator said.",
]

# Every piece of the page around the article: none may reach the article's text.
BOILERPLATE = [
    "cookies", "Accept all", "Subscribe", "Sport", "Opinion", "Search the Courier", "Advertisement", "Holiday cottages",
    "energy supplier", "Related stories", "Storm Ilse damages", "Fishing boat keeps", "Council budget", "By Maren",
    "Maren Lindqvist", "Harbour Correspondent", "Share on", "Email this story", "Photo: Courier staff", "Most read",
    "lighthouse", "Halvard FC", "Sponsored", "belly fat", "About us", "Privacy policy", "All rights reserved",
    "Home", "Local news",
]

# A second page: its metadata in schema.org JSON-LD and a canonical link, no Open Graph.
LIBRARY_PAGE = textwrap.dedent("""\
    <!DOCTYPE html>
    <html lang="en"><head><meta charset="utf-8"><title>Varde library to open on Sundays - Varde Weekly</title>
    <script type="application/ld+json">
    {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Varde library to open on Sundays",
     "datePublished": "2025-11-02", "author": {"@type": "Person", "name": "Tomas Brekke"},
     "publisher": {"@type": "Organization", "name": "Varde Weekly"}}
    </script><link rel="canonical" href="https://vardeweekly.example/2025/11/library-sundays"></head>
    <body><nav><a href="/">Front page</a> <a href="/events">What's on</a></nav>
    <article><h1>Varde library to open on Sundays</h1>
    <p>The public library in Varde will open on Sunday afternoons from the start of December, the town council decided
    on Thursday, after a petition signed by more than 900 residents.</p>
    <p>The library will open from noon until 5pm, staffed by two librarians and volunteers from the reading club. The
    council set aside 310,000 kroner a year for the extra hours.</p>
    <p>"Sunday is the only day many families can come together," said the head librarian, Sigrid Holm.</p>
    </article><footer>Varde Weekly, Harbour Street 4. Letters to the editor welcome.</footer></body></html>
    """)

LOGIN_PAGE = textwrap.dedent("""\
    <!DOCTYPE html><html><head><title>Sign in | The Halvard Courier</title>
    <meta property="og:site_name" content="The Halvard Courier"></head><body>
    <header><nav><a href="/">Home</a> <a href="/news/">News</a></nav></header>
    <main><h1>Sign in to your account</h1>
    <form action="/login" method="post"><label>Email address <input name="email"></label>
    <label>Password <input type="password" name="password"></label><button>Sign in</button></form>
    <p><a href="/reset">Forgotten your password?</a> <a href="/subscribe">Not a subscriber? Subscribe from £1 a week.</a></p>
    </main><footer><p>&copy; 2026 Halvard Media Group Ltd. All rights reserved.</p></footer></body></html>
    """)

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"


def _records(root: Path) -> dict[str, dict[str, object]]:
    return {r["id"]: r for r in yaml.safe_load((root / "sources.yaml").read_text(encoding="utf-8"))}


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _warc(path: Path, responses: list[tuple[str, str, bytes]]) -> Path:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=path.name.endswith(".gz"))
        for uri, content_type, body in responses:
            http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http))
    return path


def test_saved_news_page_is_imported_with_its_metadata_and_without_the_boilerplate(
        write_corpus: WriteCorpus, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_corpus()
    assert main(["new", "source", str(FERRY), "--corpus", str(root)]) == 0
    assert f"added source '{FERRY_ID}'" in capsys.readouterr().out
    text = (root / "articles" / f"{FERRY_ID}.txt").read_text(encoding="utf-8")
    assert text.splitlines() == FERRY_TEXT and text.endswith(".\n")
    assert [b for b in BOILERPLATE if b in text] == []
    assert (root / "articles" / f"{FERRY_ID}.html").read_bytes() == FERRY.read_bytes()
    assert _records(root)[FERRY_ID] == {
        "id": FERRY_ID, "file": f"articles/{FERRY_ID}.txt", "title": "Skelde ferry returns after storm closure",
        "outlet": "The Halvard Courier", "author": "Maren Lindqvist", "published": dt.date(2026, 3, 14),
        # the canonical link, not og:url with its tracking parameter
        "url": "https://www.halvardcourier.example/news/2026/03/14/skelde-ferry-returns",
    }
    sources = (root / "sources.yaml").read_text(encoding="utf-8")
    assert f"# Proposed from the saved page articles/{FERRY_ID}.html: check" in sources
    # The corpus checks, the headline is the source's title, and a sentence of the text can be cited.
    (root / "facts" / "places" / "skelde-island.yaml").write_text(textwrap.dedent(f"""\
        name: Skelde Island
        claims:
          - text: The ferry to the island sailed again nine days after the storm.
            cite:
              source: {FERRY_ID}
              quote: "sailed again on Saturday morning, nine days after Storm Ilse tore away part of the pier"
        """), encoding="utf-8")
    briefing = check(root)
    assert briefing.source[FERRY_ID].title == FERRY_TEXT[0]
    assert len(briefing.entity["skelde-island"].claims) == 1


def test_importing_a_page_gives_the_same_files_every_time(write_corpus: WriteCorpus) -> None:
    first, second = write_corpus(name="one"), write_corpus(name="two")
    for root in (first, second):
        assert main(["new", "source", str(FERRY), "--corpus", str(root)]) == 0
    assert _snapshot(first) == _snapshot(second)


def test_import_opens_no_network_connection(write_corpus: WriteCorpus, monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the import tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    root = write_corpus()
    warc = _warc(tmp_path / "crawl.warc.gz", [("https://vardeweekly.example/a", "text/html", LIBRARY_PAGE.encode())])
    assert main(["new", "source", str(FERRY), str(warc), "--corpus", str(root)]) == 0


def test_several_pages_in_one_call_each_get_a_record_in_the_order_given(write_corpus: WriteCorpus,
                                                                        tmp_path: Path) -> None:
    root = write_corpus()
    # saved under a name that does not say HTML: its content does
    library = tmp_path / "library.php"
    library.write_text(LIBRARY_PAGE, encoding="utf-8")
    assert main(["new", "source", str(library), str(FERRY), "--corpus", str(root)]) == 0
    records = _records(root)
    assert list(records) == ["wire-1", "varde-weekly-2025-11-02-varde-library-to", FERRY_ID]
    library_record = records["varde-weekly-2025-11-02-varde-library-to"]
    assert {k: library_record.get(k) for k in ("title", "outlet", "author", "url")} == {
        "title": "Varde library to open on Sundays", "outlet": "Varde Weekly", "author": "Tomas Brekke",
        "url": "https://vardeweekly.example/2025/11/library-sundays"}
    text = (root / str(library_record["file"])).read_text(encoding="utf-8")
    assert text.startswith("Varde library to open on Sundays\nThe public library in Varde will open on Sunday")
    assert "Front page" not in text and "Letters to the editor" not in text
    assert len(check(root).sources) == 3


def test_a_folder_imports_each_article_file_in_it_in_name_order(write_corpus: WriteCorpus, tmp_path: Path) -> None:
    root = write_corpus()
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "b-ferry.html").write_bytes(FERRY.read_bytes())
    (folder / "a-notes.txt").write_text("Harbour Notes\nThe harbour office reopened on Monday.\n", encoding="utf-8")
    (folder / "c-library.htm").write_text(LIBRARY_PAGE, encoding="utf-8")
    (folder / "photo.png").write_bytes(PNG)  # not an article file: left alone
    assert main(["new", "source", str(folder), "--corpus", str(root)]) == 0
    records = _records(root)
    assert [r["title"] for r in records.values()] == [
        "A meeting in Paris", "Harbour Notes", "Skelde ferry returns after storm closure", "Varde library to open on Sundays"]
    assert not (root / "articles" / "photo.png").exists()
    assert len(check(root).sources) == 4


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("scan.png", PNG, "neither an HTML page, a WARC file nor UTF-8 text"),
    ("report.pdf", PDF, "neither an HTML page, a WARC file nor UTF-8 text"),
    ("story.html", PNG, "not an HTML page"),
    ("login.html", LOGIN_PAGE.encode(), "no article text found (is it the article page itself, saved as HTML?)"),
    ("empty.html", b"<!DOCTYPE html><html><head><title>x</title></head><body></body></html>", "no article text found"),
    ("archive.warc.gz", b"not a warc at all", "not a readable WARC file"),
])
def test_an_input_that_is_no_article_fails_naming_it_and_nothing_is_written(
        write_corpus: WriteCorpus, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        name: str, content: bytes, reason: str) -> None:
    root = write_corpus()
    before = _snapshot(root)
    bad = tmp_path / name
    bad.write_bytes(content)
    # a good page in the same call is not imported either
    assert main(["new", "source", str(FERRY), str(bad), "--corpus", str(root)]) == 1
    err = capsys.readouterr().err
    assert "nothing was added" in err and f"{bad}: {reason}" in err
    assert _snapshot(root) == before


def test_every_failing_input_is_named(write_corpus: WriteCorpus, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    root = write_corpus()
    (tmp_path / "login.html").write_text(LOGIN_PAGE, encoding="utf-8")
    (tmp_path / "scan.png").write_bytes(PNG)
    empty = tmp_path / "empty-folder"
    empty.mkdir()
    args = [str(tmp_path / "login.html"), str(tmp_path / "scan.png"), str(empty), str(tmp_path / "missing.html")]
    assert main(["new", "source", *args, "--corpus", str(root)]) == 1
    err = capsys.readouterr().err
    assert [line.split(": ")[0].strip() for line in err.splitlines()[1:]] == args


def test_a_warc_file_imports_each_html_response_with_its_target_uri(write_corpus: WriteCorpus, tmp_path: Path) -> None:
    root = write_corpus()
    ferry_uri = "https://www.halvardcourier.example/news/2026/03/14/skelde-ferry-returns?ref=home"
    warc = _warc(tmp_path / "crawl.warc.gz", [
        ("https://www.halvardcourier.example/static/main.css", "text/css", b"body { margin: 0 }"),
        (ferry_uri, "text/html; charset=utf-8", FERRY.read_bytes()),
        ("https://www.halvardcourier.example/login", "text/html", LOGIN_PAGE.encode()),  # no article: skipped
        ("https://vardeweekly.example/2025/11/library-sundays", "text/html", LIBRARY_PAGE.encode("latin-1")),
    ])
    assert main(["new", "source", str(warc), "--corpus", str(root)]) == 0
    records = _records(root)
    assert [(r["id"], r.get("url")) for r in records.values()][1:] == [
        (FERRY_ID, ferry_uri), ("varde-weekly-2025-11-02-varde-library-to", "https://vardeweekly.example/2025/11/library-sundays")]
    assert (root / "articles" / f"{FERRY_ID}.txt").read_text(encoding="utf-8").splitlines() == FERRY_TEXT
    assert (root / "articles" / f"{FERRY_ID}.html").read_bytes() == FERRY.read_bytes()
    assert len(check(root).sources) == 3


def test_a_warc_file_without_an_article_fails(write_corpus: WriteCorpus, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    root = write_corpus()
    warc = _warc(tmp_path / "login.warc", [("https://www.halvardcourier.example/login", "text/html", LOGIN_PAGE.encode())])
    assert main(["new", "source", str(warc), "--corpus", str(root)]) == 1
    assert f"{warc}: no HTML response with article text" in capsys.readouterr().err


def test_an_id_in_use_gets_a_number_and_no_file_is_overwritten(write_corpus: WriteCorpus) -> None:
    root = write_corpus({f"articles/{FERRY_ID}-2.txt": "A file no record lists yet.\n"})
    assert main(["new", "source", str(FERRY), "--corpus", str(root)]) == 0
    assert main(["new", "source", str(FERRY), str(FERRY), "--corpus", str(root)]) == 0
    assert list(_records(root)) == ["wire-1", FERRY_ID, f"{FERRY_ID}-3", f"{FERRY_ID}-4"]
    assert (root / "articles" / f"{FERRY_ID}-2.txt").read_text(encoding="utf-8") == "A file no record lists yet.\n"
    assert (root / "articles" / f"{FERRY_ID}-4.txt").read_text(encoding="utf-8").splitlines() == FERRY_TEXT
    assert len(check(root).sources) == 4


def test_a_page_whose_metadata_needs_quoting_stays_valid_yaml(write_corpus: WriteCorpus, tmp_path: Path) -> None:
    root = write_corpus()
    page = tmp_path / "quoted.html"
    page.write_text(LIBRARY_PAGE.replace('"headline": "Varde library to open on Sundays"',
                                         '"headline": "Library: \\"yes\\" to Sundays #1"')
                    .replace('"name": "Varde Weekly"', '"name": "- Varde & Co: Weekly"'), encoding="utf-8")
    assert main(["new", "source", str(page), "--corpus", str(root)]) == 0
    added = [s for s in check(root).sources if s.id != "wire-1"]
    assert [(s.title, s.outlet) for s in added] == [('Library: "yes" to Sundays #1', "- Varde & Co: Weekly")]


def test_the_record_the_readme_shows_is_the_one_added(write_corpus: WriteCorpus) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    shown = readme.split("```yaml\n# Proposed from the saved page", 1)[1].split("```", 1)[0]
    root = write_corpus()
    assert main(["new", "source", str(FERRY), "--corpus", str(root)]) == 0
    assert (root / "sources.yaml").read_text(encoding="utf-8").endswith("# Proposed from the saved page" + shown)


def test_a_page_in_a_legacy_encoding_is_read_in_the_charset_it_or_its_response_declares(
        write_corpus: WriteCorpus, tmp_path: Path) -> None:
    root = write_corpus()
    page = LIBRARY_PAGE.replace("Sigrid Holm", "Sigrid Hølm").replace("Tomas Brekke", "Tomás Brekke")
    declared = tmp_path / "declared.html"
    declared.write_bytes(page.replace('charset="utf-8"', 'charset="iso-8859-1"').encode("latin-1"))
    warc = _warc(tmp_path / "crawl.warc", [("https://vardeweekly.example/b", "text/html; charset=ISO-8859-1",
                                            page.replace('<meta charset="utf-8">', "").encode("latin-1"))])
    assert main(["new", "source", str(declared), str(warc), "--corpus", str(root)]) == 0
    added = [s for s in check(root).sources if s.id != "wire-1"]
    assert [s.author for s in added] == ["Tomás Brekke", "Tomás Brekke"]
    assert all("said the head librarian, Sigrid Hølm." in s.text for s in added)


def test_new_entity_takes_one_name(write_corpus: WriteCorpus, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_corpus()
    assert main(["new", "person", "Zoë", "Ørsted", "--corpus", str(root)]) == 2
    assert "give one name for the person" in capsys.readouterr().err
    assert not (root / "facts" / "people" / "zoe.yaml").exists()
