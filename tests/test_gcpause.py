"""The collector is paused inside a stage and restored after it, whatever happens; under serve it
runs between builds; as the process exits, it does not walk the heap."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap
import weakref

import pytest

from briefgen.speed.gcpause import IdleCollector, paused_gc

from .conftest import ROOT, SEEDS


def test_the_collector_is_paused_inside_and_restored_after_an_error() -> None:
    seen = []

    @paused_gc()
    def stage(fail: bool) -> None:
        seen.append(gc.isenabled())
        if fail:
            raise ValueError("bad corpus")

    assert gc.isenabled()
    stage(False)
    with pytest.raises(ValueError):
        stage(True)
    assert seen == [False, False] and gc.isenabled()


def test_a_paused_collector_stays_paused_after_a_nested_stage() -> None:
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_builds_that_follow_each_other_with_no_idle_time_between_still_collect_every_few_builds() -> None:
    collector = IdleCollector(delay=3600, most=2)  # serve never idle
    full: list[int] = []

    def counted(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(1)

    gc.callbacks.append(counted)
    try:
        for _ in range(2):
            collector.hold()
            collector.later()
        assert full == [] and not gc.isenabled()
        collector.hold()  # two builds gone by without a collection: this one collects first
        assert full == [1]
        collector.later()
    finally:
        gc.callbacks.remove(counted)
        collector.stop()
    assert gc.isenabled()


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_the_heap_an_idle_collection_leaves_is_scanned_again_only_at_the_next_idle_collection() -> None:
    """Saves in quick succession pay a collection of what the builds since serve was idle made,
    not of the whole heap; garbage among the frozen is freed when serve is idle again."""
    collector = IdleCollector(delay=3600, most=1)
    try:
        old = _Cycle()
        collector.idle()
        assert gc.get_freeze_count() > 0 and not any(o is old for o in gc.get_objects())
        new = _Cycle()
        dropped_old, dropped_new = weakref.ref(old), weakref.ref(new)
        del old, new
        collector.hold()
        collector.later()
        collector.hold()  # a build right after the last: this one collects first, what is not frozen
        assert dropped_new() is None and dropped_old() is not None
        collector.later()
        collector.idle()
        assert dropped_old() is None and gc.get_freeze_count() > 0
    finally:
        collector.stop()
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_the_first_builds_heap_is_not_scanned_by_the_collections_of_quick_saves_after_it() -> None:
    """Saves in quick succession right after serve starts pay a collection of what the builds
    since the first made, not of the whole heap the first build left."""
    collector = IdleCollector(delay=3600, most=1)
    try:
        first = _Cycle()  # made by serve's first build
        collector.hold()
        collector.later()
        new = _Cycle()  # made by the rebuild after it
        dropped_first, dropped_new = weakref.ref(first), weakref.ref(new)
        del first, new
        collector.hold()  # a build right after the first: this one collects first, what is not frozen
        assert dropped_new() is None and dropped_first() is not None
        collector.later()
        collector.idle()
        assert dropped_first() is None
    finally:
        collector.stop()
    assert gc.get_freeze_count() == 0 and gc.isenabled()


# A cycle that only the collector frees, which says so when it is freed.
_EXITING = """
import gc, os
os.environ["NO_MKDOCS_2_WARNING"] = "1"
{setup}
class Node:
    def __del__(self):
        print("collected", flush=True)
node = Node()
node.self = node
del node
"""


@pytest.mark.parametrize(("setup", "collected"), [
    ("", True),
    ("from briefgen.speed.gcpause import no_collection_at_exit\nno_collection_at_exit()\nno_collection_at_exit()", False),
    # a build, or a serve, starting: the plugin's on_startup
    (f"from mkdocs.config import load_config\nconfig = load_config({str(ROOT / 'mkdocs.yml')!r})\n"
     f"config.plugins['briefgen'].config.corpus = {str(SEEDS)!r}\nconfig.plugins.on_startup(command='build', dirty=False)",
     False),
])
def test_as_the_process_exits_the_collector_does_not_walk_the_heap(setup: str, collected: bool) -> None:
    """After a build, the heap is freed as the process ends without the collection Python makes
    as it exits (seconds after a large build)."""
    run = subprocess.run([sys.executable, "-c", textwrap.dedent(_EXITING.format(setup=setup))], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    assert ("collected" in run.stdout) == collected
