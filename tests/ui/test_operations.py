"""ui/operations.py alone, on a bare widget: a write's Change is broadcast once on the GUI thread,
failures reach the failure callback (or the default presenter), writes run one at a time in the
order asked, reads and indexing on lanes of their own, and `idle()` says when nothing is pending."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from migarchive.core.changes import AddReport, Change, SyncReport
from migarchive.core.model import DocPath
from migarchive.ui import messages
from migarchive.ui.operations import Operations

WAIT_MS = 5000
NOTE_CHANGE = Change(notes=("001.txt",), tags=True)
_SYNCED = SyncReport(documents=1, passages=3, added=(DocPath("002.txt"),), updated=(), removed=(), skipped=(),
                     rebuilt=False, seconds=0.1)


@pytest.fixture
def operations(qtbot: QtBot) -> Iterator[Operations]:
    window = QWidget()
    qtbot.addWidget(window)
    ops = Operations(window)
    yield ops
    ops.wait(WAIT_MS)


def _broadcasts(operations: Operations) -> list[tuple[Change, int]]:
    seen: list[tuple[Change, int]] = []
    operations.changed.connect(lambda change: seen.append((change, threading.get_ident())))
    return seen


def _settle(qtbot: QtBot, operations: Operations) -> None:
    qtbot.waitUntil(operations.idle, timeout=WAIT_MS)


def test_a_writes_change_is_broadcast_once_on_the_gui_thread(qtbot: QtBot, operations: Operations) -> None:
    seen = _broadcasts(operations)
    results: list[object] = []
    ran_in: list[int] = []

    def work() -> Change:
        ran_in.append(threading.get_ident())
        return NOTE_CHANGE

    operations.write(work, results.append)
    _settle(qtbot, operations)
    gui = threading.get_ident()
    assert ran_in and ran_in[0] != gui
    assert results == [NOTE_CHANGE]
    assert seen == [(NOTE_CHANGE, gui)]


@pytest.mark.parametrize("result, broadcast", [
    ((object(), NOTE_CHANGE), NOTE_CHANGE),  # (report, change), as import_notes returns
    (AddReport((), _SYNCED, {}), Change(index=True, documents=(DocPath("002.txt"),))),  # its `.change`
    (None, None),  # nothing changed: nothing to broadcast
    ("exported", None),
])
def test_what_a_write_returns_names_the_change(qtbot: QtBot, operations: Operations, result: Any,
                                               broadcast: Change | None) -> None:
    seen = _broadcasts(operations)
    operations.write(lambda: result)
    _settle(qtbot, operations)
    assert [change for change, _thread in seen] == ([broadcast] if broadcast is not None else [])


def test_a_failure_reaches_the_failure_callback_and_nothing_is_broadcast(qtbot: QtBot,
                                                                         operations: Operations) -> None:
    seen = _broadcasts(operations)
    failures: list[tuple[BaseException, str]] = []
    then: list[object] = []

    def work() -> Change:
        raise OSError(28, "No space left on device")

    operations.write(work, then.append, failed=lambda error, details: failures.append((error, details)))
    _settle(qtbot, operations)
    [(error, details)] = failures
    assert isinstance(error, OSError) and error.errno == 28
    assert "No space left on device" in details
    assert then == [] and seen == []


def test_without_a_callback_a_failed_write_goes_to_the_default_presenter(qtbot: QtBot, operations: Operations,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    presented: list[tuple[QWidget | None, str, BaseException]] = []
    monkeypatch.setattr(messages, "present_failure",
                        lambda parent, title, error, details="": presented.append((parent, title, error)))

    def work() -> None:
        raise RuntimeError("boom")

    operations.write(work, title="The note was not saved")
    _settle(qtbot, operations)
    [(parent, title, error)] = presented
    assert parent is operations.parent() and title == "The note was not saved"
    assert isinstance(error, RuntimeError)


def test_writes_run_one_at_a_time_in_the_order_asked(qtbot: QtBot, operations: Operations) -> None:
    running = 0
    most = 0
    order: list[int] = []
    lock = threading.Lock()

    def write(number: int) -> Callable[[], None]:
        def work() -> None:
            nonlocal running, most
            with lock:
                running += 1
                most = max(most, running)
            time.sleep(0.01)  # long enough for a second writer to overlap, were there one
            order.append(number)
            with lock:
                running -= 1
        return work

    delivered: list[int] = []
    for number in range(8):
        operations.write(write(number), lambda _none, n=number: delivered.append(n))
    _settle(qtbot, operations)
    assert order == list(range(8)) and delivered == list(range(8))
    assert most == 1


def test_idle_until_every_task_has_reported_back(qtbot: QtBot, operations: Operations) -> None:
    assert operations.idle()
    release = threading.Event()
    operations.write(lambda: release.wait(WAIT_MS / 1000))
    assert not operations.idle()
    assert not operations.idle(indexing=False)
    release.set()
    _settle(qtbot, operations)
    assert operations.idle()


def test_idle_apart_from_indexing_and_indexing_can_be_cancelled(qtbot: QtBot, operations: Operations) -> None:
    started = threading.Event()
    outcome: list[str] = []

    def index(progress: Callable[[int, int, str], None], cancel: threading.Event) -> str:
        started.set()
        progress(0, 1, "reading")
        return "cancelled" if cancel.wait(WAIT_MS / 1000) else "finished"

    reports: list[tuple[int, int, str]] = []
    operations.index(index, outcome.append, lambda error, details: outcome.append(f"failed: {error}"),
                     lambda done, total, message: reports.append((done, total, message)))
    assert started.wait(WAIT_MS / 1000)
    # A read is not held up by the running index (a lane of its own), and the window is idle apart from it.
    read: list[object] = []
    operations.read(lambda: "hits", read.append, lambda error, details: None)
    qtbot.waitUntil(lambda: read == ["hits"], timeout=WAIT_MS)
    assert operations.idle(indexing=False) and not operations.idle()
    operations.cancel_indexing.set()
    _settle(qtbot, operations)
    assert outcome == ["cancelled"]
    assert reports == [(0, 1, "reading")]
