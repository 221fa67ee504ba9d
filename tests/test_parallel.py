"""Work shared out to forked processes gives what one process gives, in the same order."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

from briefgen import load, parallel
from briefgen.load import LineDict, LineList, ReadCache, load_corpus

from .conftest import HARBOR, WriteCorpus

pytestmark = pytest.mark.skipif(not parallel.CAN_FORK, reason="work is shared out only where processes can fork")


def _pid_and(i: int) -> tuple[int, int]:
    return os.getpid(), i * i


@pytest.mark.parametrize("workers", [2, 3, 8])
def test_results_come_back_in_the_order_of_the_tasks_from_several_processes(workers: int) -> None:
    tasks = [functools.partial(_pid_and, i) for i in range(25)]
    results = parallel.forked_map(tasks, workers)
    assert [r for _, r in results] == [i * i for i in range(25)]
    pids = {pid for pid, _ in results}
    assert os.getpid() in pids and len(pids) > 1  # this process did its share, and forked ones the rest


def test_this_process_reports_each_task_it_finishes() -> None:
    seen: list[int] = []
    parallel.forked_map([functools.partial(_pid_and, i) for i in range(10)], 2, seen.append)
    assert seen == [1, 2, 3, 4, 5]


def _fails(i: int) -> int:
    if i == 7:
        raise ValueError("task 7 failed")
    return i


@pytest.mark.parametrize("failing", [6, 7])  # 6 is this process's share, 7 the forked one's
def test_a_task_that_fails_fails_the_whole_map(failing: int) -> None:
    tasks = [functools.partial(_fails, i + 7 - failing) for i in range(12)]
    with pytest.raises(ValueError, match="task 7 failed"):
        parallel.forked_map(tasks, 2)


def _shape(value: object) -> object:
    """A loaded value with the lines it remembers."""
    if isinstance(value, LineDict):
        return ("map", value.line, value.key_lines, {k: _shape(v) for k, v in value.items()})
    if isinstance(value, LineList):
        return ("seq", value.line, value.item_lines, [_shape(v) for v in value])
    return value


def _loaded(root: Path, cache: ReadCache | None = None) -> object:
    raw = load_corpus(root, cache)
    return ([(d.file, d.entity_type, d.entity_id, d.failed, _shape(d.data)) for d in raw.entities],
            raw.articles, raw.problems)


def test_a_corpus_read_in_several_processes_is_the_corpus_read_in_one(
        write_corpus: WriteCorpus, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = write_corpus({"facts/people/zed.yaml": "name: [unclosed\n", "facts/places/nowhere.yaml": b"\xff\xfe"})
    for root in (HARBOR, broken):
        one = _loaded(root)
        monkeypatch.setattr(load, "PARALLEL_FROM", 1)
        assert _loaded(root) == one
        cache = ReadCache()
        assert _loaded(root, cache) == one
        assert {p for p in cache.read if "facts" in p.parts} == set((root / "facts").rglob("*.yaml"))
        cache.read.clear()
        assert _loaded(root, cache) == one and cache.read == []  # nothing read again
        monkeypatch.undo()
