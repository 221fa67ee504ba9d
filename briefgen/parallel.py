"""Independent tasks shared out to forked processes, the calling process doing its share."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["CAN_FORK", "default_workers", "forked_map"]

_T = TypeVar("_T")

CAN_FORK = sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()
_tasks: Sequence[Callable[[], Any]] = ()
_step = 1


def default_workers(tasks: int, threshold: int) -> int:
    """How many processes share ``tasks`` tasks: one per CPU (at most 8) from ``threshold`` on,
    where processes can be forked; below it a second process costs more than it saves."""
    if tasks < threshold or not CAN_FORK:
        return 1
    return min(len(os.sched_getaffinity(0)), 8)


def _share(k: int, done: Callable[[int], None] | None = None) -> list[Any]:
    results = []
    for i in range(k, len(_tasks), _step):
        results.append(_tasks[i]())
        if done is not None:
            done(len(results))
    return results


def forked_map(tasks: Sequence[Callable[[], _T]], workers: int,
               done: Callable[[int], None] | None = None) -> list[_T]:
    """Each task's result, in the order of the tasks, computed by ``workers`` processes.

    This process takes every ``workers``-th task from the first, each forked process the same
    stride from the next (strides, not runs, so that tasks of one kind, cheap or dear, are
    shared evenly). Forked processes see this process's memory as it was when they started;
    only their results travel back, pickled, so results must be picklable. ``done`` is told
    how many tasks this process has finished, after each.
    """
    global _tasks, _step
    if workers <= 1 or not CAN_FORK or len(tasks) < 2:
        results = []
        for task in tasks:
            results.append(task())
            if done is not None:
                done(len(results))
        return results
    workers = min(workers, len(tasks))
    _tasks, _step = tasks, workers
    try:
        with multiprocessing.get_context("fork").Pool(workers - 1) as pool:
            pending = pool.map_async(_share, range(1, workers), chunksize=1)
            shares = [_share(0, done), *pending.get()]
    finally:
        _tasks, _step = (), 1
    return [shares[i % workers][i // workers] for i in range(len(tasks))]
