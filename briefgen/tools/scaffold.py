"""Scaffolding for curators: add source records (from text files, saved web pages or WARC files),
or create an entity file with a proper id."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml  # only to write scalars; reading is the corpus loader's

from ..corpus.safeyaml import YAMLProblem, load_yaml
from ..kinds import KIND, KINDS
from ..text.escape import capfirst, fold
from ..text.names import ID_PATTERN, suggest_id
from .webpage import HTML_SUFFIXES, WARC_SUFFIXES, Page, PageError, is_warc, looks_like_html, read_html, read_warc

__all__ = ["Added", "ImportProblems", "ScaffoldError", "existing_ids", "new_entity", "new_source", "new_sources", "yaml_scalar"]


class ScaffoldError(Exception):
    """The file cannot be added: the message says why and what to do."""


def existing_ids(corpus: Path) -> dict[str, str]:
    """Every id in use (entity file stems and source ids), with where it is used."""
    ids: dict[str, str] = {}
    for kind in KINDS:
        for path in sorted((corpus / "facts" / kind.folder).glob("*.y*ml")):
            ids.setdefault(path.stem, path.relative_to(corpus).as_posix())
    for record in _source_records(corpus):
        id = record.get("id")
        if isinstance(id, str):
            ids.setdefault(id, "sources.yaml")
    return ids


def _unique(base: str, taken: dict[str, str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def yaml_scalar(value: str) -> str:
    """A value as one YAML scalar, quoted where YAML would read it otherwise."""
    return yaml.safe_dump(value, allow_unicode=True, width=10_000).removesuffix("\n...\n").strip()


@dataclass(frozen=True)
class Added:
    """A source record added to sources.yaml."""

    id: str
    title: str
    file: str  # the article's text, relative to the corpus root
    page: str | None = None  # the saved page kept beside it, when its metadata was proposed from one
    origin: str = ""  # the input it came from, as given


class ImportProblems(Exception):
    """Inputs that cannot be added: each problem names its file, says why and what to do.

    ``conflict`` is true when every problem is with the corpus (a record or file already
    there), not with the inputs themselves.
    """

    def __init__(self, problems: Sequence[str], conflict: bool = False) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)
        self.conflict = conflict


IMPORTABLE = (".txt", *HTML_SUFFIXES, *WARC_SUFFIXES)


def _expand(path: Path, problems: list[str]) -> list[Path]:
    """The file named, or each importable file in the folder named, in name order."""
    if path.is_dir():
        inside = sorted((p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")
                         and p.name.lower().endswith(IMPORTABLE)), key=lambda p: p.name)
        if not inside:
            problems.append(f"{path}: no .txt, .html, .htm or .warc(.gz) file in this folder")
        return inside
    if path.is_file():
        return [path]
    problems.append(f"{path}: no such file or folder")
    return []


@dataclass
class _Plan:
    """What importing the inputs writes: files, then records appended to sources.yaml."""

    files: list[tuple[Path, bytes]] = field(default_factory=list)
    records: list[str] = field(default_factory=list)
    added: list[Added] = field(default_factory=list)
    taken: dict[str, str] = field(default_factory=dict)  # ids in use or planned
    listed: set[str] = field(default_factory=set)  # article files sources.yaml has, or will have
    stems: set[str] = field(default_factory=set)  # names in articles/, which a page's files must not take


def _plan_text(corpus: Path, article: Path, data: bytes, plan: _Plan, problems: list[str], conflicts: list[str]) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(f"{article}: neither an HTML page, a WARC file nor UTF-8 text "
                        "(save the article's page as HTML, or its text as UTF-8 .txt)")
        return
    root = corpus.resolve()
    path = article.resolve()
    if not path.is_relative_to(root):
        target = root / "articles" / article.name
        if (target.exists() and target.read_bytes() != data) or any(f == target for f, _ in plan.files):
            conflicts.append(f"{article}: {target} exists with other content; rename the article")
            return
        if not target.exists():
            plan.files.append((target, data))
            plan.stems.add(target.name.split(".")[0])
        path = target
    rel = path.relative_to(root).as_posix()
    if rel in plan.listed:
        conflicts.append(f"{article}: sources.yaml already has a record for {rel}")
        return
    first = next((fold(line) for line in text.splitlines() if line.strip()), "")
    # A first line that reads as a headline is the title; else the file name stands in.
    title = first if first and len(first) <= 150 and not first.endswith((".", '"', "”")) else _title_from(article.stem)
    id = _unique("-".join(suggest_id(title).split("-")[:8]), plan.taken)
    plan.taken[id] = str(article)
    plan.listed.add(rel)
    plan.records.append(f"- id: {id}\n  file: {yaml_scalar(rel)}\n  title: {yaml_scalar(title)}\n")
    plan.added.append(Added(id, title, rel, origin=str(article)))


def _title_from(name: str) -> str:
    return capfirst(fold(name.replace("_", " ").replace("-", " "))) or "Untitled"


def _page_id(page: Page, title: str) -> str:
    """outlet-date-headline, as far as the page gives them: "halvard-courier-2026-03-14-skelde-ferry-returns"."""
    outlet = [w for w in suggest_id(page.outlet).split("-") if w != "the"][:3] if page.outlet else []
    date = [page.published] if page.published else []
    words = suggest_id(title).split("-")
    return "-".join([*outlet, *date, *words[: 3 if outlet or date else 8]])


def _plan_page(corpus: Path, page: Page, name: str, plan: _Plan) -> None:
    title = page.title or _title_from(name)
    id = _unique(_page_id(page, title), {**dict.fromkeys(plan.stems, ""), **plan.taken})
    plan.taken[id] = page.origin
    text_file, page_file = f"articles/{id}.txt", f"articles/{id}.html"
    plan.stems.add(id)
    plan.files += [(corpus / text_file, page.text.encode("utf-8")), (corpus / page_file, page.html)]
    plan.listed.add(text_file)
    fields = [("id", id), ("file", text_file), ("title", title), ("outlet", page.outlet), ("author", page.author)]
    lines = [f"# Proposed from the saved page {page_file}: check the title, outlet, author, published date and url."]
    lines += [f"{'- ' if key == 'id' else '  '}{key}: {yaml_scalar(value)}" for key, value in fields if value]
    if page.published:
        lines.append(f"  published: {page.published}")  # YYYY-MM-DD, which YAML reads as a date
    if page.url:
        lines.append(f"  url: {yaml_scalar(page.url)}")
    plan.records.append("\n".join(lines) + "\n")
    plan.added.append(Added(id, title, text_file, page_file, page.origin))


def new_sources(corpus: Path, inputs: Sequence[Path]) -> list[Added]:
    """Add a record to sources.yaml for each article given: a .txt file (copied into articles/
    if it is outside the corpus), a saved HTML page or a WARC file (its text extracted into
    articles/<id>.txt, the page kept as articles/<id>.html, its metadata proposed in the record),
    or a folder of them. Every input is read first: if any cannot be added, nothing is written
    and ImportProblems names each."""
    problems: list[str] = []
    conflicts: list[str] = []
    plan = _Plan(taken=existing_ids(corpus), listed=set(_source_files(corpus)))
    articles = corpus / "articles"
    if articles.is_dir():  # a file there must not be overwritten by a page's text or saved page
        plan.stems.update(path.name.split(".")[0] for path in articles.iterdir())
    for path in (file for given in inputs for file in _expand(given, problems)):
        try:
            if is_warc(path):
                for page in read_warc(path):
                    _plan_page(corpus, page, Path(urlsplit(page.url or "").path).stem or path.stem, plan)
                continue
            data = path.read_bytes()
        except PageError as e:
            problems.append(str(e))
            continue
        except OSError as e:
            problems.append(f"{path}: cannot be read ({e.strerror})")
            continue
        if path.suffix.lower() in HTML_SUFFIXES or (path.suffix.lower() != ".txt" and looks_like_html(data)):
            try:
                page = read_html(data, str(path))
            except PageError as e:
                problems.append(str(e))
                continue
            _plan_page(corpus, page, path.stem, plan)
        else:
            _plan_text(corpus, path, data, plan, problems, conflicts)
    if problems or conflicts:
        raise ImportProblems([*problems, *conflicts], conflict=not problems)
    _write(corpus, plan)
    return plan.added


def _write(corpus: Path, plan: _Plan) -> None:
    """Write the planned files, then sources.yaml in one step; on failure remove what was written."""
    sources = corpus / "sources.yaml"
    existing = _records_text(sources.read_text(encoding="utf-8") if sources.is_file() else "")
    separator = "" if not existing or existing.endswith("\n\n") else ("\n" if existing.endswith("\n") else "\n\n")
    written: list[Path] = []
    folders = [p for p in {f.parent for f, _ in plan.files} if not p.exists()]
    temporary = sources.with_name(".sources.yaml.new")
    try:
        for path, data in plan.files:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("xb") as out:  # x: never overwrite a file
                written.append(path)
                out.write(data)
        temporary.write_text(existing + separator + "\n".join(plan.records), encoding="utf-8")
        os.replace(temporary, sources)
    except OSError as e:
        for path in [*written, temporary]:
            path.unlink(missing_ok=True)
        for folder in folders:
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        raise ScaffoldError(f"cannot write {e.filename}: {e.strerror}; nothing was added") from None


def new_source(corpus: Path, article: Path) -> tuple[str, str]:
    """Add a record for one article (see new_sources). Returns the proposed id and title."""
    try:
        added = new_sources(corpus, [article])
    except ImportProblems as e:
        raise ScaffoldError("; ".join(e.problems)) from None
    return added[0].id, added[0].title


def _records_text(text: str) -> str:
    """sources.yaml's text, ready for a record to follow: the empty list that a new project's
    file holds (``[]``, its comments aside) goes, as the first record takes its place."""
    if _EMPTY_LIST.search(text) and load_yaml(text) == []:  # read already: _source_records
        return _EMPTY_LIST.sub("", text, count=1)
    return text


_EMPTY_LIST = re.compile(r"^\[\][ \t]*(?:#.*)?\n?", re.M)


def _source_records(corpus: Path) -> list[dict[str, object]]:
    """The records of sources.yaml, read by the corpus's own YAML loader; none if it has none."""
    sources = corpus / "sources.yaml"
    try:
        records = load_yaml(sources.read_text(encoding="utf-8")) if sources.is_file() else []
    except (YAMLProblem, UnicodeDecodeError):
        raise ScaffoldError("sources.yaml cannot be read; run 'briefgen check' to see why") from None
    return [r for r in records if isinstance(r, dict)] if isinstance(records, list) else []


def _source_files(corpus: Path) -> list[str]:
    return [str(r.get("file")) for r in _source_records(corpus)]


def new_entity(corpus: Path, type: str, name: str, id: str | None = None) -> Path:
    """Create facts/<folder>/<id>.yaml for a new entity, with the id derived from the name."""
    name = fold(name)
    if not name:
        raise ScaffoldError("the name is empty")
    id = id or suggest_id(name)
    if not ID_PATTERN.fullmatch(id):
        raise ScaffoldError(f"id '{id}' is not valid: use lowercase letters, digits, '-' and '_'")
    taken = existing_ids(corpus)
    if id in taken:
        raise ScaffoldError(f"id '{id}' is already used by {taken[id]}; give another with --id")
    path = corpus / "facts" / KIND[type].folder / f"{id}.yaml"
    lines = [
        f"name: {yaml_scalar(name)}",
        '# description: one plain line, e.g. "Harbour master of Port Halvard"',
        *(["# date: YYYY-MM-DD  (a claim below must carry the same date)"] if type == "event" else []),
        "# aliases:",
        "#   - name: Another Name",
        '#     cite: {source: SOURCE-ID, quote: "the words the source used"}',
        "# claims:",
        "#   - text: What the source says, linking [[other-id]].",
        '#     cite: {source: SOURCE-ID, quote: "verbatim words from the article"}',
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
