"""The collector is paused inside a stage and restored after it, whatever happens."""

from __future__ import annotations

import gc

import pytest

from briefgen.speed.gcpause import paused_gc


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
