"""Work shared out to forked processes gives what one process gives, in the same order."""

from __future__ import annotations

import functools
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.corpus import load_corpus
from briefgen.corpus.problems import Problems
from briefgen.corpus.safeyaml import LineDict, LineList
from briefgen.corpus.validate import build_briefing, validate
from briefgen.site.render import render_site
from briefgen.speed import runner as parallel
from briefgen.speed.cache import ReadCache
from briefgen.speed.runner import Forked, Runner, Serial

from .conftest import HARBOR, ROOT, WriteCorpus

pytestmark = pytest.mark.skipif(not parallel.CAN_FORK, reason="work is shared out only where processes can fork")


def _pid_and(i: int) -> tuple[int, int]:
    return os.getpid(), i * i


_PARENT = os.getpid()
_FORKED_STARTED = multiprocessing.get_context("fork").Event() if parallel.CAN_FORK else None


def _shared_pid_and(i: int) -> tuple[int, int]:
    """This process's tasks wait until a forked process has done one, so that both take part."""
    assert _FORKED_STARTED is not None
    if os.getpid() == _PARENT:
        assert _FORKED_STARTED.wait(timeout=60), "no forked process ever ran a task"
    else:
        _FORKED_STARTED.set()
    return _pid_and(i)


@pytest.mark.parametrize(("workers", "chunk"), [(2, 1), (3, 4), (8, 3)])
def test_results_come_back_in_the_order_of_the_tasks_from_several_processes(workers: int, chunk: int) -> None:
    assert _FORKED_STARTED is not None
    _FORKED_STARTED.clear()
    tasks = [functools.partial(_shared_pid_and, i) for i in range(60)]
    results = parallel.forked_map(tasks, workers, chunk=chunk)
    assert [r for _, r in results] == [i * i for i in range(60)]
    pids = {pid for pid, _ in results}
    assert os.getpid() in pids and len(pids) > 1  # this process did its share, and forked ones the rest


def test_progress_counts_every_finished_task_once() -> None:
    seen: list[int] = []
    parallel.forked_map([functools.partial(_pid_and, i) for i in range(10)], 2, seen.append, chunk=3)
    assert seen == sorted(seen) and seen[-1] == 10 and len(seen) == 4  # once per chunk of 3, 3, 3 and 1


def test_results_come_down_the_pipe_when_they_cannot_be_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "_spool_folder", lambda: str(tmp_path / "missing"))  # every write fails
    assert _FORKED_STARTED is not None
    _FORKED_STARTED.clear()
    results = parallel.forked_map([functools.partial(_shared_pid_and, i) for i in range(20)], 2, chunk=2)
    assert [r for _, r in results] == [i * i for i in range(20)]
    assert len({pid for pid, _ in results}) == 2


def _fails(i: int) -> int:
    if i == 7:
        raise ValueError("task 7 failed")
    return i


@pytest.mark.parametrize("failing", [0, 11])  # the first chunk goes to a forked process, the last to this one
def test_a_task_that_fails_fails_the_whole_map(failing: int) -> None:
    tasks = [functools.partial(_fails, i + 7 - failing) for i in range(12)]
    with pytest.raises(ValueError, match="task 7 failed"):
        parallel.forked_map(tasks, 2, chunk=1)


def _shape(value: object) -> object:
    """A loaded value with the lines it remembers."""
    if isinstance(value, LineDict):
        return ("map", value.line, value.key_lines, {k: _shape(v) for k, v in value.items()})
    if isinstance(value, LineList):
        return ("seq", value.line, value.item_lines, [_shape(v) for v in value])
    return value


def _loaded(root: Path, cache: ReadCache | None = None, runner: Runner | None = None) -> object:
    raw = load_corpus(root, cache, runner=runner)
    return ([(d.file, d.entity_type, d.entity_id, d.failed, _shape(d.data)) for d in raw.entities],
            raw.articles, raw.problems)


def test_a_corpus_read_in_several_processes_is_the_corpus_read_in_one(write_corpus: WriteCorpus) -> None:
    broken = write_corpus({"facts/people/zed.yaml": "name: [unclosed\n", "facts/places/nowhere.yaml": b"\xff\xfe"})
    for root in (HARBOR, broken):
        one = _loaded(root)
        assert _loaded(root, runner=Forked(2)) == one
        cache = ReadCache()
        assert _loaded(root, cache, Forked(2)) == one
        assert {p for p in cache.read if "facts" in p.parts} == set((root / "facts").rglob("*.yaml"))
        cache.read.clear()
        assert _loaded(root, cache, Forked(2)) == one and cache.read == []  # nothing read again


def test_a_corpus_checked_in_several_processes_is_the_corpus_checked_in_one(write_corpus: WriteCorpus) -> None:
    broken = write_corpus({
        "facts/people/zed.yaml": "name: Zed\nclaims:\n  - text: Met [[nobody]].\n    cite: {source: wire-1, quote: nowhere}\n",
        "facts/places/rome.yaml": "name: Rome\ndate: 2020-01-01\n",
        "facts/events/rome.yaml": "name: Rome again\n",
    })
    for root in (HARBOR, broken):
        raw = load_corpus(root)
        one, several = Problems(), Problems()
        briefing = build_briefing(raw, one)
        assert build_briefing(raw, several, runner=Forked(2)) == briefing
        assert several.found() == one.found()  # the same problems, in the same order
        assert (briefing is None) == (root == broken)


def test_a_build_by_the_serial_runner_is_the_build_of_forked_processes(tmp_path: Path) -> None:
    """The speed seam reduced to the serial runner: the corpus read, checked and rendered in
    this process alone gives the same pages, byte for byte, as forked processes sharing it."""
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(corpus), "--entities", "120"],
                   check=True, capture_output=True)

    def pages(runner: Runner) -> dict[str, str]:
        briefing = validate(load_corpus(corpus, runner=runner), runner=runner)
        return render_site(briefing, runner=runner)

    serial = pages(Serial())
    assert len(serial) > 120
    assert list(pages(Forked(2)).items()) == list(serial.items())
