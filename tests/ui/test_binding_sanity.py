"""The Qt binding itself: a release that miscounts references would crash the app after a while."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel

pytestmark = pytest.mark.gui


class _Emitter(QObject):
    fired = Signal(int)


def test_void_calls_and_signals_keep_reference_counts(qapp: QApplication) -> None:
    label = QLabel()
    emitter = _Emitter()
    emitter.fired.connect(lambda _value: None)
    before_none, before_true = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(2000):
        label.setText("x")
        qapp.processEvents()
        emitter.fired.emit(1)
    # A few references come and go with the interpreter's own work; thousands lost is the bug.
    assert sys.getrefcount(None) - before_none > -200
    assert sys.getrefcount(True) - before_true > -200
