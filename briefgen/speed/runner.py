"""Runners: how a stage's independent tasks are done, in this process or shared out to forked ones.

A stage takes a ``Runner`` and gets the same results from either: ``Serial`` does the tasks in
order here, ``Forked`` shares them out to processes forked from this one, which does its share.
``runner_for`` picks one for a number of tasks when none is given."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from .pickling import dump

__all__ = ["CAN_FORK", "PARALLEL_FROM", "Forked", "Runner", "Serial", "forked_map", "runner_for"]

_T = TypeVar("_T")

CAN_FORK = sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


@dataclass(frozen=True)
class _Share:
    """One map's work: the tasks cut in chunks, the bounds of the chunks nobody has taken yet (in
    memory that every process shares), and the folder where forked processes leave results."""

    tasks: Sequence[Callable[[], Any]]
    chunk: int
    left: Any  # multiprocessing.Array("q", [first, last])
    spool: str

    def take(self, first: bool) -> int | None:
        """Take the first (or the last) chunk nobody has taken; None when none is left."""
        with self.left.get_lock():
            low, high = self.left[0], self.left[1]
            if low > high:
                return None
            if first:
                self.left[0] = low + 1
                return low  # type: ignore[no-any-return]
            self.left[1] = high - 1
            return high  # type: ignore[no-any-return]

    def run(self, k: int) -> list[Any]:
        return [task() for task in self.tasks[k * self.chunk : (k + 1) * self.chunk]]

    def forked_chunk(self) -> tuple[int, list[Any] | None] | None:
        """In a forked process: the next chunk from the front done, its results left in the spool
        folder (or, if the disk is full, given back); None when none is left."""
        k = self.take(first=True)
        if k is None:
            return None
        results = self.run(k)
        # Results go to a file, not down the pool's pipe: a pipe holds 64 KiB, and this process
        # would wait for the busy calling process to empty it.
        path = os.path.join(self.spool, f"{k}.pickle")
        try:
            with open(path, "wb") as f:
                dump(results, f)
        except OSError:
            with contextlib.suppress(OSError):
                os.remove(path)
            return k, results
        return k, None

    def results(self, done_chunk: tuple[int, list[Any] | None]) -> list[Any]:
        """The results of a chunk a forked process has done."""
        k, results = done_chunk
        if results is None:
            path = os.path.join(self.spool, f"{k}.pickle")
            with open(path, "rb") as f:
                results = pickle.load(f)
            os.remove(path)
        return results


_share: _Share | None = None  # in a forked process: the map it takes part in


def _join(share: _Share) -> None:
    global _share
    _share = share


def _forked_chunk(_: int) -> tuple[int, list[Any] | None] | None:
    assert _share is not None
    return _share.forked_chunk()


def _spool_folder() -> str:
    """A new folder for results: in memory (/dev/shm) if it has room, else the temporary folder."""
    try:
        shm = os.statvfs("/dev/shm")
        roomy = os.access("/dev/shm", os.W_OK) and shm.f_bavail * shm.f_frsize >= 2 << 30
    except OSError:
        roomy = False
    return tempfile.mkdtemp(prefix="briefgen-", dir="/dev/shm" if roomy else None)


def forked_map(tasks: Sequence[Callable[[], _T]], workers: int, done: Callable[[int], None] | None = None,
               chunk: int = 32) -> list[_T]:
    """Each task's result, in the order of the tasks, computed by ``workers`` processes.

    The tasks are cut in chunks of ``chunk``. Forked processes take chunks from the front,
    this process from the back, each the next one free when it is done with one, so that work
    is shared evenly however unequal the tasks; results come back as each chunk is done, while
    this process works on. Forked processes see this process's memory as it was when they
    started; only their results travel back, pickled, so results must be picklable. ``done``
    is told how many tasks are finished, as chunks finish.
    """
    if workers <= 1 or not CAN_FORK or len(tasks) <= chunk:
        results = []
        for task in tasks:
            results.append(task())
            if done is not None:
                done(len(results))
        return results
    chunks = -(-len(tasks) // chunk)
    context = multiprocessing.get_context("fork")
    share = _Share(tasks, chunk, context.Array("q", [0, chunks - 1]), _spool_folder())
    kept = _Results(chunks, done)
    try:
        # Forked, the pool's processes get the share as this process has it: nothing is pickled.
        with context.Pool(workers - 1, initializer=_join, initargs=(share,)) as pool:
            # as many calls as chunks: each takes a chunk, or returns None once all are taken
            forked = pool.imap_unordered(_forked_chunk, range(chunks))
            while (k := share.take(first=False)) is not None:
                kept.keep(k, share.run(k))
                while True:  # collect what the forked processes have finished meanwhile
                    try:
                        result = forked.next(timeout=0)
                    except (multiprocessing.TimeoutError, StopIteration):
                        break
                    if result is not None:
                        kept.keep(result[0], share.results(result))
            for result in forked:
                if result is not None:
                    kept.keep(result[0], share.results(result))
    finally:
        shutil.rmtree(share.spool, ignore_errors=True)
    return kept.all(len(tasks))


class _Results:
    """The results of a map's chunks, as they come back in any order."""

    def __init__(self, chunks: int, done: Callable[[int], None] | None) -> None:
        self.parts: list[list[Any] | None] = [None] * chunks
        self.finished = 0
        self.done = done

    def keep(self, k: int, results: list[Any]) -> None:
        self.parts[k] = results
        self.finished += len(results)
        if self.done is not None:
            self.done(self.finished)

    def all(self, tasks: int) -> list[Any]:
        """Every result, in the order of the tasks."""
        if self.finished != tasks:
            raise RuntimeError(f"forked_map: {tasks - self.finished} of {tasks} tasks came back without results")
        return [result for part in self.parts if part is not None for result in part]


# Below this many tasks a second process costs more than it saves.
PARALLEL_FROM = 400


class Runner(Protocol):
    """Does a list of independent tasks and gives back their results in order."""

    @property
    def workers(self) -> int:
        """How many processes share the tasks."""

    def map(self, tasks: Sequence[Callable[[], _T]], done: Callable[[int], None] | None = None,
            chunk: int = 32) -> list[_T]:
        """Each task's result, in the order of the tasks; ``done`` is told how many are finished."""


@dataclass(frozen=True)
class Serial:
    """Every task in this process, in order."""

    @property
    def workers(self) -> int:
        """One process: this one."""
        return 1

    def map(self, tasks: Sequence[Callable[[], _T]], done: Callable[[int], None] | None = None,
            chunk: int = 32) -> list[_T]:
        """Each task's result, in the order of the tasks."""
        return forked_map(tasks, 1, done, chunk)


@dataclass(frozen=True)
class Forked:
    """Tasks shared out to ``workers`` processes (this one among them), forked where Linux can."""

    workers: int

    def map(self, tasks: Sequence[Callable[[], _T]], done: Callable[[int], None] | None = None,
            chunk: int = 32) -> list[_T]:
        """Each task's result, in the order of the tasks (see ``forked_map``)."""
        return forked_map(tasks, self.workers, done, chunk)


def runner_for(tasks: int, runner: Runner | None = None) -> Runner:
    """The runner given, or for ``tasks`` tasks: one process per CPU (at most 8) from
    PARALLEL_FROM tasks on, where processes can be forked; below it, this process alone."""
    if runner is not None:
        return runner
    if tasks < PARALLEL_FROM or not CAN_FORK:
        return Serial()
    return Forked(min(len(os.sched_getaffinity(0)), 8))
