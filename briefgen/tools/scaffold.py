"""Scaffolding for curators: add a source record, or create an entity file with a proper id."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml  # only to write scalars; reading is the corpus loader's

from ..corpus.safeyaml import YAMLProblem, load_yaml
from ..kinds import KIND, KINDS
from ..text.escape import capfirst, fold
from ..text.names import ID_PATTERN, suggest_id

__all__ = ["ScaffoldError", "existing_ids", "new_entity", "new_source"]


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


def _source_records(corpus: Path) -> list[dict[str, object]]:
    """The records of sources.yaml, read by the corpus's own YAML loader; none if it has none."""
    sources = corpus / "sources.yaml"
    try:
        records = load_yaml(sources.read_text(encoding="utf-8")) if sources.is_file() else []
    except (YAMLProblem, UnicodeDecodeError):
        raise ScaffoldError("sources.yaml cannot be read; run 'briefgen check' to see why") from None
    return [r for r in records if isinstance(r, dict)] if isinstance(records, list) else []


def _unique(base: str, taken: dict[str, str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _yaml_scalar(value: str) -> str:
    return yaml.safe_dump(value, allow_unicode=True, width=10_000).removesuffix("\n...\n").strip()


def new_source(corpus: Path, article: Path) -> tuple[str, str]:
    """Add a record for an article to sources.yaml (copying the article into articles/ if it
    is outside the corpus). Returns the proposed id and title."""
    if not article.is_file():
        raise ScaffoldError(f"{article} is not a file")
    try:
        text = article.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ScaffoldError(f"{article} is not UTF-8 text; save it as UTF-8 first") from None
    root = corpus.resolve()
    path = article.resolve()
    if not path.is_relative_to(root):
        target = root / "articles" / article.name
        if target.exists() and target.read_bytes() != article.read_bytes():
            raise ScaffoldError(f"{target} exists with other content; rename the article")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(article, target)
        path = target
    rel = path.relative_to(root).as_posix()
    first = next((fold(line) for line in text.splitlines() if line.strip()), "")
    # A first line that reads as a headline is the title; else the file name stands in.
    title = first if first and len(first) <= 150 and not first.endswith((".", '"', "”")) else \
        capfirst(fold(article.stem.replace("_", " ").replace("-", " ")))
    records = _source_records(corpus)
    taken = existing_ids(corpus)
    if any(str(r.get("file")) == rel for r in records):
        raise ScaffoldError(f"sources.yaml already has a record for {rel}")
    id = _unique("-".join(suggest_id(title).split("-")[:8]), taken)
    record = f"- id: {id}\n  file: {_yaml_scalar(rel)}\n  title: {_yaml_scalar(title)}\n"
    sources = corpus / "sources.yaml"
    existing = _records_text(sources.read_text(encoding="utf-8") if sources.is_file() else "")
    separator = "" if not existing or existing.endswith("\n\n") else ("\n" if existing.endswith("\n") else "\n\n")
    sources.write_text(existing + separator + record, encoding="utf-8")
    return id, title


def _records_text(text: str) -> str:
    """sources.yaml's text, ready for a record to follow: the empty list that a new project's
    file holds (``[]``, its comments aside) goes, as the first record takes its place."""
    if _EMPTY_LIST.search(text) and load_yaml(text) == []:  # read already: _source_records
        return _EMPTY_LIST.sub("", text, count=1)
    return text


_EMPTY_LIST = re.compile(r"^\[\][ \t]*(?:#.*)?\n?", re.M)


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
        f"name: {_yaml_scalar(name)}",
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
