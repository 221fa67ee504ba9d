"""The collector is paused inside a stage and restored after it, whatever happens; under serve it
runs between builds."""

from __future__ import annotations

import gc

import pytest

from briefgen.speed.gcpause import IdleCollector, paused_gc


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
