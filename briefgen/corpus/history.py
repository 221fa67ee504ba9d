"""History: the changes of the corpus folder's git history, read with the git command.

Only the corpus folder counts. The history followed is the first-parent line to HEAD (a merged
branch counts on the day it was merged), each commit at its committer's date, in the committer's
own time zone. Edits not yet committed are what the build shows against what HEAD records: they
come first, as not yet committed, and go in no feed.

A reader keeps what it parsed, by blob: under ``mkdocs serve`` the history is read once and only
the commits and edits that are new since the last build are read again.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import os
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..history import Day, EntityFacts, Fact, History, diff_day
from ..kinds import BY_FOLDER
from .problems import FileProblem
from .read import RawCorpus, RawDocument
from .safeyaml import load_yaml

__all__ = ["HistoryReader", "facts_of", "read_history"]

SHALLOW = ("This copy of the repository is a shallow clone, which holds only the latest commits, so "
           "the changes cannot be listed. Fetch the whole history: `git fetch --unshallow`, or in GitHub "
           "Actions, `actions/checkout` with `fetch-depth: 0`.")
NO_GIT = "The corpus is not in a git repository, so the changes of its facts cannot be listed."
NO_COMMITS = "The corpus folder has no commits yet, so no changes are listed."
OVERVIEW = ""  # the id under which the briefing's overview is followed

_Change = tuple[str, str | None]  # (path in the corpus, the new blob, None if deleted)
_Commit = tuple[str, datetime.date, tuple[_Change, ...]]


class _NoHistory(Exception):
    pass


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, env=env, check=False)
    except OSError:
        raise _NoHistory("git is not installed, so the changes of the corpus's facts cannot be listed.") from None
    if done.returncode != 0:
        raise _NoHistory(NO_GIT)
    return done.stdout


def _followed(path: str) -> bool:
    """Whether a file of the corpus holds facts that the history follows."""
    parts = path.split("/")
    return path in ("sources.yaml", "briefing.yaml") or (
        len(parts) == 3 and parts[0] == "facts" and parts[1] in BY_FOLDER and parts[2].endswith(".yaml"))


def _commits(root: Path) -> list[_Commit]:
    """The commits that touch the corpus folder, oldest first, with the files each changed."""
    out = _git(root, "log", "--first-parent", "-m", "--no-renames", "--raw", "--no-abbrev", "-z",
               "--format=%x1e%H %cs", "--relative", "--reverse", "--", ".").decode("utf-8", "surrogateescape")
    commits = []
    for record in out.split("\x1e")[1:]:
        header, _, rest = record.partition("\0")
        sha, day = header.split()
        fields = rest.split("\0")
        changes = []
        for meta, path in zip(fields[0::2], fields[1::2], strict=False):
            blob = meta.split()[3] if meta.strip() else ""
            if _followed(path):
                changes.append((path, None if set(blob) == {"0"} else blob))
        commits.append((sha, datetime.date.fromisoformat(day), tuple(changes)))
    return commits


def _blobs(root: Path, shas: Iterable[str]) -> dict[str, str]:
    """The text of each blob, by its id, from one `git cat-file --batch`."""
    wanted = list(dict.fromkeys(shas))
    if not wanted:
        return {}
    out = _git(root, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in wanted).encode())
    texts: dict[str, str] = {}
    at = 0
    for sha in wanted:
        end = out.index(b"\n", at)
        size = int(out[at:end].split()[2])
        texts[sha] = out[end + 1 : end + 1 + size].decode("utf-8", "replace")
        at = end + 1 + size + 1
    return texts


def _text(value: Any) -> str:
    return "" if value is None or isinstance(value, (dict, list)) else str(value)


def _fact(claim: Any) -> Fact | None:
    if not isinstance(claim, dict):
        return None
    cites = claim.get("cite")
    cites = cites if isinstance(cites, list) else [cites]
    return Fact(_text(claim.get("text")), tuple((_text(c.get("source")), _text(c.get("quote")))
                                                for c in cites if isinstance(c, dict)),
                _text(claim.get("topic")), _text(claim.get("certainty")), _text(claim.get("said_by")),
                _text(claim.get("date")))


def _facts(claims: Any) -> tuple[Fact, ...]:
    return tuple(f for f in map(_fact, claims if isinstance(claims, list) else []) if f is not None)


def facts_of(path: str, data: Any) -> tuple[str, EntityFacts] | dict[str, str] | None:
    """What a followed file records, leniently (an old commit may hold what today's schema
    refuses): an entity file its (id, facts), briefing.yaml the overview's, sources.yaml the
    title of each source by id; None for what is not readable as such."""
    if not _followed(path):
        return None
    if path == "sources.yaml":
        records = data if isinstance(data, list) else []
        return {_text(r.get("id")): _text(r.get("title")) for r in records if isinstance(r, dict) and r.get("id")}
    if not isinstance(data, dict):
        return None
    if path == "briefing.yaml":
        return OVERVIEW, EntityFacts("overview", "Overview", "", (), _facts(data.get("overview")))
    _, folder, file = path.split("/")
    aliases = data.get("aliases")
    names = tuple(_text(a.get("name") if isinstance(a, dict) else a) for a in (aliases if isinstance(aliases, list) else []))
    return file[: -len(".yaml")], EntityFacts(BY_FOLDER[folder].id, _text(data.get("name")),
                                              _text(data.get("description")), names, _facts(data.get("claims")))


class _State:
    """The facts of the corpus at one commit: entities by id, their files, the sources' titles."""

    def __init__(self) -> None:
        self.entities: dict[str, EntityFacts] = {}
        self.files: dict[str, str] = {}  # path -> id
        self.sources: dict[str, str] = {}

    def copy(self) -> _State:
        state = _State()
        state.entities, state.files, state.sources = dict(self.entities), dict(self.files), dict(self.sources)
        return state

    def apply(self, path: str, facts: tuple[str, EntityFacts] | dict[str, str] | None, touched: dict[str, Any]) -> None:
        """The file at path now records facts (None: it is gone or unreadable); ``touched``
        gets each entity id it changes, with the entity as it was before."""
        if path == "sources.yaml":
            self.sources = facts if isinstance(facts, dict) else {}
            return
        gone = self.files.pop(path, None)
        if gone is not None:
            touched.setdefault(gone, self.entities.get(gone))
            self.entities.pop(gone, None)
        if isinstance(facts, tuple):
            id, entity = facts
            touched.setdefault(id, self.entities.get(id))
            self.files[path] = id
            self.entities[id] = entity


class HistoryReader:
    """Reads the history of a corpus folder; keeps what it parsed for the next read."""

    def __init__(self) -> None:
        self._parsed: dict[str, Any] = {}  # blob id -> facts
        self._committed: tuple[str, tuple[Day, ...], _State] | None = None  # at HEAD
        self._read: dict[str, tuple[RawDocument, Any]] = {}  # file -> (document as read, its facts)

    def read(self, root: Path, raw: RawCorpus) -> History:
        """The history of ``root``, with the edits of ``raw`` (the corpus as read now) that HEAD
        does not record."""
        try:
            if _git(root, "rev-parse", "--is-shallow-repository").strip() == b"true":
                return History("shallow", SHALLOW)
            head = _git(root, "rev-parse", "--verify", "-q", "HEAD").decode().strip()
        except _NoHistory as e:
            return History("none", str(e) if str(e) != NO_GIT or not _inside_git(root) else NO_COMMITS)
        now = self._facts_now(raw)
        if self._committed is None or self._committed[0] != head:
            self._parsed.update(_as_read(root, now))
            days, state = self._replay(root, _commits(root))
            self._committed = (head, days, state)
        _, days, state = self._committed
        if not days and not state.entities and not state.sources:
            return History("none", NO_COMMITS)
        pending = _uncommitted(state, now)
        return History("read", "", ((pending,) if pending else ()) + days)

    def _facts_now(self, raw: RawCorpus) -> dict[str, Any]:
        """The facts of each file as the build read it; under serve, a file read again is parsed
        again, the others are kept (the read cache gives the same document back)."""
        docs = [d for d in (raw.briefing, raw.sources, *raw.entities) if d is not None and not d.failed]
        for doc in docs:
            kept = self._read.get(doc.file)
            if kept is None or kept[0] is not doc:
                self._read[doc.file] = (doc, facts_of(doc.file, doc.data))
        return {doc.file: self._read[doc.file][1] for doc in docs}

    def _replay(self, root: Path, commits: list[_Commit]) -> tuple[tuple[Day, ...], _State]:
        blobs = _blobs(root, (b for _, _, changes in commits for _, b in changes if b and b not in self._parsed))
        for _, _, changes in commits:
            for path, blob in changes:
                if blob is not None and blob in blobs:
                    self._parsed[blob] = _parse(path, blobs[blob])
        state, days = _State(), list[Day]()
        for k, (_, day, changes) in enumerate(commits):
            if k == 0 or commits[k - 1][1] != day:
                touched: dict[str, Any] = {}
                start = state.copy()
            for path, blob in changes:
                state.apply(path, self._parsed.get(blob) if blob else None, touched)
            if k + 1 == len(commits) or commits[k + 1][1] != day:
                found = diff_day(day, touched, state.entities, start.sources, state.sources, first=not days)
                if found is not None:
                    days.append(found)
        return _by_date(days), state


def _by_date(days: list[Day]) -> tuple[Day, ...]:
    """The days newest first, one per date: where commits' dates go back in time (a rebase, a
    clock), the changes of one date in two runs of commits are shown together, in history order."""
    merged: dict[datetime.date | None, Day] = {}
    for day in days:
        was = merged.get(day.day)
        merged[day.day] = day if was is None else dataclasses.replace(
            was, claims=was.claims + day.claims, sources=was.sources + day.sources,
            disputes=was.disputes + day.disputes, entities=tuple(dict.fromkeys(was.entities + day.entities)))
    return tuple(sorted(merged.values(), key=lambda d: d.day or datetime.date.max, reverse=True))


def _as_read(root: Path, now: dict[str, Any]) -> dict[str, Any]:
    """The facts of the files as the build read them, by the id git gives their content: most
    of HEAD's files are as they are on disk, and need not be parsed again."""
    known = {}
    for file, facts in now.items():
        try:
            content = (root / file).read_bytes()
        except OSError:
            continue
        known[hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()] = facts
    return known


def _inside_git(root: Path) -> bool:
    try:
        _git(root, "rev-parse", "--git-dir")
        return True
    except _NoHistory:
        return False


def _parse(path: str, text: str) -> Any:
    try:
        return facts_of(path, load_yaml(text))
    except FileProblem:  # a commit with broken YAML: the file reads as it is missing
        return None


def _uncommitted(committed: _State, now: dict[str, Any]) -> Day | None:
    """What the corpus as read now changes against HEAD."""
    state = _State()
    touched: dict[str, Any] = {}
    for file, facts in now.items():
        state.apply(file, facts, touched)
    before = {id: committed.entities.get(id) for id in {*committed.entities, *state.entities}}
    return diff_day(None, before, state.entities, committed.sources, state.sources)


def read_history(root: Path, raw: RawCorpus) -> History:
    """The history of a corpus folder (one read, nothing kept)."""
    return HistoryReader().read(root, raw)

