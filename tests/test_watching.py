"""Serve's file watching: a save starts the rebuild when the operating system reports it, and the
poll MkDocs runs beside it neither starts a second rebuild nor is lost where events never come."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer
from watchdog.events import (
    DirModifiedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers.polling import PollingObserver

from briefgen.speed.watching import WHOLE_WAIT, Signature, Watching, _Seen, _Unseen, event_driven

from .conftest import WriteCorpus
from .site import site_config

WAIT = 10  # seconds: a limit for what normally takes milliseconds, never a pause


class Recorder(FileSystemEventHandler):
    """MkDocs's handler, recording: each event, and a wake-up for whoever waits on one."""

    def __init__(self) -> None:
        self.events: list[FileSystemEvent] = []
        self.arrived = threading.Condition()

    def on_any_event(self, event: FileSystemEvent) -> None:
        with self.arrived:
            self.events.append(event)
            self.arrived.notify_all()

    def wait_for(self, event_type: str, path: Path) -> bool:
        with self.arrived:
            return self.arrived.wait_for(
                lambda: any(e.event_type == event_type and os.fsdecode(e.src_path) == str(path) for e in self.events),
                timeout=WAIT)


@pytest.fixture
def watching(tmp_path: Path) -> Iterator[tuple[Watching, Recorder]]:
    # The poll's first look comes a second after the start (its first listing is made by start()
    # itself): a save made at once is reported by its event long before the poll can find it.
    watcher, recorder = Watching(PollingObserver(timeout=1.0)), Recorder()
    watcher.schedule(recorder, str(tmp_path), recursive=True)
    watcher.start()
    yield watcher, recorder
    watcher.stop()
    watcher.join(WAIT)


def test_a_save_is_reported_by_the_event_and_the_poll_finding_it_later_is_dropped(
        watching: tuple[Watching, Recorder], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    watcher, recorder = watching
    caplog.set_level(logging.DEBUG, logger="briefgen.speed.watching")
    (tmp_path / "paris.yaml").write_text("name: Paris\n", encoding="utf-8")
    assert recorder.wait_for("closed", tmp_path / "paris.yaml")
    assert watcher.dropped.acquire(timeout=WAIT)  # the poll found the new file and left it
    assert "no file event reported" not in caplog.text


def test_the_builds_own_reading_of_the_corpus_starts_no_rebuild(watching: tuple[Watching, Recorder],
                                                                tmp_path: Path) -> None:
    recorder = watching[1]
    (tmp_path / "paris.yaml").write_text("name: Paris\n", encoding="utf-8")
    assert recorder.wait_for("closed", tmp_path / "paris.yaml")
    (tmp_path / "paris.yaml").read_text(encoding="utf-8")
    (tmp_path / "london.yaml").write_text("name: London\n", encoding="utf-8")
    # one queue, in order: by the time the second save arrives, the reading before it has too
    assert recorder.wait_for("closed", tmp_path / "london.yaml")
    assert {e.event_type for e in recorder.events} <= {"created", "modified", "closed"}


class Unwatchable(PollingObserver):
    """An operating system's observer that can watch nothing (its limit of watches reached)."""

    def schedule(self, *args: Any, **kwargs: Any) -> Any:
        raise OSError(28, "inotify watch limit reached")


class Unstartable(PollingObserver):
    """An operating system's observer that cannot start (its limit of instances reached)."""

    def start(self) -> None:
        raise OSError(24, "inotify instance limit reached")


@pytest.mark.parametrize(("native", "said"), [(Unwatchable, "No file events for"), (Unstartable, "No file events (")])
def test_where_no_file_events_come_the_poll_alone_finds_the_save(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                                native: type[PollingObserver], said: str) -> None:
    caplog.set_level(logging.DEBUG, logger="briefgen.speed.watching")
    watcher, recorder = Watching(PollingObserver(timeout=0.05), native()), Recorder()
    watcher.schedule(recorder, str(tmp_path), recursive=True)
    watcher.start()
    try:
        (tmp_path / "paris.yaml").write_text("name: Paris\n", encoding="utf-8")
        assert recorder.wait_for("created", tmp_path / "paris.yaml")
    finally:
        watcher.stop()
        watcher.join(WAIT)
    assert said in caplog.text


class _Gate(threading.Event):
    """The event a poll waits on while a build runs, saying when a poll has come to wait."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting = threading.Semaphore(0)

    def wait(self, timeout: float | None = None) -> bool:
        if not self.is_set():
            self.waiting.release()
        return super().wait(timeout)


def test_the_poll_waits_while_a_build_runs_and_then_finds_what_changed(tmp_path: Path) -> None:
    """Listing every file of a large corpus while a build runs would slow the build: the poll
    waits for its end, then finds the change (here no events come: the poll alone reports)."""
    watcher, recorder = Watching(PollingObserver(timeout=0.05), Unwatchable()), Recorder()
    watcher.idle = gate = _Gate()
    gate.set()
    watcher.schedule(recorder, str(tmp_path), recursive=True)
    watcher.start()
    try:
        watcher.building()
        assert gate.waiting.acquire(timeout=WAIT)  # the next poll waits, before it lists anything
        (tmp_path / "paris.yaml").write_text("name: Paris\n", encoding="utf-8")
        assert recorder.events == []
        watcher.built()
        assert recorder.wait_for("created", tmp_path / "paris.yaml")
    finally:
        watcher.stop()
        watcher.join(WAIT)
    assert not watcher.is_alive()


def test_serve_stopping_during_a_build_stops_the_waiting_poll(tmp_path: Path) -> None:
    watcher = Watching(PollingObserver(timeout=0.05), Unwatchable())
    watcher.idle = gate = _Gate()
    gate.set()
    watcher.schedule(Recorder(), str(tmp_path), recursive=True)
    watcher.start()
    watcher.building()
    assert gate.waiting.acquire(timeout=WAIT)
    watcher.stop()
    watcher.join(WAIT)
    assert not watcher.is_alive()


def test_a_poll_finding_a_file_changed_since_its_event_passes_it_on() -> None:
    recorder, seen, dropped = Recorder(), dict[str, Signature](), threading.Semaphore(0)
    events, polls = _Seen(recorder, seen), _Unseen(recorder, seen, dropped)  # the two halves, no threads
    path = Path(__file__)
    events.dispatch(FileModifiedEvent(str(path)))
    polls.dispatch(FileModifiedEvent(str(path)))
    assert len(recorder.events) == 1 and dropped.acquire(blocking=False)
    seen[str(path)] = (0, 0, 0)  # as if the file had changed again after its last event
    polls.dispatch(FileModifiedEvent(str(path)))
    assert len(recorder.events) == 2 and not dropped.acquire(blocking=False)


def test_the_server_waits_less_after_a_change_that_leaves_its_file_whole(tmp_path: Path) -> None:
    """Closed after writing or moved into place: only MkDocs's wait for other files saved with it
    is shortened. A file reported in the middle of its writing, or found by the poll, gets MkDocs's
    whole wait, as before."""
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        mkdocs_wait = server.build_delay
        event_driven(server, [])
        watcher = server.observer
        assert isinstance(watcher, Watching) and watcher.settle is not None and mkdocs_wait > WHOLE_WAIT
        recorder, path = Recorder(), str(Path(__file__))
        events = _Seen(recorder, watcher.seen, watcher.settle)
        polls = _Unseen(recorder, {}, threading.Semaphore(0), watcher.settle)
        waits = []
        for handler, event in [(events, FileCreatedEvent(path)), (events, FileModifiedEvent(path)),
                               (events, FileClosedEvent(path)), (events, FileModifiedEvent(path)),
                               (events, FileMovedEvent(path + ".tmp", path)), (events, DirModifiedEvent(str(tmp_path))),
                               (polls, FileModifiedEvent(path))]:
            handler.dispatch(event)
            waits.append(server.build_delay)
        # a folder's change (its listing, after a file in it was written) leaves the wait as it was
        assert waits == [mkdocs_wait, mkdocs_wait, WHOLE_WAIT, mkdocs_wait, WHOLE_WAIT, WHOLE_WAIT, mkdocs_wait]
        assert len(recorder.events) == 7
    finally:
        server.server_close()


def test_serve_starts_a_rebuild_when_the_system_reports_a_save(write_corpus: WriteCorpus, tmp_path: Path) -> None:
    """MkDocs's own server, with the plugin's on_serve: the corpus, the docs folder and mkdocs.yml
    are watched both ways, and an edit to an entity asks for a rebuild."""
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    corpus = write_corpus()
    config = load_config(str(site_config(corpus, tmp_path / "cfg")))
    config.plugins.on_startup(command="serve", dirty=True)
    config = config.plugins.on_config(config)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(config.docs_dir)
    server.watch(str(config.config_file_path))
    try:
        server = config.plugins.on_serve(server, config=config, builder=lambda: None)
        assert isinstance(server.observer, Watching)
        assert all(isinstance(ref, tuple) and ref[1] is not None for ref in server._watch_refs.values())
        server.observer.start()
        (corpus / "facts" / "places" / "paris.yaml").write_text("name: Paris\ndescription: Capital\n", encoding="utf-8")
        with server._rebuild_cond:
            assert server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=WAIT)
        assert server.observer.dropped.acquire(timeout=WAIT)  # the event came first, the poll was left
        assert server.build_delay == WHOLE_WAIT  # the last event: the file closed after writing
    finally:
        server.shutdown()
        server.observer.join(WAIT)
        config.plugins.on_shutdown()
