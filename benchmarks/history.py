#!/usr/bin/env python3
"""What reading the corpus's git history adds to a build, and to a rebuild under `mkdocs serve`.

    python benchmarks/history.py [--entities 1000] [--commits 300] [--work /tmp/briefgen-history]

Writes a synthetic corpus (benchmarks/generate.py), commits it, then commits one edit at a time
(each a claim of a random entity reworded, or a claim added), and prints, in one process and
against the same baseline, briefgen's own check of the corpus (load and validate):

- a first read of the history (a build, or the first build of serve);
- a read again at the same HEAD with one file edited and not committed (a save under serve);
- a read after one more commit (serve, after the curator commits).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate

from briefgen.corpus import HistoryReader, load_corpus, read_history, validate

ENV = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
       "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.org",
       "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(root: Path, *args: str, day: int = 0) -> None:
    stamp = time.strftime("%Y-%m-%dT12:00:00Z", time.gmtime(1577880000 + day * 86400))  # from 1 January 2020
    env = {**ENV, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def edit(path: Path, rng: random.Random) -> None:
    """A claim reworded, or a copy of one added with other words."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    claims = data.get("claims") or []
    if not claims:
        data["description"] = f"edited {rng.random():.6f}"
    elif rng.random() < 0.5:
        claims[rng.randrange(len(claims))]["text"] += " (reworded)"
    else:
        claims.append({**claims[0], "text": claims[0]["text"] + " Again.", "topic": f"t{rng.random():.6f}"})
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def timed(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--entities", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=300)
    parser.add_argument("--work", type=Path, default=Path("/tmp/briefgen-history"))
    args = parser.parse_args(argv)
    root = args.work / f"corpus-{args.entities}"
    if args.work.exists():
        shutil.rmtree(args.work)
    generate(root, args.entities)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "begin")
    rng = random.Random(0)
    files = sorted((root / "facts").rglob("*.yaml"))
    for k in range(args.commits):
        edit(rng.choice(files), rng)
        git(root, "commit", "-q", "-am", f"edit {k}", day=1 + k // 3)

    raw = load_corpus(root)
    check, briefing = timed(lambda: validate(load_corpus(root)))
    first, history = timed(lambda: read_history(root, raw))
    reader = HistoryReader()
    reader.read(root, raw)
    edit(files[0], rng)
    edited = load_corpus(root)
    save, _ = timed(lambda: reader.read(root, edited))
    git(root, "commit", "-q", "-am", "one more", day=args.commits)
    after = load_corpus(root)
    commit, _ = timed(lambda: reader.read(root, after), repeat=1)
    print(f"corpus: {len(briefing.entities)} entities, {len(briefing.claims)} claims; "
          f"history: {args.commits + 1} commits, {len(history.days)} days of change")
    print(f"briefgen's check (load + validate):  {check:7.3f} s   1.00x")
    for what, seconds in (("history, first read", first), ("history, a save under serve", save),
                          ("history, after a new commit", commit)):
        print(f"{what + ':':36s} {seconds:7.3f} s   {seconds / check:.2f}x of the check")
    return 0


if __name__ == "__main__":
    sys.exit(main())
