"""Python's cyclic garbage collector, kept from scanning what it need not: paused while a stage
builds many long-lived objects, kept off a clean build's heap in MkDocs's page loop, under
serve run between rebuilds rather than during them, and kept off the heap as the process exits."""

from __future__ import annotations

import atexit
import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["Frozen", "IdleCollector", "no_collection_at_exit", "paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic collector for the block (or, as a decorator, the call).

    The stages allocate hundreds of thousands of objects that all stay alive: each automatic
    collection scans the whole growing heap again, and at 100,000 claims that doubled the time
    of validation. Reference counting still frees whatever dies; cycles wait for the next
    collection after the block.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Frozen:
    """The heap as it stands kept out of the cyclic collector's scans, from ``freeze`` to
    ``thaw``: MkDocs's page loop allocates as it goes, and each full collection that sets off
    scans the briefing and every rendered page again (3 of the 7 s the collector took of a
    10,000-entity build). Thawed, they are collected as before.

    Not ``enabled`` under serve, where the collector is off during builds and ``IdleCollector``
    freezes the heap between them."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.frozen = False

    def freeze(self) -> None:
        """Keep what is alive now out of the collector's scans."""
        if self.enabled:
            gc.freeze()
            self.frozen = True

    @contextmanager
    def kept(self) -> Iterator[None]:
        """The collector paused for the block, and what is alive at its end frozen before the
        collector is on again (it would otherwise scan everything the block made)."""
        with paused_gc():
            yield
            self.freeze()

    def thaw(self) -> None:
        """Give the collector back what ``freeze`` kept from it."""
        if self.frozen:
            gc.unfreeze()
            self.frozen = False


class IdleCollector:
    """Under serve: the cyclic collector kept from running during rebuilds, and run when serve is
    idle instead, ``delay`` seconds after a build (and at once before a build if ``most`` builds
    have gone by without it). A full collection of a 1,000-entity serve's heap takes 0.3 s, which a
    rebuild paid every few saves when its paused stages let the collector run again.

    What survives the collection made while idle is frozen until the next, and so is the heap
    of serve's first build (what every rebuild keeps: the briefing, the pages) until the first: a
    collection made before a build (saves in quick succession) scans only what the builds since
    have made. Garbage among the frozen waits for the next idle collection."""

    def __init__(self, delay: float = 2.0, most: int = 5) -> None:
        self.delay, self.most = delay, most
        self.uncollected = 0  # builds since the last collection
        self.timer: threading.Timer | None = None
        self.frozen = False  # whether a heap is kept out of the scans of collections before builds

    def hold(self) -> None:
        """A build starts: no collection until it ends."""
        if self.timer is not None:
            self.timer.cancel()
        gc.disable()
        if self.uncollected >= self.most:
            self.collect()

    def later(self) -> None:
        """A build ended: collect once serve has been idle for ``delay`` seconds."""
        self.uncollected += 1
        if not self.frozen:
            gc.freeze()
            self.frozen = True
        self.timer = threading.Timer(self.delay, self.idle)
        self.timer.daemon = True
        self.timer.start()

    def collect(self) -> None:
        """A collection now, of what is not frozen."""
        gc.collect()
        self.uncollected = 0

    def idle(self) -> None:
        """A collection of the whole heap, and what is alive after it frozen."""
        gc.unfreeze()
        self.collect()
        gc.freeze()
        self.frozen = True

    def stop(self) -> None:
        """Serve stops: the collector runs by itself again, over the whole heap."""
        if self.timer is not None:
            self.timer.cancel()
        gc.unfreeze()
        self.frozen = False
        gc.enable()


def no_collection_at_exit() -> None:
    """When the process exits, what is alive then is freed without the collector walking it.

    Python collects the whole heap as it exits, after the exit functions run: after a
    10,000-entity build, the process took 7.7 s to end, 0.8 s without it. Everything is freed as
    the process ends in any case. Once per process, however often it is called."""
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
