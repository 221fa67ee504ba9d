"""Serve's file watching: the operating system's file events where it gives them (inotify,
FSEvents, Windows's), MkDocs's polling kept beside them as the net.

MkDocs polls the watched folders every half second, so a save waits a quarter of a second
on average, half a second at worst, before the rebuild starts. It polls because file events
do not reach every file system (Docker's shared folders, network drives); MkDocs went back to
polling for that. Here both run: an event starts the rebuild at once, and a change the poll
then finds is dropped when the file is as the event left it, so one save is one rebuild.
Where events never come, the poll starts the rebuild as before.

The poll lists every file of the corpus (a quarter of a second of Python at 10,000 entities,
twice a second): while a build runs it waits, as it would only slow the build down, and looks
once the build is done (``building``, ``built``).

After the last change MkDocs waits a tenth of a second for more before it rebuilds, as a file
may be reported in the middle of its writing. A file reported closed after writing, or moved
into place (a save through a temporary file), is whole: then the wait is only for other files
saved with it (``WHOLE_WAIT``: 20 ms, as webpack waits).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserverVFS

from .cache import ReadCache

__all__ = ["WHOLE_WAIT", "Watching", "event_driven"]

log = logging.getLogger(__name__)

# What changes a file; inotify also reports files opened and closed unwritten, which the build
# itself does when it reads the corpus: passed on, each rebuild would start another.
CHANGES = frozenset({"created", "deleted", "modified", "moved", "closed"})
WHOLE = frozenset({"closed", "moved"})  # what leaves a file whole: written and closed, or renamed into place
WHOLE_WAIT = 0.02  # seconds: MkDocs's wait for more changes after one that leaves a file whole

Settle = Callable[[bool], None]  # told, at each change, whether it leaves its files whole

Signature = tuple[int, int, int] | None
signature = ReadCache.stamp  # what a poll compares of a file (None where there is none)


def _paths(event: FileSystemEvent) -> tuple[str, ...]:
    return tuple(os.fsdecode(p) for p in (event.src_path, event.dest_path) if p)


class _Seen(FileSystemEventHandler):
    """An event from the operating system: passed on, and each file it names noted as it is now."""

    def __init__(self, handler: FileSystemEventHandler, seen: dict[str, Signature], settle: Settle | None = None) -> None:
        self.handler, self.seen, self.settle = handler, seen, settle

    def dispatch(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGES:
            return
        for path in _paths(event):
            self.seen[path] = signature(path)
        if self.settle is not None and not event.is_directory:  # MkDocs rebuilds for files only
            self.settle(event.event_type in WHOLE)
        self.handler.dispatch(event)


class _Unseen(FileSystemEventHandler):
    """A change a poll found: passed on unless every file it names is as an event left it."""

    def __init__(self, handler: FileSystemEventHandler, seen: dict[str, Signature], dropped: threading.Semaphore,
                 settle: Settle | None = None) -> None:
        self.handler, self.seen, self.dropped, self.settle = handler, seen, dropped, settle

    def dispatch(self, event: FileSystemEvent) -> None:
        if not event.is_directory:
            if all(p in self.seen and self.seen[p] == signature(p) for p in _paths(event)):
                self.dropped.release()
                return
            log.debug("A change no file event reported: %s", event)
            if self.settle is not None:
                self.settle(False)
        self.handler.dispatch(event)


class Watching:
    """An observer for MkDocs's server: each path scheduled on the operating system's observer
    and on a poll like MkDocs's (every ``polling.timeout`` seconds, paused while a build runs),
    the poll's findings dropped where the events saw them first; ``settle`` is told of each
    change passed on whether it leaves its files whole. ``polling``, MkDocs's own, keeps what
    was scheduled on it before."""

    def __init__(self, polling: BaseObserver, native: BaseObserver | None = None, settle: Settle | None = None) -> None:
        self.polling = polling
        self.settle = settle
        self.native = native if native is not None else Observer()
        self.idle = threading.Event()  # set while no build runs
        self.idle.set()
        self.paused = PollingObserverVFS(os.stat, self._listdir, polling_interval=polling.timeout)
        self.seen: dict[str, Signature] = {}
        self.dropped = threading.Semaphore(0)  # released once for each finding dropped (tests wait on it)

    def _listdir(self, path: str | None) -> Iterator[os.DirEntry[str]]:
        self.idle.wait()
        return os.scandir(path)

    def building(self) -> None:
        """A build starts: the poll waits for its end before it looks at the files again."""
        self.idle.clear()

    def built(self) -> None:
        """The build is done (or failed): the poll looks again."""
        self.idle.set()

    def schedule(self, handler: FileSystemEventHandler, path: str, *, recursive: bool = False,
                 **options: Any) -> tuple[ObservedWatch, ObservedWatch | None]:
        """Watch a path both ways; where the system will not (no events there, its limit of
        watches reached), the poll alone."""
        try:
            seen = _Seen(handler, self.seen, self.settle)
            native: ObservedWatch | None = self.native.schedule(seen, path, recursive=recursive, **options)
        except Exception as error:  # whatever the platform's observer raises, the poll still watches
            log.debug("No file events for %s (%s): polled", path, error)
            native = None
        return self.paused.schedule(_Unseen(handler, self.seen, self.dropped, self.settle), path, recursive=recursive,
                                    **options), native

    def unschedule(self, watch: tuple[ObservedWatch, ObservedWatch | None] | ObservedWatch) -> None:
        """Stop watching what ``schedule`` (or the polling observer before it) watched."""
        if isinstance(watch, tuple):
            polled, native = watch
            self.paused.unschedule(polled)
            if native is not None:
                self.native.unschedule(native)
        else:
            self.polling.unschedule(watch)

    def start(self) -> None:
        """Start all; where the operating system's observer cannot start (Linux's limit of
        inotify instances reached), the polls alone."""
        try:
            self.native.start()
        except Exception as error:
            log.warning("No file events (%s): changes are found by looking at the files every half second", error)
            with contextlib.suppress(Exception):
                self.native.stop()
        self.polling.start()
        self.paused.start()

    def stop(self) -> None:
        self.idle.set()  # a poll waiting for a build's end goes on, and stops
        if self.native.is_alive():
            self.native.stop()
        self.polling.stop()
        self.paused.stop()

    def join(self, timeout: float | None = None) -> None:
        if self.native.is_alive():
            self.native.join(timeout)
        self.polling.join(timeout)
        self.paused.join(timeout)

    def is_alive(self) -> bool:
        return bool(self.polling.is_alive() or self.paused.is_alive())


def event_driven(server: Any, paths: list[str]) -> Watching:
    """The server's observer made a ``Watching`` around it, and those of ``paths`` that the
    server already polls (MkDocs's serve: the docs folder and mkdocs.yml) watched through it.
    After a change that leaves a file whole, the server waits ``WHOLE_WAIT`` for more, not its own
    ``build_delay``. Returns the ``Watching``, which is to be told when builds start and end."""
    if isinstance(server.observer, Watching):
        return server.observer
    watching = Watching(server.observer)
    waits = {True: min(WHOLE_WAIT, server.build_delay), False: server.build_delay}

    def settle(whole: bool) -> None:
        server.build_delay = waits[whole]

    watching.settle = settle
    server.observer = watching
    for path in paths:
        try:
            server.unwatch(path)
        except KeyError:
            continue
        server.watch(path)
    return watching
