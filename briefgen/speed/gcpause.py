"""Python's cyclic garbage collector, paused while a stage builds many long-lived objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


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
