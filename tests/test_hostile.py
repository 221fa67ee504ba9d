"""Broken and hostile corpora: each fails cleanly, naming its file and line, or renders inert.

Broken corpora (the cases tests/test_validate.py does not already cover) must each give one
exact problem: from the API, from `briefgen check` run as a user runs it (exit 1, no
traceback), and from `mkdocs build` (which aborts and leaves no site). Hostile text in every
field must show as text in the site MkDocs builds: no element, attribute or link is made
from it. Two builds of the same corpus are byte-identical, and `briefgen build --out` never
writes outside its folder or over files it did not write.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from mkdocs.utils.meta import get_data

from briefgen import build, check
from briefgen.kinds import KIND
from briefgen.site.render import render_site
from briefgen.text.escape import direction, fold, summary
from briefgen.text.names import suggest_id
from briefgen.tools.cli import MANIFEST, main

from .conftest import ARTICLE, ROOT, WriteCorpus, messages
from .site import code_scripts, html_of, json_ld, mkdocs_build, site_config
from .test_validate import CASES as VALIDATE_CASES

# -- broken corpora ----------------------------------------------------------------------

Setup = Callable[[Path, Path], None]  # (corpus root, a folder outside it)


@dataclass(frozen=True)
class Broken:
    """Files to change in the base corpus, the one problem expected, and any other setup."""

    changes: dict[str, str | bytes | None]
    expected: str
    setup: Setup | None = None
    only: bool = False  # the expected problem is the only one (no problems that follow from it)


def _sparse(path: Path, size: int) -> None:
    """A file of the given size that takes no room on disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        f.truncate(size)


def _link(path: str, target: str) -> Setup:
    """Replace path in the corpus with a symbolic link to target (in the outside folder)."""

    def setup(root: Path, outside: Path) -> None:
        link = root / path
        if link.is_dir():
            for child in sorted(link.iterdir()):
                (outside / target / child.name).parent.mkdir(parents=True, exist_ok=True)
                child.rename(outside / target / child.name)
            link.rmdir()
        elif link.exists():
            (outside / target).parent.mkdir(parents=True, exist_ok=True)
            link.rename(outside / target)
        link.symlink_to(outside / target)

    return setup


def _loop(root: Path, outside: Path) -> None:
    article = root / "articles" / "wire-1.txt"
    article.unlink()
    (root / "articles" / "other.txt").symlink_to(article)
    article.symlink_to(root / "articles" / "other.txt")


PARIS = "facts/places/paris.yaml"
BIG = 64 * 1024 * 1024 + 1
LAUGHS = "l0: &l0 {a: 1, b: 1, c: 1, d: 1, e: 1, f: 1, g: 1, h: 1, i: 1, j: 1}\n" + "".join(
    f"l{k}: &l{k} {{{', '.join(f'{x}: *l{k - 1}' for x in 'abcdefghij')}}}\n" for k in range(1, 8)
)

BROKEN: dict[str, Broken] = {
    # empty files, and files that are not what their kind must be
    "sources.yaml empty": Broken(
        {"sources.yaml": ""}, "sources.yaml:1: file is empty (list the articles, one '- id: ...' record each)"),
    "entity file with only a comment": Broken(
        {PARIS: "# to do\n"}, f"{PARIS}:1: file is empty (write at least 'name: ...')", only=True),
    "briefing.yaml empty": Broken(
        {"briefing.yaml": "\n\n"}, "briefing.yaml:1: file is empty (write 'title:' and 'overview:', or delete the file)",
        only=True),
    "entity file is a sentence": Broken(
        {PARIS: "Paris is a city\n"},
        f"{PARIS}:1: file must be a mapping of keys to values, not text (write at least 'name: ...')", only=True),
    "briefing.yaml is a list": Broken(
        {"briefing.yaml": "- title: Paris\n"},
        "briefing.yaml:1: file must be a mapping of keys to values, not a list "
        "(write 'title:' and 'overview:', or delete the file)", only=True),
    "sources.yaml is a sentence": Broken(
        {"sources.yaml": "wire-1\n"},
        "sources.yaml:1: file must be a list, not text (list the articles, one '- id: ...' record each)"),
    "source record is a word": Broken(
        {"sources.yaml": "- wire-1\n"},
        "sources.yaml:1: each record must be a mapping of keys to values, not text ('wire-1') "
        "(write it as 'key: value' lines)"),
    "claim is a sentence": Broken(
        {PARIS: "name: Paris\nclaims:\n  - Paris is a city\n"},
        f"{PARIS}:3: 'claims[0]' must be a mapping of keys to values, not text ('Paris is a city') "
        "(write it as 'key: value' lines)", only=True),
    "key that is a number": Broken(
        {PARIS: "name: Paris\n1789: revolution\n"},
        f"{PARIS}:2: a key must be text, not a number (1789) (write keys as words, like 'name:')", only=True),
    "key that is empty": Broken(
        {PARIS: "name: Paris\n~: nothing\n"},
        f"{PARIS}:2: a key must be text, not empty (None) (write keys as words, like 'name:')", only=True),
    "key that is a list": Broken(
        {PARIS: "name: Paris\n? [a, b]\n: x\n"},
        f"{PARIS}:2: a key must be plain text (remove the brackets or braces)", only=True),
    # characters and encodings
    "NUL byte in a YAML file": Broken(
        {PARIS: "name: Paris\ndescription: a\x00b\n"},
        f'{PARIS}:2: invalid YAML: character U+0000 is not allowed in a YAML file '
        f'(remove it, or write it as "\\u0000" inside double quotes)', only=True),
    "escape character in a YAML file": Broken(
        {PARIS: "name: Paris\n\ndescription: \x1b[31mred\n"},
        f'{PARIS}:3: invalid YAML: character U+001B is not allowed in a YAML file '
        f'(remove it, or write it as "\\u001b" inside double quotes)', only=True),
    "DEL after non-ASCII text": Broken(
        {PARIS: "name: Zoë 😀\ndescription: Ørsted\x7f\n"},
        f'{PARIS}:2: invalid YAML: character U+007F is not allowed in a YAML file '
        f'(remove it, or write it as "\\u007f" inside double quotes)', only=True),
    "escaped lone surrogate": Broken(
        {PARIS: 'name: Paris\ndescription: "\\ud800"\n'},
        f"{PARIS}:2: invalid YAML: while parsing a quoted scalar found invalid Unicode character escape code "
        "(check the indentation and quoting here)", only=True),
    "YAML file in Latin-1": Broken(
        {PARIS: "name: Paris\ndescription: café\n".encode("latin-1")},
        f"{PARIS}:2: file is not UTF-8 text (save it as UTF-8)", only=True),
    "YAML file in UTF-16": Broken(
        {PARIS: "name: Paris\n".encode("utf-16")}, f"{PARIS}:1: file is not UTF-8 text (save it as UTF-8)", only=True),
    "article in UTF-16": Broken(
        {"articles/wire-1.txt": ARTICLE.encode("utf-16")},
        "sources.yaml:2: article file 'articles/wire-1.txt' is not UTF-8 (byte 0, line 1) (save it as UTF-8)", only=True),
    "number too long for Python": Broken(
        {PARIS: "name: Paris\ndescription: " + "9" * 5000 + "\n"},
        f"{PARIS}:2: number is too long (put the value in quotes if it is text)", only=True),
    # size
    "YAML file over 64 MiB": Broken(
        {}, f"{PARIS}: file is too large (67,108,865 bytes) (split it into smaller files)",
        setup=lambda root, _: _sparse(root / PARIS, BIG), only=True),
    "article over 64 MiB": Broken(
        {}, "sources.yaml:2: article file 'articles/wire-1.txt' is too large (67,108,865 bytes) (keep articles under 64 MiB)",
        setup=lambda root, _: _sparse(root / "articles/wire-1.txt", BIG), only=True),
    "lists nested 100,000 deep": Broken(
        {PARIS: "name: Paris\ndescription: " + "[" * 100_000 + "]" * 100_000 + "\n"},
        f"{PARIS}:2: YAML nests more than 100 levels deep (flatten the structure)", only=True),
    "mappings nested 100,000 deep": Broken(
        {PARIS: "name: Paris\ndescription: " + "{a: " * 100_000 + "1" + "}" * 100_000 + "\n"},
        f"{PARIS}:2: YAML nests more than 100 levels deep (flatten the structure)", only=True),
    "lists nested 150 deep": Broken(
        {PARIS: "name: Paris\ndescription: >-\n  x\naliases: " + "[" * 150 + "]" * 150 + "\n"},
        f"{PARIS}:4: YAML nests more than 100 levels deep (flatten the structure)", only=True),
    "block mappings nested 120 deep": Broken(
        {PARIS: "name: Paris\nx:\n" + "".join(f"{' ' * i}k{i}:\n" for i in range(1, 121)) + " " * 121 + "v\n"},
        f"{PARIS}:101: YAML nests more than 100 levels deep (flatten the structure)", only=True),
    "block lists nested on one line": Broken(
        {PARIS: "name: Paris\naliases:\n" + "- " * 1000 + "Paree\n"},
        f"{PARIS}:3: YAML nests more than 100 levels deep (flatten the structure)", only=True),
    "anchors that blow up through mappings": Broken(
        {PARIS: LAUGHS},
        f"{PARIS}:1: YAML expands to 246,913,577 values through anchors and aliases "
        "(write the values out instead of repeating anchors)", only=True),
    "alias that contains itself": Broken(
        {PARIS: "name: Paris\naliases: &a [*a]\n"},
        f"{PARIS}:2: invalid YAML: found unconstructable recursive node (check the indentation and quoting here)",
        only=True),
    # YAML tags
    "tag that names a Python function": Broken(
        {PARIS: "name: Paris\ndescription: !!python/name:os.system\n"},
        f"{PARIS}:2: YAML tag 'tag:yaml.org,2002:python/name:os.system' is not allowed "
        "(write plain text, lists and mappings only)", only=True),
    "tag that builds a Python object from a mapping": Broken(
        {PARIS: "name: Paris\ndescription: !!python/object:subprocess.Popen {args: [id]}\n"},
        f"{PARIS}:2: YAML tag 'tag:yaml.org,2002:python/object:subprocess.Popen' is not allowed "
        "(write plain text, lists and mappings only)", only=True),
    "local tag": Broken(
        {PARIS: "name: !secret Paris\n"},
        f"{PARIS}:1: YAML tag '!secret' is not allowed (write plain text, lists and mappings only)", only=True),
    "binary tag": Broken(
        {PARIS: "name: !!binary aGVsbG8=\n"},
        f"{PARIS}:1: 'name' must be text, not bytes (b'hello') (put the value in quotes)", only=True),
    "set tag": Broken(
        {PARIS: "name: Paris\naliases: !!set {Paree}\n"},
        f"{PARIS}:2: 'aliases' must be a list with at least one item, not set "
        "(write each item on its own line, starting with '- ')", only=True),
    # paths and links
    "article path with a NUL": Broken(
        {"sources.yaml": '- {id: wire-1, file: "articles/\\0wire-1.txt", title: A}\n'},
        "sources.yaml:1: article path 'articles/\\x00wire-1.txt' contains a NUL character "
        "(give the path of the article's text file)", only=True),
    "article path too long": Broken(
        {"sources.yaml": f"- {{id: wire-1, file: articles/{'a' * 5000}.txt, title: A}}\n"},
        f"sources.yaml:1: cannot read article file 'articles/{'a' * 5000}.txt': File name too long "
        "(check the path, relative to the corpus root)", only=True),
    "article path through parent folders": Broken(
        {"sources.yaml": "- {id: wire-1, file: articles/../../wire-1.txt, title: A}\n"},
        "sources.yaml:1: article path 'articles/../../wire-1.txt' leads outside the corpus "
        "(keep articles inside the corpus folder)", only=True),
    "article path is a folder": Broken(
        {"sources.yaml": "- {id: wire-1, file: articles, title: A}\n"},
        "sources.yaml:1: article path 'articles' is a folder (give the path of the article's text file)", only=True),
    "article is a loop of links": Broken(
        {}, "sources.yaml:2: article path 'articles/wire-1.txt' is a loop of symbolic links "
        "(link it to a file, or copy the file)", setup=_loop, only=True),
    "articles folder is a link out": Broken(
        {}, "sources.yaml:2: article path 'articles/wire-1.txt' leads outside the corpus "
        "(keep articles inside the corpus folder)", setup=_link("articles", "articles"), only=True),
    "entity file is a link out": Broken(
        {}, f"{PARIS}: file is a link to a file outside the corpus (copy the file into the corpus instead of linking to it)",
        setup=_link(PARIS, "paris.yaml"), only=True),
    "type folder is a link out": Broken(
        {}, f"{PARIS}: file is a link to a file outside the corpus (copy the file into the corpus instead of linking to it)",
        setup=_link("facts/places", "places"), only=True),
    "sources.yaml is a link out": Broken(
        {}, "sources.yaml: file is a link to a file outside the corpus (copy the file into the corpus instead of linking to it)",
        setup=_link("sources.yaml", "sources.yaml")),
    "entity file in a nested folder": Broken(
        {"facts/places/france/lyon.yaml": "name: Lyon\n"},
        "facts/places/france/lyon.yaml: entity file in a nested folder (move it directly into facts/places/)", only=True),
    "entity file outside a type folder": Broken(
        {"facts/lyon.yaml": "name: Lyon\n"},
        "facts/lyon.yaml: entity file outside a type folder "
        "(move it into facts/people, facts/organizations, facts/places or facts/events)", only=True),
    # ids
    "id with an accent and a space": Broken(
        {"facts/people/Zoë Ørsted.yaml": "name: Zoë Ørsted\n"},
        "facts/people/Zoë Ørsted.yaml: id 'Zoë Ørsted' is not valid "
        "(use lowercase letters, digits, '-' and '_', e.g. 'zoe-orsted')", only=True),
    "id in Arabic script": Broken(
        {"facts/people/القادولي.yaml": "name: القادولي\n"},
        "facts/people/القادولي.yaml: id 'القادولي' is not valid (use lowercase letters, digits, '-' and '_', e.g. 'al-qaduli')",
        only=True),
    "id starting with a dash": Broken(
        {"facts/places/-lyon.yaml": "name: Lyon\n"},
        "facts/places/-lyon.yaml: id '-lyon' is not valid (use lowercase letters, digits, '-' and '_', e.g. 'lyon')",
        only=True),
    "source id with capitals": Broken(
        {"sources.yaml": "- {id: Wire-2, file: articles/wire-1.txt, title: A}\n"
                         "- {id: wire-1, file: articles/wire-1.txt, title: A}\n"},
        "sources.yaml:1: id 'Wire-2' is not valid (use lowercase letters, digits, '-' and '_', e.g. 'wire-2')", only=True),
    "source id with a dot": Broken(
        {"sources.yaml": "- {id: wire.2, file: articles/wire-1.txt, title: A}\n"
                         "- {id: wire-1, file: articles/wire-1.txt, title: A}\n"},
        "sources.yaml:1: id 'wire.2' is not valid (use lowercase letters, digits, '-' and '_', e.g. 'wire2')", only=True),
    "source id that climbs out of its folder": Broken(
        {"sources.yaml": "- {id: ../../../etc/passwd, file: articles/wire-1.txt, title: A}\n"
                         "- {id: wire-1, file: articles/wire-1.txt, title: A}\n"},
        "sources.yaml:1: id '../../../etc/passwd' is not valid "
        "(use lowercase letters, digits, '-' and '_', e.g. 'etc-passwd')", only=True),
    "wikilink to a name instead of an id": Broken(
        {PARIS: "name: Paris\nclaims:\n  - text: Home of [[Alice Smith]].\n    cite: {source: wire-1, quote: Paris}\n"},
        f"{PARIS}:3: wikilink [[Alice Smith]] names no entity or source (did you mean 'alice-smith'?)", only=True),
    "empty wikilink": Broken(
        {PARIS: "name: Paris\nclaims:\n  - text: Home of [[]].\n    cite: {source: wire-1, quote: Paris}\n"},
        f"{PARIS}:3: wikilink [[]] names no entity or source (an id is lowercase letters, digits, '-' and '_')", only=True),
    # quotes and the problems that follow from another
    "alias quote found only in another case": Broken(
        {PARIS: "name: Paris\naliases:\n  - name: Smith\n    cite: {source: wire-1, quote: alice smith met}\n"},
        f"{PARIS}:4: quote found in source 'wire-1' only with different capitals (the article has \"Alice Smith met\")",
        only=True),
    "article missing: its citations are not reported too": Broken(
        {"articles/wire-1.txt": None},
        "sources.yaml:2: article file 'articles/wire-1.txt' does not exist (check the path, relative to the corpus root)",
        only=True),
    "source record broken: its citations are not reported too": Broken(
        {"sources.yaml": "- {id: wire-1, file: articles/wire-1.txt, title: A, published: 04/05/2020}\n"},
        "sources.yaml:1: 'published': '04/05/2020' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD "
        "(write the date as YYYY, YYYY-MM or YYYY-MM-DD)", only=True),
}

# Dates in other forms, and dates that do not exist: (value as written in YAML, message).
DATES = {
    "25 March 2016": "'25 March 2016' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD",
    "2016/03/25": "'2016/03/25' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD",
    "25.03.2016": "'25.03.2016' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD",
    "2016-3-5": "'2016-3-5' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD",
    "20160325": "'20160325' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD",
    "2016-03-25T10:00:00": "'2016-03-25T10:00:00' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD",
    "2016-03-25 10:00": "'2016-03-25 10:00' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD",
    "-2016": "'-2016' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD",
    "2016.5": "2016.5 is not a date",
    "yes": "True is not a date",
    "'0000'": "'0000' has no year 0",
    "2016-00": "'2016-00' has no month 0",
    "2015-02-29": "'2015-02-29' is not a day of the calendar",
    "2016-04-31": "'2016-04-31' is not a day of the calendar",
}
for _value, _message in DATES.items():
    BROKEN[f"date {_value}"] = Broken(
        {PARIS: f"name: Paris\nclaims:\n  - text: x\n    date: {_value}\n    cite: {{source: wire-1, quote: Paris}}\n"},
        f"{PARIS}:4: 'claims[0].date': {_message} (write the date as YYYY, YYYY-MM or YYYY-MM-DD)", only=True)
BROKEN["published in another form"] = Broken(
    {"sources.yaml": "- {id: wire-1, file: articles/wire-1.txt, title: A, published: 4 May 2020}\n"},
    "sources.yaml:1: 'published': '4 May 2020' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD "
    "(write the date as YYYY, YYYY-MM or YYYY-MM-DD)", only=True)


def _broken_corpus(write_corpus: WriteCorpus, case: Broken) -> Path:
    root = write_corpus(case.changes)
    if case.setup is not None:
        outside = root.parent / "outside"
        outside.mkdir(exist_ok=True)
        case.setup(root, outside)
    return root


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """briefgen as a user runs it."""
    return subprocess.run([sys.executable, "-m", "briefgen", *args], capture_output=True, text=True, cwd=ROOT, check=False)


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_broken_corpus_fails_with_one_exact_problem(write_corpus: WriteCorpus, case: str) -> None:
    broken = BROKEN[case]
    root = _broken_corpus(write_corpus, broken)
    found = messages(root)
    assert broken.expected in found, "\n".join(found)
    if broken.only:
        assert found == [broken.expected]
    result = run_cli("check", str(root))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"  {broken.expected}" in result.stderr.splitlines()


@pytest.mark.parametrize("case", list(VALIDATE_CASES), ids=list(VALIDATE_CASES))
def test_every_validator_case_fails_check_without_a_traceback(write_corpus: WriteCorpus, case: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    changes, expected = VALIDATE_CASES[case]
    root = write_corpus(changes)
    assert main(["check", str(root)]) == 1  # an exception here would fail the test
    assert any(line.startswith(f"  {expected}") for line in capsys.readouterr().err.splitlines())


def test_check_as_json_names_file_and_line_of_a_hostile_problem(write_corpus: WriteCorpus) -> None:
    root = _broken_corpus(write_corpus, BROKEN["NUL byte in a YAML file"])
    result = run_cli("check", str(root), "--format", "json")
    assert result.returncode == 1
    [problem] = json.loads(result.stdout)
    assert (problem["file"], problem["line"]) == (PARIS, 2)


@pytest.mark.parametrize("case", [
    "NUL byte in a YAML file", "number too long for Python", "lists nested 100,000 deep", "tag that names a Python function",
    "article path with a NUL", "entity file is a link out", "article is a loop of links",
])
def test_mkdocs_build_aborts_and_writes_no_site(write_corpus: WriteCorpus, tmp_path: Path, case: str) -> None:
    broken = BROKEN[case]
    root = _broken_corpus(write_corpus, broken)
    site = tmp_path / "site"
    result = mkdocs_build(site_config(root, tmp_path / "cfg"), site)
    assert result.returncode == 1
    assert broken.expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not site.exists()


def test_symlinks_inside_the_corpus_are_followed(write_corpus: WriteCorpus) -> None:
    root = write_corpus({"archive/2020/wire-1.txt": ARTICLE, "articles/wire-1.txt": None})
    (root / "articles").mkdir(exist_ok=True)
    (root / "articles" / "wire-1.txt").symlink_to(root / "archive" / "2020" / "wire-1.txt")
    (root / "facts" / "places" / "paris.yaml").rename(root / "paris.yaml")
    (root / "facts" / "places" / "paris.yaml").symlink_to(root / "paris.yaml")
    assert check(root).source["wire-1"].text == ARTICLE


# -- scale -----------------------------------------------------------------------------

def test_ten_thousand_claims_on_one_entity_validate_and_render(tmp_path: Path) -> None:
    n = 10_000
    root = tmp_path / "busy"
    (root / "articles").mkdir(parents=True)
    (root / "facts" / "people").mkdir(parents=True)
    # half the statements one a line, half in one long paragraph
    lines = [f"Statement {i} was made on the record." for i in range(n)]
    article = "\n".join(lines[: n // 2]) + "\n" + " ".join(lines[n // 2 :]) + "\n"
    (root / "articles" / "a.txt").write_text(article, encoding="utf-8")
    (root / "sources.yaml").write_text("- {id: record, file: articles/a.txt, title: The record}\n", encoding="utf-8")
    claims = "".join(
        f"  - text: Made statement {i} to [[busy-person|the record]].\n"
        f"    date: {2000 + i % 20}\n"
        f"    cite: {{source: record, quote: 'Statement {i} was made'}}\n"
        for i in range(n)
    )
    (root / "facts" / "people" / "busy-person.yaml").write_text(f"name: Busy Person\nclaims:\n{claims}", encoding="utf-8")
    briefing = check(root)
    assert len(briefing.entity["busy-person"].claims) == n
    pages = render_site(briefing)
    person, source = pages["people/busy-person.md"], pages["sources/record.md"]
    assert person.count("\n- Made statement ") == n
    assert person.count("</time>: Made statement ") == n  # each dated claim again, under Dates
    assert person.count("\n[^") == n  # one footnote per distinct passage
    anchors = {c.anchor for claim in briefing.entity["busy-person"].claims for c in claim.citations}
    assert len(anchors) == n
    assert set(re.findall(r'<span id="(q-\d+-\d+)" class="bg-anchor"></span>', source)) == anchors
    assert set(re.findall(r"\(\.\./sources/record\.md#(q-\d+-\d+)\)", person)) == anchors
    assert source.count('<mark class="bg-quote"') == n
    periods = [text for path, text in pages.items() if path.startswith("timeline/")]
    assert len(periods) == 20 and sum(text.count("[Busy Person]") for text in periods) == n  # a page a year


# -- hostile text -----------------------------------------------------------------------

# Each is a kind of text that means something to HTML, Markdown, an extension, Jinja2 or a
# terminal; its words (click, bold, ...) would be an element's whole text if it were parsed.
PAYLOADS = {
    "script": '<script>window.pwned = "script"</script>',
    "img": '<img src=x onerror="window.pwned = 1">',
    "anchor": '<a href="javascript:window.pwned = 2">click</a>',
    "handler": '<div onclick="window.pwned = 3" style="position:fixed">div</div>',
    "svg": "<svg onload=window.pwned=4><circle/></svg>",
    "md-link": "[link](javascript:window.pwned=5)",
    "md-image": "![image](https://evil.example/x.png)",
    "md-reference": "[ref] and [ref]: https://evil.example/ref",
    "autolink": "<https://evil.example/auto> and www.evil.example",
    "footnote": "note[^1] and [^x]: defined",
    "emphasis": "**bold** __strong__ *em* `code` ~~del~~",
    "attr-list": "{: #injected .evil onclick=x }",
    "block": "# heading > quote - item 1. item | a | b |",
    "jinja": "{{ 7*7 }} {% if true %}jinja{% endif %} {# comment #}",
    "entities": "&lt;b&gt; &amp; &#60;i&#62; &#x3c;",
    "comment": "<!-- hidden --> <?php echo 1 ?> <style>*{}</style>",
    "bidi": "\u202eevil\u202c and unpaired \u202egnp.exe then \u2067isolated",
    "combining": "Zoe\u0308 a\u0301\u0302\u0303\u0304\u0305\u0306",
    "emoji": "👩‍👩‍👧 🇺🇦 🤖 \U0001f600",
    "arabic": "عبد الرحمن مصطفى القادولي",
    "long-word": "W" * 3000,
}
# Control characters: YAML refuses them raw, so the YAML files write them as escapes.
CONTROLS = "nul\x00bel\x07esc\x1b[31mdel\x7fc1\x9b"
CONTROLS_SHOWN = "nul\u2400bel\u2407esc\u241b[31mdel\u2421c1\ufffd"
# Words that are an element's whole text only if a payload became markup.
INNER_WORDS = {"click", "div", "link", "image", "ref", "bold", "strong", "em", "code", "del", "heading", "quote",
               "item", "jinja", "hidden", "defined", "49"}
ALL = " | ".join(PAYLOADS.values())
URL = 'https://example.org/a?q="><script>window.pwned=9</script>&x=\'y'


def _label(text: str) -> str:
    """A wikilink label cannot hold brackets."""
    return text.replace("[", "(").replace("]", ")")


def _dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, width=1_000_000, sort_keys=False)


HEADLINE = "Harbour <b>news</b> [x](javascript:alert(1)) {{ 7*7 }}"


def write_hostile_corpus(root: Path) -> None:
    """A valid corpus with hostile text in every field that is shown."""
    article = [
        HEADLINE,
        *(f"{k}: {v}" for k, v in PAYLOADS.items()),
        "Wikilink-like text: [[bob-jones]], [[bob-jones|Bobby]] and [[nobody]].",
        "CDATA <![CDATA[x]]> and a stray ]] here.",
        "   - not a list",
        "  ---",
        " 1) not a list either",
        f"Controls: {CONTROLS}",
        "Alice Smith met Bob Jones in Paris.",
    ]
    (root / "articles").mkdir(parents=True)
    (root / "articles" / "wire-1.txt").write_text("\n".join(article) + "\n", encoding="utf-8")
    (root / "sources.yaml").write_text(_dump([{
        "id": "wire-1", "file": "articles/wire-1.txt", "title": HEADLINE, "outlet": f"Outlet {ALL} {CONTROLS}",
        "published": "2020-05-04", "url": URL, "author": f"Author {ALL} {CONTROLS}",
        "reliability": "C", "reliability_note": f"Note {ALL} {CONTROLS}",
    }]), encoding="utf-8")
    (root / "briefing.yaml").write_text(_dump({
        "title": f"Title {ALL} {CONTROLS}",
        "overview": [{"text": f"Overview {ALL} with [[alice-smith|{_label(ALL)}]]",
                      "cite": {"source": "wire-1", "quote": f"md-link: {PAYLOADS['md-link']}"}}],
    }), encoding="utf-8")
    claims = [{
        "text": f"Claim {k}: {v} about [[bob-jones|{_label(v)}]] in [[hostile-place]].",
        "topic": "the same topic " + PAYLOADS["script"] if i < 2 else f"topic {k} {v}",
        "certainty": "alleged",
        "said_by": f"said {v} and [[alice-smith]]",
        "date": f"2020-{1 + i % 12:02d}",
        "cite": {"source": "wire-1", "quote": f"{k}: {v}", "via": f"via {v} and [[alice-smith|{_label(v)}]]"},
    } for i, (k, v) in enumerate(PAYLOADS.items())]
    entities = {
        "people/alice-smith": {"name": "Alice Smith", "claims": [
            {"text": "Met [[bob-jones]].", "cite": {"source": "wire-1", "quote": "Alice Smith met Bob Jones"}}]},
        "people/bob-jones": {"name": "Bob Jones"},
        "places/hostile-place": {
            "name": f"Place {ALL} {CONTROLS}",
            "description": f"Description {ALL} {CONTROLS}",
            "aliases": [f"Alias {ALL}", {"name": f"Cited alias {PAYLOADS['img']}",
                                         "cite": {"source": "wire-1", "quote": f"img: {PAYLOADS['img']}"}}],
            "claims": claims,
        },
        "events/hostile-event": {
            "name": f"Event {PAYLOADS['script']} {PAYLOADS['md-link']}",
            "description": PAYLOADS["jinja"],
            "date": "2020-05",
            "claims": [{"text": f"Happened {PAYLOADS['handler']}", "date": "2020-05",
                        "cite": {"source": "wire-1", "quote": f"handler: {PAYLOADS['handler']}"}}],
        },
    }
    for path, data in entities.items():
        file = root / "facts" / f"{path}.yaml"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(_dump(data), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(corpus, site) of the hostile corpus, built by the real MkDocs."""
    folder = tmp_path_factory.mktemp("hostile")
    corpus = folder / "corpus"
    write_hostile_corpus(corpus)
    result = mkdocs_build(site_config(corpus, folder / "cfg"), folder / "site")
    assert result.returncode == 0, result.stderr
    return corpus, folder / "site"


def _pages(site: Path) -> Iterator[tuple[str, BeautifulSoup]]:
    for page in sorted(site.rglob("index.html")):
        name = page.parent.relative_to(site).as_posix().removeprefix(".")
        yield name, BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def _norm(text: str) -> str:
    return " ".join(text.split())


def _shown(el: Tag) -> str:
    """An element's text as a reader sees it, without the permalink MkDocs adds to headings."""
    el = BeautifulSoup(str(el), "html.parser")
    for a in el.select("a.headerlink"):
        a.decompose()
    return _norm(el.get_text())


def _without_bidi(text: str) -> str:
    return re.sub("[\u202a-\u202e\u2066-\u2069]", "", text)


# What the article of a generated page may hold: tags and, for each, their attributes.
ALLOWED = {
    "a": {"href", "xlink:href", "class", "title", "rel"}, "p": {"class"}, "h1": {"id"},
    "h2": {"id", "data-search-exclude"}, "h3": {"id", "data-search-exclude"},
    "ul": set(), "ol": set(), "li": {"id"}, "table": set(), "thead": set(), "tbody": set(), "tr": set(),
    "th": {"style"}, "td": {"style"}, "mark": {"class", "data-quotes"}, "span": {"class", "id", "title"},
    "time": {"datetime"}, "sup": {"id"}, "div": {"class"}, "hr": set(), "strong": set(), "em": set(), "bdi": {"dir"},
    "figure": {"class", "data-search-exclude"}, "figcaption": {"class"}, "abbr": {"class", "data-grade", "title"},
    "svg": {"xmlns", "viewbox", "role", "aria-label", "class"}, "g": {"class"}, "title": set(),
    "line": {"class", "x1", "y1", "x2", "y2", "stroke-width"}, "circle": {"cx", "cy", "r"}, "text": {"x", "y", "text-anchor"},
}
CLASS = re.compile(r"bg-[a-z_-]+|headerlink|footnote(-ref|-backref)?")


def test_hostile_text_creates_no_element_attribute_or_link(hostile: tuple[Path, Path]) -> None:
    corpus, site = hostile
    briefing = check(corpus)
    benign_scripts = len(html_of(site, "how-to-read").find_all("script"))
    pages = dict(_pages(site))
    assert {"", "places/hostile-place", "events/hostile-event", "sources/wire-1", "disputes", "timeline", "graph",
            "people/alice-smith", "places"} <= set(pages)
    for name, soup in pages.items():
        assert len(code_scripts(soup)) == benign_scripts, name
        # the one other script is an entity page's JSON-LD: data, which holds the curated text as it is shown
        entity = briefing.entity.get(name.rpartition("/")[2])
        expected = [] if entity is None else [
            {"@context": "https://schema.org", "@type": KIND[entity.type].schema_type, "name": fold(entity.name),
             **({"alternateName": [fold(a.name) for a in entity.aliases]} if entity.aliases else {}),
             **({"description": fold(entity.description)} if entity.description else {}),
             **({"startDate": entity.date.iso} if entity.date else {})}]
        assert json_ld(soup) == expected, name
        assert len(soup.head.find_all("meta", attrs={"name": "description"})) == 1, name
        for el in soup.find_all(True):
            assert el.name not in {"img", "iframe", "object", "embed", "base", "style", "code", "del", "blockquote"}, (name, el)
            text = el.get_text().strip()
            assert text not in INNER_WORDS, (name, el)
            for attr, value in el.attrs.items():
                value = " ".join(value) if isinstance(value, list) else value
                assert not attr.startswith("on"), (name, el.name, attr)
                assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (name, el.name, attr)
                if attr == "id":  # heading ids are slugs of the heading's text: letters, digits, dashes
                    assert re.fullmatch(r"[\w:.-]+", value, re.ASCII), (name, el.name, value)
                elif attr not in {"content", "aria-label", "title", "href", "xlink:href"}:
                    assert "pwned" not in value and "evil" not in value, (name, el.name, attr, value)
        for el in soup.select_one("article").find_all(True):
            assert el.name in ALLOWED and set(el.attrs) <= ALLOWED[el.name], (name, el.name, el.attrs)
            assert all(CLASS.fullmatch(c) for c in el.get("class", [])), (name, el)
            if el.has_attr("id"):
                assert re.fullmatch(r"[\w:-]+", el["id"], re.ASCII), (name, el["id"])
            if el.name == "th" or el.name == "td":
                assert el.get("style", "text-align: right;") == "text-align: right;", (name, el)
        for a in soup.select("article a[href], article a[xlink\\:href]"):  # the graph's links: xlink:href
            href = a.get("href", a.get("xlink:href"))
            if href == URL:  # the source's own address: the one link that leaves the site
                assert a.get_text() == "original article" and a["rel"] == ["nofollow", "noopener"]
                continue
            parts = urllib.parse.urlsplit(href)
            assert not parts.scheme and not parts.netloc, (name, href)
            if parts.path:
                target = (site / name / urllib.parse.unquote(parts.path)).resolve()
                assert (target / "index.html").is_file(), (name, href)
            else:
                assert soup.find(id=parts.fragment) is not None, (name, href)


def test_hostile_text_shows_as_written(hostile: tuple[Path, Path]) -> None:
    _, site = hostile
    place = html_of(site, "places/hostile-place")
    name = f"Place {ALL} {CONTROLS_SHOWN}"
    # an unpaired U+202E and U+2067 in the name are closed where the name ends
    assert _shown(place.select_one("article h1")) == _norm(name) + "\u2069\u202c"
    assert _without_bidi(_norm(place.title.get_text())).startswith(_without_bidi(_norm(name)))
    assert _without_bidi(_shown(place.select(".md-header__topic")[-1])) == _without_bidi(_norm(name))
    # the site is named by the briefing's title, shown as text in the header and <title>
    site_name = _without_bidi(_norm(f"Title {ALL} {CONTROLS_SHOWN}"))
    assert _without_bidi(_shown(place.select(".md-header__topic")[0])) == site_name
    assert _without_bidi(_norm(place.title.get_text())).endswith(site_name)
    article = _without_bidi(_shown(place.select_one("article")))
    for shown in (f"Description {ALL} {CONTROLS_SHOWN}", f"Alias {ALL}", f"Cited alias {PAYLOADS['img']}"):
        assert _without_bidi(_norm(shown)) in article, shown
    items = [_without_bidi(_shown(li)) for li in place.select("article li")]
    for k, v in PAYLOADS.items():
        claim = _without_bidi(_norm(f"Claim {k}: {v} about {_label(v)} in {name}. according to said {v} and Alice Smith"))
        assert any(claim in item for item in items), k
        # the footnote quotes the passage of the article, and names where the source got it
        assert any(_without_bidi(_norm(f"\u201c{k}: {v}\u201d")) in item for item in items), k
        assert any(_without_bidi(_norm(f", via via {v} and {_label(v)}, 4 May 2020")) in item for item in items), k
    # the topic two accounts share heads them, here and on the disputes page
    topic = "the same topic " + PAYLOADS["script"]
    assert [_shown(h) for h in place.select("article h3")] == ["T" + topic[1:]]
    headings = [_without_bidi(_shown(h)) for h in html_of(site, "disputes").select("article h2")]
    assert headings == [_without_bidi(_norm(f"{name}: {topic}"))]

    source = html_of(site, "sources/wire-1")
    assert _shown(source.select_one("article h1")) == _norm(HEADLINE)
    paragraphs = [_shown(p) for p in source.select("article > p:not([class])")]
    for k, v in PAYLOADS.items():
        assert _norm(f"{k}: {v}") + ("\u2069\u202c" if k == "bidi" else "") in paragraphs, k
    assert "Wikilink-like text: [[bob-jones]], [[bob-jones|Bobby]] and [[nobody]]." in paragraphs
    assert "CDATA <![CDATA[x]]> and a stray ]] here." in paragraphs
    assert f"Controls: {CONTROLS_SHOWN}" in paragraphs
    # block markers after the spaces a line starts with make no list and no rule
    assert {"- not a list", "---", "1) not a list either"} <= set(paragraphs)
    assert not source.select("article > hr, article > ul > li:-soup-contains('not a list')")
    meta = _without_bidi(_shown(source.select_one("p.bg-source-meta")))
    assert _without_bidi(_norm(f"Outlet {ALL} {CONTROLS_SHOWN}")) in meta
    assert _without_bidi(_norm(f"Author {ALL} {CONTROLS_SHOWN}")) in meta
    note = _without_bidi(_shown(source.select_one("p.bg-reliability")))
    assert note == _without_bidi(_norm(f"Source reliability: C, fairly reliable. Note {ALL} {CONTROLS_SHOWN}"))
    # names in the article are linked; wikilink-like text is not
    links = {a.get_text(): a["href"] for a in source.select("article p a")}
    assert links.get("Bob Jones") == "../../people/bob-jones/" and "bob-jones" not in links and "Bobby" not in links

    home = html_of(site, "")
    assert _without_bidi(_shown(home.select_one("article h1"))) == _without_bidi(_norm(f"Title {ALL} {CONTROLS_SHOWN}"))
    assert _without_bidi(_norm(f"Overview {ALL} with {_label(ALL)}")) in _without_bidi(_shown(home.select_one("article li")))
    event = html_of(site, "events/hostile-event")
    assert _shown(event.select_one("article h1")) == _norm(f"Event {PAYLOADS['script']} {PAYLOADS['md-link']}")


def test_hostile_descriptions_are_text_in_the_head(hostile: tuple[Path, Path]) -> None:
    corpus, site = hostile
    briefing = check(corpus)
    source = briefing.source["wire-1"]
    expected = {
        "places/hostile-place": summary(f"Description {ALL} {CONTROLS}"),
        "events/hostile-event": summary(PAYLOADS["jinja"]),
        "people/bob-jones": summary(f"Person in the briefing \u201c{briefing.title}\u201d: 0 cited claims from 0 sources."),
        "sources/wire-1": summary(f"Article by {source.outlet}, 4 May 2020: {HEADLINE}"),
        "": summary(" ".join(c.plain for c in briefing.overview)),
    }
    assert expected["places/hostile-place"].startswith("Description <script>") and expected[""].startswith("Overview <script>")
    for page, text in expected.items():
        head = html_of(site, page).head
        [meta] = head.find_all("meta", attrs={"name": "description"})
        assert meta.attrs == {"name": "description", "content": text}, page
        # nothing in the head came from the text: its elements are the theme's own
        assert {el.name for el in head.find_all(True)} <= {"meta", "title", "link", "script", "style"}, page
        assert len(head.find_all("title")) == 1, page


def test_hostile_page_titles_are_not_markup_anywhere(hostile: tuple[Path, Path]) -> None:
    corpus, site = hostile
    # Front matter must parse as YAML: MkDocs would otherwise read it as Markdown, unescaped.
    briefing = check(corpus)
    for path, text in render_site(briefing).items():
        if text.startswith("---\n{"):
            body, meta = get_data(text)
            assert meta and "title" in meta and not body.startswith("{"), path
    # Search shows titles and text as HTML: the index holds them escaped.
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for key, value in doc.items():  # title, text, and any other field (tags...)
            for item in value if isinstance(value, list) else [value]:
                fragment = BeautifulSoup(str(item), "html.parser")
                assert not fragment.find_all(["script", "img", "a", "svg", "div", "style"]), (doc["location"], key)
    titles = [BeautifulSoup(d["title"], "html.parser").get_text() for d in index["docs"]]
    assert any(t.startswith("Place <script>") for t in titles)


def test_two_builds_of_a_hostile_corpus_are_byte_identical(hostile: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, site = hostile
    again = tmp_path / "site"
    # another process, so another hash seed: nothing may depend on set or dict order by hash
    env_seed = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(site.parent / "cfg" / "mkdocs.yml"), "-d", str(again)],
        capture_output=True, text=True, env={**env_seed, "NO_MKDOCS_2_WARNING": "1"}, check=False,
    )
    assert result.returncode == 0, result.stderr
    first = sorted(p.relative_to(site) for p in site.rglob("*.html"))
    assert first == sorted(p.relative_to(again) for p in again.rglob("*.html"))
    for page in first:
        assert (site / page).read_bytes() == (again / page).read_bytes(), page
    assert build(corpus) == build(corpus)


# -- right-to-left names -----------------------------------------------------------------

RTL = {
    "sources.yaml": """\
        - id: wire-1
          file: articles/wire-1.txt
          title: A meeting in Paris
          outlet: Wire
          published: 2020-05-04
        - id: jazeera-1
          file: articles/jazeera-1.txt
          title: اجتماع في باريس
          outlet: الجزيرة
        """,
    "articles/jazeera-1.txt": "اجتماع في باريس\nالتقى عبد الرحمن القادولي في باريس يوم الاثنين.\n",
    "facts/people/abd-al-rahman.yaml": """\
        name: عبد الرحمن القادولي
        claims:
          - text: Met [[alice-smith]] 3 times.
            cite: {source: jazeera-1, quote: التقى عبد الرحمن القادولي في باريس}
        """,
    "facts/places/paris.yaml": """\
        name: Paris
        claims:
          - text: Where [[abd-al-rahman]] 2 and [[bob-jones]] met.
            cite: {source: wire-1, quote: Paris}
        """,
}


def test_right_to_left_names_are_isolated_from_their_neighbours(write_corpus: WriteCorpus, tmp_path: Path) -> None:
    root = write_corpus(RTL)
    site = tmp_path / "site"
    result = mkdocs_build(site_config(root, tmp_path / "cfg"), site)
    assert result.returncode == 0, result.stderr
    name = "عبد الرحمن القادولي"
    # in a sentence, the Arabic name is isolated: "2" after it stays after it
    paris = html_of(site, "places/paris")
    link = next(a for a in paris.select("article li a") if a.get_text() == name)
    assert [c.name for c in link.children] == ["bdi"] and link.bdi.get_text() == name
    assert link.next_sibling.startswith(" 2 and ")
    # in the listing and in citations of an Arabic source, names and titles are isolated too
    people = html_of(site, "people")
    assert [a.bdi.get_text() for a in people.select("article td a") if a.bdi] == [name]
    person = html_of(site, "people/abd-al-rahman")
    note = person.select_one("div.footnote li")
    assert [(b.get("dir"), b.get_text()) for b in note.find_all("bdi")] == [
        ("rtl", "التقى عبد الرحمن القادولي في باريس"), (None, "اجتماع في باريس"), (None, "الجزيرة")]
    # the heading is the name alone; Latin names are not wrapped
    assert _shown(person.select_one("article h1")) == name
    assert not person.select('article a[href$="alice-smith/"] bdi')
    # the article text is shown as written, not isolated word by word
    source = html_of(site, "sources/jazeera-1")
    assert _shown(source.select_one("article h1")) == "اجتماع في باريس"
    paragraph = source.select_one("article > p:not([class])")
    assert _shown(paragraph) == "التقى عبد الرحمن القادولي في باريس يوم الاثنين."
    assert not paragraph.find_all("bdi")


def test_names_among_other_text_are_isolated(write_corpus: WriteCorpus) -> None:
    """An alias before "used by", a name and topic in a heading, an outlet or author before a date."""
    root = write_corpus({
        **RTL,
        "sources.yaml": RTL["sources.yaml"].replace(
            "outlet: الجزيرة", "outlet: الجزيرة\n          published: 2020-05\n          author: مراسل"),
        "facts/people/abd-al-rahman.yaml": """\
            name: عبد الرحمن القادولي
            aliases:
              - name: القادولي
                cite: {source: jazeera-1, quote: القادولي}
            claims:
              - text: Met [[alice-smith]].
                topic: لقاء
                cite: {source: jazeera-1, quote: التقى عبد الرحمن القادولي في باريس}
              - text: Was in Paris on Monday.
                topic: لقاء
                cite: {source: jazeera-1, quote: في باريس يوم الاثنين}
            """,
    })
    pages = build(root)
    assert "\n- <bdi>القادولي</bdi>, used by [<bdi>الجزيرة</bdi>]" in pages["people/abd-al-rahman.md"]
    assert "\n## <bdi>عبد الرحمن القادولي</bdi>: <bdi>لقاء</bdi>\n" in pages["disputes.md"]
    assert ('<p class="bg-source-meta"><bdi>الجزيرة</bdi> · <time datetime="2020-05">May 2020</time> · '
            "<bdi>مراسل</bdi></p>") in pages["sources/jazeera-1.md"]


def test_a_quoted_passage_keeps_the_direction_of_its_paragraph(write_corpus: WriteCorpus) -> None:
    """An Arabic passage reads right to left; an Arabic name quoted from an English sentence keeps that
    sentence's order; a Latin passage is not wrapped."""
    root = write_corpus({
        **RTL,
        "articles/wire-1.txt": ARTICLE + "Rahman, or عبد الرحمن 2, was there.\n",
        "facts/places/paris.yaml": """\
            name: Paris
            claims:
              - text: Where [[abd-al-rahman]] was.
                cite:
                  - {source: wire-1, quote: "عبد الرحمن 2, was"}
                  - {source: jazeera-1, quote: في باريس يوم الاثنين}
                  - {source: wire-1, quote: in Paris}
            """,
    })
    notes = build(root)["places/paris.md"].split("\n[^1]: ", 1)[1]
    assert '\u201c<bdi dir="ltr">عبد الرحمن 2, was</bdi>\u201d' in notes
    assert '\u201c<bdi dir="rtl">في باريس يوم الاثنين</bdi>\u201d' in notes
    assert "\u201cin Paris\u201d" in notes


@pytest.mark.parametrize(("text", "expected"), [
    ("Karim, or كريم", "ltr"),
    ("«كريم» Haddad", "rtl"),
    ("2024 — \u2067كريم\u2069 Haddad", "ltr"),  # an isolate does not count
    ("2024 — ...", None),
])
def test_direction_is_that_of_the_first_strong_letter(text: str, expected: str | None) -> None:
    assert direction(text) == expected


def test_bidi_controls_in_a_name_are_closed_within_it(write_corpus: WriteCorpus) -> None:
    root = write_corpus({
        "facts/people/bob-jones.yaml": 'name: "Bob \\u202Egnp.exe"\n',
        "facts/places/paris.yaml": "name: Paris\nclaims:\n  - text: Home of [[bob-jones]], twice.\n"
                                   "    cite: {source: wire-1, quote: Paris}\n",
    })
    pages = build(root)
    assert "# Bob \u202egnp.exe\u202c\n" in pages["people/bob-jones.md"]
    assert "Home of [<bdi>Bob \u202egnp.exe\u202c</bdi>](../people/bob-jones.md), twice." in pages["places/paris.md"]


@pytest.mark.parametrize(("name", "id"), [
    ("Zoë Ørsted", "zoe-orsted"),
    ("Abd ar-Rahman Mustafa al-Qaduli", "abd-ar-rahman-mustafa-al-qaduli"),
    ("عبد الرحمن مصطفى القادولي", "bd-al-rhmn-mstfa-al-qaduli"),
    ("القادولي", "al-qaduli"),
    ("محمود", "mhmud"),
    ("Мария Иванова", "mariya-ivanova"),
    ("St. Brides' Hospital", "st-brides-hospital"),
    ("<script>alert(1)</script>", "script-alert-1-script"),
    ("../../etc/passwd", "etc-passwd"),
    ("\u202egnp.exe", "gnpexe"),
    ("😀", "grinning"),
    ("", "entity"),
])
def test_suggested_ids_are_readable_and_valid(name: str, id: str) -> None:
    assert suggest_id(name) == id
    assert re.fullmatch(r"[a-z0-9][a-z0-9_-]*", id)


# -- briefgen build --out ----------------------------------------------------------------

@dataclass
class Tree:
    """Every file and link under a folder, with contents, to compare before and after."""

    root: Path
    files: dict[str, bytes | str] = field(default_factory=dict)

    @classmethod
    def of(cls, root: Path) -> Tree:
        tree = cls(root)
        for p in sorted(root.rglob("*")):
            rel = p.relative_to(root).as_posix()
            if p.is_symlink():
                tree.files[rel] = f"-> {os.readlink(p)}"
            elif p.is_file():
                tree.files[rel] = p.read_bytes()
            else:
                tree.files[rel] = "dir"
        return tree


def test_build_into_a_file_fails_and_leaves_it(write_corpus: WriteCorpus, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    root = write_corpus()
    out = tmp_path / "out.md"
    out.write_text("mine", encoding="utf-8")
    before = Tree.of(tmp_path)
    assert main(["build", str(root), "--out", str(out)]) == 3
    assert "exists and is not a folder" in capsys.readouterr().err
    assert Tree.of(tmp_path) == before


def test_build_below_a_file_fails_cleanly(write_corpus: WriteCorpus, tmp_path: Path) -> None:
    root = write_corpus()
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    before = Tree.of(tmp_path)
    result = run_cli("build", str(root), "--out", str(tmp_path / "notes.txt" / "out"))
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert f"cannot create {tmp_path / 'notes.txt' / 'out'}" in result.stderr
    assert Tree.of(tmp_path) == before


def test_build_into_the_corpus_itself_is_refused(write_corpus: WriteCorpus, tmp_path: Path) -> None:
    root = write_corpus()
    before = Tree.of(tmp_path)
    assert main(["build", str(root), "--out", str(root)]) == 3
    assert main(["build", str(root), "--out", str(root / "facts")]) == 3
    assert Tree.of(tmp_path) == before


def test_build_through_a_symlink_writes_into_its_target_only(write_corpus: WriteCorpus, tmp_path: Path) -> None:
    root = write_corpus()
    target = tmp_path / "elsewhere" / "site-md"
    target.mkdir(parents=True)
    link = tmp_path / "out"
    link.symlink_to(target)
    assert main(["build", str(root), "--out", str(link)]) == 0
    assert link.is_symlink() and link.resolve() == target.resolve()
    pages = build(root)
    assert {p.relative_to(target).as_posix() for p in target.rglob("*.md")} == {f"docs/{p}" for p in pages}
    assert (target / MANIFEST).is_file() and (target / "mkdocs.yml").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "elsewhere", "out"]
    assert sorted(p.name for p in (tmp_path / "elsewhere").iterdir()) == ["site-md"]  # no staging left behind
    # a second run replaces the first, through the link again
    assert main(["build", str(root), "--out", str(link)]) == 0
    assert link.is_symlink() and (target / "docs" / "index.md").is_file()


def test_build_never_follows_links_planted_in_its_output(write_corpus: WriteCorpus, tmp_path: Path) -> None:
    root = write_corpus()
    out = tmp_path / "out"
    assert main(["build", str(root), "--out", str(out)]) == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.md").write_text("precious", encoding="utf-8")
    (outside / "keep.txt").write_text("precious", encoding="utf-8")
    # a page replaced by a link out: it is in the manifest, so it may go, but not its target
    (out / "docs" / "index.md").unlink()
    (out / "docs" / "index.md").symlink_to(outside / "index.md")
    assert main(["build", str(root), "--out", str(out)]) == 0
    assert not (out / "docs" / "index.md").is_symlink()
    assert (outside / "index.md").read_text(encoding="utf-8") == "precious"
    # a folder replaced by a link out is not briefgen's: the run stops before writing
    before_outside = Tree.of(outside)
    people = out / "docs" / "people"
    for p in people.iterdir():
        p.unlink()
    people.rmdir()
    people.symlink_to(outside)
    before = Tree.of(out)
    assert main(["build", str(root), "--out", str(out)]) == 3
    assert Tree.of(out) == before and Tree.of(outside) == before_outside


def test_failed_build_leaves_no_staging_folder(write_corpus: WriteCorpus, tmp_path: Path) -> None:
    root = write_corpus()
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("mine", encoding="utf-8")
    assert main(["build", str(root), "--out", str(out)]) == 3
    broken = write_corpus({PARIS: "name: Paris\n\x00"}, name="broken")
    assert main(["build", str(broken), "--out", str(tmp_path / "new")]) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "corpus", "out"]
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
