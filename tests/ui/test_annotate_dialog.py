"""The Annotate dialog on its own, driven by the keyboard only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from migarchive.ui.annotate_dialog import AnnotateDialog

pytestmark = pytest.mark.gui


def test_tab_in_the_note_moves_on_to_the_tags(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = AnnotateDialog("the quoted passage", known_tags=["remittances"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.note.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.note)
    qtbot.keyClicks(dialog.note, "Compare with 2005")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.tags
    qtbot.keyClicks(dialog.tags, "data, security")
    qtbot.keyClick(dialog.tags, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.colour
    qtbot.keyClick(dialog.colour, Qt.Key.Key_Backtab)
    qtbot.keyClick(dialog.tags, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is dialog.note
    assert dialog.values() == ("Compare with 2005", ("data", "security"), "yellow")
    assert "\t" not in dialog.note.toPlainText()
